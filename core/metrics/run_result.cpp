#include "run_result.h"

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

std::string RunResult::unreachableReason() const
{
    if (!startError.empty()) {
        return startError;
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
