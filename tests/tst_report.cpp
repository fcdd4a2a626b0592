// SPDX-License-Identifier: Apache-2.0
// Comparison reports: golden files for Markdown, CSV and JSON; HTML that parses, holds its charts and
// reaches for nothing outside itself; PDF text that carries the numbers; escaping and masking.
#include "comparison/report_files.h"
#include "store/session_file.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <sqlite3.h>

using namespace benchdeck;

namespace {

const std::string kHostileLabel = "<script>alert(1)</script> | pipe | *bold*";
const std::string kSecret = "Bearer sk-live-TOPSECRET";

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A session from the schema-1 fixture plus two candidates and a second, hostile, run.
QString buildSession(const QTemporaryDir& dir)
{
    const QString path = dir.filePath(QStringLiteral("report.benchdeck"));
    sqlite3* db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_exec(db, readFile(QStringLiteral(BENCHDECK_FIXTURES "/session-v1.sql")).constData(), nullptr, nullptr,
                 nullptr);
    sqlite3_close(db);
    std::string error;
    auto session = store::SessionFile::open(path.toStdString(), store::OpenMode::ReadWrite, &error);
    if (!session) {
        qFatal("%s", error.c_str());
    }
    store::Candidate go{0, "Go (Gin)", "go", ""};
    store::Candidate python{0, "Python (FastAPI)", "python", ""};
    session->saveCandidate(go, &error);
    session->saveCandidate(python, &error);
    store::Target fast{0, go.id, "fast", {}, 0, {}, {}};
    fast.request.url = "http://127.0.0.1:1/";
    store::Target slow{0, python.id, "slow", {}, 0, {}, {}};
    slow.request.url = "http://127.0.0.1:2/";
    session->saveTarget(fast, false, &error);
    session->saveTarget(slow, false, &error);
    session->attachRun(1, fast.id, 0, &error);

    // The second run: slower, with errors, a hostile label and a credential kept in the file.
    engine::RunConfig config;
    config.url = "http://127.0.0.1:2/items?a=1&b=2";
    config.method = "POST";
    config.headers = {{"Authorization", kSecret}, {"Accept", "application/json"}};
    config.connections = 4;
    config.threads = 1;
    config.duration = std::chrono::seconds(2);
    config.label = kHostileLabel;
    const auto record = [&](const engine::RunConfig& plan, int perSecond, int64_t baseMicros, int64_t targetId) {
        const auto id = session->beginRun(plan, true, &error);
        metrics::RunResult result;
        for (int t = 1; t <= 2; ++t) {
            metrics::MetricsSlice second;
            for (int i = 0; i < perSecond; ++i) {
                second.recordResponse(i % 50 == 0 ? 503 : 200, baseMicros + (i * 37) % 4000);
            }
            result.series.push_back(metrics::summarizeInterval(second, t, 1.0, 30.0));
            result.total.merge(second);
        }
        result.durationSeconds = 2;
        result.threads = 1;
        result.finishedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
        result.finalize();
        session->finishRun(*id, result, &error);
        session->attachRun(*id, targetId, 0, &error);
    };
    record(config, 1000, 8000, slow.id);
    // The third: the Go candidate under the same plan (the decision table weighs like with like; the
    // schema-1 run #1 has no recorded plan and is left out, with a note).
    engine::RunConfig goPlan = config;
    goPlan.url = "http://127.0.0.1:1/items?a=1&b=2";
    goPlan.headers = {{"Accept", "application/json"}};
    goPlan.label = "go";
    record(goPlan, 9000, 500, fast.id);
    return path;
}

comparison::ComparisonReport buildReport(const QString& path)
{
    std::string error;
    auto session = store::SessionFile::open(path.toStdString(), store::OpenMode::ReadOnly, &error);
    comparison::ReportRequest request;
    request.generatedAt = "2026-11-27T12:00:00Z";
    request.notes = "Measured on a 2-core VM; client and servers share it.";
    auto report = comparison::buildReport(*session, request, &error);
    if (!report) {
        qFatal("%s", error.c_str());
    }
    // Pin what differs between machines and days, so that golden files stay byte for byte.
    report->sessionName = "report.benchdeck";
    for (auto& run : report->runs) {
        run.environment = report->environment; // the fixture's, recorded once
    }
    report->runs[1].listing.startedAt = "2026-11-27T11:59:00.000Z";
    report->runs[2].listing.startedAt = "2026-11-27T11:59:30.000Z";
    return *report;
}

// Golden files are the reviewed, expected output. BENCHDECK_UPDATE_GOLDEN=1 rewrites them.
void compareWithGolden(const QByteArray& actual, const QString& name)
{
    const QString golden = QStringLiteral(BENCHDECK_GOLDEN "/") + name;
    if (qEnvironmentVariableIsSet("BENCHDECK_UPDATE_GOLDEN")) {
        QFile file(golden);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(actual);
        return;
    }
    const QByteArray expected = readFile(golden);
    QVERIFY2(!expected.isEmpty(), qPrintable(golden + QStringLiteral(" is missing")));
    if (actual != expected) {
        QTemporaryDir keep;
        keep.setAutoRemove(false);
        QFile out(keep.filePath(name));
        out.open(QIODevice::WriteOnly);
        out.write(actual);
        QFAIL(qPrintable(QStringLiteral("%1 differs from its golden file; actual output kept at %2")
                             .arg(name, out.fileName())));
    }
}

} // namespace

class TestReport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString session_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        session_ = buildSession(dir_);
    }

    void markdownMatchesGolden()
    {
        const auto report = buildReport(session_);
        const QByteArray md = QByteArray::fromStdString(comparison::toMarkdown(report, "report-"));
        compareWithGolden(md, QStringLiteral("report.md"));
        QVERIFY(md.contains("\\<script\\>alert(1)\\</script\\> \\| pipe \\| \\*bold\\*"));
        QVERIFY(md.contains("![Throughput (requests per second)](report-throughput.svg)"));
    }

    void csvMatchesGolden()
    {
        const auto report = buildReport(session_);
        const QByteArray csv = QByteArray::fromStdString(comparison::toCsv(report));
        compareWithGolden(csv, QStringLiteral("report.csv"));
        QCOMPARE(csv.count("\r\n"), 4); // header and one row per run
        // Every text cell quoted, so a label can never become a formula or a second column.
        QVERIFY(csv.contains("\"<script>alert(1)</script> | pipe | *bold*\""));
    }

    void jsonMatchesGolden()
    {
        const auto report = buildReport(session_);
        const QByteArray json = QJsonDocument(comparison::toJson(report)).toJson(QJsonDocument::Indented);
        compareWithGolden(json, QStringLiteral("report.json"));
        const auto object = QJsonDocument::fromJson(json).object();
        QCOMPARE(object.value("schema_version").toInt(), 1);
        QCOMPARE(object.value("runs").toArray().size(), 3);
        const QJsonObject decision = object.value("decision").toObject();
        QCOMPARE(decision.value("needs").toArray().size(), 6);
        // Decided from like-for-like runs only, each column naming its run; the schema-1 run is left out, said so.
        QCOMPARE(decision.value("candidate_runs").toArray(), (QJsonArray{"run #3", "run #2"}));
        QCOMPARE(decision.value("refusal").toString(), QString());
        QVERIFY(decision.value("notes").toArray().first().toString().contains("run #1 has no recorded plan"));
    }

    void htmlIsSelfContainedWellFormedAndEscaped()
    {
        const auto report = buildReport(session_);
        const QByteArray html = QByteArray::fromStdString(comparison::toHtml(report));
        QXmlStreamReader xml(html);
        int svgs = 0;
        int tables = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("svg")) {
                ++svgs;
            }
            if (xml.isStartElement() && xml.name() == QLatin1String("table")) {
                ++tables;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString() + QStringLiteral(" at line %1").arg(xml.lineNumber())));
        QCOMPARE(svgs, 4);
        QVERIFY(tables >= 4); // environment, summary, decision, weights, plans
        QVERIFY(!html.contains("<script"));
        QVERIFY(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        for (const char* remote : {"src=\"http", "href=\"http", "<link", "@import", "url("}) {
            QVERIFY2(!html.contains(remote), remote);
        }
        QVERIFY(html.contains("Best choice"));
        QVERIFY(html.contains("Measured on a 2-core VM"));
    }

    void secretsAreMaskedEverywhere()
    {
        const auto report = buildReport(session_);
        const QByteArray all = QByteArray::fromStdString(comparison::toHtml(report) +
                                                         comparison::toMarkdown(report, "x-") +
                                                         comparison::toCsv(report)) +
                               QJsonDocument(comparison::toJson(report)).toJson();
        QVERIFY(!all.contains("TOPSECRET"));
        QVERIFY(all.contains("Authorization: ••••••"));
        QVERIFY(readFile(session_).contains("TOPSECRET")); // the session did keep it: masking is the report's job
    }

    void cliWritesEveryFormatAndPdfCarriesTheNumbers()
    {
        for (const char* format : {"html", "md", "csv", "json", "pdf"}) {
            const QString out = dir_.filePath(QStringLiteral("cli.") + QLatin1String(format));
            QProcess cli;
            cli.start(QStringLiteral(BENCHDECK_CLI_PATH),
                      {"report", session_, "--format", format, "-o", out, "--baseline", "2"});
            QVERIFY(cli.waitForFinished(60000));
            QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
            QVERIFY2(QFileInfo(out).size() > 500, format);
        }
        QVERIFY(QFile::exists(dir_.filePath(QStringLiteral("cli-latency-percentiles.svg"))));
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        QVERIFY2(!pdftotext.isEmpty(), "pdftotext (Debian poppler-utils) is needed; scripts/test.sh installs it");
        QProcess text;
        text.start(pdftotext, {dir_.filePath(QStringLiteral("cli.pdf")), QStringLiteral("-")});
        QVERIFY(text.waitForFinished(30000));
        // Undo the typographic ligatures the layout uses ("fi" -> U+FB01), so plain words can be found.
        const QString pdf = QString::fromUtf8(text.readAllStandardOutput())
                                .replace(QChar(0xFB01), QStringLiteral("fi"))
                                .replace(QChar(0xFB02), QStringLiteral("fl"));
        const auto report = buildReport(session_);
        const auto rows = comparison::summaryRows(report);
        QVERIFY2(pdf.contains(QStringLiteral("Summary")), qPrintable(pdf.left(400)));
        QVERIFY(pdf.contains(QString::number(rows[1].rps, 'f', 0)));
        QVERIFY(pdf.contains(QStringLiteral("fixture-run")));
        QVERIFY(!pdf.contains(QStringLiteral("TOPSECRET")));
    }

    void badRequestsAreRefused()
    {
        std::string error;
        auto session = store::SessionFile::open(session_.toStdString(), store::OpenMode::ReadOnly, &error);
        comparison::ReportRequest request;
        request.runIds = {1, 99};
        QVERIFY(!comparison::buildReport(*session, request, &error));
        QVERIFY(error.find("no run 99") != std::string::npos);
        request.runIds = {1};
        request.baselineRunId = 2;
        QVERIFY(!comparison::buildReport(*session, request, &error));
        QVERIFY(error.find("baseline run 2") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
