// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "demo.h"
#include "store/session_content.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace benchdeck::workflow {

// The seed's comparison, reproduced on real servers: Go (net/http, Gin) against Python (FastAPI,
// Flask), each started through its launch command (examples/servers.sh run NAME PORT), loaded with
// one plan, its memory and cold start measured. The desktop app runs it (Help > Examples,
// `benchdeck --example go-vs-python`); examples/compare.sh is the command-line twin.
struct ExampleServer {
    std::string name;      // as examples/servers.sh knows it: "gin"
    std::string candidate; // "Go (Gin)"
    std::string stack;     // "go": the decision table's default scores
    bool available = false;
};

struct GoVsPythonExample {
    std::string folder; // the examples folder (holds servers.sh)
    std::vector<ExampleServer> servers;
    // What to tell the user when some or all servers are missing (empty when all are there).
    std::string missingAdvice;

    std::vector<ExampleServer> availableServers() const;
    // The launch command of one server on 127.0.0.1:port, shell-quoted.
    std::string launchCommand(const ExampleServer& server, uint16_t port) const;
    // The target of one server on 127.0.0.1:port: its launch command and its artifact paths (asked of
    // servers.sh artifacts NAME). The caller files it under the server's candidate.
    store::Target target(const ExampleServer& server, uint16_t port) const;
    // The plan every server gets: closed model, 50 users, `duration` after a 1 s warm-up.
    store::Profile profile(std::chrono::seconds duration = std::chrono::seconds(5)) const;
    // Writes a candidate and a target for each available server (on ports from 18110 up) and the
    // profile into `session`.
    std::optional<SeededSession> seed(store::SessionFile& session, std::chrono::seconds duration,
                                      std::string* error) const;
};

// Where the examples are: $BENCHDECK_EXAMPLES, the source tree this build came from, or the installed
// copy (/usr/share/benchdeck/examples); the first that has servers.sh.
std::optional<std::string> findExamplesFolder();

// Asks `servers.sh list` which servers are built and installed. Null, with a reason, when the folder
// or its script cannot be used.
std::optional<GoVsPythonExample> goVsPythonExample(const std::string& folder, std::string* error);

} // namespace benchdeck::workflow
