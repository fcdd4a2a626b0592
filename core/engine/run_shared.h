// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/metrics_slice.h"
#include "run_config.h"
#include "target_url.h"

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace benchdeck::engine {

using Clock = std::chrono::steady_clock;

inline int64_t microsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
}

// What every worker of one run reads; written by the engine before the workers start, except for the
// atomics. Workers share nothing else: no lock, and nothing the UI ever reads.
struct RunShared {
    const RunConfig* config = nullptr;
    TargetUrl url;
    std::string requestBytes; // the fast path's whole request, built once
    const class TlsClientContext* tls = nullptr; // the fast path's TLS settings for https://
    class ScenarioShared* scenario = nullptr;    // scenario runs: the program, feeders and their cursors
    sockaddr_storage address{};
    socklen_t addressLength = 0;

    Clock::time_point measureStart;
    Clock::time_point measureEnd = Clock::time_point::max();
    Clock::duration tick{};

    // The load over time: users (closed model with stages) or requests/s (open model).
    class LoadShape* shape = nullptr;
    bool openModel = false;
    bool closedRamp = false;
    int workers = 1;
    int connections = 0; // the run's, over all workers

    std::atomic<bool> stop{false};
    // Requests still to be sent when the run is limited by count; unused otherwise. Claimed with one
    // relaxed fetch_sub per request: the only memory the workers touch in common.
    bool countLimited = false;
    std::atomic<int64_t> remaining{0};

    // The next tick boundary strictly after `now`; boundaries are aligned on measureStart so that the
    // 1 s series starts exactly when measurement does.
    Clock::time_point nextBoundaryAfter(Clock::time_point now) const
    {
        const auto sinceStart = now - measureStart;
        auto ticks = sinceStart / tick;
        if (sinceStart < Clock::duration::zero() && sinceStart % tick != Clock::duration::zero()) {
            --ticks; // floor for the warm-up, which lies before measureStart
        }
        return measureStart + (ticks + 1) * tick;
    }

    bool claimRequest(Clock::time_point now)
    {
        if (now < measureStart || !countLimited) {
            return true;
        }
        return remaining.fetch_sub(1, std::memory_order_relaxed) > 0;
    }

    // A claimed request that was not sent after all (a scenario step that could not be rendered):
    // the count gets it back, so that -n counts requests that went out.
    void returnClaim(Clock::time_point now)
    {
        if (countLimited && now >= measureStart) {
            remaining.fetch_add(1, std::memory_order_relaxed);
        }
    }

    bool sendingAllowed(Clock::time_point now) const
    {
        return now < measureEnd && !stop.load(std::memory_order_relaxed) &&
               (!countLimited || remaining.load(std::memory_order_relaxed) > 0 || now < measureStart);
    }
};

// A worker's double buffer: the worker fills `active()`, publishes it at each tick and carries on in
// the other; the aggregator takes the published one, merges it and hands it back. If the aggregator is
// late the worker simply keeps filling the same buffer, so nothing is ever lost or blocked.
class SliceExchange {
public:
    metrics::MetricsSlice& active() { return slices_[size_t(active_)]; }

    // Worker side, at a tick boundary.
    void publish()
    {
        if (published_.load(std::memory_order_acquire) != -1) {
            return;
        }
        const int finished = active_;
        active_ ^= 1;
        published_.store(finished, std::memory_order_release);
    }

    // Before the run: a scenario run's slices carry a slot per step, so that recording never allocates.
    void prepareScenario(size_t steps)
    {
        for (auto& slice : slices_) {
            slice.scenario.emplace(steps);
        }
    }

    bool hasPublished() const { return published_.load(std::memory_order_acquire) != -1; }

    // Aggregator side: merges the published buffer into `into`, if there is one, and hands it back.
    bool collect(metrics::MetricsSlice& into)
    {
        const int index = published_.load(std::memory_order_acquire);
        if (index == -1) {
            return false;
        }
        into.merge(slices_[size_t(index)]);
        slices_[size_t(index)].reset();
        published_.store(-1, std::memory_order_release);
        return true;
    }

    // Aggregator side, only after the worker thread has been joined.
    void collectAll(metrics::MetricsSlice& into)
    {
        for (auto& slice : slices_) {
            into.merge(slice);
            slice.reset();
        }
        published_.store(-1, std::memory_order_relaxed);
    }

private:
    std::array<metrics::MetricsSlice, 2> slices_;
    int active_ = 0; // worker-only
    std::atomic<int> published_{-1};
};

} // namespace benchdeck::engine
