// SPDX-License-Identifier: Apache-2.0
#include "run_result.h"

#include <algorithm>

namespace benchdeck::metrics {

IntervalRecord summarizeInterval(const MetricsSlice& slice, double t, double seconds, double cpuPercent)
{
    IntervalRecord r;
    r.t = t;
    r.seconds = seconds;
    r.requests = slice.requests;
    r.errors = slice.errors;
    r.bytesReceived = slice.bytesReceived;
    r.p50 = slice.latency.valueAtPercentile(50);
    r.p90 = slice.latency.valueAtPercentile(90);
    r.p99 = slice.latency.valueAtPercentile(99);
    r.max = slice.latency.max();
    r.meanMicros = slice.latency.mean();
    r.cpuPercent = cpuPercent;
    return r;
}

void RunResult::summarizeScenario(RunSummary& s) const
{
    s.steps.clear();
    s.checks = s.checksFailed = 0;
    s.iterations = {};
    if (!total.scenario) {
        return;
    }
    const auto& scenario = *total.scenario;
    for (size_t i = 0; i < scenario.steps.size(); ++i) {
        const auto& slice = scenario.steps[i];
        StepSummary step;
        if (i < stepLabels.size()) {
            step.scenario = stepLabels[i].scenario;
            step.step = stepLabels[i].step;
        }
        step.requests = slice.requests;
        step.responses = slice.latency.count();
        step.errors = slice.errors;
        step.checks = slice.checks;
        step.checksFailed = slice.checksFailed;
        step.failed = slice.failed;
        step.notSent = slice.notSent;
        step.rps = durationSeconds > 0 ? double(slice.requests) / durationSeconds : 0.0;
        step.errorPercent = slice.requests ? 100.0 * double(slice.errors) / double(slice.requests) : 0.0;
        step.latency = summarizeLatency(slice.latency);
        s.checks += slice.checks;
        s.checksFailed += slice.checksFailed;
        s.steps.push_back(std::move(step));
    }
    s.iterations.started = scenario.iterationsStarted;
    s.iterations.completed = scenario.iterations.count();
    s.iterations.failed = scenario.iterationsFailed;
    s.iterations.perSecond = durationSeconds > 0 ? double(s.iterations.completed) / durationSeconds : 0.0;
    s.iterations.duration = summarizeLatency(scenario.iterations);
}

void RunResult::finalize(std::optional<RunStatus> stored)
{
    RunSummary& s = summary;
    s.computed = true;
    s.requests = total.requests;
    s.responses = total.responses();
    s.errors = total.errors;
    s.unansweredAtEnd = total.unansweredAtEnd;
    s.durationSeconds = durationSeconds;
    s.rps = rps();
    s.errorPercent = errorPercent();
    s.latency = summarizeLatency(total.latency);
    s.connect = summarizeLatency(total.connect);
    s.tls = summarizeLatency(total.tls);
    s.ttfb = summarizeLatency(total.ttfb);
    summarizeScenario(s);
    s.failureReason.clear();
    if (targetUnreachable()) {
        s.status = RunStatus::Failed;
        s.failureReason = unreachableReason();
    } else if (stored) {
        s.status = *stored;
    } else {
        s.status = stopReason == StopReason::UserStopped ? RunStatus::Stopped : RunStatus::Completed;
    }
}

std::vector<std::pair<double, double>> ServerStats::cpuPercentOverTime() const
{
    std::vector<std::pair<double, double>> points;
    double previousT = 0;
    double previousCpu = 0;
    for (const auto& sample : samples) {
        const double seconds = sample.t - previousT;
        if (seconds > 0) {
            points.emplace_back(sample.t, std::max(0.0, 100.0 * (double(sample.cpuMicros) - previousCpu) / (seconds * 1e6)));
        }
        previousT = sample.t;
        previousCpu = double(sample.cpuMicros);
    }
    return points;
}

std::string RunResult::unreachableReason() const
{
    if (!startError.empty()) {
        return startError;
    }
    if (total.errors == 0) {
        return total.unansweredAtEnd > 0 ? "no response from the server within the run: " +
                                               std::to_string(total.unansweredAtEnd) + " requests still waiting"
                                         : std::string("no response from the server within the run");
    }
    size_t worst = 0;
    for (size_t i = 1; i < kErrorKindCount; ++i) {
        if (total.errorKinds[i] > total.errorKinds[worst]) {
            worst = i;
        }
    }
    return std::string(errorKindLabel(errorKindAt(worst)));
}

} // namespace benchdeck::metrics
