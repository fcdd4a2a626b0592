// SPDX-License-Identifier: Apache-2.0
#pragma once

// The built-in demo, defined once for `benchdeck-cli demo` and the app's "Run the demo": three local
// calibration targets whose behaviour is known, so what the comparison shows can be checked.
#include "store/session_file.h"
#include "target/target_server.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace benchdeck::workflow {

struct DemoBackend {
    std::string name;      // steady, jittery, flaky
    std::string stack;     // the stack whose usual shape it imitates, for the decision table's defaults
    std::string behaviour; // one line, for --help and the sidebar
    target::TargetOptions options;
};

const std::vector<DemoBackend>& demoBackends();
// The demo's plan: 20 users for 3 s after a 500 ms warm-up (benchdeck-cli demo may change the first two).
store::Profile demoProfile();
// Where a demo backend is loaded: its JSON endpoint on 127.0.0.1.
std::string demoUrl(uint16_t port);

// The demo's backends, listening on 127.0.0.1 while this lives.
class DemoServers {
public:
    bool start(std::string* error);
    void stop();
    size_t size() const { return servers_.size(); }
    uint16_t port(size_t index) const { return servers_.at(index)->port(); }

private:
    std::vector<std::unique_ptr<target::TargetServer>> servers_;
};

// What the demo or an example wrote into a session: the targets to run, with the profile to run them.
struct SeededSession {
    std::vector<int64_t> targetIds;
    int64_t profileId = 0;
};

// Writes a candidate and a target for each running backend and the demo's load profile (20 users,
// 3 s after a 500 ms warm-up) into `session`.
std::optional<SeededSession> seedDemoSession(store::SessionFile& session, const DemoServers& servers, std::string* error);

} // namespace benchdeck::workflow
