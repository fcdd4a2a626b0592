// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "session_file.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace benchdeck::store {

// Writes a run into a session while it happens, on a thread of its own: the aggregator hands over
// each finished 1 s interval (already encoded) and never waits for the disk. One transaction per
// interval, so a crash loses at most the interval being written.
class RunRecorder {
public:
    RunRecorder(SessionFile& session, int64_t runId);
    ~RunRecorder();
    RunRecorder(const RunRecorder&) = delete;
    RunRecorder& operator=(const RunRecorder&) = delete;

    // From the aggregator thread.
    void addInterval(const metrics::IntervalRecord& interval, std::string latencyBlob);
    // Writes what is queued, then the summary; returns the first error met, if any.
    bool finish(const metrics::RunResult& result, std::string* error);

private:
    struct Pending {
        metrics::IntervalRecord interval;
        std::string latencyBlob;
    };
    void writeLoop();

    SessionFile& session_;
    int64_t runId_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pending> queue_;
    bool closing_ = false;
    std::string firstError_;
    std::thread writer_;
};

} // namespace benchdeck::store
