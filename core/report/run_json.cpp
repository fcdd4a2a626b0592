// SPDX-License-Identifier: Apache-2.0
#include "run_json.h"
#include "plan/plan_codec.h"

#include "engine/engine.h"
#include "engine/target_url.h"

#include <QDateTime>
#include <QJsonArray>

namespace benchdeck::report {
namespace {

double ms(double micros)
{
    return micros / 1000.0;
}

QJsonObject latencyObject(const metrics::LatencySummary& h)
{
    return QJsonObject{
        {QStringLiteral("count"), double(h.count)},
        {QStringLiteral("min"), ms(double(h.min))},
        {QStringLiteral("mean"), ms(h.mean)},
        {QStringLiteral("stdev"), ms(h.stdev)},
        {QStringLiteral("p50"), ms(double(h.p50))},
        {QStringLiteral("p90"), ms(double(h.p90))},
        {QStringLiteral("p99"), ms(double(h.p99))},
        {QStringLiteral("p999"), ms(double(h.p999))},
        {QStringLiteral("max"), ms(double(h.max))},
    };
}

QString isoTime(std::chrono::system_clock::time_point t)
{
    const auto msSinceEpoch = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString stopReasonName(metrics::StopReason reason)
{
    switch (reason) {
    case metrics::StopReason::Completed: return QStringLiteral("completed");
    case metrics::StopReason::RequestCountReached: return QStringLiteral("request_count_reached");
    case metrics::StopReason::UserStopped: return QStringLiteral("stopped");
    case metrics::StopReason::StartFailed: return QStringLiteral("start_failed");
    case metrics::StopReason::DataExhausted: return QStringLiteral("data_exhausted");
    }
    return QStringLiteral("completed");
}

// The server's resources while loaded: {"measured": false} unless a --server-pid/--server-cmd was sampled.
QJsonObject serverToJson(const metrics::ServerStats& server)
{
    QJsonObject object{{QStringLiteral("measured"), server.measured}};
    if (!server.measured) {
        return object;
    }
    QJsonArray samples;
    for (const auto& sample : server.samples) {
        samples.append(QJsonObject{{QStringLiteral("t"), sample.t},
                                   {QStringLiteral("rss_mb"), double(sample.rssBytes) / (1024.0 * 1024.0)},
                                   {QStringLiteral("cpu_us"), double(sample.cpuMicros)}});
    }
    object.insert(QStringLiteral("source"), QString::fromStdString(server.source));
    object.insert(QStringLiteral("peak_rss_mb"), server.peakRssMb);
    object.insert(QStringLiteral("mean_rss_mb"), server.meanRssMb);
    object.insert(QStringLiteral("cpu_percent"), server.cpuPercent);
    object.insert(QStringLiteral("cpu_us_per_request"), server.cpuMicrosPerRequest);
    object.insert(QStringLiteral("cold_start_ms"), server.coldStartMs > 0 ? QJsonValue(server.coldStartMs) : QJsonValue());
    object.insert(QStringLiteral("artifact_mb"), server.artifactMb > 0 ? QJsonValue(server.artifactMb) : QJsonValue());
    object.insert(QStringLiteral("samples"), samples);
    return object;
}

} // namespace

void addScenarioFigures(QJsonObject& object, const metrics::RunSummary& summary)
{
    if (!summary.isScenario()) {
        return;
    }
    QJsonArray steps;
    for (const auto& step : summary.steps) {
        steps.append(QJsonObject{
            {QStringLiteral("scenario"), QString::fromStdString(step.scenario)},
            {QStringLiteral("step"), QString::fromStdString(step.step)},
            {QStringLiteral("requests"), double(step.requests)},
            {QStringLiteral("responses"), double(step.responses)},
            {QStringLiteral("errors"), double(step.errors)},
            {QStringLiteral("rps"), step.rps},
            {QStringLiteral("latency_ms"), latencyObject(step.latency)},
            {QStringLiteral("checks"), double(step.checks)},
            {QStringLiteral("checks_failed"), double(step.checksFailed)},
            {QStringLiteral("failed"), double(step.failed)},
            {QStringLiteral("not_sent"), double(step.notSent)},
        });
    }
    object.insert(QStringLiteral("steps"), steps);
    object.insert(QStringLiteral("checks"),
                  QJsonObject{{QStringLiteral("total"), double(summary.checks)},
                              {QStringLiteral("failed"), double(summary.checksFailed)},
                              {QStringLiteral("passed_percent"), summary.checksPassedPercent()}});
    const auto& iterations = summary.iterations;
    object.insert(QStringLiteral("iterations"),
                  QJsonObject{{QStringLiteral("started"), double(iterations.started)},
                              {QStringLiteral("completed"), double(iterations.completed)},
                              {QStringLiteral("failed"), double(iterations.failed)},
                              {QStringLiteral("per_second"), iterations.perSecond},
                              {QStringLiteral("duration_ms"), latencyObject(iterations.duration)}});
}

namespace {

// Scenario runs: their figures, and the first step that could not be sent.
void addScenario(QJsonObject& object, const metrics::RunResult& result)
{
    addScenarioFigures(object, result.summary);
    if (result.total.scenario && !result.total.scenario->problem().empty()) {
        const auto problem = result.total.scenario->problem();
        object.insert(QStringLiteral("first_unsent_step"), QString::fromUtf8(problem.data(), qsizetype(problem.size())));
    }
}

} // namespace

QJsonObject runToJson(const engine::RunConfig& config, const metrics::RunResult& result)
{
    const auto& total = result.total;
    const auto& summary = result.summary;
    QJsonObject statusCodes;
    for (size_t code = 0; code < total.statusCounts.size(); ++code) {
        if (total.statusCounts[code] != 0) {
            statusCodes.insert(QString::number(code), double(total.statusCounts[code]));
        }
    }
    QJsonObject errorKinds;
    QJsonObject errorMessages; // the first failure's own words per kind, where there were any
    for (size_t i = 0; i < metrics::kErrorKindCount; ++i) {
        if (total.errorKinds[i] != 0) {
            const auto name = metrics::errorKindName(metrics::errorKindAt(i));
            const QString key = QString::fromLatin1(name.data(), qsizetype(name.size()));
            errorKinds.insert(key, double(total.errorKinds[i]));
            const auto message = total.firstErrorMessage(metrics::errorKindAt(i));
            if (!message.empty()) {
                errorMessages.insert(key, QString::fromUtf8(message.data(), qsizetype(message.size())));
            }
        }
    }
    QJsonArray series;
    for (const auto& point : result.series) {
        series.append(QJsonObject{
            {QStringLiteral("t"), point.t},
            {QStringLiteral("requests"), double(point.requests)},
            {QStringLiteral("errors"), double(point.errors)},
            {QStringLiteral("rps"), point.rps()},
            {QStringLiteral("bytes_received"), double(point.bytesReceived)},
            {QStringLiteral("p50"), ms(double(point.p50))},
            {QStringLiteral("p90"), ms(double(point.p90))},
            {QStringLiteral("p99"), ms(double(point.p99))},
            {QStringLiteral("max"), ms(double(point.max))},
            {QStringLiteral("cpu_percent"), point.cpuPercent},
        });
    }
    QJsonArray workerCpu;
    for (const double percent : result.generator.workerCpuPercent) {
        workerCpu.append(percent);
    }
    QJsonObject generator{
        {QStringLiteral("cpu_percent"), result.generator.cpuPercent},
        {QStringLiteral("worker_cpu_percent"), workerCpu},
        {QStringLiteral("saturated"), result.generator.saturated},
        {QStringLiteral("engine"), QString::fromStdString(result.engineName)},
        {QStringLiteral("threads"), result.threads},
        {QStringLiteral("benchdeck_version"), QStringLiteral(BENCHDECK_VERSION)},
        {QStringLiteral("libcurl_version"), QString::fromStdString(engine::libcurlVersion())},
        {QStringLiteral("openssl_version"), QString::fromStdString(engine::opensslVersion())},
        {QStringLiteral("nghttp2_version"), QString::fromStdString(engine::nghttp2Version())},
    };
    if (!result.generator.advice.empty()) {
        generator.insert(QStringLiteral("advice"), QString::fromStdString(result.generator.advice));
    }
    QJsonObject object{
        {QStringLiteral("label"), QString::fromStdString(config.label)},
        {QStringLiteral("url"), QString::fromStdString(engine::maskUrlCredentials(config.url))},
        {QStringLiteral("plan"), plan::toJson(config, plan::Secrets::Withhold)},
        {QStringLiteral("status"), QString::fromLatin1(metrics::runStatusName(summary.status).data())},
        {QStringLiteral("method"), QString::fromStdString(config.method)},
        {QStringLiteral("connections"), result.connections ? result.connections : config.connections},
        {QStringLiteral("started_at"), isoTime(result.startedAt)},
        {QStringLiteral("finished_at"), isoTime(result.finishedAt)},
        {QStringLiteral("stop_reason"), stopReasonName(result.stopReason)},
        {QStringLiteral("requests"), double(summary.requests)},
        {QStringLiteral("responses"), double(summary.responses)},
        {QStringLiteral("errors"), double(summary.errors)},
        {QStringLiteral("warmup_requests"), double(total.warmupRequests)},
        {QStringLiteral("unanswered_at_end"), double(summary.unansweredAtEnd)},
        {QStringLiteral("duration_s"), summary.durationSeconds},
        {QStringLiteral("rps"), summary.rps},
        {QStringLiteral("latency_ms"), latencyObject(summary.latency)},
        {QStringLiteral("phases_ms"),
         QJsonObject{{QStringLiteral("connect"), latencyObject(summary.connect)},
                     {QStringLiteral("tls"), latencyObject(summary.tls)},
                     {QStringLiteral("ttfb"), latencyObject(summary.ttfb)}}},
        {QStringLiteral("status_codes"), statusCodes},
        {QStringLiteral("error_kinds"), errorKinds},
        {QStringLiteral("first_error_messages"), errorMessages},
        {QStringLiteral("bytes_received"), double(total.bytesReceived)},
        {QStringLiteral("bytes_sent"), double(total.bytesSent)},
        {QStringLiteral("connections_opened"), double(total.connectionsOpened)},
        {QStringLiteral("series"), series},
        {QStringLiteral("generator"), generator},
        {QStringLiteral("model"), engine::isOpenModel(config) ? QStringLiteral("open") : QStringLiteral("closed")},
        {QStringLiteral("schedule"),
         QJsonObject{{QStringLiteral("open_model"), result.schedule.openModel},
                     {QStringLiteral("target_rate"), result.schedule.targetRate},
                     {QStringLiteral("achieved_rate"), result.schedule.achievedRate},
                     {QStringLiteral("late_sends"), double(result.schedule.lateSends)},
                     {QStringLiteral("mean_late_ms"), result.schedule.meanLateMs},
                     {QStringLiteral("max_late_ms"), result.schedule.maxLateMs}}},
    };
    object.insert(QStringLiteral("server"), serverToJson(result.server));
    if (!result.startError.empty()) {
        object.insert(QStringLiteral("error"), QString::fromStdString(result.startError));
    }
    if (!summary.failureReason.empty()) {
        object.insert(QStringLiteral("failure_reason"), QString::fromStdString(summary.failureReason));
    }
    if (!result.stopMessage.empty()) {
        object.insert(QStringLiteral("stop_message"), QString::fromStdString(result.stopMessage));
    }
    if (summary.isScenario()) {
        addScenario(object, result);
    }
    return object;
}

} // namespace benchdeck::report
