// SPDX-License-Identifier: Apache-2.0
#pragma once

// A run's figures, computed once from its histograms and counters (when the run ends, or when it is
// read back) and then only read: the CLI text, `--json`, the session's run list, the compare view,
// reports, thresholds, the noise grouping and the decision table all show these same numbers.
#include "latency_histogram.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benchdeck::metrics {

// How a run ended. Failed: not one response came back (refused, DNS, TLS, a server that never
// answered); Interrupted: its writer died mid-run (only a session file can say so).
enum class RunStatus { Running, Completed, Stopped, Interrupted, Failed };

std::string_view runStatusName(RunStatus status);
std::optional<RunStatus> runStatusFromName(std::string_view name);
// Whether a run's figures describe the plan as asked (completed) rather than part of it or none.
inline bool isComplete(RunStatus status)
{
    return status == RunStatus::Completed;
}

// Percentiles and moments of one histogram, in microseconds.
struct LatencySummary {
    uint64_t count = 0;
    int64_t min = 0;
    int64_t p50 = 0;
    int64_t p90 = 0;
    int64_t p99 = 0;
    int64_t p999 = 0;
    int64_t max = 0;
    double mean = 0;
    double stdev = 0;

    bool empty() const { return count == 0; }
    static double ms(double micros) { return micros / 1000.0; }
};

LatencySummary summarizeLatency(const LatencyHistogram& histogram);

// One step of a scenario run, named as in the scenario file.
struct StepSummary {
    std::string scenario;
    std::string step;
    uint64_t requests = 0;
    uint64_t responses = 0;
    uint64_t errors = 0;
    uint64_t checks = 0;
    uint64_t checksFailed = 0;
    uint64_t failed = 0;  // answers that failed at least one check
    uint64_t notSent = 0; // skipped: a variable it uses had no value
    double rps = 0;
    double errorPercent = 0;
    LatencySummary latency;
};

struct IterationSummary {
    uint64_t started = 0;
    uint64_t completed = 0;
    uint64_t failed = 0; // ended early: a transport failure or a variable with no value
    double perSecond = 0;
    LatencySummary duration; // completed iterations, pauses included
};

struct RunSummary {
    bool computed = false; // set by RunResult::finalize(); nothing may store or show a summary without it
    RunStatus status = RunStatus::Completed;
    std::string failureReason; // why a failed run failed, in one line
    uint64_t requests = 0;
    uint64_t responses = 0;
    uint64_t errors = 0;
    uint64_t unansweredAtEnd = 0; // requests still waiting for an answer when the run ended
    double durationSeconds = 0;
    double rps = 0;
    double errorPercent = 0;
    LatencySummary latency;
    LatencySummary connect;
    LatencySummary tls;
    LatencySummary ttfb;
    // Scenario runs only (empty steps otherwise).
    std::vector<StepSummary> steps;
    IterationSummary iterations;
    uint64_t checks = 0;
    uint64_t checksFailed = 0;
    // Passed checks in percent of all checks evaluated; 100 when none were.
    double checksPassedPercent() const
    {
        return checks ? 100.0 * double(checks - checksFailed) / double(checks) : 100.0;
    }
    bool isScenario() const { return !steps.empty(); }
    // The step with this name ("login", or "scenario/login" when names repeat across scenarios).
    const StepSummary* findStep(std::string_view name) const;
};

} // namespace benchdeck::metrics
