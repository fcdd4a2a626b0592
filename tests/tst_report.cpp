// SPDX-License-Identifier: Apache-2.0
// Comparison reports: golden files for Markdown, CSV and JSON; HTML that parses, holds its charts and
// reaches for nothing outside itself; PDF text that carries the numbers; escaping and masking; scenario
// runs' steps in every format.
#include "comparison/report_files.h"
#include "report/run_json.h"
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

// A scenario run built by hand: scenario "shop" with the steps "login" (100 answers in 5 ms, 100 checks
// passed) and "item <b>" (100 answers in 50 ms, 10 of 200 checks failed, 3 requests not sent), over
// 2 s; 95 of 100 iterations completed in 60 ms each, 5 ended early.
metrics::RunResult scenarioResult()
{
    metrics::RunResult result;
    result.total.scenario.emplace(2);
    result.stepLabels = {{"shop", "login"}, {"shop", "item <b>"}};
    auto& scenario = *result.total.scenario;
    auto& steps = scenario.steps;
    for (int i = 0; i < 100; ++i) {
        steps[0].latency.record(5'000);
        result.total.recordResponse(200, 5'000);
        steps[1].latency.record(50'000);
        result.total.recordResponse(200, 50'000);
    }
    steps[0].requests = steps[1].requests = 100;
    steps[0].checks = 100;
    steps[1].checks = 200;
    steps[1].checksFailed = 10;
    steps[1].notSent = 3;
    scenario.iterations.recordN(60'000, 95);
    scenario.iterationsStarted = 100;
    scenario.iterationsFailed = 5;
    result.durationSeconds = 2;
    result.finalize();
    return result;
}

// A session of two runs: #1 a single-URL run, #2 the scenario run above, recorded and read back as
// reports read every run.
QString buildScenarioSession(const QTemporaryDir& dir)
{
    const QString path = dir.filePath(QStringLiteral("scenario.benchdeck"));
    std::string error;
    auto session = store::SessionFile::open(path.toStdString(), store::OpenMode::CreateOrOpen, &error);
    if (!session) {
        qFatal("%s", error.c_str());
    }
    const auto record = [&](const engine::RunConfig& plan, const metrics::RunResult& result) {
        const auto id = session->beginRun(plan, false, &error);
        if (!id || !session->finishRun(*id, result, &error)) {
            qFatal("%s", error.c_str());
        }
    };
    engine::RunConfig config;
    config.url = "http://127.0.0.1:3/";
    config.connections = 2;
    config.threads = 1;
    config.duration = std::chrono::seconds(2);
    config.label = "single";
    metrics::RunResult single;
    for (int i = 0; i < 200; ++i) {
        single.total.recordResponse(200, 2'000);
    }
    single.durationSeconds = 2;
    single.finalize();
    record(config, single);
    config.url = "http://127.0.0.1:4/";
    config.label = "shop";
    record(config, scenarioResult());
    return path;
}

comparison::ComparisonReport buildScenarioReport(const QString& path)
{
    std::string error;
    auto session = store::SessionFile::open(path.toStdString(), store::OpenMode::ReadOnly, &error);
    if (!session) {
        qFatal("%s", error.c_str());
    }
    comparison::ReportRequest request;
    request.generatedAt = "2026-12-02T12:00:00Z";
    auto report = comparison::buildReport(*session, request, &error);
    if (!report) {
        qFatal("%s", error.c_str());
    }
    return *report;
}

// RFC 4180 records, grouped into the tables that empty lines separate: [table][record][field].
std::vector<std::vector<QStringList>> csvTables(const QByteArray& csv)
{
    std::vector<std::vector<QStringList>> tables(1);
    const QString text = QString::fromUtf8(csv);
    QStringList record;
    QString field;
    bool quoted = false;
    bool emptyLine = true;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += c;
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        if (c == u'\n') {
            if (emptyLine) {
                tables.emplace_back();
            } else {
                record << field;
                tables.back().push_back(record);
            }
            record.clear();
            field.clear();
            emptyLine = true;
            continue;
        }
        if (c == u'\r') {
            continue;
        }
        emptyLine = false;
        if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            record << field;
            field.clear();
        } else {
            field += c;
        }
    }
    return tables;
}

// The text of a PDF as pdftotext reads it, typographic ligatures undone so plain words can be found.
QString pdfText(const QString& pdf)
{
    const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    if (pdftotext.isEmpty()) {
        qFatal("pdftotext (Debian poppler-utils) is needed; scripts/test.sh installs it");
    }
    QProcess text;
    text.start(pdftotext, {pdf, QStringLiteral("-")});
    text.waitForFinished(30000);
    return QString::fromUtf8(text.readAllStandardOutput())
        .replace(QChar(0xFB01), QStringLiteral("fi"))
        .replace(QChar(0xFB02), QStringLiteral("fl"));
}

const char* kScenarioFooter = "Iterations: 95 completed (47.50/s), 5 ended early; duration p50 60.0 ms, p99 60.0 ms. "
                              "Checks: 290 of 300 passed (96.67%).";

} // namespace

class TestReport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString session_;
    QString scenarioSession_; // a single-URL run and a scenario run

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        session_ = buildSession(dir_);
        scenarioSession_ = buildScenarioSession(dir_);
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

    void scenarioStepsInHtml()
    {
        const auto report = buildScenarioReport(scenarioSession_);
        QVERIFY(report.runs[1].result.summary.isScenario()); // read back from the session with its steps
        const QByteArray html = QByteArray::fromStdString(comparison::toHtml(report));
        QXmlStreamReader xml(html);
        while (!xml.atEnd()) {
            xml.readNext();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString() + QStringLiteral(" at line %1").arg(xml.lineNumber())));
        // After the summary table, one sub-table per scenario run, named as the summary names the run.
        const auto steps = html.indexOf("<h2>Steps</h2>\n<h3>shop #2</h3>\n<table");
        QVERIFY2(steps > html.indexOf("<h2>Summary</h2>") && steps < html.indexOf("<h2>Charts</h2>"), html.constData());
        QVERIFY(!html.contains("<h3>single #1</h3>"));
        QVERIFY(html.contains("<tr><th class=\"name\">Scenario</th><th class=\"name\">Step</th><th>Requests</th>"
                              "<th>req/s</th><th>p50 (ms)</th><th>p90 (ms)</th><th>p99 (ms)</th><th>Max (ms)</th>"
                              "<th>Errors</th><th>Checks failed</th><th>Not sent</th></tr>"));
        QVERIFY2(html.contains("<tr><td class=\"name\">shop</td><td class=\"name\">login</td><td>100</td><td>50.0</td>"
                               "<td>5.00</td><td>5.00</td><td>5.00</td><td>5.00</td><td>0</td>"
                               "<td>0 / 100</td><td>0</td></tr>"),
                 html.constData());
        QVERIFY(html.contains("<tr><td class=\"name\">shop</td><td class=\"name\">item &lt;b&gt;</td><td>100</td>"
                              "<td>50.0</td><td>50.0</td><td>50.0</td><td>50.0</td><td>50.0</td>"
                              "<td>0</td><td>10 / 200</td><td>3</td></tr>"));
        QVERIFY(!html.contains("item <b>"));
        QVERIFY(html.contains(QByteArray("<p class=\"meta\">") + kScenarioFooter + "</p>"));
    }

    void scenarioStepsInMarkdown()
    {
        auto report = buildScenarioReport(scenarioSession_);
        report.runs[1].result.summary.steps[0].step = "log|in"; // a pipe would split the cell
        const QByteArray md = QByteArray::fromStdString(comparison::toMarkdown(report, "x-"));
        QVERIFY2(md.contains("\n## Steps\n\n### shop \\#2\n\n| Scenario | Step | Requests | req/s | p50 (ms) "
                             "| p90 (ms) | p99 (ms) | Max (ms) | Errors | Checks failed | Not sent |\n"
                             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"),
                 md.constData());
        QVERIFY(md.contains("\n| shop | log\\|in | 100 | 50.0 | 5.00 | 5.00 | 5.00 | 5.00 | 0 | 0 / 100 | 0 |\n"));
        QVERIFY(md.contains("\n| shop | item \\<b\\> | 100 | 50.0 | 50.0 | 50.0 | 50.0 | 50.0 | 0 | 10 / 200 | 3 |\n"));
        QVERIFY(md.contains(QByteArray("\n") + kScenarioFooter + "\n"));
        QVERIFY(!md.contains("### single"));
        QVERIFY(md.indexOf("## Steps") < md.indexOf("## Charts"));
    }

    void scenarioStepsInCsv()
    {
        auto report = buildScenarioReport(scenarioSession_);
        report.runs[1].result.summary.steps[0].step = "=HYPERLINK(\"x\"),y"; // a formula, a quote and a comma
        const auto tables = csvTables(QByteArray::fromStdString(comparison::toCsv(report)));
        QCOMPARE(tables.size(), size_t(3));
        // Every record has its table's column count.
        const std::vector<qsizetype> columns{25, 13, 10};
        for (size_t t = 0; t < tables.size(); ++t) {
            for (const auto& record : tables[t]) {
                QCOMPARE(record.size(), columns[t]);
            }
        }
        // The run table as always: its header and one record per run.
        QCOMPARE(tables[0].size(), size_t(3));
        QCOMPARE(tables[0][0].first(), QStringLiteral("run_id"));
        QCOMPARE(tables[1].size(), size_t(3));
        QCOMPARE(tables[1][0], (QStringList{"run_id", "scenario", "step", "requests", "rps", "p50_ms", "p90_ms", "p99_ms",
                                            "max_ms", "errors", "checks_failed", "checks", "not_sent"}));
        QCOMPARE(tables[1][1], (QStringList{"2", "shop", "'=HYPERLINK(\"x\"),y", "100", "50.00", "5.000", "5.000",
                                            "5.000", "5.000", "0", "0", "100", "0"}));
        QCOMPARE(tables[1][2], (QStringList{"2", "shop", "item <b>", "100", "50.00", "50.000", "50.000", "50.000",
                                            "50.000", "0", "10", "200", "3"}));
        QCOMPARE(tables[2].size(), size_t(2));
        QCOMPARE(tables[2][0], (QStringList{"run_id", "iterations_started", "iterations_completed", "iterations_failed",
                                            "iterations_per_second", "iteration_p50_ms", "iteration_p99_ms", "checks",
                                            "checks_failed", "checks_passed_percent"}));
        QCOMPARE(tables[2][1], (QStringList{"2", "100", "95", "5", "47.50", "60.000", "60.000", "300", "10", "96.667"}));
    }

    void scenarioStepsInJson()
    {
        const auto report = buildScenarioReport(scenarioSession_);
        const QByteArray json = QJsonDocument(comparison::toJson(report)).toJson(QJsonDocument::Indented);
        const QJsonArray runs = QJsonDocument::fromJson(json).object().value("runs").toArray();
        QCOMPARE(runs.size(), 2);
        const QJsonObject single = runs[0].toObject();
        QVERIFY(!single.contains("steps") && !single.contains("iterations") && !single.contains("checks"));
        const QJsonObject shop = runs[1].toObject();
        const QJsonArray steps = shop.value("steps").toArray();
        QCOMPARE(steps.size(), 2);
        const QJsonObject item = steps[1].toObject();
        QCOMPARE(item.value("scenario").toString(), QStringLiteral("shop"));
        QCOMPARE(item.value("step").toString(), QStringLiteral("item <b>"));
        QCOMPARE(item.value("requests").toDouble(), 100.0);
        QCOMPARE(item.value("rps").toDouble(), 50.0);
        QCOMPARE(item.value("latency_ms").toObject().value("p99").toDouble(), 50.0);
        QCOMPARE(item.value("checks").toDouble(), 200.0);
        QCOMPARE(item.value("checks_failed").toDouble(), 10.0);
        QCOMPARE(item.value("not_sent").toDouble(), 3.0);
        QCOMPARE(steps[0].toObject().value("checks_failed").toDouble(), 0.0);
        const QJsonObject checks = shop.value("checks").toObject();
        QCOMPARE(checks.value("total").toDouble(), 300.0);
        QCOMPARE(checks.value("failed").toDouble(), 10.0);
        QCOMPARE(checks.value("passed_percent").toDouble(), 100.0 * 290 / 300);
        const QJsonObject iterations = shop.value("iterations").toObject();
        QCOMPARE(iterations.value("started").toDouble(), 100.0);
        QCOMPARE(iterations.value("completed").toDouble(), 95.0);
        QCOMPARE(iterations.value("failed").toDouble(), 5.0);
        QCOMPARE(iterations.value("per_second").toDouble(), 47.5);
        QCOMPARE(iterations.value("duration_ms").toObject().value("p99").toDouble(), 60.0);
        // The keys run --json gives the same run, so one script reads both.
        const QJsonObject cli = benchdeck::report::runToJson(engine::RunConfig{}, report.runs[1].result);
        QCOMPARE(item.keys(), cli.value("steps").toArray().at(1).toObject().keys());
        QCOMPARE(item.value("latency_ms").toObject().keys(),
                 cli.value("steps").toArray().at(1).toObject().value("latency_ms").toObject().keys());
        QCOMPARE(checks.keys(), cli.value("checks").toObject().keys());
        QCOMPARE(iterations.keys(), cli.value("iterations").toObject().keys());
        QCOMPARE(item, cli.value("steps").toArray().at(1).toObject()); // and the same figures
    }

    void scenarioStepsInPdf()
    {
        const QString out = dir_.filePath(QStringLiteral("scenario.pdf"));
        QProcess cli;
        cli.start(QStringLiteral(BENCHDECK_CLI_PATH), {"report", scenarioSession_, "--format", "pdf", "-o", out});
        QVERIFY(cli.waitForFinished(60000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        // Lines joined: the footer may wrap. Narrow table cells wrap too, and pdftotext then interleaves
        // neighbouring cells' lines, so figures are looked for in the footer rather than in the rows.
        const QString pdf = pdfText(out).simplified();
        QVERIFY2(pdf.contains(QStringLiteral("Steps shop #2")), qPrintable(pdf));
        QVERIFY2(pdf.contains(QStringLiteral("item <b>")), qPrintable(pdf)); // escaped in the HTML, shown as written
        QVERIFY2(pdf.contains(QString::fromLatin1(kScenarioFooter)), qPrintable(pdf));
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
