// SPDX-License-Identifier: Apache-2.0
#include "run_recorder.h"

namespace benchdeck::store {

RunRecorder::RunRecorder(SessionFile& session, int64_t runId)
    : session_(session)
    , runId_(runId)
    , writer_([this] { writeLoop(); })
{
}

RunRecorder::~RunRecorder()
{
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    wake_.notify_one();
    if (writer_.joinable()) {
        writer_.join();
    }
}

void RunRecorder::addInterval(const metrics::IntervalRecord& interval, std::string latencyBlob)
{
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({interval, std::move(latencyBlob)});
    }
    wake_.notify_one();
}

void RunRecorder::writeLoop()
{
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
        while (!queue_.empty()) {
            Pending next = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            std::string error;
            const bool ok = session_.appendInterval(runId_, next.interval, next.latencyBlob, &error);
            lock.lock();
            if (!ok && firstError_.empty()) {
                firstError_ = "cannot write to the session: " + error;
            }
        }
        if (closing_) {
            return;
        }
    }
}

bool RunRecorder::finish(const metrics::RunResult& result, std::string* error)
{
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    wake_.notify_one();
    writer_.join();
    if (!firstError_.empty()) {
        *error = firstError_;
        return false;
    }
    return session_.finishRun(runId_, result, error);
}

} // namespace benchdeck::store
