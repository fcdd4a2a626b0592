// SPDX-License-Identifier: Apache-2.0
// The app's item models without a window: each one under QAbstractItemModelTester (which fails the
// test on any breach of the model/view contract while data is set and reset), and what it shows read
// back as text, cell by cell. No network, no event loop, well under a second.
#include "models/compare_model.h"
#include "models/decision_models.h"
#include "models/run_history_model.h"

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
        model.setBaseline(1);
        QCOMPARE(model.baseline(), 1);
        QVERIFY2(cell(0, ui::CompareModel::RpsVsBaseline).contains(QStringLiteral("4.00")),
                 qPrintable(dump(model)));
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
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
