// SPDX-License-Identifier: Apache-2.0
// The compare view with repeated runs: group rows with medians and intervals, "within noise" marks and
// tooltips on ratio cells, per-run rows when nothing repeats, and a model that QAbstractItemModelTester
// accepts through every change.
#include "plan/plan_codec.h"
#include "models/compare_model.h"
#include "views/compare_view.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QColor>
#include <QComboBox>
#include <QTest>

using namespace benchdeck;
using Model = ui::CompareModel;

namespace {

store::StoredRun syntheticRun(int64_t id, const std::string& label, double rps, int64_t latencyMicros)
{
    store::StoredRun run;
    run.listing.id = id;
    run.listing.label = label;
    run.listing.url = "http://127.0.0.1:1/" + label;
    run.listing.profile = "4 connections, 1s";
    run.listing.status = "completed";
    engine::RunConfig plan;
    plan.url = run.listing.url;
    plan.connections = 4;
    plan.threads = 1;
    plan.duration = std::chrono::seconds(1);
    run.plan = plan::toJson(plan, plan::Secrets::Withhold);
    run.planRecorded = true;
    metrics::MetricsSlice second;
    for (int i = 0; i < int(rps); ++i) {
        second.recordResponse(200, latencyMicros);
    }
    run.result.total.merge(second);
    run.result.durationSeconds = 1;
    run.result.finalize();
    return run;
}

const double kNoise[] = {0.98, 1.01, 0.995, 1.02};
const double kNoisePermuted[] = {1.02, 0.995, 0.98, 1.01};

// A campaign, interleaved: "go" and "py" four times each (py: 1.3 × the req/s, the same p99 up to noise),
// then "solo" once.
std::vector<store::StoredRun> campaign()
{
    std::vector<store::StoredRun> runs;
    int64_t id = 1;
    for (int round = 0; round < 4; ++round) {
        runs.push_back(syntheticRun(id++, "go", 1000 * kNoise[round], int64_t(10'000 * kNoisePermuted[round])));
        runs.push_back(syntheticRun(id++, "py", 1300 * kNoisePermuted[round], int64_t(10'000 * kNoise[round])));
    }
    runs.push_back(syntheticRun(id, "solo", 900, 12'000));
    return runs;
}

int rowNamed(const Model& model, const QString& prefix)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, Model::Run).data().toString().startsWith(prefix)) {
            return row;
        }
    }
    return -1;
}

} // namespace

class TestCompareNoise : public QObject {
    Q_OBJECT

private slots:
    void singleRunsKeepPerRunRows()
    {
        Model model;
        QAbstractItemModelTester tester(&model);
        model.setRuns({syntheticRun(1, "go", 1000, 10'000), syntheticRun(2, "py", 1300, 9'000),
                       syntheticRun(3, "node", 800, 20'000)});
        QVERIFY(!model.grouped());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.runs().size(), size_t(3));
        QCOMPARE(model.index(1, Model::Run).data().toString(), QStringLiteral("py #2"));
        QCOMPARE(model.index(1, Model::RpsVsBaseline).data().toString(), QStringLiteral("×1.30"));
        QCOMPARE(model.index(1, Model::RpsVsBaseline).data(Model::NoiseRole).toString(), QStringLiteral("unknown"));
        QVERIFY(
            model.index(1, Model::RpsVsBaseline).data(Qt::ToolTipRole).toString().contains(QStringLiteral("campaign")));
        QVERIFY(!model.index(0, Model::RpsVsBaseline).data(Model::NoiseRole).isValid()); // the baseline
        QCOMPARE(model.rowName(2), QStringLiteral("node #3"));
    }

    // A run against a dead port has no responses: it is listed, flagged, and never a ratio's side
    // ("p99 ×0.00" would read as a triumph).
    void failedRunsAreFlaggedNotCompared()
    {
        Model model;
        QAbstractItemModelTester tester(&model);
        auto dead = syntheticRun(2, "dead", 0, 0);
        metrics::MetricsSlice refused;
        for (int i = 0; i < 50; ++i) {
            refused.recordFailure(metrics::ErrorKind::ConnectRefused);
        }
        dead.result.total = {};
        dead.result.total.merge(refused);
        dead.result.finalize();
        QCOMPARE(dead.result.summary.status, metrics::RunStatus::Failed);
        dead.listing.status = "failed";
        dead.listing.failureReason = dead.result.summary.failureReason;
        model.setRuns({syntheticRun(1, "go", 1000, 10'000), dead});
        QCOMPARE(model.index(1, Model::Run).data().toString(), QStringLiteral("dead #2 ⚠ failed"));
        QVERIFY(model.index(1, Model::Run).data(Qt::ToolTipRole).toString().contains(QStringLiteral("connection refused")));
        QCOMPARE(model.index(1, Model::P99VsBaseline).data().toString(), QStringLiteral("–"));
        QCOMPARE(model.index(1, Model::RpsVsBaseline).data().toString(), QStringLiteral("–"));
        QCOMPARE(model.index(1, Model::P99).data().toString(), QStringLiteral("–"));
        QCOMPARE(model.index(1, Model::Errors).data().toString().left(3), QStringLiteral("50 "));
    }

    void repeatsBecomeGroupRowsWithNoiseMarks()
    {
        Model model;
        QAbstractItemModelTester tester(&model);
        model.setRuns(campaign());
        QVERIFY(model.grouped());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.runs().size(), size_t(9)); // every run stays available
        const int go = rowNamed(model, QStringLiteral("go"));
        const int py = rowNamed(model, QStringLiteral("py"));
        const int solo = rowNamed(model, QStringLiteral("solo"));
        QVERIFY(go == 0 && py >= 0 && solo >= 0);
        QCOMPARE(model.index(go, Model::Run).data().toString(), QStringLiteral("go (4 runs) (baseline)"));
        QCOMPARE(model.rowName(solo), QStringLiteral("solo (1 run)"));

        // Medians with intervals.
        const QString rps = model.index(py, Model::Rps).data().toString();
        QVERIFY2(rps.contains(QLatin1Char('[')) && rps.contains(QStringLiteral("–")), qPrintable(rps));
        QVERIFY(model.index(py, Model::P99).data().toString().contains(QStringLiteral(" ms [")));
        QCOMPARE(model.index(solo, Model::Rps).data().toString(), QStringLiteral("900"));

        // req/s: significantly ahead; p99: within noise, marked and explained.
        const auto rpsRatio = model.index(py, Model::RpsVsBaseline);
        QCOMPARE(rpsRatio.data(Model::NoiseRole).toString(), QStringLiteral("significant"));
        QVERIFY(rpsRatio.data().toString().startsWith(QStringLiteral("×1.3")));
        QVERIFY(!rpsRatio.data().toString().contains(QStringLiteral("noise")));
        QCOMPARE(rpsRatio.data(Qt::ForegroundRole).value<QColor>(), QColor(0x2e, 0x7d, 0x32));
        const auto p99Ratio = model.index(py, Model::P99VsBaseline);
        QCOMPARE(p99Ratio.data(Model::NoiseRole).toString(), QStringLiteral("within_noise"));
        QVERIFY2(p99Ratio.data().toString().endsWith(QStringLiteral("within noise")),
                 qPrintable(p99Ratio.data().toString()));
        QVERIFY(p99Ratio.data(Qt::ToolTipRole).toString().contains(QStringLiteral("contains ×1.00")));

        // A single run against the baseline group: no verdict, and it says so.
        const auto soloRatio = model.index(solo, Model::RpsVsBaseline);
        QCOMPARE(soloRatio.data(Model::NoiseRole).toString(), QStringLiteral("unknown"));
        QVERIFY(soloRatio.data().toString().endsWith(QStringLiteral("single run, noise unknown")));
        QVERIFY(!soloRatio.data(Qt::ForegroundRole).isValid());

        // Another baseline: the ratios turn round.
        model.setBaseline(py);
        QCOMPARE(model.baseline(), py);
        QCOMPARE(model.index(go, Model::RpsVsBaseline).data(Model::NoiseRole).toString(),
                 QStringLiteral("significant"));
        QCOMPARE(model.index(go, Model::RpsVsBaseline).data(Qt::ForegroundRole).value<QColor>(),
                 QColor(0xc6, 0x28, 0x28));
        QCOMPARE(model.index(py, Model::RpsVsBaseline).data().toString(), QStringLiteral("–"));

        // And back to single runs, then to nothing, under the tester's eye.
        model.setRuns({syntheticRun(1, "go", 1000, 10'000), syntheticRun(2, "py", 1300, 9'000)});
        QVERIFY(!model.grouped());
        QCOMPARE(model.rowCount(), 2);
        model.setRuns({});
        QCOMPARE(model.rowCount(), 0);
    }

    void targetIdsDecideGroupsWhenKnown()
    {
        // The same label and URL, but two targets: not repeats of one another.
        auto a = syntheticRun(1, "same", 1000, 10'000);
        auto b = syntheticRun(2, "same", 1000, 10'000);
        Model model;
        model.setRuns({a, b});
        QVERIFY(model.grouped());
        QCOMPARE(model.rowCount(), 1);
        model.setRuns({a, b}, {7, 8});
        QVERIFY(!model.grouped());
        QCOMPARE(model.rowCount(), 2);
    }

    void viewListsRowsAsBaselines()
    {
        ui::CompareView view;
        view.setRuns(campaign());
        view.show();
        auto* chooser = view.findChild<QComboBox*>();
        QVERIFY(chooser);
        QCOMPARE(chooser->count(), 3);
        QCOMPARE(chooser->itemText(0), QStringLiteral("go (4 runs)"));
        chooser->setCurrentIndex(1);
        QCOMPARE(view.model()->baseline(), 1);
        QCOMPARE(view.model()->runs().size(), size_t(9));
        view.setRuns({syntheticRun(1, "go", 1000, 10'000), syntheticRun(2, "py", 1300, 9'000)});
        QCOMPARE(chooser->count(), 2);
        QCOMPARE(chooser->itemText(1), QStringLiteral("py #2"));
    }
};

QTEST_MAIN(TestCompareNoise)
#include "tst_compare_noise.moc"
