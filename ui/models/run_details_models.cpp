// SPDX-License-Identifier: Apache-2.0
#include "run_details_models.h"

#include "format.h"

#include "engine/duration.h"
#include "engine/target_url.h"
#include "metrics/units.h"
#include "plan/plan_codec.h"
#include "report/thresholds.h"

#include <QColor>
#include <QFont>
#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace benchdeck::ui {
namespace {

QString str(const std::string& text)
{
    return QString::fromStdString(text);
}

QString str(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString count(uint64_t n)
{
    return str(units::grouped(n));
}

// A share in percent of `whole`; "–" when there is no whole to share.
QString share(uint64_t part, uint64_t whole)
{
    return whole == 0 ? QStringLiteral("–") : formatPercent(100.0 * double(part) / double(whole));
}

std::optional<engine::RunConfig> decodePlan(const store::StoredRun& run, std::string* error)
{
    if (!run.planRecorded) {
        *error = "plan not recorded";
        return std::nullopt;
    }
    return plan::fromJson(run.plan, error);
}

// An environment value as text: scalars as they are, lists and objects as compact JSON.
QString jsonText(const QJsonValue& value)
{
    if (value.isArray()) {
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    }
    if (value.isObject()) {
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    if (value.isDouble()) {
        return str(units::shortest(value.toDouble()));
    }
    if (value.isBool()) {
        return value.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    }
    return value.toString();
}

QString ms(int64_t micros, int decimals)
{
    return str(units::fixed(double(micros) / 1000.0, decimals));
}

} // namespace

// ---------------------------------------------------------------------------------------------------------

RunDetailsTableModel::RunDetailsTableModel(QStringList header, QList<int> numericColumns, QObject* parent)
    : QAbstractTableModel(parent)
    , header_(std::move(header))
    , numericColumns_(std::move(numericColumns))
{
}

void RunDetailsTableModel::setRun(const store::StoredRun& run)
{
    beginResetModel();
    // Summaries are computed once, by whoever read the run (SessionFile::loadRun); a run without one
    // shows no figures rather than figures made up here.
    rows_ = run.result.summary.computed ? rowsFor(run) : std::vector<Row>{};
    endResetModel();
}

QString RunDetailsTableModel::toText() const
{
    QStringList lines;
    for (const auto& row : rows_) {
        lines << row.cells.join(QStringLiteral(" | "));
    }
    return lines.join(QLatin1Char('\n'));
}

int RunDetailsTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

int RunDetailsTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(header_.size());
}

QVariant RunDetailsTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& row = rows_[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return row.cells.value(index.column());
    case Qt::ToolTipRole: return row.toolTip.isEmpty() ? QVariant() : QVariant(row.toolTip);
    case Qt::TextAlignmentRole:
        return numericColumns_.contains(index.column()) ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::ForegroundRole:
        switch (row.tone) {
        case Tone::Good: return QColor(0x2e, 0x7d, 0x32);
        case Tone::Bad: return QColor(0xc6, 0x28, 0x28);
        case Tone::Plain: break;
        }
        return {};
    case Qt::FontRole: {
        if (!row.heading) {
            return {};
        }
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    case HeadingRole: return row.heading;
    default: return {};
    }
}

QVariant RunDetailsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= header_.size()) {
        return {};
    }
    return header_[section];
}

// ---------------------------------------------------------------------------------------------------------

RunFactsModel::RunFactsModel(QObject* parent)
    : RunDetailsTableModel({tr("Field"), tr("Value")}, {}, parent)
{
}

std::vector<std::pair<QString, QString>> RunFactsModel::serverFacts(const metrics::ServerStats& server)
{
    if (!server.measured) {
        return {{tr("Server"), tr("not measured")}};
    }
    std::vector<std::pair<QString, QString>> facts;
    facts.emplace_back(tr("Measured"), str(server.source));
    facts.emplace_back(tr("Peak memory (RSS)"), tr("%1 MB").arg(str(units::fixed(server.peakRssMb, 1))));
    facts.emplace_back(tr("Mean memory (RSS)"), tr("%1 MB").arg(str(units::fixed(server.meanRssMb, 1))));
    facts.emplace_back(tr("CPU"), tr("%1 of a core").arg(formatPercent(server.cpuPercent)));
    if (server.cpuMicrosPerRequest > 0) {
        facts.emplace_back(tr("CPU per request"), formatLatency(server.cpuMicrosPerRequest));
    }
    if (server.coldStartMs > 0) {
        facts.emplace_back(tr("Cold start"),
                           tr("%1 from launch to first answer").arg(formatLatency(server.coldStartMs * 1000.0)));
    }
    if (server.artifactMb > 0) {
        facts.emplace_back(tr("Artifact size"), tr("%1 MB").arg(str(units::fixed(server.artifactMb, 1))));
    }
    facts.emplace_back(tr("Samples"), count(server.samples.size()));
    return facts;
}

std::vector<RunDetailsTableModel::Row> RunFactsModel::rowsFor(const store::StoredRun& run)
{
    std::vector<Row> rows;
    const auto heading = [&](const QString& title) { rows.push_back(Row{{title, QString()}, {}, Tone::Plain, true}); };
    const auto fact = [&](const QString& field, const QString& value, Tone tone = Tone::Plain) {
        rows.push_back(Row{{field, value}, {}, tone, false});
    };
    const auto& result = run.result;
    const auto& summary = result.summary;
    const auto& listing = run.listing;

    heading(tr("Run"));
    fact(tr("Number"), QStringLiteral("#%1").arg(listing.id));
    if (!listing.label.empty()) {
        fact(tr("Label"), str(listing.label));
    }
    if (!listing.startedAt.empty()) {
        fact(tr("Started"), str(listing.startedAt));
    }
    const QString status = str(metrics::runStatusName(summary.status));
    if (summary.status == metrics::RunStatus::Failed) {
        fact(tr("Status"), tr("%1: %2").arg(status, str(summary.failureReason)), Tone::Bad);
    } else {
        fact(tr("Status"), status, metrics::isComplete(summary.status) ? Tone::Plain : Tone::Bad);
    }
    if (!listing.targetName.empty()) {
        fact(tr("Target"), str(listing.targetName));
    }
    if (!listing.candidateName.empty()) {
        fact(tr("Candidate"), str(listing.candidateName));
    }
    if (listing.baseline) {
        fact(tr("Baseline"), tr("yes: other runs are read against this one"));
    }
    if (!listing.note.empty()) {
        fact(tr("Note"), str(listing.note));
    }
    if (!result.engineName.empty()) {
        fact(tr("Engine"), str(result.engineName)); // what ran; the plan's "auto" resolved
    }
    if (result.threads > 0 || result.connections > 0) {
        fact(tr("Workers"), tr("%1 threads, %2 connections").arg(result.threads).arg(result.connections));
    }

    heading(tr("Plan"));
    std::string planError;
    if (const auto config = decodePlan(run, &planError)) {
        fact(tr("Load"), str(plan::describe(*config)));
        fact(tr("URL"), str(engine::maskUrlCredentials(config->url)));
        fact(tr("Method"),
             tr("%1, HTTP/%2")
                 .arg(str(config->method),
                      config->httpVersion == engine::HttpVersion::Http2 ? QStringLiteral("2") : QStringLiteral("1.1")));
        for (const auto& header : config->headers) {
            // Credential values are masked even when the session kept them.
            const QString value = header.withheld                         ? tr("withheld")
                                  : plan::isCredentialHeader(header.name) ? tr("•••• (hidden)")
                                                                          : str(header.value);
            fact(tr("Header"), str(header.name) + QStringLiteral(": ") + value);
        }
        fact(tr("Body"), config->body.empty() ? tr("none") : str(units::bytes(double(config->body.size()))));
        const bool open = engine::isOpenModel(*config);
        fact(tr("Connections"), open ? tr("%1 (at most this many requests in flight)").arg(config->connections)
                                     : tr("%1 users").arg(config->connections));
        if (config->rate > 0) {
            fact(tr("Rate"), tr("%1 req/s").arg(str(units::level(config->rate))));
        }
        if (!config->stages.empty()) {
            fact(tr("Stages"), str(engine::formatStages(config->stages)) + (open ? tr(" (req/s)") : tr(" (users)")));
        }
        const auto planned = engine::plannedDuration(*config);
        fact(tr("Duration"),
             planned.count() > 0 ? str(engine::formatDuration(planned)) : tr("until the request count"));
        if (config->requests > 0) {
            fact(tr("Request count"), count(config->requests));
        }
        if (config->warmup.count() > 0) {
            fact(tr("Warm-up"), str(engine::formatDuration(config->warmup)));
        }
        fact(tr("Threads"), QString::number(config->threads));
        fact(tr("Timeouts"), tr("request %1, connect %2")
                                 .arg(str(engine::formatDuration(config->requestTimeout)),
                                      str(engine::formatDuration(config->connectTimeout))));
        fact(tr("Redirects"),
             config->followRedirects ? tr("followed, at most %1").arg(config->maxRedirects) : tr("not followed"));
        if (result.engineName.empty()) {
            fact(tr("Engine"), str(engine::engineKindName(config->engine)));
        }
        if (config->insecure) {
            fact(tr("TLS certificates"), tr("not verified"), Tone::Bad);
        }
        QStringList thresholds;
        for (const auto& expression : config->thresholds) {
            thresholds << str(expression);
        }
        fact(tr("Thresholds"), thresholds.isEmpty() ? tr("none") : thresholds.join(QStringLiteral(", ")));
        if (run.secretsWithheld) {
            fact(tr("Secrets"), tr("withheld from the session file"));
        }
    } else {
        fact(tr("Plan"),
             run.planRecorded ? str(planError) : tr("not recorded (stored before sessions kept the load shape)"));
    }

    heading(tr("Environment"));
    if (run.environment.isEmpty()) {
        fact(tr("Environment"), tr("not recorded"));
    } else {
        // Known keys first, in the order people look for them; anything newer after them, as stored.
        const std::pair<QString, QString> known[] = {
            {QStringLiteral("host"), tr("Host")},       {QStringLiteral("cpu"), tr("CPU")},
            {QStringLiteral("cores"), tr("Cores")},     {QStringLiteral("os"), tr("OS")},
            {QStringLiteral("kernel"), tr("Kernel")},   {QStringLiteral("benchdeck"), tr("Benchdeck")},
            {QStringLiteral("libcurl"), tr("libcurl")}, {QStringLiteral("openssl"), tr("OpenSSL")},
            {QStringLiteral("nghttp2"), tr("nghttp2")}, {QStringLiteral("sqlite"), tr("SQLite")},
        };
        QStringList shown;
        for (const auto& [key, label] : known) {
            if (run.environment.contains(key)) {
                fact(label, jsonText(run.environment.value(key)));
                shown << key;
            }
        }
        for (auto it = run.environment.begin(); it != run.environment.end(); ++it) {
            if (!shown.contains(it.key())) {
                fact(it.key(), jsonText(it.value()));
            }
        }
    }

    heading(tr("Summary"));
    fact(tr("Measured for"), tr("%1 s").arg(str(units::fixed(summary.durationSeconds, 2))));
    fact(tr("Requests"), count(summary.requests));
    fact(tr("Responses"), count(summary.responses));
    fact(tr("Errors"), tr("%1 (%2)").arg(count(summary.errors), formatPercent(summary.errorPercent)),
         summary.errors > 0 ? Tone::Bad : Tone::Plain);
    if (summary.unansweredAtEnd > 0) {
        fact(tr("Unanswered at the end"), count(summary.unansweredAtEnd));
    }
    if (result.total.warmupRequests > 0) {
        fact(tr("Warm-up requests"), tr("%1 (not counted)").arg(count(result.total.warmupRequests)));
    }
    // Two decimals, as the CLI prints it: "11 req/s" for 10.5 would disagree with the schedule rows below.
    fact(tr("Throughput"), tr("%1 req/s").arg(str(units::fixed(summary.rps, 2))));
    fact(tr("Received"), str(units::bytes(double(result.total.bytesReceived))));
    fact(tr("Sent"), str(units::bytes(double(result.total.bytesSent))));
    fact(tr("Connections opened"), count(result.total.connectionsOpened));
    const auto& latency = summary.latency;
    if (latency.empty()) {
        fact(tr("Latency"), tr("no responses"));
    } else {
        fact(tr("Latency min"), formatLatency(double(latency.min)));
        fact(tr("Latency mean"), formatLatency(latency.mean));
        fact(tr("Latency stdev"), formatLatency(latency.stdev));
        fact(tr("Latency p50"), formatLatency(double(latency.p50)));
        fact(tr("Latency p90"), formatLatency(double(latency.p90)));
        fact(tr("Latency p99"), formatLatency(double(latency.p99)));
        fact(tr("Latency p99.9"), formatLatency(double(latency.p999)));
        fact(tr("Latency max"), formatLatency(double(latency.max)));
    }

    heading(tr("Phases"));
    const auto phase = [&](const QString& name, const metrics::LatencySummary& s, const QString& none) {
        fact(name, s.empty() ? none
                             : tr("p50 %1 · p99 %2 · max %3 (%4 samples)")
                                   .arg(formatLatency(double(s.p50)), formatLatency(double(s.p99)),
                                        formatLatency(double(s.max)), count(s.count)));
    };
    fact(tr("DNS lookup"), tr("not measured separately"));
    phase(tr("Connect"), summary.connect, tr("no new connections measured"));
    phase(tr("TLS handshake"), summary.tls, tr("no TLS handshakes"));
    phase(tr("Time to first byte"), summary.ttfb, tr("not measured"));
    phase(tr("Request to last byte"), summary.latency, tr("no responses"));

    if (result.schedule.openModel) {
        const auto& schedule = result.schedule;
        heading(tr("Schedule"));
        fact(tr("Intended rate"), tr("%1 req/s").arg(str(units::fixed(schedule.targetRate, 1))));
        fact(tr("Achieved rate"), tr("%1 req/s").arg(str(units::fixed(schedule.achievedRate, 1))));
        fact(tr("Late sends"), tr("%1 (more than 1 ms after their intended time)").arg(count(schedule.lateSends)),
             schedule.lateSends > 0 ? Tone::Bad : Tone::Plain);
        fact(tr("Lateness"),
             tr("mean %1 ms, max %2 ms")
                 .arg(str(units::fixed(schedule.meanLateMs, 2)), str(units::fixed(schedule.maxLateMs, 2))));
    }

    heading(tr("Load generator"));
    QStringList workers;
    for (const double percent : result.generator.workerCpuPercent) {
        workers << str(units::percent(percent, 0));
    }
    fact(tr("CPU"), workers.isEmpty()
                        ? tr("%1 per worker thread").arg(formatPercent(result.generator.cpuPercent))
                        : tr("%1 per worker thread (%2)")
                              .arg(formatPercent(result.generator.cpuPercent), workers.join(QStringLiteral(", "))));
    fact(tr("Saturation"),
         result.generator.saturated
             ? tr("saturated: %1")
                   .arg(result.generator.advice.empty() ? tr("the load generator may have been the limit")
                                                        : str(result.generator.advice))
             : tr("not saturated: nothing shows the load generator was the limit"),
         result.generator.saturated ? Tone::Bad : Tone::Good);

    heading(tr("Server"));
    for (auto& [field, value] : serverFacts(result.server)) {
        fact(field, value);
    }
    return rows;
}

// ---------------------------------------------------------------------------------------------------------

StatusCodesModel::StatusCodesModel(QObject* parent)
    : RunDetailsTableModel({tr("Status"), tr("Count"), tr("Share")}, {Count, Share}, parent)
{
}

std::vector<RunDetailsTableModel::Row> StatusCodesModel::rowsFor(const store::StoredRun& run)
{
    const auto& counts = run.result.total.statusCounts;
    uint64_t responses = 0;
    for (const uint64_t n : counts) {
        responses += n;
    }
    std::vector<Row> rows;
    for (size_t code = 0; code < counts.size(); ++code) {
        if (counts[code] == 0) {
            continue;
        }
        // Statuses outside 0..599 are counted under 0.
        const QString name = code == 0 ? tr("other") : QString::number(code);
        const Tone tone = code >= 400 || code == 0 ? Tone::Bad : Tone::Plain;
        rows.push_back(Row{{name, count(counts[code]), share(counts[code], responses)}, {}, tone, false});
    }
    return rows;
}

// ---------------------------------------------------------------------------------------------------------

ErrorKindsModel::ErrorKindsModel(QObject* parent)
    : RunDetailsTableModel({tr("Error"), tr("Count"), tr("Share of requests"), tr("First message"),
                            tr("What it means")},
                           {Count, Share}, parent)
{
}

QString ErrorKindsModel::meaning(metrics::ErrorKind kind)
{
    using metrics::ErrorKind;
    switch (kind) {
    case ErrorKind::Dns: return tr("The host name in the URL did not resolve to an address.");
    case ErrorKind::ConnectRefused:
        return tr("Nothing accepted connections at the address and port: no server "
                  "listening, or it was down or overloaded.");
    case ErrorKind::ConnectTimeout: return tr("No connection was established within the connect timeout.");
    case ErrorKind::RequestTimeout: return tr("The server did not answer within the request timeout.");
    case ErrorKind::ResetOrClosed:
        return tr("The server or something in between reset or closed the connection "
                  "before the answer was complete.");
    case ErrorKind::Tls: return tr("The TLS handshake failed: certificate, protocol or cipher.");
    case ErrorKind::Http4xx: return tr("The server answered with a client error (4xx): the request was refused.");
    case ErrorKind::Http5xx: return tr("The server answered with a server error (5xx).");
    case ErrorKind::Protocol: return tr("The answer was not valid HTTP (status line, framing or headers).");
    case ErrorKind::Other: return tr("A failure that fits none of the other kinds.");
    }
    return {};
}

std::vector<RunDetailsTableModel::Row> ErrorKindsModel::rowsFor(const store::StoredRun& run)
{
    const auto& kinds = run.result.total.errorKinds;
    std::vector<Row> rows;
    for (size_t i = 0; i < kinds.size(); ++i) {
        if (kinds[i] == 0) {
            continue;
        }
        const auto kind = metrics::errorKindAt(i);
        // Answers (4xx, 5xx) have a status, not a message; runs from before schema 4 kept none.
        const auto first = run.result.total.firstErrorMessage(kind);
        rows.push_back(Row{{str(metrics::errorKindLabel(kind)), count(kinds[i]),
                            share(kinds[i], run.result.summary.requests),
                            first.empty() ? QStringLiteral("–") : QString::fromUtf8(first.data(), qsizetype(first.size())),
                            meaning(kind)},
                           tr("Reported as \"%1\" in JSON output").arg(str(metrics::errorKindName(kind))),
                           Tone::Plain,
                           false});
    }
    return rows;
}

// ---------------------------------------------------------------------------------------------------------

ThresholdsModel::ThresholdsModel(QObject* parent)
    : RunDetailsTableModel({tr("Threshold"), tr("Verdict"), tr("Measured")}, {}, parent)
{
}

std::vector<RunDetailsTableModel::Row> ThresholdsModel::rowsFor(const store::StoredRun& run)
{
    std::string error;
    const auto config = decodePlan(run, &error);
    if (!config) {
        emptyReason_ =
            run.planRecorded
                ? tr("This run's plan cannot be read back (%1), so its thresholds are unknown.").arg(str(error))
                : tr("This run's plan was not recorded, so its thresholds are unknown.");
        return {};
    }
    if (config->thresholds.empty()) {
        emptyReason_ = tr("No thresholds in this run's plan.");
        return {};
    }
    emptyReason_.clear();
    std::vector<Row> rows;
    for (const auto& verdict : report::evaluatePlanThresholds(config->thresholds, run.result)) {
        // The figure as the verdict's own line writes it, so its rounding cannot contradict the verdict.
        rows.push_back(Row{{str(verdict.expression), verdict.passed ? tr("PASS") : tr("FAIL"), str(verdict.shown)},
                           str(verdict.line),
                           verdict.passed ? Tone::Good : Tone::Bad,
                           false});
    }
    return rows;
}

// ---------------------------------------------------------------------------------------------------------

SeriesModel::SeriesModel(QObject* parent)
    : RunDetailsTableModel({tr("t (s)"), tr("Length (s)"), tr("Requests"), tr("req/s"), tr("Errors"), tr("p50 (ms)"),
                            tr("p90 (ms)"), tr("p99 (ms)"), tr("Max (ms)"), tr("Mean (ms)"), tr("Generator CPU (%)")},
                           {Time, Seconds, Requests, Rps, Errors, P50, P90, P99, Max, Mean, GeneratorCpu}, parent)
{
}

std::vector<RunDetailsTableModel::Row> SeriesModel::rowsFor(const store::StoredRun& run)
{
    series_ = run.result.series;
    std::vector<Row> rows;
    rows.reserve(series_.size());
    for (const auto& r : series_) {
        rows.push_back(
            Row{{str(units::trimmed(r.t, 2)), str(units::trimmed(r.seconds, 2)), count(r.requests),
                 str(units::fixed(r.rps(), 1)), count(r.errors), ms(r.p50, 2), ms(r.p90, 2), ms(r.p99, 2), ms(r.max, 2),
                 str(units::fixed(r.meanMicros / 1000.0, 2)), str(units::fixed(r.cpuPercent, 1))},
                {},
                Tone::Plain,
                false});
    }
    return rows;
}

QString SeriesModel::toCsv() const
{
    static const QStringList kHeader{QStringLiteral("t_s"),
                                     QStringLiteral("interval_s"),
                                     QStringLiteral("requests"),
                                     QStringLiteral("rps"),
                                     QStringLiteral("errors"),
                                     QStringLiteral("p50_ms"),
                                     QStringLiteral("p90_ms"),
                                     QStringLiteral("p99_ms"),
                                     QStringLiteral("max_ms"),
                                     QStringLiteral("mean_ms"),
                                     QStringLiteral("generator_cpu_percent")};
    // Numbers and fixed names only: no cell ever needs RFC 4180 quoting.
    const QString crlf = QStringLiteral("\r\n");
    QString csv = kHeader.join(QLatin1Char(',')) + crlf;
    for (const auto& r : series_) {
        const QStringList cells{str(units::trimmed(r.t, 3)),
                                str(units::trimmed(r.seconds, 3)),
                                QString::number(r.requests),
                                str(units::fixed(r.rps(), 2)),
                                QString::number(r.errors),
                                ms(r.p50, 3),
                                ms(r.p90, 3),
                                ms(r.p99, 3),
                                ms(r.max, 3),
                                str(units::fixed(r.meanMicros / 1000.0, 3)),
                                str(units::fixed(r.cpuPercent, 1))};
        csv += cells.join(QLatin1Char(',')) + crlf;
    }
    return csv;
}

} // namespace benchdeck::ui
