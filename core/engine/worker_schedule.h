// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "load_shape.h"
#include "run_shared.h"

#include <cmath>

namespace benchdeck::engine {

// What every request path's worker asks of the run's plan: when it is done, whether a closed-model user
// is parked by a ramp, and, in the open model, when its next send is due. Workers split the schedule
// round-robin: this worker's k-th send is the run's (k * workers + index)-th.
class WorkerSchedule {
public:
    WorkerSchedule(RunShared& shared, int workerIndex)
        : shared_(shared)
        , workerIndex_(workerIndex)
    {
    }

    // Open model: the first send is due at the schedule's start.
    void start() { next_ = intendedTime(0); }

    // The next intended send time; max() when there is none (closed model, or the run is out of sends).
    Clock::time_point next() const { return next_; }

    // Whether a send is due by `now`; when it is and the run still allows it, `*intended` is its
    // intended time and the schedule moves past it. Latency counts from that time, so time a request
    // waited for a free connection (a stalled server) shows in the percentiles instead of being omitted.
    bool takeDue(Clock::time_point now, Clock::time_point* intended)
    {
        if (next_ > now) {
            return false;
        }
        if (!shared_.sendingAllowed(next_) || !shared_.claimRequest(next_)) {
            next_ = Clock::time_point::max();
            return false;
        }
        *intended = next_;
        next_ = intendedTime(++sent_);
        return true;
    }

    // Closed model: may the user with this number (across all workers) send at `now`?
    bool userMaySend(int globalIndex, Clock::time_point now) const
    {
        const bool parked = shared_.closedRamp && double(globalIndex) >= std::ceil(shared_.shape->levelAt(now) - 1e-9);
        return shared_.sendingAllowed(now) && !parked && shared_.claimRequest(now);
    }

    bool finished(Clock::time_point now, int inFlight) const
    {
        if (shared_.stop.load(std::memory_order_relaxed) || now >= shared_.measureEnd) {
            return true;
        }
        return shared_.countLimited && now >= shared_.measureStart &&
               shared_.remaining.load(std::memory_order_relaxed) <= 0 && inFlight == 0;
    }

private:
    Clock::time_point intendedTime(uint64_t k) const
    {
        return shared_.shape->intendedTime(double(k * uint64_t(shared_.workers) + uint64_t(workerIndex_)));
    }

    RunShared& shared_;
    int workerIndex_ = 0;
    uint64_t sent_ = 0;
    Clock::time_point next_ = Clock::time_point::max();
};

} // namespace benchdeck::engine
