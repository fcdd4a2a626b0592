// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine.h"
#include "load_shape.h"
#include "run_shared.h"

#include "metrics/metrics_slice.h"
#include "metrics/run_result.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace benchdeck::engine {

// The caller thread's half of a run (the workers hold the other): what engine.cpp's runLoad feeds
// every tick, and what turns worker slices into the live view, the 1 s series and the totals.

inline double toSeconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

// Merges worker slices into ticks, ticks into 1 s intervals and intervals into the run's total.
class Aggregator {
public:
    Aggregator(RunShared& shared, metrics::RunResult& result, int workers, const SnapshotCallback& onSnapshot)
        : shared_(shared)
        , result_(result)
        , tickWorkerCpu_(size_t(workers), 0)
        , workerCpu_(size_t(workers), 0)
        , tickWorkerWait_(size_t(workers), 0)
        , workerWait_(size_t(workers), 0)
        , onSnapshot_(onSnapshot)
        , lastEmit_(shared.measureStart)
    {
    }

    void collect(SliceExchange& exchange, size_t worker)
    {
        collectWith(worker, [&] { exchange.collect(tick_); });
    }

    void collectFinal(SliceExchange& exchange, size_t worker)
    {
        collectWith(worker, [&] { exchange.collectAll(tick_); });
    }

    void closeTick(Clock::time_point boundary)
    {
        const bool measuring = boundary > shared_.measureStart;
        if (measuring) {
            for (size_t i = 0; i < workerCpu_.size(); ++i) {
                workerCpu_[i] += tickWorkerCpu_[i];
                workerWait_[i] += tickWorkerWait_[i];
            }
        }
        std::fill(tickWorkerCpu_.begin(), tickWorkerCpu_.end(), 0);
        std::fill(tickWorkerWait_.begin(), tickWorkerWait_.end(), 0);
        warmupRequests_ += tick_.warmupRequests;
        tick_.warmupRequests = 0;

        engine::LiveSnapshot snapshot;
        snapshot.warmingUp = !measuring;
        snapshot.tickRps = double(tick_.requests) / toSeconds(shared_.tick);
        snapshot.tickP50 = tick_.latency.valueAtPercentile(50);
        snapshot.tickP90 = tick_.latency.valueAtPercentile(90);
        snapshot.tickP99 = tick_.latency.valueAtPercentile(99);
        snapshot.tickErrors = tick_.errors;
        snapshot.tickErrorsPerSecond = double(tick_.errors) / toSeconds(shared_.tick);
        snapshot.inFlight = tick_.inFlight;
        tick_.inFlight = 0; // a gauge: it must not add up over ticks
        if (measuring) {
            const uint64_t cpu = tick_.cpuMicros;
            tick_.cpuMicros = 0;
            second_.merge(tick_);
            second_.cpuMicros += cpu;
            if ((boundary - shared_.measureStart) % std::chrono::seconds(1) == Clock::duration::zero()) {
                snapshot.completedInterval = emitInterval(boundary);
                snapshot.completedIntervalLatency = &lastIntervalLatency_;
            }
        }
        tick_.reset();
        publish(snapshot, boundary);
    }

    // After the workers have stopped: whatever is left forms the last, possibly shorter, interval.
    void closeRun(Clock::time_point end)
    {
        warmupRequests_ += tick_.warmupRequests;
        tick_.warmupRequests = 0;
        for (size_t i = 0; i < workerCpu_.size(); ++i) {
            workerCpu_[i] += tickWorkerCpu_[i];
            workerWait_[i] += tickWorkerWait_[i];
        }
        second_.merge(tick_);
        tick_.reset();
        const auto measuredEnd = std::clamp(end, shared_.measureStart, shared_.measureEnd);
        engine::LiveSnapshot snapshot;
        snapshot.final = true;
        if (measuredEnd > lastEmit_ && (second_.requests > 0 || measuredEnd > lastEmit_ + std::chrono::milliseconds(10))) {
            snapshot.completedInterval = emitInterval(measuredEnd);
            snapshot.completedIntervalLatency = &lastIntervalLatency_;
        } else {
            result_.total.merge(second_);
            second_.reset();
        }
        result_.total.warmupRequests = warmupRequests_;
        result_.durationSeconds = toSeconds(measuredEnd - shared_.measureStart);
        finishScheduleStats();
        finishGeneratorStats();
        publish(snapshot, measuredEnd);
    }

private:
    // Folds a worker's slices into this tick, keeping its CPU and wait time apart per worker.
    template <typename Take> void collectWith(size_t worker, Take take)
    {
        const uint64_t before = tick_.cpuMicros;
        const uint64_t waitBefore = tick_.waitMicros;
        take();
        tickWorkerCpu_[worker] += tick_.cpuMicros - before;
        tickWorkerWait_[worker] += tick_.waitMicros - waitBefore;
    }

    metrics::IntervalRecord emitInterval(Clock::time_point end)
    {
        const double seconds = toSeconds(end - lastEmit_);
        const double cpuPercent =
            seconds > 0 ? 100.0 * double(second_.cpuMicros) / (seconds * 1e6 * double(workerCpu_.size())) : 0.0;
        auto record = metrics::summarizeInterval(second_, toSeconds(end - shared_.measureStart), seconds, cpuPercent);
        result_.series.push_back(record);
        lastIntervalLatency_.reset();
        lastIntervalLatency_.merge(second_.latency);
        result_.total.merge(second_);
        second_.reset();
        lastEmit_ = end;
        return record;
    }

    void publish(engine::LiveSnapshot& snapshot, Clock::time_point boundary)
    {
        if (!onSnapshot_) {
            return;
        }
        const auto& config = *shared_.config;
        const auto now = Clock::now();
        snapshot.elapsedSeconds = toSeconds(now - (shared_.measureStart - config.warmup));
        snapshot.measuredSeconds = std::max(0.0, toSeconds(boundary - shared_.measureStart));
        snapshot.requests = result_.total.requests + second_.requests;
        snapshot.errors = result_.total.errors + second_.errors;
        snapshot.bytesReceived = result_.total.bytesReceived + second_.bytesReceived;
        snapshot.warmupRequests = warmupRequests_;
        snapshot.measuredTotal = &result_.total;
        if (!snapshot.final) {
            snapshot.level = shared_.shape != nullptr ? shared_.shape->levelAt(now)
                                                      : (shared_.openModel ? config.rate : double(config.connections));
        }
        const auto planned = plannedDuration(config);
        const double total = toSeconds(config.warmup) + toSeconds(planned);
        if (planned.count() > 0) {
            snapshot.progress = std::clamp(snapshot.elapsedSeconds / total, 0.0, 1.0);
        }
        if (config.requests > 0) {
            const double byCount = double(snapshot.requests) / double(config.requests);
            snapshot.progress = std::max(snapshot.progress, std::clamp(byCount, 0.0, 1.0));
        }
        if (snapshot.final) {
            snapshot.progress = 1;
        }
        if (snapshot.progress > 0 && snapshot.progress < 1) {
            snapshot.etaSeconds = snapshot.elapsedSeconds * (1.0 - snapshot.progress) / snapshot.progress;
            if (planned.count() > 0 && config.requests == 0) {
                snapshot.etaSeconds = std::max(0.0, total - snapshot.elapsedSeconds);
            }
        }
        onSnapshot_(snapshot);
    }

    void finishScheduleStats()
    {
        auto& schedule = result_.schedule;
        const auto& total = result_.total;
        schedule.openModel = shared_.openModel;
        if (!schedule.openModel || result_.durationSeconds <= 0) {
            return;
        }
        const auto& config = *shared_.config;
        if (config.stages.empty()) {
            schedule.targetRate = config.rate;
        } else {
            // The schedule's own count over the measured window is the integral of the rate.
            const double seconds = toSeconds(plannedDuration(config));
            double area = 0;
            double level = 0;
            for (const auto& stage : config.stages) {
                area += (level + stage.target) / 2.0 * toSeconds(stage.duration);
                level = stage.target;
            }
            schedule.targetRate = seconds > 0 ? area / seconds : 0;
        }
        schedule.achievedRate = double(total.scheduledSends) / result_.durationSeconds;
        schedule.lateSends = total.lateSends;
        schedule.meanLateMs = total.lateSends ? double(total.lateMicrosSum) / double(total.lateSends) / 1000.0 : 0;
        schedule.maxLateMs = double(total.maxLateMicros) / 1000.0;
    }

    void finishGeneratorStats()
    {
        auto& generator = result_.generator;
        const double seconds = result_.durationSeconds;
        double sum = 0;
        bool starved = false;
        for (size_t i = 0; i < workerCpu_.size(); ++i) {
            const double percent =
                seconds > 0 ? std::min(100.0, 100.0 * double(workerCpu_[i]) / (seconds * 1e6)) : 0.0;
            generator.workerCpuPercent.push_back(percent);
            sum += percent;
            // Busy: running, or runnable and waiting for a CPU that another process held. A thread that
            // shares its core with a busy neighbour is as much the limit as one that fills a core alone.
            const double busy =
                seconds > 0 ? 100.0 * double(workerCpu_[i] + workerWait_[i]) / (seconds * 1e6) : 0.0;
            generator.saturated = generator.saturated || busy >= 90.0;
            starved = starved || (busy >= 90.0 && percent < 90.0);
        }
        generator.cpuPercent = workerCpu_.empty() ? 0 : sum / double(workerCpu_.size());
        // Sends that left late although a connection was free: the generator fell behind its schedule.
        const auto& total = result_.total;
        const bool behindSchedule = total.loopLateSends > 10 && total.loopLateSends * 100 > total.scheduledSends;
        generator.saturated = generator.saturated || behindSchedule;
        if (behindSchedule && generator.advice.empty()) {
            generator.advice = "sends fell behind the schedule while connections were free, so the load generator "
                               "could not keep up with the rate: add threads (-t), lower the rate, or spread the load "
                               "over more machines";
        }
        // Sends that waited for a free connection: the schedule was not held because every connection
        // (-c, the bound on requests in flight) was busy. The client's setting, not the server, set the pace.
        const bool connectionBound = total.boundLateSends > 10 && total.boundLateSends * 100 > total.scheduledSends;
        generator.saturated = generator.saturated || connectionBound;
        if (connectionBound && !behindSchedule && generator.advice.empty()) {
            generator.advice = "every connection was busy, so sends waited for a free one and the schedule was not "
                               "held: raise -c (the bound on requests in flight) or lower the rate; if the server "
                               "answers slowly, its latency is what filled the connections";
        }
        if (generator.saturated && starved && generator.advice.empty()) {
            generator.advice = "a load-generator thread was busy or waiting for a CPU at least 90% of the time "
                               "(other processes on this machine took CPU from it), so the client may have been "
                               "the bottleneck: stop other work here, use fewer connections, or spread the load "
                               "over more machines";
        }
        if (generator.saturated && generator.advice.empty()) {
            generator.advice = "a load-generator thread was busy at least 90% of the time, so the client may have "
                               "been the bottleneck: add threads (-t), use fewer connections, or spread the load "
                               "over more machines";
        }
    }

    RunShared& shared_;
    metrics::RunResult& result_;
    metrics::MetricsSlice tick_;
    metrics::MetricsSlice second_;
    metrics::LatencyHistogram lastIntervalLatency_;
    std::vector<uint64_t> tickWorkerCpu_;
    std::vector<uint64_t> workerCpu_;
    std::vector<uint64_t> tickWorkerWait_;
    std::vector<uint64_t> workerWait_;
    uint64_t warmupRequests_ = 0;
    const SnapshotCallback& onSnapshot_;
    Clock::time_point lastEmit_;
};

} // namespace benchdeck::engine
