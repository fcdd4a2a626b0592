#include "calibration.h"

#include "engine/engine.h"
#include "target/target_server.h"

#include <cstdio>

namespace benchdeck::workflow {

CalibrationResult calibrate(std::chrono::milliseconds stepDuration, int threads,
                            const std::function<void(const std::string&)>& onStep)
{
    using namespace std::chrono_literals;
    CalibrationResult calibration;
    std::atomic<bool> stop{false};
    std::string error;

    // 1. Ceiling: a target with no delay, closed model, enough users to keep the client busy.
    if (onStep) {
        onStep("measuring the generator's ceiling against a target that answers at once");
    }
    target::TargetServer fast({});
    if (!fast.start(&error)) {
        calibration.error = error;
        return calibration;
    }
    engine::RunConfig ceiling;
    ceiling.url = "http://127.0.0.1:" + std::to_string(fast.port()) + "/";
    ceiling.connections = 50;
    ceiling.threads = threads;
    ceiling.duration = stepDuration;
    ceiling.warmup = 300ms;
    const auto top = engine::runLoad(ceiling, stop);
    fast.stop();
    calibration.ceilingRps = top.rps();
    calibration.ceilingGeneratorCpuPercent = top.generator.cpuPercent;
    const double cpuSeconds = top.generator.cpuPercent / 100.0 * top.durationSeconds * double(top.threads);
    calibration.cpuMicrosPerRequest = top.total.requests ? cpuSeconds * 1e6 / double(top.total.requests) : 0;

    // 2. Accuracy: a target with a known 10 ms delay, open model at a rate it can sustain.
    if (onStep) {
        onStep("measuring latency against a target with a known 10 ms delay");
    }
    target::TargetOptions delayed;
    delayed.delay = 10ms;
    target::TargetServer slow(delayed);
    if (!slow.start(&error)) {
        calibration.error = error;
        return calibration;
    }
    engine::RunConfig accuracy;
    accuracy.url = "http://127.0.0.1:" + std::to_string(slow.port()) + "/";
    accuracy.rate = 500;
    accuracy.connections = 100;
    accuracy.threads = 1;
    accuracy.duration = stepDuration;
    const auto known = engine::runLoad(accuracy, stop);
    calibration.knownDelayMs = 10;
    calibration.measuredP50Ms = double(known.total.latency.valueAtPercentile(50)) / 1000.0;
    calibration.measuredP99Ms = double(known.total.latency.valueAtPercentile(99)) / 1000.0;
    calibration.p50ErrorMs = calibration.measuredP50Ms - calibration.knownDelayMs;
    calibration.p99ErrorMs = calibration.measuredP99Ms - calibration.knownDelayMs;
    if (known.total.responses() == 0 || top.total.responses() == 0) {
        calibration.error = "the calibration target did not answer";
    }
    return calibration;
}

std::string describe(const CalibrationResult& c)
{
    char text[1024];
    std::snprintf(text, sizeof text,
                  "Generator ceiling on this machine: %.0f req/s (%.1f us of client CPU per request, client threads "
                  "%.0f%% busy).\n"
                  "Latency error against a known %.0f ms delay: p50 %+.2f ms (measured %.2f ms), p99 %+.2f ms "
                  "(measured %.2f ms).\n"
                  "Servers that answer faster than the ceiling are measured as the ceiling: compare only figures "
                  "well below it, and read latency differences smaller than the error above as noise.\n",
                  c.ceilingRps, c.cpuMicrosPerRequest, c.ceilingGeneratorCpuPercent, c.knownDelayMs, c.p50ErrorMs,
                  c.measuredP50Ms, c.p99ErrorMs, c.measuredP99Ms);
    return text;
}

} // namespace benchdeck::workflow
