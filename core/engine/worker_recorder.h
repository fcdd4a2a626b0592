// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "run_shared.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
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
    ~WorkerRecorder()
    {
        if (schedstat_ >= 0) {
            ::close(schedstat_);
        }
    }
    WorkerRecorder(const WorkerRecorder&) = delete;
    WorkerRecorder& operator=(const WorkerRecorder&) = delete;

    // Called by the worker thread when the run begins: the measurement window is known only then, and
    // CPU spent setting up (e.g. thousands of easy handles) is not part of any interval.
    void start(Clock::time_point now)
    {
        nextFlip_ = shared_.nextBoundaryAfter(now);
        lastCpuMicros_ = threadCpuMicros();
        // Opened here, on the worker thread, so "thread-self" is this worker; read once per tick.
        schedstat_ = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
        lastWaitMicros_ = runQueueWaitMicros();
    }

    Clock::time_point nextFlip() const { return nextFlip_; }

    // `inFlight`: the worker's requests waiting for an answer, for the live in-flight gauge.
    void flipIfDue(Clock::time_point now, int inFlight)
    {
        if (now < nextFlip_) {
            return;
        }
        chargeCpu();
        exchange_.active().inFlight = inFlight;
        exchange_.publish();
        nextFlip_ = shared_.nextBoundaryAfter(now);
    }

    // Called once when the worker leaves its loop, so that its last CPU time is counted, and with the
    // requests still waiting for an answer, which the run reports rather than drops in silence.
    void finish(int inFlight)
    {
        exchange_.active().unansweredAtEnd += uint64_t(std::max(0, inFlight));
        chargeCpu();
    }

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

    void failure(Clock::time_point start, Clock::time_point end, metrics::ErrorKind kind, const char* what = nullptr,
                 const char* detail = nullptr)
    {
        auto& slice = exchange_.active();
        if (start < shared_.measureStart) {
            ++slice.warmupRequests;
            return;
        }
        if (end > shared_.measureEnd) {
            return;
        }
        slice.recordFailure(kind, what, detail);
    }

    // Scenario runs: a step's answer, judged by its checks (recorded after response() for the run's total).
    void step(size_t flat, Clock::time_point start, Clock::time_point end, int status, uint32_t checks,
              uint32_t checksFailed)
    {
        if (!inWindow(start, end)) {
            return;
        }
        auto& step = exchange_.active().scenario->steps[flat];
        ++step.requests;
        step.latency.record(microsBetween(start, end));
        step.errors += status >= 400 ? 1 : 0;
        step.checks += checks;
        step.checksFailed += checksFailed;
        step.failed += checksFailed > 0 ? 1 : 0;
    }

    void stepFailure(size_t flat, Clock::time_point start, Clock::time_point end)
    {
        if (!inWindow(start, end)) {
            return;
        }
        auto& step = exchange_.active().scenario->steps[flat];
        ++step.requests;
        ++step.errors;
        ++step.transportErrors;
    }

    // A step that could not be sent: `why` names the step and the variable, kept for the first one.
    void stepNotSent(size_t flat, Clock::time_point now, const std::string& why)
    {
        if (!inWindow(now, now)) {
            return;
        }
        auto& scenario = *exchange_.active().scenario;
        ++scenario.steps[flat].notSent;
        scenario.setFirstProblem(why);
    }

    void iterationStarted(Clock::time_point start)
    {
        if (start >= shared_.measureStart && start <= shared_.measureEnd) {
            ++exchange_.active().scenario->iterationsStarted;
        }
    }

    void iterationEnded(Clock::time_point start, Clock::time_point end, bool failed)
    {
        if (!inWindow(start, end)) {
            return;
        }
        auto& scenario = *exchange_.active().scenario;
        if (failed) {
            ++scenario.iterationsFailed;
        } else {
            scenario.iterations.record(microsBetween(start, end));
        }
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
            // A generator that cannot keep up builds a backlog that soon passes 10 ms; a wake-up delayed a
            // few milliseconds by another busy process does not, and is not the generator's limit.
            if (late > kBacklogMicros) {
                ++(freeSince <= intended ? slice.loopLateSends : slice.boundLateSends);
            }
        }
    }

private:
    // Measured: started after the warm-up and finished before the window closed, as response() counts.
    bool inWindow(Clock::time_point start, Clock::time_point end) const
    {
        return start >= shared_.measureStart && end <= shared_.measureEnd;
    }

    static uint64_t threadCpuMicros()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return uint64_t(ts.tv_sec) * 1'000'000u + uint64_t(ts.tv_nsec) / 1000u;
    }

    // Time this thread was runnable but waited for a CPU, from the scheduler's own accounting (the
    // second field of schedstat, in ns); 0 where the kernel does not provide it.
    uint64_t runQueueWaitMicros() const
    {
        char text[96];
        const ssize_t n = schedstat_ >= 0 ? ::pread(schedstat_, text, sizeof text - 1, 0) : -1;
        if (n <= 0) {
            return 0;
        }
        text[n] = 0;
        char* end = nullptr;
        std::strtoull(text, &end, 10); // time on a CPU: CLOCK_THREAD_CPUTIME_ID says the same
        return std::strtoull(end, nullptr, 10) / 1000u;
    }

    void chargeCpu()
    {
        const uint64_t now = threadCpuMicros();
        auto& slice = exchange_.active();
        slice.cpuMicros += now - lastCpuMicros_;
        lastCpuMicros_ = now;
        const uint64_t waited = runQueueWaitMicros();
        slice.waitMicros += waited >= lastWaitMicros_ ? waited - lastWaitMicros_ : 0;
        lastWaitMicros_ = waited;
    }

    static constexpr int64_t kBacklogMicros = 10'000;

    RunShared& shared_;
    SliceExchange& exchange_;
    Clock::time_point nextFlip_;
    uint64_t lastCpuMicros_;
    int schedstat_ = -1;
    uint64_t lastWaitMicros_ = 0;
};

} // namespace benchdeck::engine
