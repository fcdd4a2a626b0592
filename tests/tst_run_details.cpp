// SPDX-License-Identifier: Apache-2.0
// The Run details dialog and its models over runs built by hand: every model under
// QAbstractItemModelTester, what it shows read back as text rows and compared exactly, credentials never
// shown, the per-second CSV, and the dialog's Copy as CSV. No network, no session file, well under a second.
#include "dialogs/run_details_dialog.h"
#include "models/run_details_models.h"
#include "plan/plan_codec.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QShortcut>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace benchdeck;
using namespace std::chrono_literals;

namespace {

constexpr const char* kSecret = "Bearer s3cr3t-token-4711";

engine::RunConfig openPlan()
{
    engine::RunConfig config;
    config.url = "http://127.0.0.1:8080/api";
    config.headers = {{"Authorization", kSecret, false}, {"Accept", "application/json", false}};
    config.rate = 10;
    config.connections = 50;
    config.threads = 2;
    config.duration = 10s;
    config.thresholds = {"p99<50ms", "errors<1%"};
    return config;
}

// An open-model run: 90 answers of 200 in 2 ms, 10 of 500 in 40 ms, 5 refused connections, over 10 s.
store::StoredRun openRun(plan::Secrets secrets = plan::Secrets::Withhold)
{
    store::StoredRun run;
    run.listing.id = 7;
    run.listing.label = "Go (Gin)";
    run.listing.url = "http://127.0.0.1:8080/api";
    run.listing.startedAt = "2026-12-02T10:00:00Z";
    run.listing.status = "completed";
    run.plan = plan::toJson(openPlan(), secrets, &run.secretsWithheld);
    run.planRecorded = true;
    run.environment = QJsonObject{{QStringLiteral("host"), QStringLiteral("bench-01")},
                                  {QStringLiteral("cores"), 8},
                                  {QStringLiteral("os"), QStringLiteral("Debian GNU/Linux 12")},
                                  {QStringLiteral("benchdeck"), QStringLiteral("0.1.0")}};
    auto& r = run.result;
    for (int i = 0; i < 90; ++i) {
        r.total.recordResponse(200, 2000);
    }
    for (int i = 0; i < 10; ++i) {
        r.total.recordResponse(500, 40000);
    }
    for (int i = 0; i < 5; ++i) {
        r.total.recordFailure(metrics::ErrorKind::ConnectRefused, "connect()", "Connection refused");
        r.total.connect.record(300);
    }
    for (int i = 0; i < 100; ++i) {
        r.total.ttfb.record(1500);
    }
    r.total.connectionsOpened = 5;
    r.total.bytesReceived = 20480;
    r.total.bytesSent = 5000;
    r.durationSeconds = 10;
    r.engineName = "http1-fast";
    r.threads = 2;
    r.connections = 50;
    metrics::IntervalRecord first;
    first.t = 1;
    first.seconds = 1;
    first.requests = 10;
    first.p50 = 2000;
    first.p90 = 2000;
    first.p99 = 2000;
    first.max = 2000;
    first.meanMicros = 2000;
    first.cpuPercent = 12.5;
    metrics::IntervalRecord second = first;
    second.t = 2;
    second.requests = 12;
    second.errors = 2;
    second.p90 = 40000;
    second.p99 = 40000;
    second.max = 40000;
    second.meanMicros = 8333.333;
    metrics::IntervalRecord last = first;
    last.t = 2.5;
    last.seconds = 0.5;
    last.requests = 5;
    last.cpuPercent = 7.3;
    r.series = {first, second, last};
    r.schedule = {true, 10, 10.5, 3, 1.5, 4.25};
    r.generator.workerCpuPercent = {10, 15};
    r.generator.cpuPercent = 12.5;
    r.server.measured = true;
    r.server.source = "pid 4242";
    r.server.peakRssMb = 48.5;
    r.server.meanRssMb = 44.4;
    r.server.cpuPercent = 35;
    r.server.cpuMicrosPerRequest = 333;
    r.server.samples = {{0, 40u << 20, 0}, {1, 44u << 20, 300000}, {2, 97u << 19, 700000}};
    r.finalize();
    return run;
}

// A closed-model run against a port where nothing listens: 3 refused connections, no answer.
store::StoredRun failedClosedRun()
{
    engine::RunConfig config;
    config.url = "http://127.0.0.1:9/";
    config.connections = 20;
    config.threads = 1;
    config.duration = 5s;
    store::StoredRun run;
    run.listing.id = 8;
    run.listing.url = config.url;
    run.listing.status = "failed";
    run.plan = plan::toJson(config, plan::Secrets::Withhold, &run.secretsWithheld);
    run.planRecorded = true;
    for (int i = 0; i < 3; ++i) {
        run.result.total.recordFailure(metrics::ErrorKind::ConnectRefused);
    }
    run.result.durationSeconds = 5;
    run.result.generator.saturated = true;
    run.result.generator.advice = "a load-generator thread was busy at least 90% of the time";
    run.result.finalize();
    return run;
}

// A run from a schema-1 session: figures, but no plan.
store::StoredRun unrecordedRun()
{
    store::StoredRun run;
    run.listing.id = 9;
    run.listing.label = "old";
    run.listing.status = "completed";
    for (int i = 0; i < 4; ++i) {
        run.result.total.recordResponse(204, 1000);
    }
    run.result.durationSeconds = 1;
    run.result.finalize();
    return run;
}

store::StoredRun fixture(const QString& name)
{
    if (name == QLatin1String("open")) {
        return openRun();
    }
    if (name == QLatin1String("closed")) {
        return failedClosedRun();
    }
    return unrecordedRun();
}

std::unique_ptr<ui::RunDetailsTableModel> makeModel(const QString& name)
{
    if (name == QLatin1String("facts")) {
        return std::make_unique<ui::RunFactsModel>();
    }
    if (name == QLatin1String("statusCodes")) {
        return std::make_unique<ui::StatusCodesModel>();
    }
    if (name == QLatin1String("errorKinds")) {
        return std::make_unique<ui::ErrorKindsModel>();
    }
    if (name == QLatin1String("thresholds")) {
        return std::make_unique<ui::ThresholdsModel>();
    }
    return std::make_unique<ui::SeriesModel>();
}

QString lines(std::initializer_list<const char*> rows)
{
    QStringList out;
    for (const char* row : rows) {
        out << QString::fromUtf8(row);
    }
    return out.join(QLatin1Char('\n'));
}

// The facts rows of one section, heading excluded: from its heading to the next one.
QStringList section(const QString& text, const QString& heading)
{
    QStringList rows;
    bool inside = false;
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        if (line.endsWith(QStringLiteral(" | ")) && !line.contains(QStringLiteral(": "))) {
            inside = line == heading + QStringLiteral(" | ");
            continue;
        }
        if (inside) {
            rows << line;
        }
    }
    return rows;
}

} // namespace

class TestRunDetails : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Figures that follow the locale ("%L1") read the same on every test machine.
        QLocale::setDefault(QLocale::c());
    }

    void modelText_data()
    {
        QTest::addColumn<QString>("run");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("expected");
        // Unformatted: one row per line reads as the table it is.
        // clang-format off
        QTest::newRow("open: status codes")
            << "open" << "statusCodes" << lines({"200 | 90 | 90.0%", "500 | 10 | 10.0%"});
        QTest::newRow("open: error kinds")
            << "open" << "errorKinds"
            << lines({"connection refused | 5 | 4.76% | connect(): Connection refused | Nothing accepted connections "
                      "at the address and port: no server listening, or it was down or overloaded.",
                      "HTTP 5xx | 10 | 9.52% | – | The server answered with a server error (5xx)."});
        QTest::newRow("open: thresholds")
            << "open" << "thresholds" << lines({"p99<50ms | PASS | 40.0ms", "errors<1% | FAIL | 14.29%"});
        QTest::newRow("open: series")
            << "open" << "series"
            << lines({"1 | 1 | 10 | 10.0 | 0 | 2.00 | 2.00 | 2.00 | 2.00 | 2.00 | 12.5",
                      "2 | 1 | 12 | 12.0 | 2 | 2.00 | 40.00 | 40.00 | 40.00 | 8.33 | 12.5",
                      "2.5 | 0.5 | 5 | 10.0 | 0 | 2.00 | 2.00 | 2.00 | 2.00 | 2.00 | 7.3"});
        QTest::newRow("open: facts")
            << "open" << "facts"
            << lines({"Run | ",
                      "Number | #7",
                      "Label | Go (Gin)",
                      "Started | 2026-12-02T10:00:00Z",
                      "Status | completed",
                      "Engine | http1-fast",
                      "Workers | 2 threads, 50 connections",
                      "Plan | ",
                      "Load | open model, 10 req/s, 10s",
                      "URL | http://127.0.0.1:8080/api",
                      "Method | GET, HTTP/1.1",
                      "Header | Authorization: withheld",
                      "Header | Accept: application/json",
                      "Body | none",
                      "Connections | 50 (at most this many requests in flight)",
                      "Rate | 10 req/s",
                      "Duration | 10s",
                      "Threads | 2",
                      "Timeouts | request 30s, connect 10s",
                      "Redirects | not followed",
                      "Thresholds | p99<50ms, errors<1%",
                      "Secrets | withheld from the session file",
                      "Environment | ",
                      "Host | bench-01",
                      "Cores | 8",
                      "OS | Debian GNU/Linux 12",
                      "Benchdeck | 0.1.0",
                      "Summary | ",
                      "Measured for | 10.00 s",
                      "Requests | 105",
                      "Responses | 100",
                      "Errors | 15 (14.3%)",
                      "Throughput | 10.50 req/s",
                      "Received | 20 KiB",
                      "Sent | 4.9 KiB",
                      "Connections opened | 5",
                      "Latency min | 2.00 ms",
                      "Latency mean | 5.80 ms",
                      "Latency stdev | 11.40 ms",
                      "Latency p50 | 2.00 ms",
                      "Latency p90 | 2.00 ms",
                      "Latency p99 | 40.00 ms",
                      "Latency p99.9 | 40.00 ms",
                      "Latency max | 40.00 ms",
                      "Phases | ",
                      "DNS lookup | not measured separately",
                      "Connect | p50 300 µs · p99 300 µs · max 300 µs (5 samples)",
                      "TLS handshake | no TLS handshakes",
                      "Time to first byte | p50 1.50 ms · p99 1.50 ms · max 1.50 ms (100 samples)",
                      "Request to last byte | p50 2.00 ms · p99 40.00 ms · max 40.00 ms (100 samples)",
                      "Schedule | ",
                      "Intended rate | 10.0 req/s",
                      "Achieved rate | 10.5 req/s",
                      "Late sends | 3 (more than 1 ms after their intended time)",
                      "Lateness | mean 1.50 ms, max 4.25 ms",
                      "Load generator | ",
                      "CPU | 12.5% per worker thread (10%, 15%)",
                      "Saturation | not saturated: nothing shows the load generator was the limit",
                      "Server | ",
                      "Measured | pid 4242",
                      "Peak memory (RSS) | 48.5 MB",
                      "Mean memory (RSS) | 44.4 MB",
                      "CPU | 35.0% of a core",
                      "CPU per request | 333 µs",
                      "Samples | 3"});

        QTest::newRow("closed: status codes") << "closed" << "statusCodes" << QString();
        QTest::newRow("closed: error kinds")
            << "closed" << "errorKinds"
            << lines({"connection refused | 3 | 100.0% | – | Nothing accepted connections at the address and port: "
                      "no server listening, or it was down or overloaded."});
        QTest::newRow("closed: thresholds") << "closed" << "thresholds" << QString();
        QTest::newRow("closed: series") << "closed" << "series" << QString();

        QTest::newRow("unrecorded: status codes") << "unrecorded" << "statusCodes" << lines({"204 | 4 | 100.0%"});
        QTest::newRow("unrecorded: thresholds") << "unrecorded" << "thresholds" << QString();
        // clang-format on
    }

    void modelText()
    {
        QFETCH(QString, run);
        QFETCH(QString, model);
        QFETCH(QString, expected);
        auto table = makeModel(model);
        QAbstractItemModelTester tester(table.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        table->setRun(fixture(run));
        QCOMPARE(table->toText(), expected);
        // Every row has every column, and the header names each one.
        for (int column = 0; column < table->columnCount(); ++column) {
            QVERIFY(!table->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString().isEmpty());
        }
        // A second run replaces the first entirely (a reset the tester checks).
        table->setRun(unrecordedRun());
        table->setRun(fixture(run));
        QCOMPARE(table->toText(), expected);
    }

    void closedRunFacts()
    {
        ui::RunFactsModel facts;
        QAbstractItemModelTester tester(&facts, QAbstractItemModelTester::FailureReportingMode::QtTest);
        facts.setRun(failedClosedRun());
        const QString text = facts.toText();
        QCOMPARE(section(text, QStringLiteral("Run")),
                 QStringList({QStringLiteral("Number | #8"), QStringLiteral("Status | failed: connection refused")}));
        QVERIFY2(text.contains(QStringLiteral("Load | closed model, 20 users, 5s")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Connections | 20 users")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Thresholds | none")), qPrintable(text));
        QCOMPARE(section(text, QStringLiteral("Environment")),
                 QStringList(QStringLiteral("Environment | not recorded")));
        QCOMPARE(section(text, QStringLiteral("Server")), QStringList(QStringLiteral("Server | not measured")));
        QVERIFY2(text.contains(QStringLiteral("Latency | no responses")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Saturation | saturated: a load-generator thread was busy at least 90% "
                                              "of the time")),
                 qPrintable(text));
    }

    void scheduleOnlyForOpenModelRuns()
    {
        ui::RunFactsModel facts;
        facts.setRun(openRun());
        QCOMPARE(section(facts.toText(), QStringLiteral("Schedule")).size(), 4);
        facts.setRun(failedClosedRun());
        QVERIFY2(!facts.toText().contains(QStringLiteral("Schedule | ")), qPrintable(facts.toText()));
        QVERIFY(!facts.toText().contains(QStringLiteral("Late sends")));
    }

    void unrecordedPlanIsSaidSo()
    {
        ui::RunFactsModel facts;
        facts.setRun(unrecordedRun());
        QCOMPARE(section(facts.toText(), QStringLiteral("Plan")),
                 QStringList(QStringLiteral("Plan | not recorded (stored before sessions kept the load shape)")));
        ui::ThresholdsModel thresholds;
        thresholds.setRun(unrecordedRun());
        QCOMPARE(thresholds.emptyReason(),
                 QStringLiteral("This run's plan was not recorded, so its thresholds are unknown."));
        thresholds.setRun(failedClosedRun());
        QCOMPARE(thresholds.emptyReason(), QStringLiteral("No thresholds in this run's plan."));
        thresholds.setRun(openRun());
        QVERIFY(thresholds.emptyReason().isEmpty());
    }

    void credentialsNeverShown_data()
    {
        QTest::addColumn<bool>("kept");
        QTest::newRow("withheld from the session") << false;
        QTest::newRow("kept in the session") << true;
    }

    void credentialsNeverShown()
    {
        QFETCH(bool, kept);
        const auto run = openRun(kept ? plan::Secrets::Keep : plan::Secrets::Withhold);
        // Kept: the stored plan holds the value, and the models still must not show it.
        QCOMPARE(run.plan.value(QStringLiteral("headers")).toArray().at(0).toObject().contains(QStringLiteral("value")),
                 kept);
        ui::RunFactsModel facts;
        ui::StatusCodesModel codes;
        ui::ErrorKindsModel errors;
        ui::ThresholdsModel thresholds;
        ui::SeriesModel series;
        QStringList texts;
        for (ui::RunDetailsTableModel* model :
             std::initializer_list<ui::RunDetailsTableModel*>{&facts, &codes, &errors, &thresholds, &series}) {
            model->setRun(run);
            texts << model->toText();
        }
        texts << series.toCsv();
        const QString all = texts.join(QLatin1Char('\n'));
        QVERIFY2(!all.contains(QStringLiteral("s3cr3t")), qPrintable(all));
        QVERIFY2(all.contains(kept ? QStringLiteral("Header | Authorization: •••• (hidden)")
                                   : QStringLiteral("Header | Authorization: withheld")),
                 qPrintable(all));
        ui::RunDetailsDialog dialog(run, nullptr);
        QVERIFY(!dialog.facts()->toText().contains(QStringLiteral("s3cr3t")));
    }

    void seriesCsv()
    {
        ui::SeriesModel series;
        series.setRun(openRun());
        const QStringList rows = series.toCsv().split(QStringLiteral("\r\n"));
        QCOMPARE(rows.size(), 5); // header, 3 rows, and the empty remainder after the last line end
        QCOMPARE(rows.at(0), QStringLiteral("t_s,interval_s,requests,rps,errors,p50_ms,p90_ms,p99_ms,max_ms,mean_ms,"
                                            "generator_cpu_percent"));
        QCOMPARE(rows.at(2), QStringLiteral("2,1,12,12.00,2,2.000,40.000,40.000,40.000,8.333,12.5"));
        QCOMPARE(rows.at(3), QStringLiteral("2.5,0.5,5,10.00,0,2.000,2.000,2.000,2.000,2.000,7.3"));
        QVERIFY(rows.at(4).isEmpty());
        // The same text under a locale that writes decimal commas.
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        const QString german = series.toCsv();
        QLocale::setDefault(QLocale::c());
        QCOMPARE(german.split(QStringLiteral("\r\n")), rows);

        series.setRun(failedClosedRun());
        QCOMPARE(series.toCsv(), rows.at(0) + QStringLiteral("\r\n"));
    }

    void dialogShowsTheRun()
    {
        ui::RunDetailsDialog dialog(openRun(), nullptr);
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Run 7 — Go (Gin)"));
        QCOMPARE(dialog.tabs()->count(), 5);
        for (const char* name : {"overviewTab", "responsesTab", "thresholdsTab", "serverTab", "seriesTab"}) {
            QVERIFY2(dialog.findChild<QWidget*>(QLatin1String(name)), name);
        }
        for (const char* name :
             {"factsTable", "statusCodesTable", "errorKindsTable", "thresholdsTable", "seriesTable"}) {
            auto* table = dialog.findChild<QTableView*>(QLatin1String(name));
            QVERIFY2(table && !table->accessibleName().isEmpty(), name);
        }
        QCOMPARE(dialog.facts()->toText(), [] {
            ui::RunFactsModel facts;
            facts.setRun(openRun());
            return facts.toText();
        }());
        QCOMPARE(dialog.thresholds()->rowCount(), 2);
        QVERIFY(!dialog.findChild<QLabel*>(QStringLiteral("noThresholdsLabel")));
        QVERIFY(dialog.findChild<QWidget*>(QStringLiteral("serverMemoryChart")));
        QVERIFY(dialog.findChild<QWidget*>(QStringLiteral("serverCpuChart")));
        // Fits a 1024×700 screen.
        QVERIFY(dialog.minimumWidth() <= 1024 && dialog.minimumHeight() <= 700);
        QVERIFY(dialog.width() <= 1024 && dialog.height() <= 700);
    }

    void dialogWithoutThresholdsOrServer()
    {
        ui::RunDetailsDialog dialog(failedClosedRun(), nullptr);
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Run 8 — http://127.0.0.1:9/"));
        auto* label = dialog.findChild<QLabel*>(QStringLiteral("noThresholdsLabel"));
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("No thresholds in this run's plan."));
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("serverNotMeasuredLabel")));
        QVERIFY(!dialog.findChild<QWidget*>(QStringLiteral("serverMemoryChart")));
        auto* copy = dialog.findChild<QPushButton*>(QStringLiteral("copyCsvButton"));
        QVERIFY(copy && !copy->isEnabled()); // nothing to copy
    }

    void copyAsCsv()
    {
        ui::RunDetailsDialog dialog(openRun(), nullptr);
        auto* copy = dialog.findChild<QPushButton*>(QStringLiteral("copyCsvButton"));
        QVERIFY(copy && copy->isEnabled());
        QGuiApplication::clipboard()->setText(QStringLiteral("before"));
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), dialog.series()->toCsv());
        QVERIFY(QGuiApplication::clipboard()->text().startsWith(QStringLiteral("t_s,interval_s,")));

        auto* shortcut = dialog.findChild<QShortcut*>(QStringLiteral("copyCsvShortcut"));
        QVERIFY(shortcut);
        QCOMPARE(shortcut->key(), QKeySequence(QKeySequence::Copy));
    }

    void copyShortcutOnThePerSecondTab()
    {
        ui::RunDetailsDialog dialog(openRun(), nullptr);
        auto* tab = dialog.findChild<QWidget*>(QStringLiteral("seriesTab"));
        dialog.tabs()->setCurrentWidget(tab);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        auto* table = dialog.findChild<QTableView*>(QStringLiteral("seriesTable"));
        table->setFocus();
        table->setCurrentIndex(table->model()->index(0, 0));
        QGuiApplication::clipboard()->setText(QStringLiteral("before"));
        QTest::keySequence(table, QKeySequence(QKeySequence::Copy));
        QCOMPARE(QGuiApplication::clipboard()->text(), dialog.series()->toCsv());
    }
};

QTEST_MAIN(TestRunDetails)
#include "tst_run_details.moc"
