#pragma once

#include "run_shared.h"

#include <algorithm>
#include <ctime>

namespace benchdeck::engine {

// The bookkeeping every request path shares: which results belong to the measured window, where
// they go, and handing the slice to the aggregator at each tick together with the CPU it cost.
class WorkerRecorder {
public:
    WorkerRecorder(RunShared& shared, SliceExchange& exchange)
        : shared_(shared)
        , exchange_(exchange)
        , nextFlip_(shared.nextBoundaryAfter(Clock::now()))
        , lastCpuMicros_(threadCpuMicros())
    {
    }

    // Called by the worker thread when the run begins: the measurement window is known only then, and
    // CPU spent setting up (e.g. thousands of easy handles) is not part of any interval.
    void start(Clock::time_point now)
    {
        nextFlip_ = shared_.nextBoundaryAfter(now);
        lastCpuMicros_ = threadCpuMicros();
    }

    Clock::time_point nextFlip() const { return nextFlip_; }

    void flipIfDue(Clock::time_point now)
    {
        if (now < nextFlip_) {
            return;
        }
        chargeCpu();
        exchange_.publish();
        nextFlip_ = shared_.nextBoundaryAfter(now);
    }

    // Called once when the worker leaves its loop, so that its last CPU time is counted.
    void finish() { chargeCpu(); }

    void response(Clock::time_point start, Clock::time_point end, int status, uint64_t bytes,
                  Clock::time_point firstByte)
    {
        auto& slice = exchange_.active();
        if (start < shared_.measureStart) {
            ++slice.warmupRequests;
            return;
        }
        if (end > shared_.measureEnd) {
            return; // finished after the window closed: it belongs to no interval
        }
        slice.recordResponse(status, microsBetween(start, end));
        slice.bytesReceived += bytes;
        if (firstByte >= start) {
            slice.ttfb.record(microsBetween(start, firstByte));
        }
    }

    void failure(Clock::time_point start, Clock::time_point end, metrics::ErrorKind kind)
    {
        auto& slice = exchange_.active();
        if (start < shared_.measureStart) {
            ++slice.warmupRequests;
            return;
        }
        if (end > shared_.measureEnd) {
            return;
        }
        slice.recordFailure(kind);
    }

    void connected(int64_t connectMicros, int64_t tlsMicros)
    {
        auto& slice = exchange_.active();
        ++slice.connectionsOpened;
        if (connectMicros >= 0) {
            slice.connect.record(connectMicros);
        }
        if (tlsMicros > 0) {
            slice.tls.record(tlsMicros);
        }
    }

    void sent(uint64_t bytes) { exchange_.active().bytesSent += bytes; }

    // An open-model send: `intended` is when the schedule wanted it, `freeSince` when the connection
    // that carries it became free. Only measured sends count.
    void scheduled(Clock::time_point intended, Clock::time_point now, Clock::time_point freeSince)
    {
        if (intended < shared_.measureStart) {
            return;
        }
        auto& slice = exchange_.active();
        ++slice.scheduledSends;
        const int64_t late = microsBetween(intended, now);
        if (late > 1000) {
            ++slice.lateSends;
            slice.lateMicrosSum += uint64_t(late);
            slice.maxLateMicros = std::max(slice.maxLateMicros, late);
            if (freeSince <= intended) {
                ++slice.loopLateSends;
            }
        }
    }

private:
    static uint64_t threadCpuMicros()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return uint64_t(ts.tv_sec) * 1'000'000u + uint64_t(ts.tv_nsec) / 1000u;
    }

    void chargeCpu()
    {
        const uint64_t now = threadCpuMicros();
        exchange_.active().cpuMicros += now - lastCpuMicros_;
        lastCpuMicros_ = now;
    }

    RunShared& shared_;
    SliceExchange& exchange_;
    Clock::time_point nextFlip_;
    uint64_t lastCpuMicros_;
};

} // namespace benchdeck::engine
