// SPDX-License-Identifier: Apache-2.0
#include "load_runner.h"

#include "engine/target_url.h"
#include "metrics/histogram_codec.h"
#include "server/artifact_size.h"
#include "server/process_sampler.h"
#include "store/run_recorder.h"
#include "store/session_file.h"

namespace benchdeck::workflow {

LoadRunner::LoadRunner(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<LiveUpdate>();
    qRegisterMetaType<metrics::RunResult>();
}

LoadRunner::~LoadRunner()
{
    stop();
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool LoadRunner::start(const QString& sessionPath, std::vector<RunJob> jobs)
{
    if (running_.exchange(true)) {
        return false;
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    stop_.store(false);
    thread_ = std::jthread([this, sessionPath, jobs = std::move(jobs)]() mutable { work(sessionPath, std::move(jobs)); });
    return true;
}

void LoadRunner::stop()
{
    stop_.store(true);
}

bool LoadRunner::serveMetrics(const std::string& address, std::string* error)
{
    metricsServer_.reset();
    if (address.empty()) {
        return true;
    }
    metricsServer_ = telemetry::MetricsServer::start(
        address,
        [this](telemetry::ExpositionFormat format) {
            const auto live = currentTelemetry();
            return live ? live->render(format)
                        : std::string(format == telemetry::ExpositionFormat::OpenMetrics ? "# EOF\n" : "");
        },
        error);
    return metricsServer_ != nullptr;
}

std::string LoadRunner::metricsUrl() const
{
    return metricsServer_ ? metricsServer_->url() : std::string();
}

std::shared_ptr<telemetry::LiveTelemetry> LoadRunner::currentTelemetry() const
{
    std::lock_guard lock(telemetryMutex_);
    return telemetry_;
}

std::vector<RunJob> LoadRunner::campaign(const std::vector<RunJob>& jobs, int repeats, bool interleaved)
{
    std::vector<RunJob> order;
    const int rounds = std::max(1, repeats);
    if (interleaved) {
        for (int r = 0; r < rounds; ++r) {
            order.insert(order.end(), jobs.begin(), jobs.end());
        }
    } else {
        for (const auto& job : jobs) {
            order.insert(order.end(), size_t(rounds), job);
        }
    }
    return order;
}

void LoadRunner::work(QString sessionPath, std::vector<RunJob> jobs)
{
    std::string error;
    auto session = store::SessionFile::open(sessionPath.toStdString(), store::OpenMode::ReadWrite, &error);
    if (!session) {
        emit failed(QString::fromStdString(error));
        running_.store(false);
        emit allFinished(true);
        return;
    }
    const int count = int(jobs.size());
    for (int i = 0; i < count && !stop_.load(); ++i) {
        const auto& job = jobs[size_t(i)];
        if (auto problem = engine::validate(job.config)) {
            emit failed(QString::fromStdString(job.config.label + ": " + *problem));
            continue;
        }
        std::unique_ptr<server::LaunchedServer> launched;
        if (!job.serverCommand.empty()) {
            // The run starts once the server answers (its cold start is measured), within 60 s.
            launched = server::LaunchedServer::launch(job.serverCommand, std::chrono::seconds(60), &error, job.config.url);
            if (!launched) {
                emit failed(QString::fromStdString(job.config.label + ": " + error));
                continue;
            }
        }
        std::unique_ptr<server::ProcessSampler> sampler;
        const int serverPid = launched ? int(launched->pid()) : job.serverPid;
        if (serverPid != 0) {
            sampler = std::make_unique<server::ProcessSampler>(pid_t(serverPid));
            if (!sampler->start(&error)) {
                emit failed(QString::fromStdString(job.config.label + ": server pid " + std::to_string(serverPid) +
                                                   ": " + error));
                continue;
            }
        }
        const auto runId = session->beginRun(job.config, job.keepSecrets, &error);
        if (!runId) {
            emit failed(QString::fromStdString(error));
            break;
        }
        session->attachRun(*runId, job.targetId, job.profileId, &error);
        emit jobStarted(i, count, QString::fromStdString(job.config.label));
        store::RunRecorder recorder(*session, *runId);
        std::shared_ptr<telemetry::LiveTelemetry> live;
        if (metricsServer_) {
            live = std::make_shared<telemetry::LiveTelemetry>(
                telemetry::TelemetryLabels{job.config.label.empty() ? "run " + std::to_string(*runId) : job.config.label,
                                           engine::maskUrlCredentials(job.config.url), job.candidate, "1/1"},
                job.config);
            std::lock_guard lock(telemetryMutex_);
            telemetry_ = live;
        }
        if (sampler) {
            sampler->markMeasureStart();
        }
        auto result = engine::runLoad(job.config, stop_, [&](const engine::LiveSnapshot& snapshot) {
            if (sampler) {
                sampler->noteProgress(snapshot.warmingUp, snapshot.measuredSeconds);
            }
            if (snapshot.completedInterval && snapshot.completedIntervalLatency) {
                recorder.addInterval(*snapshot.completedInterval,
                                     metrics::encodeHistogram(*snapshot.completedIntervalLatency));
            }
            if (live) {
                live->update(snapshot);
            }
            LiveUpdate update{snapshot, i, count};
            update.snapshot.completedIntervalLatency = nullptr;
            emit progress(update);
        });
        if (sampler) {
            result.server = sampler->finish(result.total.requests, result.durationSeconds);
            if (launched && launched->coldStart()) {
                result.server.coldStartMs = double(launched->coldStart()->count()) / 1000.0;
            }
            if (!job.artifactPaths.empty()) {
                if (const auto bytes = server::artifactBytes(job.artifactPaths, &error)) {
                    result.server.artifactMb = double(*bytes) / (1024.0 * 1024.0);
                } else {
                    emit failed(QString::fromStdString(job.config.label + ": " + error));
                }
            }
        }
        if (live) {
            live->finish(result);
        }
        if (!recorder.finish(result, &error)) {
            emit failed(QString::fromStdString(error));
        }
        if (result.targetUnreachable()) {
            emit failed(QString::fromStdString("cannot reach " + engine::maskUrlCredentials(job.config.url) + ": " + result.unreachableReason()));
        }
        emit jobFinished(i, qint64(*runId), result);
    }
    const bool stopped = stop_.load();
    session.reset();
    running_.store(false);
    emit allFinished(stopped);
}

} // namespace benchdeck::workflow
