// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a scale-out run must come to, however its agents were started (processes in tst_shards,
// podman containers in tst_containers): shard files of one plan that started together, and a merged
// run in the session that is exactly their union.
#include "metrics/histogram_codec.h"
#include "store/session_file.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <optional>
#include <span>

inline QJsonObject readJsonFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QJsonDocument::fromJson(file.readAll()).object();
}

inline std::optional<benchdeck::metrics::LatencyHistogram> decodeBase64Histogram(const QJsonValue& value)
{
    const QByteArray bytes = QByteArray::fromBase64(value.toString().toLatin1());
    return benchdeck::metrics::decodeHistogram(
        std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.constData()), size_t(bytes.size())));
}

struct MergedShards {
    QString failure; // empty when every check held
    benchdeck::metrics::LatencyHistogram unionLatency;
    qint64 requests = 0;
    std::optional<benchdeck::store::StoredRun> merged;
};

// `files` are shard 1..N's --out files, each expected to hold `perShard` requests; `session` holds the
// merged run (and only it).
inline MergedShards checkMergedShards(const QStringList& files, const QString& session, qint64 perShard)
{
    MergedShards out;
    const auto fail = [&](const QString& why) {
        out.failure += why + QLatin1Char('\n');
        return out;
    };
    QSet<qint64> starts;
    const QString fingerprint = readJsonFile(files.value(0)).value(QStringLiteral("fingerprint")).toString();
    for (int i = 0; i < files.size(); ++i) {
        const QJsonObject object = readJsonFile(files.at(i));
        const auto shard = object.value(QStringLiteral("shard")).toObject();
        if (shard.value(QStringLiteral("index")).toInt() != i + 1 || shard.value(QStringLiteral("count")).toInt() != files.size()) {
            return fail(files.at(i) + QStringLiteral(": not shard %1/%2").arg(i + 1).arg(files.size()));
        }
        if (fingerprint.isEmpty() || object.value(QStringLiteral("fingerprint")).toString() != fingerprint) {
            return fail(files.at(i) + QStringLiteral(": another plan's fingerprint"));
        }
        const auto histograms = object.value(QStringLiteral("histograms")).toObject();
        const auto latency = decodeBase64Histogram(histograms.value(QStringLiteral("latency")));
        if (!latency || !decodeBase64Histogram(histograms.value(QStringLiteral("ttfb")))) {
            return fail(files.at(i) + QStringLiteral(": histograms do not decode"));
        }
        out.unionLatency.merge(*latency);
        const qint64 requests = qint64(object.value(QStringLiteral("totals")).toObject().value(QStringLiteral("requests")).toDouble());
        if (requests != perShard) {
            return fail(files.at(i) + QStringLiteral(": %1 requests, not %2").arg(requests).arg(perShard));
        }
        out.requests += requests;
        starts.insert(qint64(object.value(QStringLiteral("startedAtMs")).toDouble()));
    }
    for (const qint64 start : starts) {
        if (qAbs(start - *starts.begin()) >= 500) {
            return fail(QStringLiteral("the shards did not start together (--start-at)"));
        }
    }
    std::string error;
    auto file = benchdeck::store::SessionFile::open(session.toStdString(), benchdeck::store::OpenMode::ReadOnly, &error);
    if (!file) {
        return fail(QString::fromStdString(error));
    }
    const auto runs = file->listRuns(&error);
    if (runs.size() != 1) {
        return fail(QStringLiteral("%1 runs in the session, not 1").arg(runs.size()));
    }
    out.merged = file->loadRun(runs.front().id, &error);
    if (!out.merged) {
        return fail(QString::fromStdString(error));
    }
    const auto& total = out.merged->result.total;
    if (qint64(total.requests) != out.requests || !total.latency.sameDistribution(out.unionLatency) ||
        total.latency.valueAtPercentile(99) != out.unionLatency.valueAtPercentile(99)) {
        return fail(QStringLiteral("the merged run (%1 requests, p99 %2us) is not the union of the shards (%3, %4us)")
                        .arg(total.requests)
                        .arg(total.latency.valueAtPercentile(99))
                        .arg(out.requests)
                        .arg(out.unionLatency.valueAtPercentile(99)));
    }
    uint64_t seriesRequests = 0;
    for (const auto& interval : out.merged->result.series) {
        seriesRequests += interval.requests;
    }
    if (qint64(seriesRequests) != out.requests) {
        return fail(QStringLiteral("the merged series holds %1 requests, not %2").arg(seriesRequests).arg(out.requests));
    }
    return out;
}
