// SPDX-License-Identifier: Apache-2.0
#include "calibration.h"
#include "metrics/units.h"

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

KnownDelayError measureKnownDelayError(std::chrono::milliseconds duration, engine::EngineKind kind)
{
    using namespace std::chrono_literals;
    KnownDelayError measured;
    target::TargetOptions delayed;
    delayed.delay = 10ms;
    target::TargetServer slow(delayed);
    if (!slow.start(&measured.error)) {
        return measured;
    }
    engine::RunConfig accuracy;
    accuracy.url = "http://127.0.0.1:" + std::to_string(slow.port()) + "/";
    accuracy.engine = kind;
    return measureKnownDelayError(accuracy, duration);
}

KnownDelayError measureKnownDelayError(engine::RunConfig plan, std::chrono::milliseconds duration)
{
    plan.rate = 500;
    plan.connections = 100;
    plan.threads = 1;
    plan.duration = duration;
    std::atomic<bool> stop{false};
    const auto known = engine::runLoad(plan, stop);
    KnownDelayError measured;
    if (known.summary.responses == 0) {
        measured.error = "the calibration target did not answer";
        return measured;
    }
    measured.p50Ms = double(known.summary.latency.p50) / 1000.0 - 10.0;
    measured.p99Ms = double(known.summary.latency.p99) / 1000.0 - 10.0;
    return measured;
}

std::string describe(const CalibrationResult& c)
{
    const auto signedMs = [](double value) { return (value >= 0 ? "+" : "") + units::fixed(value, 2); };
    return "Generator ceiling on this machine: " + units::fixed(c.ceilingRps, 0) + " req/s (" +
           units::fixed(c.cpuMicrosPerRequest, 1) + " us of client CPU per request, client threads " +
           units::fixed(c.ceilingGeneratorCpuPercent, 0) + "% busy).\n" +
           "Latency error against a known " + units::fixed(c.knownDelayMs, 0) + " ms delay: p50 " +
           signedMs(c.p50ErrorMs) + " ms (measured " + units::fixed(c.measuredP50Ms, 2) + " ms), p99 " +
           signedMs(c.p99ErrorMs) + " ms (measured " + units::fixed(c.measuredP99Ms, 2) + " ms).\n" +
           "Servers that answer faster than the ceiling are measured as the ceiling: compare only figures well "
           "below it, and read latency differences smaller than the error above as noise.\n";
}

} // namespace benchdeck::workflow
