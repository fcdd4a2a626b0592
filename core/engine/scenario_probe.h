// SPDX-License-Identifier: Apache-2.0
#pragma once

// "Try once": one iteration of a scenario, a step at a time, keeping everything a person needs to
// see why a step does what it does: the request as rendered, the answer as received, what each
// extractor took and which checks passed. Not a measurement (libcurl, one request at a time, the
// answers kept); the scenario editor and `benchdeck-cli run --scenario FILE --try` use it before a
// real run.

#include "run_config.h"
#include "scenario_plan.h"

#include <atomic>
#include <string>
#include <utility>
#include <vector>

namespace benchdeck::engine {

struct ProbeStep {
    std::string scenario;
    std::string step;
    std::string method;
    std::string url;
    std::vector<std::pair<std::string, std::string>> requestHeaders; // as sent, the run's -H ones included
    std::string requestBody;
    bool sent = false;
    std::string problem; // why it was not sent, or the transport error; empty when answered
    int status = 0;
    std::vector<std::pair<std::string, std::string>> responseHeaders;
    std::string responseBody; // the first kMaxProbeBody bytes
    bool bodyTruncated = false;
    double milliseconds = 0;
    // Each extractor's variable and the value it took; `found` false when the answer held nothing for it.
    struct Extraction {
        std::string variable;
        std::string value;
        bool found = false;
    };
    std::vector<Extraction> extracted;
    std::vector<std::pair<std::string, bool>> checks; // CompiledCheck::describe(), passed
    bool passed() const;
};

inline constexpr size_t kMaxProbeBody = 64 * 1024;

// Runs one iteration of scenario `scenarioIndex` of `plan` (which must have a program), with the
// first row of each feeder (a random one for random feeders), the run's headers, timeouts and TLS
// settings from `config`. Stops after a step that could not be sent or got no answer, as a run
// does; a failed check does not stop it. `cancel` (may be null) is read between steps.
std::vector<ProbeStep> tryOnce(const ScenarioPlan& plan, const RunConfig& config, size_t scenarioIndex,
                               const std::atomic<bool>* cancel = nullptr);

} // namespace benchdeck::engine
