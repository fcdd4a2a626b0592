// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"

#include <chrono>
#include <functional>
#include <string>

namespace benchdeck::workflow {

// What this machine can measure: the load generator's own ceiling against a calibration target that
// answers at once, and how far its latencies are from a target's known delay. Run it before trusting
// a comparison: a server faster than the ceiling is measured as the ceiling.
struct CalibrationResult {
    double ceilingRps = 0;
    double cpuMicrosPerRequest = 0; // the generator's own CPU per request at the ceiling
    double ceilingGeneratorCpuPercent = 0;
    double knownDelayMs = 0;
    double measuredP50Ms = 0;
    double measuredP99Ms = 0;
    double p50ErrorMs = 0; // measured minus known
    double p99ErrorMs = 0;
    std::string error; // set when a step could not run
};

CalibrationResult calibrate(std::chrono::milliseconds stepDuration, int threads,
                            const std::function<void(const std::string&)>& onStep = {});

// Only the accuracy step, on one request path: the error against a known 10 ms delay at 500 req/s.
// Tests size their latency tolerances with it, so they hold on a machine that is doing other work.
struct KnownDelayError {
    double p50Ms = 0; // measured minus known
    double p99Ms = 0;
    std::string error;
};
KnownDelayError measureKnownDelayError(std::chrono::milliseconds duration,
                                       engine::EngineKind kind = engine::EngineKind::Auto);
// The same step on a server the caller set up (`url` answers after the known 10 ms hold: an HTTP/2
// front of the calibration target, say), with the rest of `plan` as given.
KnownDelayError measureKnownDelayError(engine::RunConfig plan, std::chrono::milliseconds duration);

std::string describe(const CalibrationResult& result);

} // namespace benchdeck::workflow
