// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/run_result.h"
#include "run_config.h"

#include <atomic>
#include <functional>
#include <optional>

namespace benchdeck::engine {

// What a live view needs, several times a second. Produced on the aggregator thread from merged
// worker slices; it never touches a worker's memory.
struct LiveSnapshot {
    double elapsedSeconds = 0;  // since the run started, warm-up included
    double measuredSeconds = 0; // since measurement started
    bool warmingUp = false;
    double progress = 0;      // 0..1, by time or by request count
    double etaSeconds = -1;   // -1 when unknown
    uint64_t requests = 0;    // measured so far
    uint64_t errors = 0;
    uint64_t bytesReceived = 0;
    uint64_t warmupRequests = 0;
    double tickRps = 0;       // over the last tick
    int64_t tickP50 = 0;      // microseconds, over the last tick
    int64_t tickP90 = 0;
    int64_t tickP99 = 0;
    uint64_t tickErrors = 0;
    double tickErrorsPerSecond = 0;
    int64_t inFlight = 0;     // requests waiting for an answer at the end of the last tick
    double level = 0;         // what the plan asks for now: users (closed model) or requests/s (open)
    std::optional<metrics::IntervalRecord> completedInterval; // set when a 1 s interval just closed
    // Everything measured in whole intervals so far (all of it in the final snapshot), valid during
    // the callback only: for live exports that need counts by status and kind, and histograms.
    const metrics::MetricsSlice* measuredTotal = nullptr;
    // That interval's latency histogram, valid during the callback only (for session files).
    const metrics::LatencyHistogram* completedIntervalLatency = nullptr;
    bool final = false; // the last snapshot of the run, after the workers stopped
};

using SnapshotCallback = std::function<void(const LiveSnapshot&)>;

// Runs one load plan to its end and returns everything measured. Blocks the calling thread, which
// becomes the aggregator; set `stopRequested` from anywhere (a signal handler, a UI thread) to end
// the run early with the data gathered so far.
metrics::RunResult runLoad(const RunConfig& config, const std::atomic<bool>& stopRequested,
                           const SnapshotCallback& onSnapshot = {});

// The request path `Auto` resolves to for this plan.
EngineKind chooseEngine(const RunConfig& config);

std::string libcurlVersion();
// The libraries Benchdeck's own paths run on, for the record of each run: "OpenSSL 3.0.x", "1.52.0".
std::string opensslVersion();
std::string nghttp2Version();

} // namespace benchdeck::engine
