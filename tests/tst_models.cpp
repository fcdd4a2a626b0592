// SPDX-License-Identifier: Apache-2.0
// The app's item models without a window: each one under QAbstractItemModelTester (which fails the
// test on any breach of the model/view contract while data is set and reset), and what it shows read
// back as text, cell by cell. No network, no event loop, well under a second.
#include "models/compare_model.h"
#include "models/decision_models.h"
#include "models/run_history_filter.h"
#include "models/run_history_model.h"
#include "models/session_tree_model.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace benchdeck;

namespace {

// Header and cells, tab-separated, one line per row: what a view would show for DisplayRole.
QString dump(const QAbstractItemModel& model)
{
    QStringList lines;
    QStringList header;
    for (int column = 0; column < model.columnCount(); ++column) {
        header << model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
    }
    lines << header.join(QLatin1Char('\t'));
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells{model.headerData(row, Qt::Vertical, Qt::DisplayRole).toString()};
        for (int column = 0; column < model.columnCount(); ++column) {
            cells << model.index(row, column).data(Qt::DisplayRole).toString();
        }
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n'));
}

// A tree as indented lines: "name" for top-level rows, "  name" for their children, with the id.
QString treeDump(const QAbstractItemModel& model, const QModelIndex& parent = {}, int depth = 0)
{
    QStringList lines;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        lines << QString(depth * 2, QLatin1Char(' ')) + index.data().toString() + QStringLiteral(" #") +
                     index.data(ui::SessionTreeModel::IdRole).toString();
        const QString children = treeDump(model, index, depth + 1);
        if (!children.isEmpty()) {
            lines << children;
        }
    }
    return lines.join(QLatin1Char('\n'));
}

store::RunListing listing(int64_t id, const char* label, const char* candidate, const char* status, const char* note)
{
    store::RunListing run;
    run.id = id;
    run.label = label;
    run.candidateName = candidate;
    run.targetName = "GET /json";
    run.url = "http://127.0.0.1:8080/json";
    run.profile = id % 2 ? "closed model, 50 users, 10s" : "open model, 1,000 req/s, 10s";
    run.status = status;
    run.note = note;
    run.startedAt = "2026-12-02T10:00:0" + std::to_string(id) + "Z";
    return run;
}

store::StoredRun storedRun(int64_t id, const char* label, int status200, int latencyMicros, double seconds)
{
    store::StoredRun run;
    run.listing.id = id;
    run.listing.label = label;
    run.listing.url = "http://127.0.0.1:1/";
    run.listing.status = "completed";
    run.listing.startedAt = "2026-12-02T10:00:0" + std::to_string(id) + "Z";
    for (int i = 0; i < status200; ++i) {
        run.result.total.recordResponse(200, latencyMicros);
    }
    run.result.durationSeconds = seconds;
    run.result.finalize();
    run.listing.rps = run.result.summary.rps;
    run.listing.requests = run.result.summary.requests;
    return run;
}

// A scenario run made by hand: scenario "shop" with the steps "login" (100 answers in `loginMicros`,
// 100 checks passed) and "item <b>" (100 answers in `itemMicros`, 10 of 200 checks failed), over 2 s.
store::StoredRun scenarioRun(int64_t id, const char* label, int64_t loginMicros, int64_t itemMicros)
{
    store::StoredRun run;
    run.listing.id = id;
    run.listing.label = label;
    run.listing.url = "http://127.0.0.1:1/";
    run.listing.status = "completed";
    auto& result = run.result;
    result.total.scenario.emplace(2);
    result.stepLabels = {{"shop", "login"}, {"shop", "item <b>"}};
    auto& steps = result.total.scenario->steps;
    for (int i = 0; i < 100; ++i) {
        steps[0].latency.record(loginMicros);
        result.total.recordResponse(200, loginMicros);
        steps[1].latency.record(itemMicros);
        result.total.recordResponse(200, itemMicros);
    }
    steps[0].requests = steps[1].requests = 100;
    steps[0].checks = 100;
    steps[1].checks = 200;
    steps[1].checksFailed = 10;
    result.durationSeconds = 2;
    result.finalize();
    return run;
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT

private slots:
    void runHistoryShowsEachRun()
    {
        ui::RunHistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto a = storedRun(1, "Go (Gin)", 900, 1000, 1).listing;
        a.p50Micros = 1000;
        a.p99Micros = 2500;
        auto b = storedRun(2, "Python (FastAPI)", 100, 8000, 1).listing;
        b.status = "failed";
        b.failureReason = "no response from the server";
        model.setRuns({a, b});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(ui::RunHistoryModel::ColumnCount));
        const QString text = dump(model);
        QVERIFY2(text.contains(QStringLiteral("Go (Gin)")) && text.contains(QStringLiteral("Python (FastAPI)")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("900")), qPrintable(text)); // 900 req/s
        QVERIFY2(text.contains(QStringLiteral("failed")), qPrintable(text));
        QCOMPARE(model.index(0, 0).data(ui::RunHistoryModel::RunIdRole).toLongLong(), 1);
        model.setRuns({});
        QCOMPARE(model.rowCount(), 0);
    }

    void compareShowsRatiosAgainstTheBaseline()
    {
        ui::CompareModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRuns({storedRun(1, "fast", 1000, 1000, 1), storedRun(2, "slow", 250, 4000, 1)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(ui::CompareModel::ColumnCount));
        const auto cell = [&](int row, ui::CompareModel::Column column) {
            return model.index(row, column).data(Qt::DisplayRole).toString();
        };
        // The first run is the baseline; the other's ratios are against it, from the runs' own summaries.
        QCOMPARE(cell(0, ui::CompareModel::RpsVsBaseline), QStringLiteral("–"));
        QVERIFY2(cell(1, ui::CompareModel::RpsVsBaseline).contains(QStringLiteral("0.25")),
                 qPrintable(cell(1, ui::CompareModel::RpsVsBaseline)));
        QVERIFY2(cell(1, ui::CompareModel::P99VsBaseline).contains(QStringLiteral("4.00")),
                 qPrintable(cell(1, ui::CompareModel::P99VsBaseline)));
        QCOMPARE(cell(1, ui::CompareModel::Memory), QStringLiteral("not measured")); // not zero
        // The run marked as the session's baseline (Ctrl+B) is where a comparison starts.
        auto marked = storedRun(2, "slow", 250, 4000, 1);
        marked.listing.baseline = true;
        ui::CompareModel fromMark;
        fromMark.setRuns({storedRun(1, "fast", 1000, 1000, 1), marked});
        QCOMPARE(fromMark.baseline(), 1);
        model.setBaseline(1);
        QCOMPARE(model.baseline(), 1);
        QVERIFY2(cell(0, ui::CompareModel::RpsVsBaseline).contains(QStringLiteral("4.00")),
                 qPrintable(dump(model)));
    }

    void compareShowsStepFiguresOfScenarioRuns()
    {
        ui::StepCompareModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRuns({storedRun(1, "plain", 100, 1000, 1)});
        QCOMPARE(model.rowCount(), 0); // single-URL runs only: nothing to show
        // The item step got slower between the two scenario runs; the single-URL run has no steps.
        const auto before = scenarioRun(2, "before", 5'000, 50'000);
        model.setRuns({storedRun(1, "plain", 100, 1000, 1), before, scenarioRun(3, "after", 5'000, 80'000)});
        QCOMPARE(dump(model), QStringLiteral("Step figure\tplain #1\tbefore #2\tafter #3\n"
                                             "\tstep login p99\t–\t5.00 ms\t5.00 ms\n"
                                             "\tstep login req/s\t–\t50\t50\n"
                                             "\tstep login checks failed\t–\t0 of 100\t0 of 100\n"
                                             "\tstep item <b> p99\t–\t50.00 ms\t80.00 ms\n"
                                             "\tstep item <b> req/s\t–\t50\t50\n"
                                             "\tstep item <b> checks failed\t–\t10 of 200\t10 of 200"));
        // The p99 row carries the summary's own figure, in microseconds.
        const int itemP99 = 3;
        QCOMPARE(ui::StepCompareModel::figureAt(itemP99), ui::StepCompareModel::Figure::P99);
        const QModelIndex beforeItemP99 = model.index(itemP99, ui::StepCompareModel::kFirstRunColumn + 1);
        QCOMPARE(beforeItemP99.data(ui::StepCompareModel::ValueRole).toLongLong(),
                 qlonglong(before.result.summary.steps[1].latency.p99));
        QCOMPARE(beforeItemP99.data(ui::StepCompareModel::ValueRole).toLongLong(), qlonglong(50'000));
        QCOMPARE(model.index(5, ui::StepCompareModel::kFirstRunColumn + 1).data(ui::StepCompareModel::ValueRole)
                     .toULongLong(),
                 qulonglong(10));
        const QModelIndex plain = model.index(itemP99, ui::StepCompareModel::kFirstRunColumn);
        QVERIFY(!plain.data(ui::StepCompareModel::ValueRole).isValid());
        QVERIFY2(plain.data(Qt::ToolTipRole).toString().contains(QStringLiteral("not a scenario run")),
                 qPrintable(plain.data(Qt::ToolTipRole).toString()));
        model.setRuns({});
        QCOMPARE(model.rowCount(), 0);
    }

    void decisionModelsShareOneState()
    {
        ui::DecisionState state;
        const auto candidate = [&](int64_t id, std::string name, std::string stack, double rps, double p99Ms,
                                   double coldStartMs, double artifactMb) {
            decision::CandidateFacts facts;
            facts.candidateId = id;
            facts.name = std::move(name);
            facts.stack = std::move(stack);
            facts.throughput = rps;
            facts.p99Ms = p99Ms;
            facts.errorPercent = 0.0;
            facts.coldStartMs = coldStartMs;
            facts.artifactMb = artifactMb;
            facts.qualitative = state.model.defaultScores(facts.stack);
            return facts;
        };
        const auto go = candidate(1, "Go (Gin)", "go", 90000, 2, 20, 10);
        const auto python = candidate(2, "Python (FastAPI)", "python", 5000, 20, 300, 60);
        state.candidateIds = {1, 2};
        state.facts = {go, python};
        ui::DecisionTableModel table(&state);
        ui::WeightsModel weights(&state);
        ui::ScoresModel scores(&state);
        QAbstractItemModelTester t1(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&weights, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(&scores, QAbstractItemModelTester::FailureReportingMode::QtTest);
        table.refresh();
        QCOMPARE(table.columnCount(), 2);
        QCOMPARE(table.rowCount(), int(state.model.needs().size()));
        const QString text = dump(table);
        // High-traffic API goes to Go on these figures; AI/ML integration to Python on the defaults.
        const auto row = [&](const QString& need) {
            for (const QString& line : text.split(QLatin1Char('\n'))) {
                if (line.startsWith(need + QLatin1Char('\t'))) {
                    return line;
                }
            }
            return QString();
        };
        QVERIFY2(row(QStringLiteral("High-traffic API")).section(QLatin1Char('\t'), 1, 1).contains(QStringLiteral("Best choice")),
                 qPrintable(text));
        QVERIFY2(row(QStringLiteral("AI/ML integration")).section(QLatin1Char('\t'), 2, 2).contains(QStringLiteral("Best choice")),
                 qPrintable(text));
        // The measured deployment criteria are weighed rows of the weights table.
        const QString weightText = dump(weights);
        QVERIFY2(weightText.contains(QStringLiteral("Cold start")) && weightText.contains(QStringLiteral("Artifact size")),
                 qPrintable(weightText));
        QVERIFY(scores.rowCount() > 0);
        QCOMPARE(scores.columnCount(), 2);
    }

    void sessionTreeGroupsTargetsUnderCandidates_data()
    {
        QTest::addColumn<int>("targetWithoutCandidate"); // 0: every target has its candidate
        QTest::addColumn<QString>("expected");
        QTest::newRow("all filed") << 0
                                   << "Go (Gin)  [go] #1\n  GET /json #10\n  POST /items #11\nPython (FastAPI)  [python] #2\n"
                                      "  http://127.0.0.1:9/json #12";
        QTest::newRow("one stray") << 1
                                   << "Go (Gin)  [go] #1\n  GET /json #10\n  POST /items #11\nPython (FastAPI)  [python] #2\n"
                                      "(no candidate) #0\n  http://127.0.0.1:9/json #12";
    }

    void sessionTreeGroupsTargetsUnderCandidates()
    {
        QFETCH(int, targetWithoutCandidate);
        QFETCH(QString, expected);
        ui::SessionTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<store::Candidate> candidates{{1, "Go (Gin)", "go", ""}, {2, "Python (FastAPI)", "python", ""}};
        std::vector<store::Target> targets(3);
        targets[0].id = 10;
        targets[0].candidateId = 1;
        targets[0].name = "GET /json";
        targets[1].id = 11;
        targets[1].candidateId = 1;
        targets[1].name = "POST /items";
        targets[2].id = 12;
        targets[2].candidateId = targetWithoutCandidate ? 99 : 2; // 99: its candidate was removed
        targets[2].request.url = "http://127.0.0.1:9/json";       // no name: the URL stands in
        model.setContent(candidates, targets);
        QCOMPARE(treeDump(model), expected);
        // A candidate stands for its first target (F5 on a candidate runs it); a target for itself.
        QCOMPARE(ui::SessionTreeModel::targetAt(model.index(0, 0)), int64_t(10));
        QCOMPARE(ui::SessionTreeModel::targetAt(model.indexOfTarget(11)), int64_t(11));
        QCOMPARE(ui::SessionTreeModel::candidateAt(model.indexOfTarget(11)), int64_t(1));
        QCOMPARE(model.indexOfTarget(12).data(Qt::ToolTipRole).toString(), QStringLiteral("GET http://127.0.0.1:9/json"));
        QVERIFY(!model.indexOfTarget(404).isValid());
        model.setContent({}, {});
        QCOMPARE(model.rowCount(), 0);
    }

    void profileListShowsThresholds()
    {
        ui::ProfileListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store::Profile judged{7, "judged", {}};
        judged.load.connections = 50;
        judged.load.duration = std::chrono::seconds(10);
        judged.load.thresholds = {"p99<50ms", "errors<1%"};
        model.setProfiles({judged});
        QCOMPARE(treeDump(model), QStringLiteral("judged #7"));
        QCOMPARE(model.index(0, 0).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("closed model, 50 users, 10s\nthreshold p99<50ms\nthreshold errors<1%"));
        QCOMPARE(ui::ProfileListModel::profileAt(model.indexOfProfile(7)), int64_t(7));
    }

    void runHistoryRowsAsShown()
    {
        ui::RunHistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto baseline = listing(1, "gin", "Go (Gin)", "completed", "tuned");
        baseline.baseline = true;
        model.setRuns({baseline, listing(2, "fastapi", "Python (FastAPI)", "failed", "")});
        const QString text = dump(model);
        const QStringList lines = text.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], QStringLiteral("When\tLabel\treq/s\tp50\tp99\tErrors\tStatus\tCandidate\tTarget\tProfile\tNote"));
        QVERIFY2(lines[1].endsWith(QStringLiteral("\t★ gin\t0\t–\t–\t0\tcompleted\tGo (Gin)\tGET /json (http://127.0.0.1:8080/json)\t"
                                                  "closed model, 50 users, 10s\ttuned")),
                 qPrintable(lines[1]));
        QCOMPARE(model.index(0, ui::RunHistoryModel::Label).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Baseline run #1\ntuned"));
        QVERIFY(model.index(0, 0).data(ui::RunHistoryModel::BaselineRole).toBool());
        QVERIFY(!model.index(1, 0).data(ui::RunHistoryModel::BaselineRole).toBool());
    }

    void runHistoryFilters_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("labels"); // what stays, in order
        QTest::newRow("everything") << "" << "" << "gin,fastapi,express";
        QTest::newRow("by candidate") << "python" << "" << "fastapi";
        QTest::newRow("by plan") << "open model" << "" << "fastapi";
        QTest::newRow("by note, any case") << "GOMAXPROCS" << "" << "gin";
        QTest::newRow("every word must match") << "go tuned" << "" << "gin";
        QTest::newRow("words in different fields") << "node 8080" << "" << "express";
        QTest::newRow("by status") << "" << "failed" << "express";
        QTest::newRow("status and words") << "gin" << "failed" << "";
    }

    void runHistoryFilters()
    {
        QFETCH(QString, text);
        QFETCH(QString, status);
        QFETCH(QString, labels);
        ui::RunHistoryModel model;
        ui::RunHistoryFilter filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRuns({listing(1, "gin", "Go (Gin)", "completed", "GOMAXPROCS=2, tuned"),
                       listing(2, "fastapi", "Python (FastAPI)", "completed", ""),
                       listing(3, "express", "Node (Express)", "failed", "")});
        filter.setText(text);
        filter.setStatus(status);
        QStringList shown;
        for (int row = 0; row < filter.rowCount(); ++row) {
            shown << filter.index(row, ui::RunHistoryModel::Label).data().toString();
        }
        QCOMPARE(shown.join(QLatin1Char(',')), labels);
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
