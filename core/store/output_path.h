// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where a report, a shard result or a JUnit file may be written. An output path given by mistake must
// never destroy data: a session (or any SQLite file) and the file being read are never replaced, and
// any other existing file only when the user said so (--force, or "Replace?" in the app).
#include <optional>
#include <span>
#include <string>

namespace benchdeck::store {

// The one-line reason `path` may not be written, or nothing. `inputs` are the files this command
// reads (the session, shard files); `option` names the flag in the message ("-o", "--junit").
std::optional<std::string> checkOutputPath(const std::string& path, std::span<const std::string> inputs,
                                           bool force, const std::string& option);

} // namespace benchdeck::store
