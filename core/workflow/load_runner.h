// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/engine.h"
#include "metrics/run_result.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <thread>

namespace benchdeck::workflow {

// What the live view receives several times a second: a copy, never a pointer into the engine.
struct LiveUpdate {
    engine::LiveSnapshot snapshot; // completedIntervalLatency is always null here
    int jobIndex = 0;
    int jobCount = 1;
};

// One run to make: the plan, where to record it, and what it belongs to.
struct RunJob {
    engine::RunConfig config;
    int64_t targetId = 0;
    int64_t profileId = 0;
    bool keepSecrets = false;
    // A local server process to sample (memory, CPU) with its children during the run; 0 for none.
    // Only ever a pid the user gave: a session never makes the runner launch or pick a process.
    int serverPid = 0;
    // Started before the run and stopped after it, its process tree sampled. Only ever set after the
    // user confirmed the command (a session file must not run code by being opened).
    std::string serverCommand;
    // The server's deployable files and folders, whose size the run records (target.artifactPaths).
    std::vector<std::string> artifactPaths;
};

// Runs jobs one after another on a thread of its own, recording each into the session file through
// its own SQLite connection, and reports through queued signals. The UI thread never waits on it and
// shares no lock with it: stop() only sets an atomic flag.
class LoadRunner : public QObject {
    Q_OBJECT
public:
    explicit LoadRunner(QObject* parent = nullptr);
    ~LoadRunner() override; // stops and joins

    // Starts the queue; false when a run is already going.
    bool start(const QString& sessionPath, std::vector<RunJob> jobs);
    void stop();
    bool isRunning() const { return running_.load(); }

    // A campaign: every job `repeats` times, interleaved (A B A B) so that drift over time hits every
    // candidate alike, or grouped (A A B B).
    static std::vector<RunJob> campaign(const std::vector<RunJob>& jobs, int repeats, bool interleaved);

signals:
    void jobStarted(int jobIndex, int jobCount, const QString& label);
    void progress(const benchdeck::workflow::LiveUpdate& update);
    void jobFinished(int jobIndex, qint64 runId, const benchdeck::metrics::RunResult& result);
    void failed(const QString& message);
    void allFinished(bool stopped);

private:
    void work(QString sessionPath, std::vector<RunJob> jobs);

    std::atomic<bool> stop_{false};
    std::atomic<bool> running_{false};
    std::jthread thread_;
};

} // namespace benchdeck::workflow

Q_DECLARE_METATYPE(benchdeck::workflow::LiveUpdate)
Q_DECLARE_METATYPE(benchdeck::metrics::RunResult)
