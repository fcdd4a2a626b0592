// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benchdeck::io {

// A request taken from a `curl …` command line, as browsers' "Copy as cURL" and API docs write them.
struct CurlImport {
    // url, method, headers, body, httpVersion, insecure, caCertFile, followRedirects, and the timeouts when the
    // command gives them. duration is set to 10 s so that engine::validate() can judge the result;
    // the caller replaces it with the run's real plan.
    engine::RunConfig request;
    // One line each: options that were ignored (unknown, unsupported, file or stdin reads), named, so
    // that nothing the command asked for disappears silently. Output-only flags (-s, -v, -o …) are
    // accepted without a warning because they do not change the request.
    std::vector<std::string> warnings;
};

// Understands the bash/POSIX forms (Chrome/Edge "Copy as cURL (bash)", Firefox "Copy as cURL
// (POSIX)", hand-written commands) and Chrome's Windows "Copy as cURL (cmd)" form. Returns nothing,
// with a one-line reason in *error, when the text is not a curl command, has unbalanced quotes, no
// URL, a scheme other than http/https, a header without a colon, or anything engine::validate()
// refuses.
std::optional<CurlImport> parseCurlCommand(std::string_view commandLine, std::string* error);

// The shell word splitting the parser uses. POSIX form: single quotes, double quotes with backslash
// escapes, $'…' ANSI-C quoting (\n \t \\ \' \" \xHH \uHHHH …), backslash escapes and backslash-newline
// continuations. Chrome's cmd form (recognised by `^"` after the program name or a line ending in
// `^`): caret escapes and continuations, then the Windows C runtime's quote rules. Unquoted shell
// control operators (| || & && ; < > and a line break that is not continued) come back as words of
// their own, so a caller can tell where the first command ends.
std::optional<std::vector<std::string>> splitCommandLine(std::string_view commandLine, std::string* error);

} // namespace benchdeck::io
