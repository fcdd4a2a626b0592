// SPDX-License-Identifier: Apache-2.0
#include "shard.h"
#include "shard_scenario.h"

#include "engine/scenario_plan.h"
#include "plan/plan_codec.h"

#include "metrics/error_kind.h"
#include "metrics/histogram_codec.h"
#include "report/run_json.h"
#include "store/run_record.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <map>
#include <span>
#include <thread>

namespace benchdeck::scaleout {
namespace {

const QString kFormat = QStringLiteral("benchdeck-shard/1");

using Clock = std::chrono::system_clock;
using metrics::LatencyHistogram;

int64_t toEpochMs(Clock::time_point time)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

Clock::time_point fromEpochMs(int64_t ms)
{
    return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

QString histogramToBase64(const LatencyHistogram& histogram)
{
    return QString::fromLatin1(QByteArray::fromStdString(metrics::encodeHistogram(histogram)).toBase64());
}

std::optional<LatencyHistogram> histogramFromBase64(const QJsonValue& value)
{
    if (!value.isString()) {
        return std::nullopt;
    }
    const QByteArray bytes = QByteArray::fromBase64(value.toString().toLatin1());
    return metrics::decodeHistogram(
        std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.constData()), size_t(bytes.size())));
}

std::optional<LatencyHistogram> histogramFromBlob(const std::string& blob)
{
    return metrics::decodeHistogram(
        std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(blob.data()), blob.size()));
}

QString str(const std::string& text)
{
    return QString::fromStdString(text);
}

// Counts come from a file someone may have edited: anything past 2^53 (where doubles stop being
// exact) or negative is treated as absent, and the checks after reading refuse the file.
constexpr double kMaxCount = 9007199254740992.0;
uint64_t u64(const QJsonValue& value)
{
    const double number = value.toDouble();
    return std::isfinite(number) && number > 0 && number <= kMaxCount ? uint64_t(number) : 0;
}

// Epoch milliseconds from a file, bounded to years 1970..9999 so no conversion can overflow.
int64_t epochMs(const QJsonValue& value)
{
    const double number = value.toDouble();
    return std::isfinite(number) && number > 0 && number < 253402300800000.0 ? int64_t(number) : 0;
}

// What defines the load for every shard alike: the stored plan less what may differ between agents
// (threads per core, timeouts, TLS and redirect switches) and less header values (secrets).
QJsonObject fingerprintJson(const engine::RunConfig& plan)
{
    QJsonObject object = plan::toJson(plan, plan::Secrets::Withhold);
    QJsonArray names;
    for (const auto& header : plan.headers) {
        names.append(str(header.name));
    }
    object.insert(QStringLiteral("headers"), names);
    // Thresholds judge a run after it; shards may be judged differently and still be one run.
    for (const char* key : {"threads", "insecure", "follow_redirects", "request_timeout_us", "connect_timeout_us",
                            "engine", "http_version", "thresholds"}) {
        object.remove(QLatin1String(key));
    }
    object.insert(QStringLiteral("http2"), plan.httpVersion == engine::HttpVersion::Http2);
    return object;
}

// A label is shown in tables, reports and terminals: bounded, and free of control characters.
bool labelAcceptable(const QString& label)
{
    return label.size() <= 200 &&
           std::none_of(label.begin(), label.end(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

QString stopReasonName(metrics::StopReason reason)
{
    switch (reason) {
    case metrics::StopReason::Completed: return QStringLiteral("completed");
    case metrics::StopReason::RequestCountReached: return QStringLiteral("request_count_reached");
    case metrics::StopReason::UserStopped: return QStringLiteral("user_stopped");
    case metrics::StopReason::StartFailed: return QStringLiteral("start_failed");
    case metrics::StopReason::DataExhausted: return QStringLiteral("data_exhausted");
    }
    return QStringLiteral("completed");
}

metrics::StopReason stopReasonFrom(const QString& name)
{
    for (const auto reason : {metrics::StopReason::Completed, metrics::StopReason::RequestCountReached,
                              metrics::StopReason::UserStopped, metrics::StopReason::StartFailed,
                              metrics::StopReason::DataExhausted}) {
        if (stopReasonName(reason) == name) {
            return reason;
        }
    }
    return metrics::StopReason::Completed;
}

QJsonObject intervalToJson(const ShardSecond& entry)
{
    const auto& interval = entry.interval;
    return QJsonObject{
        {QStringLiteral("second"), qint64(entry.second)},
        {QStringLiteral("t"), interval.t},
        {QStringLiteral("seconds"), interval.seconds},
        {QStringLiteral("requests"), qint64(interval.requests)},
        {QStringLiteral("errors"), qint64(interval.errors)},
        {QStringLiteral("bytesReceived"), qint64(interval.bytesReceived)},
        {QStringLiteral("cpuPercent"), interval.cpuPercent},
        {QStringLiteral("latency"), histogramToBase64(entry.latency)},
    };
}

// Percentiles and mean of an interval from its (merged) histogram.
void summarize(metrics::IntervalRecord& interval, const LatencyHistogram& latency)
{
    interval.p50 = latency.valueAtPercentile(50);
    interval.p90 = latency.valueAtPercentile(90);
    interval.p99 = latency.valueAtPercentile(99);
    interval.max = latency.max();
    interval.meanMicros = latency.mean();
}

} // namespace

std::optional<ShardSpec> parseShardSpec(const std::string& text, std::string* error)
{
    const auto slash = text.find('/');
    bool okIndex = false;
    bool okCount = false;
    ShardSpec spec;
    if (slash != std::string::npos) {
        spec.index = QString::fromStdString(text.substr(0, slash)).toInt(&okIndex);
        spec.count = QString::fromStdString(text.substr(slash + 1)).toInt(&okCount);
    }
    if (!okIndex || !okCount || spec.count < 1 || spec.count > kMaxShards || spec.index < 1 || spec.index > spec.count) {
        *error = "--shard: '" + text + "' is not I/N with 1 <= I <= N (e.g. 2/4)";
        return std::nullopt;
    }
    return spec;
}

uint64_t shareOf(uint64_t total, int index, int count)
{
    const uint64_t n = uint64_t(count);
    return total / n + (uint64_t(index - 1) < total % n ? 1 : 0);
}

std::optional<engine::RunConfig> splitPlan(const engine::RunConfig& plan, ShardSpec spec, std::string* error)
{
    engine::RunConfig shard = plan;
    if (spec.count == 1) {
        return shard;
    }
    if (plan.scenario) {
        for (const auto& feeder : plan.scenario->workload.feeders) {
            if (feeder.mode == scenario::FeederMode::Unique) {
                *error = "--shard: data feeder \"" + feeder.name + "\" hands out unique rows, which shards "
                         "cannot share yet: give each shard its own file with --data " + feeder.name + "=FILE.csv "
                         "and run it with --shard 1/1, or use sequential or random rows";
                return std::nullopt;
            }
        }
    }
    if (plan.connections < spec.count) {
        *error = "--shard: " + std::to_string(plan.connections) + " connections cannot be split " +
                 std::to_string(spec.count) + " ways (each shard needs at least one)";
        return std::nullopt;
    }
    shard.connections = int(shareOf(uint64_t(plan.connections), spec.index, spec.count));
    if (plan.requests > 0) {
        if (plan.requests < uint64_t(spec.count)) {
            *error = "--shard: " + std::to_string(plan.requests) + " requests cannot be split " +
                     std::to_string(spec.count) + " ways";
            return std::nullopt;
        }
        shard.requests = shareOf(plan.requests, spec.index, spec.count);
    }
    shard.rate = plan.rate / spec.count;
    for (auto& stage : shard.stages) {
        stage.target = stage.target / spec.count;
    }
    if (plan.threads > shard.connections) {
        shard.threads = shard.connections;
    }
    return shard;
}

std::string planFingerprint(const engine::RunConfig& plan, int shardCount)
{
    QJsonObject canonical = fingerprintJson(plan);
    canonical.insert(QStringLiteral("shards"), shardCount);
    const QByteArray digest = QCryptographicHash::hash(QJsonDocument(canonical).toJson(QJsonDocument::Compact),
                                                       QCryptographicHash::Sha256);
    return digest.toHex().left(16).toStdString();
}

void ShardSeries::add(const metrics::IntervalRecord& interval, const metrics::LatencyHistogram& latency)
{
    entries_.push_back({interval, metrics::encodeHistogram(latency)});
}

std::vector<ShardSecond> ShardSeries::bySecond(std::chrono::system_clock::time_point measureStart) const
{
    std::vector<ShardSecond> out;
    const int64_t startMs = toEpochMs(measureStart);
    for (const auto& entry : entries_) {
        // The interval covers (t - seconds, t]: it belongs to the wall-clock second it began in.
        const int64_t beganMs = startMs + std::llround((entry.interval.t - entry.interval.seconds) * 1000.0);
        const int64_t second = beganMs >= 0 ? beganMs / 1000 : -((-beganMs + 999) / 1000);
        auto latency = histogramFromBlob(entry.latencyBlob);
        if (!out.empty() && out.back().second == second) {
            // Two intervals began in one second (a short last one): one entry per second.
            auto& last = out.back();
            last.interval.seconds += entry.interval.seconds;
            last.interval.t = entry.interval.t;
            last.interval.requests += entry.interval.requests;
            last.interval.errors += entry.interval.errors;
            last.interval.bytesReceived += entry.interval.bytesReceived;
            if (latency) {
                last.latency.merge(*latency);
            }
            summarize(last.interval, last.latency);
            continue;
        }
        ShardSecond item;
        item.second = second;
        item.interval = entry.interval;
        if (latency) {
            item.latency = std::move(*latency);
        }
        out.push_back(std::move(item));
    }
    return out;
}

QJsonObject shardResultToJson(const engine::RunConfig& plan, ShardSpec spec, const engine::RunConfig& shardPlan,
                              const metrics::RunResult& result, const std::vector<ShardSecond>& series,
                              bool keepSecrets)
{
    const auto& total = result.total;
    QJsonObject statusCodes;
    for (size_t status = 0; status < total.statusCounts.size(); ++status) {
        if (total.statusCounts[status] > 0) {
            statusCodes.insert(QString::number(status), qint64(total.statusCounts[status]));
        }
    }
    QJsonObject errorKinds;
    for (size_t kind = 0; kind < metrics::kErrorKindCount; ++kind) {
        if (total.errorKinds[kind] > 0) {
            errorKinds.insert(str(std::string(metrics::errorKindName(metrics::errorKindAt(kind)))),
                              qint64(total.errorKinds[kind]));
        }
    }
    QJsonArray workerCpu;
    for (const double percent : result.generator.workerCpuPercent) {
        workerCpu.append(percent);
    }
    QJsonArray seriesArray;
    for (const auto& entry : series) {
        seriesArray.append(intervalToJson(entry));
    }
    return QJsonObject{
        {QStringLiteral("format"), kFormat},
        {QStringLiteral("fingerprint"), str(planFingerprint(plan, spec.count))},
        {QStringLiteral("shard"), QJsonObject{{QStringLiteral("index"), spec.index}, {QStringLiteral("count"), spec.count}}},
        {QStringLiteral("plan"), plan::toJson(plan, keepSecrets ? plan::Secrets::Keep : plan::Secrets::Withhold)},
        {QStringLiteral("label"), str(plan.label)},
        {QStringLiteral("shardPlan"), QJsonObject{{QStringLiteral("connections"), shardPlan.connections},
                                                  {QStringLiteral("rate"), shardPlan.rate},
                                                  {QStringLiteral("requests"), qint64(shardPlan.requests)}}},
        {QStringLiteral("startedAtMs"), qint64(toEpochMs(result.startedAt))},
        {QStringLiteral("finishedAtMs"), qint64(toEpochMs(result.finishedAt))},
        {QStringLiteral("durationSeconds"), result.durationSeconds},
        {QStringLiteral("stopReason"), stopReasonName(result.stopReason)},
        {QStringLiteral("engine"), str(result.engineName)},
        {QStringLiteral("startError"), str(result.startError)},
        {QStringLiteral("threads"), result.threads},
        {QStringLiteral("connections"), result.connections},
        {QStringLiteral("totals"),
         QJsonObject{{QStringLiteral("requests"), qint64(total.requests)},
                     {QStringLiteral("errors"), qint64(total.errors)},
                     {QStringLiteral("bytesReceived"), qint64(total.bytesReceived)},
                     {QStringLiteral("bytesSent"), qint64(total.bytesSent)},
                     {QStringLiteral("connectionsOpened"), qint64(total.connectionsOpened)},
                     {QStringLiteral("warmupRequests"), qint64(total.warmupRequests)},
                     {QStringLiteral("cpuMicros"), qint64(total.cpuMicros)},
                     {QStringLiteral("scheduledSends"), qint64(total.scheduledSends)},
                     {QStringLiteral("lateSends"), qint64(total.lateSends)},
                     {QStringLiteral("loopLateSends"), qint64(total.loopLateSends)},
                     {QStringLiteral("unansweredAtEnd"), qint64(total.unansweredAtEnd)},
                     {QStringLiteral("boundLateSends"), qint64(total.boundLateSends)},
                     {QStringLiteral("lateMicrosSum"), qint64(total.lateMicrosSum)},
                     {QStringLiteral("maxLateMicros"), qint64(total.maxLateMicros)}}},
        {QStringLiteral("histograms"), QJsonObject{{QStringLiteral("latency"), histogramToBase64(total.latency)},
                                                   {QStringLiteral("connect"), histogramToBase64(total.connect)},
                                                   {QStringLiteral("tls"), histogramToBase64(total.tls)},
                                                   {QStringLiteral("ttfb"), histogramToBase64(total.ttfb)}}},
        {QStringLiteral("statusCodes"), statusCodes},
        {QStringLiteral("errorKinds"), errorKinds},
        {QStringLiteral("generator"), QJsonObject{{QStringLiteral("cpuPercent"), result.generator.cpuPercent},
                                                  {QStringLiteral("workerCpuPercent"), workerCpu},
                                                  {QStringLiteral("saturated"), result.generator.saturated},
                                                  {QStringLiteral("advice"), str(result.generator.advice)}}},
        {QStringLiteral("schedule"), QJsonObject{{QStringLiteral("openModel"), result.schedule.openModel},
                                                 {QStringLiteral("targetRate"), result.schedule.targetRate},
                                                 {QStringLiteral("achievedRate"), result.schedule.achievedRate},
                                                 {QStringLiteral("lateSends"), qint64(result.schedule.lateSends)},
                                                 {QStringLiteral("meanLateMs"), result.schedule.meanLateMs},
                                                 {QStringLiteral("maxLateMs"), result.schedule.maxLateMs}}},
        {QStringLiteral("series"), seriesArray},
        {QStringLiteral("scenario"), scenarioResultToJson(result)},
        // The shard's own figures as `run --json` prints them, for people reading the file.
        {QStringLiteral("summary"), report::runToJson(shardPlan, result)},
    };
}

bool writeShardResult(const QString& path, const QJsonObject& object, std::string* error)
{
    QSaveFile file(path);
    const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Indented);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = "--out: cannot write '" + path.toStdString() + "': " + file.errorString().toStdString();
        return false;
    }
    return true;
}

std::optional<ShardResult> readShardResult(const QString& path, std::string* error)
{
    const std::string name = path.toStdString();
    const QFileInfo info(path);
    if (!info.isFile()) { // /dev/zero would never end, a FIFO would block
        *error = "'" + name + "' is not a regular file";
        return std::nullopt;
    }
    if (info.size() > kMaxShardFileBytes) {
        *error = "'" + name + "' is larger than 1 GiB: not a shard result";
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = "cannot read '" + name + "': " + file.errorString().toStdString();
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject object = document.object();
    if (parseError.error != QJsonParseError::NoError || object.value(QStringLiteral("format")).toString() != kFormat) {
        *error = "'" + name + "' is not a shard result (" + kFormat.toStdString() + ") written by run --shard --out";
        return std::nullopt;
    }
    ShardResult shard;
    shard.path = path;
    shard.fingerprint = object.value(QStringLiteral("fingerprint")).toString().toStdString();
    const QJsonObject spec = object.value(QStringLiteral("shard")).toObject();
    shard.spec = {spec.value(QStringLiteral("index")).toInt(), spec.value(QStringLiteral("count")).toInt()};
    if (shard.fingerprint.empty() || shard.spec.count < 1 || shard.spec.count > kMaxShards || shard.spec.index < 1 ||
        shard.spec.index > shard.spec.count) {
        *error = "'" + name + "' has no valid plan fingerprint or shard index";
        return std::nullopt;
    }
    std::string planError;
    auto plan = plan::fromJson(object.value(QStringLiteral("plan")).toObject(), &planError);
    if (!plan) {
        *error = "'" + name + "': " + planError;
        return std::nullopt;
    }
    const QString label = object.value(QStringLiteral("label")).toString();
    if (!labelAcceptable(label)) {
        *error = "'" + name + "': the label is longer than 200 characters or holds control characters";
        return std::nullopt;
    }
    shard.plan = std::move(*plan);
    shard.plan.label = label.toStdString();

    auto& result = shard.result;
    result.startedAt = fromEpochMs(epochMs(object.value(QStringLiteral("startedAtMs"))));
    result.finishedAt = fromEpochMs(epochMs(object.value(QStringLiteral("finishedAtMs"))));
    result.durationSeconds = object.value(QStringLiteral("durationSeconds")).toDouble(-1);
    if (!std::isfinite(result.durationSeconds) || result.durationSeconds < 0 ||
        result.durationSeconds > double(std::chrono::duration_cast<std::chrono::seconds>(engine::kMaxDuration).count())) {
        *error = "'" + name + "': the measured duration is missing or out of range";
        return std::nullopt;
    }
    result.stopReason = stopReasonFrom(object.value(QStringLiteral("stopReason")).toString());
    result.engineName = object.value(QStringLiteral("engine")).toString().toStdString();
    result.startError = object.value(QStringLiteral("startError")).toString().toStdString();
    result.threads = object.value(QStringLiteral("threads")).toInt();
    result.connections = object.value(QStringLiteral("connections")).toInt();

    auto& total = result.total;
    const QJsonObject totals = object.value(QStringLiteral("totals")).toObject();
    total.requests = u64(totals.value(QStringLiteral("requests")));
    total.errors = u64(totals.value(QStringLiteral("errors")));
    total.bytesReceived = u64(totals.value(QStringLiteral("bytesReceived")));
    total.bytesSent = u64(totals.value(QStringLiteral("bytesSent")));
    total.connectionsOpened = u64(totals.value(QStringLiteral("connectionsOpened")));
    total.warmupRequests = u64(totals.value(QStringLiteral("warmupRequests")));
    total.cpuMicros = u64(totals.value(QStringLiteral("cpuMicros")));
    total.scheduledSends = u64(totals.value(QStringLiteral("scheduledSends")));
    total.lateSends = u64(totals.value(QStringLiteral("lateSends")));
    total.loopLateSends = u64(totals.value(QStringLiteral("loopLateSends")));
    total.unansweredAtEnd = u64(totals.value(QStringLiteral("unansweredAtEnd")));
    total.boundLateSends = u64(totals.value(QStringLiteral("boundLateSends")));
    total.lateMicrosSum = u64(totals.value(QStringLiteral("lateMicrosSum")));
    total.maxLateMicros = int64_t(u64(totals.value(QStringLiteral("maxLateMicros"))));
    const QJsonObject histograms = object.value(QStringLiteral("histograms")).toObject();
    const std::pair<const char*, LatencyHistogram*> targets[] = {
        {"latency", &total.latency}, {"connect", &total.connect}, {"tls", &total.tls}, {"ttfb", &total.ttfb}};
    for (const auto& [key, histogram] : targets) {
        auto decoded = histogramFromBase64(histograms.value(QLatin1String(key)));
        if (!decoded) {
            *error = "'" + name + "': the " + key + " histogram is missing or damaged";
            return std::nullopt;
        }
        *histogram = std::move(*decoded);
    }
    const QJsonObject statusCodes = object.value(QStringLiteral("statusCodes")).toObject();
    uint64_t statusSum = 0;
    for (auto it = statusCodes.begin(); it != statusCodes.end(); ++it) {
        const int status = it.key().toInt();
        if (status >= 0 && status < metrics::MetricsSlice::kMaxStatus) {
            total.statusCounts[size_t(status)] += u64(it.value());
            statusSum += u64(it.value());
        }
    }
    // The counters must agree with the histogram they summarise, or the file was edited or damaged.
    if (total.latency.count() > total.requests || total.errors > total.requests || statusSum != total.latency.count()) {
        *error = "'" + name + "': its counts disagree with its latency histogram (" +
                 std::to_string(total.requests) + " requests, " + std::to_string(total.latency.count()) +
                 " responses in the histogram, " + std::to_string(statusSum) + " by status)";
        return std::nullopt;
    }
    if (std::string why; !scenarioResultFromJson(object.value(QStringLiteral("scenario")).toObject(), result, &why)) {
        *error = "'" + name + "': " + why;
        return std::nullopt;
    }
    const QJsonObject errorKinds = object.value(QStringLiteral("errorKinds")).toObject();
    for (size_t kind = 0; kind < metrics::kErrorKindCount; ++kind) {
        total.errorKinds[kind] =
            u64(errorKinds.value(str(std::string(metrics::errorKindName(metrics::errorKindAt(kind))))));
    }
    const QJsonObject generator = object.value(QStringLiteral("generator")).toObject();
    result.generator.cpuPercent = generator.value(QStringLiteral("cpuPercent")).toDouble();
    result.generator.saturated = generator.value(QStringLiteral("saturated")).toBool();
    result.generator.advice = generator.value(QStringLiteral("advice")).toString().toStdString();
    for (const auto& value : generator.value(QStringLiteral("workerCpuPercent")).toArray()) {
        result.generator.workerCpuPercent.push_back(value.toDouble());
    }
    const QJsonObject schedule = object.value(QStringLiteral("schedule")).toObject();
    result.schedule.openModel = schedule.value(QStringLiteral("openModel")).toBool();
    result.schedule.targetRate = schedule.value(QStringLiteral("targetRate")).toDouble();
    result.schedule.achievedRate = schedule.value(QStringLiteral("achievedRate")).toDouble();
    result.schedule.lateSends = u64(schedule.value(QStringLiteral("lateSends")));
    result.schedule.meanLateMs = schedule.value(QStringLiteral("meanLateMs")).toDouble();
    result.schedule.maxLateMs = schedule.value(QStringLiteral("maxLateMs")).toDouble();

    // Each second decodes into a histogram of 184 KiB: a file may not claim more seconds than its run had.
    const QJsonArray seriesArray = object.value(QStringLiteral("series")).toArray();
    const double maxSeconds = std::ceil(result.durationSeconds) + double(shard.plan.warmup.count()) / 1e6 + 2;
    if (double(seriesArray.size()) > maxSeconds) {
        *error = "'" + name + "': " + std::to_string(seriesArray.size()) + " series seconds for a " +
                 std::to_string(int64_t(result.durationSeconds)) + " s run: a damaged file";
        return std::nullopt;
    }
    for (const auto& value : seriesArray) {
        const QJsonObject entry = value.toObject();
        ShardSecond item;
        const double second = entry.value(QStringLiteral("second")).toDouble();
        item.second = std::isfinite(second) && second > 0 && second < 253402300800.0 ? int64_t(second) : 0;
        if (item.second <= 0) {
            *error = "'" + name + "': a series entry has no valid wall-clock second";
            return std::nullopt;
        }
        item.interval.t = entry.value(QStringLiteral("t")).toDouble();
        item.interval.seconds = entry.value(QStringLiteral("seconds")).toDouble();
        item.interval.requests = u64(entry.value(QStringLiteral("requests")));
        item.interval.errors = u64(entry.value(QStringLiteral("errors")));
        item.interval.bytesReceived = u64(entry.value(QStringLiteral("bytesReceived")));
        item.interval.cpuPercent = entry.value(QStringLiteral("cpuPercent")).toDouble();
        auto latency = histogramFromBase64(entry.value(QStringLiteral("latency")));
        if (!latency) {
            *error = "'" + name + "': the latency histogram of second " + std::to_string(item.second) + " is damaged";
            return std::nullopt;
        }
        item.latency = std::move(*latency);
        summarize(item.interval, item.latency);
        shard.series.push_back(std::move(item));
    }
    result.finalize();
    return shard;
}

std::optional<MergedRun> mergeShards(const std::vector<ShardResult>& shards, std::string* error)
{
    if (shards.empty()) {
        *error = "merge needs at least one shard result file";
        return std::nullopt;
    }
    const ShardResult& first = shards.front();
    const int count = first.spec.count;
    std::vector<const ShardResult*> byIndex(size_t(count) + 1, nullptr);
    for (const auto& shard : shards) {
        if (shard.fingerprint != first.fingerprint || shard.spec.count != count) {
            *error = "'" + shard.path.toStdString() + "' is from a different plan than '" + first.path.toStdString() +
                     "' (fingerprint " + shard.fingerprint + " of " + std::to_string(shard.spec.count) +
                     " shards vs " + first.fingerprint + " of " + std::to_string(count) + ")";
            return std::nullopt;
        }
        const ShardResult*& slot = byIndex[size_t(shard.spec.index)];
        if (slot) {
            *error = "shard " + std::to_string(shard.spec.index) + "/" + std::to_string(count) + " appears twice ('" +
                     slot->path.toStdString() + "' and '" + shard.path.toStdString() + "')";
            return std::nullopt;
        }
        slot = &shard;
    }
    std::string missing;
    for (int index = 1; index <= count; ++index) {
        if (!byIndex[size_t(index)]) {
            missing += (missing.empty() ? "" : ", ") + std::to_string(index);
        }
    }
    if (!missing.empty()) {
        *error = "shard" + std::string(missing.find(',') == std::string::npos ? " " : "s ") + missing + " of " +
                 std::to_string(count) + " missing: a merge needs every shard of the plan";
        return std::nullopt;
    }

    MergedRun merged;
    merged.plan = first.plan;
    auto& result = merged.result;
    result.startedAt = first.result.startedAt;
    result.finishedAt = first.result.finishedAt;
    result.engineName = first.result.engineName;
    result.stopReason = first.result.stopReason;
    result.schedule.openModel = first.result.schedule.openModel;
    result.stepLabels = first.result.stepLabels;
    double lateMsSum = 0;
    std::map<int64_t, ShardSecond> seconds;
    std::map<int64_t, int> cpuSamples;
    for (int index = 1; index <= count; ++index) {
        const ShardResult& shard = *byIndex[size_t(index)];
        const auto& part = shard.result;
        result.total.merge(part.total);
        result.durationSeconds = std::max(result.durationSeconds, part.durationSeconds);
        result.startedAt = std::min(result.startedAt, part.startedAt);
        result.finishedAt = std::max(result.finishedAt, part.finishedAt);
        result.threads += part.threads;
        result.connections += part.connections;
        if (part.stopReason == metrics::StopReason::UserStopped || part.stopReason == metrics::StopReason::StartFailed) {
            result.stopReason = part.stopReason;
        }
        if (result.stopMessage.empty() && !part.stopMessage.empty()) {
            result.stopMessage = "shard " + std::to_string(index) + ": " + part.stopMessage;
        }
        if (result.startError.empty() && !part.startError.empty()) {
            result.startError = "shard " + std::to_string(index) + ": " + part.startError;
        }
        auto& generator = result.generator;
        generator.workerCpuPercent.insert(generator.workerCpuPercent.end(), part.generator.workerCpuPercent.begin(),
                                          part.generator.workerCpuPercent.end());
        generator.saturated = generator.saturated || part.generator.saturated;
        if (generator.advice.empty() && !part.generator.advice.empty()) {
            generator.advice = "shard " + std::to_string(index) + ": " + part.generator.advice;
        }
        result.schedule.targetRate += part.schedule.targetRate;
        result.schedule.achievedRate += part.schedule.achievedRate;
        result.schedule.lateSends += part.schedule.lateSends;
        lateMsSum += part.schedule.meanLateMs * double(part.schedule.lateSends);
        result.schedule.maxLateMs = std::max(result.schedule.maxLateMs, part.schedule.maxLateMs);
        for (const auto& entry : shard.series) {
            auto [it, inserted] = seconds.try_emplace(entry.second);
            ShardSecond& target = it->second;
            if (inserted) {
                target.second = entry.second;
            }
            target.interval.seconds = std::max(target.interval.seconds, entry.interval.seconds);
            target.interval.requests += entry.interval.requests;
            target.interval.errors += entry.interval.errors;
            target.interval.bytesReceived += entry.interval.bytesReceived;
            target.interval.cpuPercent += entry.interval.cpuPercent;
            cpuSamples[entry.second] += 1;
            target.latency.merge(entry.latency);
        }
    }
    // The merged run's total is the histograms' union, so the slice's own merge did the work above; the
    // generator's mean is over every worker of every shard.
    auto& workers = result.generator.workerCpuPercent;
    double cpuSum = 0;
    for (const double percent : workers) {
        cpuSum += percent;
    }
    result.generator.cpuPercent = workers.empty() ? 0.0 : cpuSum / double(workers.size());
    result.schedule.meanLateMs = result.schedule.lateSends ? lateMsSum / double(result.schedule.lateSends) : 0.0;
    const double start = double(toEpochMs(result.startedAt) + qint64(merged.plan.warmup.count() / 1000)) / 1000.0;
    for (auto& [second, entry] : seconds) {
        entry.interval.cpuPercent /= double(cpuSamples[second]);
        summarize(entry.interval, entry.latency);
        // t: the end of that wall-clock second, in seconds since the earliest shard began measuring.
        entry.interval.t = std::max(entry.interval.seconds, double(second + 1) - start);
        if (!merged.series.empty()) {
            entry.interval.t = std::max(entry.interval.t, merged.series.back().interval.t + 1e-3);
        }
        merged.series.push_back(std::move(entry));
    }
    for (const auto& entry : merged.series) {
        result.series.push_back(entry.interval);
    }
    result.finalize();
    return merged;
}

void waitUntilEpochMs(int64_t epochMs)
{
    std::this_thread::sleep_until(fromEpochMs(epochMs));
}

} // namespace benchdeck::scaleout
