// SPDX-License-Identifier: Apache-2.0
#include "run_summary.h"

#include <array>

namespace benchdeck::metrics {
namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 5> kNames{{
    {RunStatus::Running, "running"},
    {RunStatus::Completed, "completed"},
    {RunStatus::Stopped, "stopped"},
    {RunStatus::Interrupted, "interrupted"},
    {RunStatus::Failed, "failed"},
}};

} // namespace

std::string_view runStatusName(RunStatus status)
{
    for (const auto& [value, name] : kNames) {
        if (value == status) {
            return name;
        }
    }
    return "completed";
}

std::optional<RunStatus> runStatusFromName(std::string_view name)
{
    for (const auto& [value, text] : kNames) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

LatencySummary summarizeLatency(const LatencyHistogram& histogram)
{
    LatencySummary s;
    s.count = histogram.count();
    if (s.count == 0) {
        return s;
    }
    s.min = histogram.min();
    s.p50 = histogram.valueAtPercentile(50);
    s.p90 = histogram.valueAtPercentile(90);
    s.p99 = histogram.valueAtPercentile(99);
    s.p999 = histogram.valueAtPercentile(99.9);
    s.max = histogram.max();
    s.mean = histogram.mean();
    s.stdev = histogram.stdev();
    return s;
}

const StepSummary* RunSummary::findStep(std::string_view name) const
{
    const StepSummary* found = nullptr;
    for (const auto& step : steps) {
        if (step.scenario + "/" + step.step == name) {
            return &step;
        }
        if (step.step == name) {
            if (found != nullptr) {
                return nullptr; // ambiguous: the caller asks with the scenario's name
            }
            found = &step;
        }
    }
    return found;
}

} // namespace benchdeck::metrics
