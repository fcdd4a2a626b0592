// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/run_result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benchdeck::report {

// Pass/fail criteria for CI: `p99<50ms`, `errors<1%`, `rps>=5000`. One metric, one comparison, one
// limit; `--threshold` is repeated for several. Scenario runs add `checks>99%` (the share of checks
// that passed) and may name a step: `p99{step=login}<100ms`, `checks{step=item}>=99.9%`.
enum class ThresholdMetric { Rps, Mean, P50, P90, P99, P999, Max, ErrorPercent, ErrorCount, ChecksPassedPercent };
enum class ThresholdComparison { Less, LessOrEqual, Greater, GreaterOrEqual };

struct Threshold {
    std::string expression; // canonical spelling, whitespace removed: "p99<50ms", "p99{step=login}<100ms"
    std::string step;       // a scenario step's name ("login", or "scenario/login"); empty: the whole run
    ThresholdMetric metric = ThresholdMetric::P99;
    ThresholdComparison comparison = ThresholdComparison::Less;
    // In the metric's base unit: microseconds for latencies, percent for ErrorPercent, a count for
    // ErrorCount, requests per second for Rps.
    double limit = 0;
};

struct ThresholdVerdict {
    std::string expression;
    bool passed = false;
    // In `unit`: milliseconds for latencies (as in --json), "%", "count" or "req/s". Empty when
    // there was nothing to measure (a latency threshold over a run without a single response).
    std::optional<double> measured;
    std::string unit;
    std::string shown; // the measured figure as the line writes it ("12.3ms"), or why there is none
    std::string line;  // "PASS p99<50ms (measured 12.3ms)", "FAIL errors<1% (measured 4.20%)"
};

// Parses one expression; whitespace anywhere between its parts is tolerated, metric names and units
// are case-insensitive. On failure returns nullopt and sets `error` to one line such as
// "unknown metric 'p98' (use rps, mean, p50, p90, p99, p999, max, errors)".
std::optional<Threshold> parseThreshold(std::string_view text, std::string* error);

// Latencies come from the run's total latency histogram (p999 is the 99.9th percentile), error
// percent is errors / requests * 100 (0 without requests). A run without requests fails every rps
// threshold, and one without responses fails every latency threshold: nothing was measured.
ThresholdVerdict evaluate(const Threshold& threshold, const metrics::RunResult& result);

// The verdicts of a plan's stored thresholds (RunConfig::thresholds), in order. An expression that no
// longer parses (a file edited by hand) fails, and its line says why rather than being skipped.
std::vector<ThresholdVerdict> evaluatePlanThresholds(const std::vector<std::string>& expressions,
                                                     const metrics::RunResult& result);

std::string_view metricName(ThresholdMetric metric);
std::string_view comparisonSymbol(ThresholdComparison comparison);

} // namespace benchdeck::report
