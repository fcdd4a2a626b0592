// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/engine.h"
#include "metrics/run_result.h"

#include "telemetry/live_telemetry.h"
#include "telemetry/metrics_server.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <mutex>
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
    std::string candidate; // the candidate's name, for the live export's labels
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

    // Serves the figures of the run in progress (then of the last run) for Prometheus at
    // http://ADDRESS/metrics (docs/prometheus.md), until called with an empty address. False, with the
    // reason, when the address cannot be listened on.
    bool serveMetrics(const std::string& address, std::string* error);
    std::string metricsUrl() const; // empty when not serving

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

    std::shared_ptr<telemetry::LiveTelemetry> currentTelemetry() const;

    std::atomic<bool> stop_{false};
    std::atomic<bool> running_{false};
    // The live export: the server thread renders whichever run's telemetry is current. The mutex only
    // guards swapping that pointer (once per run), never the engine's workers.
    mutable std::mutex telemetryMutex_;
    std::shared_ptr<telemetry::LiveTelemetry> telemetry_;
    std::unique_ptr<telemetry::MetricsServer> metricsServer_;
    std::jthread thread_;
};

} // namespace benchdeck::workflow

Q_DECLARE_METATYPE(benchdeck::workflow::LiveUpdate)
Q_DECLARE_METATYPE(benchdeck::metrics::RunResult)
