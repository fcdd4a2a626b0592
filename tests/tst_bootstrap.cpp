// SPDX-License-Identifier: Apache-2.0
// Noise-aware comparison: bootstrap intervals of medians and of ratios (known differences, equal
// distributions, single runs, determinism, coverage), repeats grouped in a comparison report and written
// out, and the decision table's "within noise does not decide" rule.
#include "plan/plan_codec.h"
#include "comparison/report_writers.h"
#include "metrics/bootstrap.h"
#include "store/session_file.h"
#include "workflow/decision_inputs.h"
#include "workflow/noise.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

using namespace benchdeck;
using metrics::NoiseVerdict;

namespace {

// Normal samples from a generator whose sequence the standard fixes (mt19937_64) through Box-Muller, so
// the data, and therefore every expectation below, is the same with any standard library.
class Normal {
public:
    explicit Normal(uint64_t seed)
        : rng_(seed)
    {
    }
    double next(double mean, double sd)
    {
        const double u1 = (double(rng_() >> 11) + 0.5) * 0x1.0p-53; // (0, 1)
        const double u2 = double(rng_() >> 11) * 0x1.0p-53;         // [0, 1)
        return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    std::vector<double> samples(size_t n, double mean, double sd)
    {
        std::vector<double> out(n);
        for (double& x : out) {
            x = next(mean, sd);
        }
        return out;
    }

private:
    std::mt19937_64 rng_;
};

// One synthetic run: `rps` requests in one second, every latency `latencyMicros`, `errors` of them 503.
metrics::RunResult syntheticResult(double rps, int64_t latencyMicros, int errors)
{
    metrics::RunResult result;
    metrics::MetricsSlice second;
    const int requests = int(std::lround(rps));
    for (int i = 0; i < requests; ++i) {
        second.recordResponse(i < errors ? 503 : 200, latencyMicros);
    }
    result.series.push_back(metrics::summarizeInterval(second, 1, 1.0, 20.0));
    result.total.merge(second);
    result.durationSeconds = 1;
    result.threads = 1;
    result.finishedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
    result.finalize();
    return result;
}

int64_t recordRun(store::SessionFile& session, const std::string& label, const std::string& url, int64_t targetId,
                  const metrics::RunResult& result)
{
    std::string error;
    engine::RunConfig config;
    config.url = url;
    config.label = label;
    config.connections = 4;
    config.duration = std::chrono::seconds(1);
    const auto id = session.beginRun(config, false, &error);
    if (!id || !session.finishRun(*id, result, &error) || (targetId && !session.attachRun(*id, targetId, 0, &error))) {
        qFatal("%s", error.c_str());
    }
    return *id;
}

// Per-run noise factors: the same five values in different orders, so that two groups drawn "from the
// same distribution" have exactly the same median and their ratio is 1.
const std::vector<std::vector<double>> kFactors = {
    {0.980, 1.010, 0.995, 1.020, 1.004}, {1.020, 0.995, 1.004, 0.980, 1.010}, {1.004, 0.980, 1.020, 1.010, 0.995}};

// A campaign in a fresh session: Go, Python and Node five times each, interleaved, plus one unattached run.
//  - Python: 1.3 × Go's req/s (significant), the same p99 (within noise);
//  - Node: Go's req/s (within noise), 2 × Go's p99 (significant);
//  - "solo": a single run against another URL, made from no target (noise unknown).
QString buildCampaignSession(const QTemporaryDir& dir)
{
    const QString path = dir.filePath(QStringLiteral("campaign.benchdeck"));
    std::string error;
    auto session = store::SessionFile::open(path.toStdString(), store::OpenMode::CreateOrOpen, &error);
    if (!session) {
        qFatal("%s", error.c_str());
    }
    struct Who {
        store::Candidate candidate;
        store::Target target;
        double rps;
        int64_t p99Micros;
    };
    std::vector<Who> who = {{{0, "Go (Gin)", "go", ""}, {}, 1000, 10'000},
                            {{0, "Python (FastAPI)", "python", ""}, {}, 1300, 10'000},
                            {{0, "Node (Express)", "node", ""}, {}, 1000, 20'000}};
    for (size_t c = 0; c < who.size(); ++c) {
        session->saveCandidate(who[c].candidate, &error);
        who[c].target.candidateId = who[c].candidate.id;
        who[c].target.name = who[c].candidate.stack;
        who[c].target.request.url = "http://127.0.0.1:" + std::to_string(10 + c) + "/";
        session->saveTarget(who[c].target, false, &error);
    }
    for (size_t round = 0; round < 5; ++round) {
        for (size_t c = 0; c < who.size(); ++c) {
            // Throughput and latency take their noise in different orders, as real runs would.
            const double rpsFactor = kFactors[c][round];
            const double latencyFactor = kFactors[(c + 1) % kFactors.size()][round];
            recordRun(*session, who[c].candidate.name, who[c].target.request.url, who[c].target.id,
                      syntheticResult(who[c].rps * rpsFactor, int64_t(double(who[c].p99Micros) * latencyFactor), 0));
        }
    }
    recordRun(*session, "solo", "http://127.0.0.1:99/", 0, syntheticResult(900, 12'000, 9));
    return path;
}

comparison::ComparisonReport campaignReport(const QString& path)
{
    std::string error;
    auto session = store::SessionFile::open(path.toStdString(), store::OpenMode::ReadOnly, &error);
    comparison::ReportRequest request;
    request.generatedAt = "2026-11-27T12:00:00Z";
    auto report = comparison::buildReport(*session, request, &error);
    if (!report) {
        qFatal("%s", error.c_str());
    }
    return *report;
}

const comparison::RunGroup* groupNamed(const comparison::ComparisonReport& report, const std::string& name)
{
    for (const auto& group : report.groups) {
        if (group.name == name) {
            return &group;
        }
    }
    return nullptr;
}

} // namespace

class TestBootstrap : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString campaign_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        campaign_ = buildCampaignSession(dir_);
    }

    void medianOfOddEvenEmptyAndNonFinite()
    {
        const std::vector<double> odd = {5, 1, 3};
        const std::vector<double> even = {4, 1, 3, 2};
        const std::vector<double> withNaN = {1, std::nan(""), 3, INFINITY};
        QCOMPARE(metrics::median(odd), 3.0);
        QCOMPARE(metrics::median(even), 2.5);
        QCOMPARE(metrics::median(withNaN), 2.0);
        QVERIFY(std::isnan(metrics::median({})));
        QCOMPARE(metrics::medianInterval(withNaN).samples, size_t(2));
    }

    void emptyAndSingleSamples()
    {
        const auto none = metrics::medianInterval({});
        QCOMPARE(none.samples, size_t(0));
        QVERIFY(std::isnan(none.median) && std::isnan(none.low) && std::isnan(none.high));

        const std::vector<double> one = {42.5};
        const auto single = metrics::medianInterval(one);
        QCOMPARE(single.samples, size_t(1));
        QCOMPARE(single.median, 42.5);
        QCOMPARE(single.low, 42.5);
        QCOMPARE(single.high, 42.5);

        // One run on either side: no spread was measured, so no verdict, however large the difference.
        Normal normal(7);
        const auto many = normal.samples(10, 100, 3);
        const std::vector<double> far = {200};
        for (const auto& r :
             {metrics::ratioInterval(far, many), metrics::ratioInterval(many, far), metrics::ratioInterval(far, far)}) {
            QCOMPARE(r.verdict, NoiseVerdict::Unknown);
            QVERIFY(!r.withinNoise);
            QCOMPARE(r.low, r.ratio);
            QCOMPARE(r.high, r.ratio);
        }
        QVERIFY(std::abs(metrics::ratioInterval(far, many).ratio - 2.0) < 0.1);
        const auto nothing = metrics::ratioInterval({}, many);
        QCOMPARE(nothing.verdict, NoiseVerdict::Unknown);
        QVERIFY(std::isnan(nothing.ratio));
        QCOMPARE(metrics::noiseLabel(metrics::ratioInterval(far, many)), std::string_view("single run, noise unknown"));
    }

    void twoRunsShowAnIntervalButNoVerdict()
    {
        // With 2 runs a side the bootstrap sees only {x1, x2, mean}: its interval is too narrow to trust.
        const std::vector<double> a = {100, 104};
        const std::vector<double> b = {120, 119};
        const auto r = metrics::ratioInterval(a, b);
        QCOMPARE(r.verdict, NoiseVerdict::Unknown);
        QVERIFY(!r.withinNoise);
        QVERIFY(r.low < r.ratio && r.ratio < r.high);
        QCOMPARE(metrics::noiseLabel(r), std::string_view("too few runs, noise unknown"));
        const std::vector<double> three = {100, 104, 102};
        const std::vector<double> other = {120, 119, 121};
        QCOMPARE(metrics::ratioInterval(three, other).verdict, NoiseVerdict::Significant);
        QCOMPARE(metrics::medianInterval(a).low, 100.0);
        QCOMPARE(metrics::medianInterval(a).high, 104.0);
    }

    void knownDifferenceIsSignificant()
    {
        Normal normal(1);
        const auto baseline = normal.samples(10, 100, 3);
        const auto faster = normal.samples(10, 120, 3);
        const auto r = metrics::ratioInterval(faster, baseline);
        QCOMPARE(r.verdict, NoiseVerdict::Significant);
        QVERIFY(!r.withinNoise);
        QVERIFY2(r.low > 1.0, qPrintable(QString::number(r.low)));
        QVERIFY(r.low <= r.ratio && r.ratio <= r.high);
        QVERIFY(std::abs(r.ratio - 1.2) < 0.05);
        QCOMPARE(r.samples, size_t(10));
        QCOMPARE(r.baselineSamples, size_t(10));
        // And the other way round: the interval lies wholly below 1.
        const auto slower = metrics::ratioInterval(baseline, faster);
        QCOMPARE(slower.verdict, NoiseVerdict::Significant);
        QVERIFY(slower.high < 1.0);
    }

    void equalDistributionsAreWithinNoise()
    {
        Normal normal(2);
        const auto a = normal.samples(10, 100, 3);
        const auto b = normal.samples(10, 100, 3);
        const auto r = metrics::ratioInterval(a, b);
        QCOMPARE(r.verdict, NoiseVerdict::WithinNoise);
        QVERIFY(r.withinNoise);
        QVERIFY(r.low <= 1.0 && 1.0 <= r.high);

        // Over many such pairs, "significant" must stay rare: a false alarm rate near the nominal 5 %.
        Normal many(3);
        int falseAlarms = 0;
        for (int experiment = 0; experiment < 200; ++experiment) {
            const auto x = many.samples(10, 100, 3);
            const auto y = many.samples(10, 100, 3);
            falseAlarms +=
                metrics::ratioInterval(x, y, 0.95, 1000, uint64_t(experiment)).verdict == NoiseVerdict::Significant;
        }
        QVERIFY2(falseAlarms <= 20, qPrintable(QString::number(falseAlarms)));
    }

    void zerosDivideSensibly()
    {
        const std::vector<double> zeros = {0, 0, 0, 0};
        const std::vector<double> some = {0.5, 0.4, 0.6, 0.5};
        const auto same = metrics::ratioInterval(zeros, zeros);
        QCOMPARE(same.ratio, 1.0);
        QCOMPARE(same.verdict, NoiseVerdict::WithinNoise);
        const auto worse = metrics::ratioInterval(some, zeros);
        QVERIFY(std::isinf(worse.ratio));
        QCOMPARE(worse.verdict, NoiseVerdict::Significant);
        // Identical constant figures on each side: zero spread, so any difference is beyond noise.
        const std::vector<double> ten = {10, 10, 10};
        const std::vector<double> twelve = {12, 12, 12};
        const auto constant = metrics::ratioInterval(twelve, ten);
        QCOMPARE(constant.verdict, NoiseVerdict::Significant);
        QCOMPARE(constant.low, 1.2);
        QCOMPARE(constant.high, 1.2);
    }

    void deterministicGivenTheSeed()
    {
        Normal normal(4);
        const auto a = normal.samples(8, 50, 5);
        const auto b = normal.samples(8, 55, 5);
        const auto first = metrics::medianInterval(a);
        const auto second = metrics::medianInterval(a);
        QCOMPARE(first.low, second.low);
        QCOMPARE(first.high, second.high);
        const auto r1 = metrics::ratioInterval(a, b, 0.95, 2000, 99);
        const auto r2 = metrics::ratioInterval(a, b, 0.95, 2000, 99);
        QCOMPARE(r1.low, r2.low);
        QCOMPARE(r1.high, r2.high);
        QCOMPARE(r1.verdict, r2.verdict);
        // Another seed draws other resamples (the point estimate does not move).
        const auto other = metrics::medianInterval(a, 0.95, 2000, 7);
        QCOMPARE(other.median, first.median);
        QVERIFY(other.low != first.low || other.high != first.high);
        // A wider confidence gives a wider interval.
        const auto wide = metrics::medianInterval(a, 0.99);
        QVERIFY(wide.low <= first.low && wide.high >= first.high);
        QVERIFY(first.low <= first.median && first.median <= first.high);
    }

    void intervalCoversTheTrueMedian()
    {
        // 200 experiments of 10 samples from normal(100, 3), whose median is 100.
        Normal normal(5);
        int covered = 0;
        double width = 0;
        for (int experiment = 0; experiment < 200; ++experiment) {
            const auto samples = normal.samples(10, 100, 3);
            const auto interval = metrics::medianInterval(samples, 0.95, 2000, uint64_t(experiment));
            covered += interval.low <= 100.0 && 100.0 <= interval.high;
            width += interval.high - interval.low;
        }
        QVERIFY2(covered >= 180, qPrintable(QString::number(covered)));
        // And it is not trivially wide: about 2 × 1.96 × 1.25 × 3 / √10 ≈ 4.6 for the median.
        QVERIFY2(width / 200 < 8, qPrintable(QString::number(width / 200)));
    }

    void reportGroupsRepeatsAndMarksNoise()
    {
        const auto report = campaignReport(campaign_);
        QCOMPARE(report.runs.size(), size_t(16));
        QCOMPARE(report.groups.size(), size_t(4));
        QVERIFY(comparison::hasRepeats(report.groups));
        const auto* go = groupNamed(report, "Go (Gin)");
        const auto* python = groupNamed(report, "Python (FastAPI)");
        const auto* node = groupNamed(report, "Node (Express)");
        const auto* solo = groupNamed(report, "solo");
        QVERIFY(go && python && node && solo);
        QVERIFY(go->baseline && !python->baseline);
        QCOMPARE(go->runs.size(), size_t(5));
        QCOMPARE(solo->runs.size(), size_t(1));
        QCOMPARE(go->runs[1], size_t(3)); // interleaved: Go is every third run

        using comparison::GroupMetric;
        const auto& goRps = go->figure(GroupMetric::Rps).value;
        QCOMPARE(goRps.samples, size_t(5));
        QCOMPARE(goRps.median, 1004.0);
        QVERIFY(goRps.low < goRps.median && goRps.median < goRps.high);

        const auto& pythonRps = python->figure(GroupMetric::Rps).vsBaseline;
        QCOMPARE(pythonRps.verdict, NoiseVerdict::Significant);
        QVERIFY(pythonRps.low > 1.2 && pythonRps.high < 1.4);
        QCOMPARE(python->figure(GroupMetric::P99Ms).vsBaseline.verdict, NoiseVerdict::WithinNoise);
        QCOMPARE(node->figure(GroupMetric::Rps).vsBaseline.verdict, NoiseVerdict::WithinNoise);
        QCOMPARE(node->figure(GroupMetric::Rps).vsBaseline.ratio, 1.0);
        QCOMPARE(node->figure(GroupMetric::P99Ms).vsBaseline.verdict, NoiseVerdict::Significant);
        QVERIFY(node->figure(GroupMetric::P99Ms).vsBaseline.low > 1.8);
        QCOMPARE(solo->figure(GroupMetric::Rps).vsBaseline.verdict, NoiseVerdict::Unknown);
        QCOMPARE(solo->figure(GroupMetric::ErrorPercent).value.median, 1.0);
        // Zero errors on both sides: the same, not a division by zero.
        QCOMPARE(python->figure(GroupMetric::ErrorPercent).vsBaseline.ratio, 1.0);
    }

    void reportFormatsCarryTheGroups()
    {
        const auto report = campaignReport(campaign_);
        const std::string md = comparison::toMarkdown(report, "x-");
        QVERIFY(md.find("## Repeated runs") != std::string::npos);
        QVERIFY(md.find("| Python (FastAPI) | 5 | 1305 [") != std::string::npos);
        QVERIFY(md.find("within noise") != std::string::npos);
        QVERIFY(md.find("significant") != std::string::npos);
        QVERIFY(md.find("| solo | 1 | 900 |") != std::string::npos);
        QVERIFY(md.find("single run, noise unknown") != std::string::npos);

        const std::string csv = comparison::toCsv(report);
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t(17)); // still one row per run

        const auto json = comparison::toJson(report);
        const auto groups = json.value(QStringLiteral("groups")).toArray();
        QCOMPARE(groups.size(), 4);
        for (const auto& value : groups) {
            const auto group = value.toObject();
            const auto rps = group.value(QStringLiteral("figures")).toObject().value(QStringLiteral("rps")).toObject();
            const QString name = group.value(QStringLiteral("name")).toString();
            const auto verdict = rps.value(QStringLiteral("vs_baseline")).toObject().value(QStringLiteral("verdict"));
            if (name == QStringLiteral("Go (Gin)")) {
                QVERIFY(group.value(QStringLiteral("baseline")).toBool());
                QVERIFY(rps.value(QStringLiteral("vs_baseline")).isNull());
                QCOMPARE(group.value(QStringLiteral("run_ids")).toArray().size(), 5);
            } else if (name == QStringLiteral("Python (FastAPI)")) {
                QCOMPARE(verdict.toString(), QStringLiteral("significant"));
            } else if (name == QStringLiteral("Node (Express)")) {
                QCOMPARE(verdict.toString(), QStringLiteral("within_noise"));
            } else {
                QCOMPARE(verdict.toString(), QStringLiteral("unknown"));
                QVERIFY(group.value(QStringLiteral("target_id")).isNull());
            }
        }
        QCOMPARE(json.value(QStringLiteral("group_interval")).toObject().value(QStringLiteral("confidence")).toDouble(),
                 0.95);

        const QByteArray html = QByteArray::fromStdString(comparison::toHtml(report));
        QXmlStreamReader xml(html);
        while (!xml.atEnd()) {
            xml.readNext();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(html.contains("<h2>Repeated runs</h2>"));
        QVERIFY(html.contains("<td class=\"noise\""));
    }

    void runsWithoutTargetGroupByUrlAndLabel()
    {
        std::vector<store::StoredRun> runs(4);
        const char* labels[] = {"a", "b", "a", "a"};
        for (size_t i = 0; i < runs.size(); ++i) {
            runs[i].listing.id = int64_t(i + 1);
            runs[i].listing.label = labels[i];
            runs[i].listing.url = "http://127.0.0.1:1/";
            engine::RunConfig plan;
            plan.url = runs[i].listing.url;
            plan.connections = i == 3 ? 8 : 4;
            plan.threads = 1;
            plan.duration = std::chrono::seconds(1);
            runs[i].plan = plan::toJson(plan, plan::Secrets::Withhold);
            runs[i].planRecorded = true;
            runs[i].listing.status = "completed";
        }
        // Run 4 has another plan: not a repeat. Nor are runs of different targets, whatever their labels.
        const auto groups = workflow::groupRepeats(runs, {});
        QCOMPARE(groups.size(), size_t(3));
        QVERIFY(groups[0] == (std::vector<size_t>{0, 2}));
        // With targets known, the target decides, whatever the labels; the plan still has to match.
        const auto byTarget = workflow::groupRepeats(runs, {5, 5, 6, 0});
        QCOMPARE(byTarget.size(), size_t(3));
        QVERIFY(byTarget[0] == (std::vector<size_t>{0, 1}));
        QCOMPARE(workflow::groupRepeats(runs, {5, 5, 5, 5}).size(), size_t(2));
        // Two groups under one label are told apart in reports.
        for (auto& run : runs) {
            run.listing.profile = plan::describe(run.plan);
        }
        const auto named = comparison::repeatGroups(runs, {}, 0);
        QCOMPARE(named.size(), size_t(3));
        QCOMPARE(named[0].name, std::string("a · closed model, 4 users, 1s"));
        QCOMPARE(named[1].name, std::string("b"));
        QCOMPARE(named[2].name, std::string("a · closed model, 8 users, 1s"));
        QVERIFY(!comparison::hasRepeats(comparison::repeatGroups({runs[0], runs[1]}, {}, 0)));
    }

    // A run that never reached its server (a dead port: failures only) is chosen along with the
    // campaign: it is named in a note and changes no verdict.
    void failedRunChangesNoVerdict()
    {
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("with-failed.benchdeck"));
        QVERIFY(QFile::copy(campaign_, copy));
        std::string error;
        auto session = store::SessionFile::open(copy.toStdString(), store::OpenMode::ReadWrite, &error);
        QVERIFY2(session, error.c_str());
        const auto model = workflow::loadDecisionModel(*session, &error);
        std::vector<int64_t> chosen;
        for (const auto& run : session->listRuns(&error)) {
            chosen.push_back(run.id);
        }
        const auto before = workflow::decisionInputs(*session, model, chosen);
        const auto cellsBefore = model.evaluate(before.facts);

        metrics::RunResult dead;
        metrics::MetricsSlice refused;
        for (int i = 0; i < 100; ++i) {
            refused.recordFailure(metrics::ErrorKind::ConnectRefused);
        }
        dead.total.merge(refused);
        dead.durationSeconds = 1;
        dead.finalize();
        const auto goTarget = session->targets(&error).front().id;
        const int64_t deadId = recordRun(*session, "Go (Gin)", "http://127.0.0.1:10/", goTarget, dead);
        QCOMPARE(session->loadRun(deadId, &error)->listing.status, std::string("failed"));
        chosen.push_back(deadId);
        const auto after = workflow::decisionInputs(*session, model, chosen);
        QVERIFY(after.refusal.empty());
        QVERIFY(std::any_of(after.notes.begin(), after.notes.end(), [&](const std::string& note) {
            return note.find("run #" + std::to_string(deadId) + " failed") != std::string::npos;
        }));
        QCOMPARE(after.facts[0].runIds, before.facts[0].runIds);
        const auto cellsAfter = model.evaluate(after.facts);
        for (size_t need = 0; need < cellsBefore.size(); ++need) {
            for (size_t candidate = 0; candidate < cellsBefore[need].size(); ++candidate) {
                QCOMPARE(cellsAfter[need][candidate].verdict, cellsBefore[need][candidate].verdict);
                QCOMPARE(cellsAfter[need][candidate].score, cellsBefore[need][candidate].score);
            }
        }
    }

    void withinNoiseDoesNotDecideTheTable()
    {
        std::string error;
        auto session = store::SessionFile::open(campaign_.toStdString(), store::OpenMode::ReadOnly, &error);
        QVERIFY2(session, error.c_str());
        const auto model = workflow::loadDecisionModel(*session, &error);
        std::vector<int64_t> all;
        for (const auto& run : session->listRuns(&error)) {
            all.push_back(run.id);
        }
        auto inputs = workflow::decisionInputs(*session, model, all);
        QVERIFY2(inputs.refusal.empty(), inputs.refusal.c_str());
        QCOMPARE(inputs.facts.size(), size_t(3));
        std::vector<int64_t> latest;
        for (const auto& facts : inputs.facts) {
            QCOMPARE(facts.runIds.size(), size_t(5)); // every chosen repeat, named
            latest.push_back(facts.runIds.back());
        }
        const auto samples = workflow::loadRepeatSamples(*session, latest);
        QCOMPARE(samples.size(), size_t(3));
        for (const auto& candidate : samples) {
            QCOMPARE(candidate.runIds.size(), size_t(5));
            QCOMPARE(candidate.values.at(decision::Metric::Throughput).size(), size_t(5));
        }
        // loadDecisionInputs already settles within-noise figures (and says so in its notes); settling
        // again must change nothing.
        QVERIFY(!inputs.noiseNotes.empty());

        const auto notes = workflow::settleWithinNoise(inputs.facts, samples);
        const auto& go = inputs.facts[0];
        const auto& python = inputs.facts[1];
        const auto& node = inputs.facts[2];
        // Medians over the repeats, not the latest run.
        QCOMPARE(*go.throughput, 1004.0);
        QCOMPARE(*node.throughput, 1004.0);
        // p99: Go and Python are within noise of each other, so they score the same; Node's 2× stands.
        QCOMPARE(*go.p99Ms, *python.p99Ms);
        QVERIFY(*node.p99Ms > 1.8 * *go.p99Ms);
        // Throughput: Python is significantly ahead; Go and Node keep their (equal) medians.
        QVERIFY(*python.throughput > 1.25 * *go.throughput);
        bool sawLatencyTie = false;
        for (const auto& note : notes) {
            QVERIFY(!note.text.empty());
            QCOMPARE(note.tied, note.vsBest.verdict == NoiseVerdict::WithinNoise); // no error rate above 5 % here
            if (note.tied) {
                QVERIFY(note.text.find("within noise") != std::string::npos);
                sawLatencyTie |= note.metric == decision::Metric::P99Latency && note.candidate == 1;
            }
            if (note.metric == decision::Metric::Throughput) {
                QCOMPARE(note.best, size_t(1));
                QCOMPARE(note.vsBest.verdict, NoiseVerdict::Significant);
            }
        }
        QVERIFY(sawLatencyTie);

        // A tied cell's tooltip quotes the candidate's own p99 and names its runs, not the best's figure.
        const auto cells = model.evaluate(inputs.facts);
        const auto own = inputs.facts[1].measured.at(decision::Metric::P99Latency);
        bool sawOwnFigure = false;
        for (const auto& row : cells) {
            const auto& text = row[1].explanation;
            if (text.find("p99") != std::string::npos && text.find("within noise of the best") != std::string::npos) {
                sawOwnFigure = true;
                QVERIFY2(text.find(decision::runsText(inputs.facts[1])) != std::string::npos, text.c_str());
                QCOMPARE(row[1].runIds, inputs.facts[1].runIds);
            }
        }
        QVERIFY2(sawOwnFigure || own == *inputs.facts[1].p99Ms, "a tie must be explained in the tooltip");

        // Single runs keep today's behaviour: Unknown never ties.
        std::vector<decision::CandidateFacts> facts(2);
        facts[0].throughput = 1000;
        facts[1].throughput = 990;
        std::vector<workflow::RepeatSamples> single(2);
        single[0].values[decision::Metric::Throughput] = {1000};
        single[1].values[decision::Metric::Throughput] = {990};
        const auto singleNotes = workflow::settleWithinNoise(facts, single);
        QCOMPARE(*facts[1].throughput, 990.0);
        QCOMPARE(singleNotes.size(), size_t(1));
        QCOMPARE(singleNotes[0].vsBest.verdict, NoiseVerdict::Unknown);
        QVERIFY(!singleNotes[0].tied);
    }
};

QTEST_GUILESS_MAIN(TestBootstrap)
#include "tst_bootstrap.moc"
