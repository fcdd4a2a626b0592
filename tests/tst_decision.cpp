// SPDX-License-Identifier: Apache-2.0
#include "decision/decision_model.h"
#include "store/session_file.h"
#include "workflow/decision_inputs.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace benchdeck::decision;
namespace metrics = benchdeck::metrics;
namespace store = benchdeck::store;
namespace workflow = benchdeck::workflow;

namespace {

CandidateFacts candidate(int64_t id, const std::string& name, const std::string& stack, const DecisionModel& model)
{
    CandidateFacts facts;
    facts.candidateId = id;
    facts.name = name;
    facts.stack = stack;
    facts.qualitative = model.defaultScores(stack);
    return facts;
}

CandidateFacts measured(CandidateFacts facts, double rps, double p99, double errors)
{
    facts.throughput = rps;
    facts.p99Ms = p99;
    facts.errorPercent = errors;
    return facts;
}

size_t needIndex(const DecisionModel& model, const std::string& id)
{
    for (size_t i = 0; i < model.needs().size(); ++i) {
        if (model.needs()[i].id == id) {
            return i;
        }
    }
    qFatal("no need %s", id.c_str());
}

QString describe(const Cell& cell)
{
    return QStringLiteral("%1 %2\n%3")
        .arg(cell.score)
        .arg(QString::fromUtf8(verdictLabel(cell.verdict).data(), qsizetype(verdictLabel(cell.verdict).size())))
        .arg(QString::fromStdString(cell.explanation));
}

QJsonObject parse(const char* text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

// A scenario run built by hand: step i answers 100 times in latencyMicros[i], over one second.
metrics::RunResult scenarioRun(const std::vector<metrics::StepLabel>& labels, const std::vector<int64_t>& latencyMicros)
{
    metrics::RunResult result;
    result.total.scenario.emplace(labels.size());
    result.stepLabels = labels;
    auto& steps = result.total.scenario->steps;
    for (size_t s = 0; s < labels.size(); ++s) {
        for (int i = 0; i < 100; ++i) {
            steps[s].latency.record(latencyMicros[s]);
            result.total.recordResponse(200, latencyMicros[s]);
        }
        steps[s].requests = 100;
    }
    result.durationSeconds = 1;
    result.finalize();
    return result;
}

// Stored as the app stores a run of a target's: one plan for all, so that the table weighs them together.
int64_t recordRun(store::SessionFile& session, const store::Target& target, const metrics::RunResult& result)
{
    std::string error;
    benchdeck::engine::RunConfig config;
    config.url = target.request.url;
    config.label = target.name;
    config.connections = 4;
    config.duration = std::chrono::seconds(1);
    const auto id = session.beginRun(config, false, &error);
    if (!id || !session.finishRun(*id, result, &error) || !session.attachRun(*id, target.id, 0, &error)) {
        qFatal("%s", error.c_str());
    }
    return *id;
}

// A fresh session with a candidate and its target per name, in that order.
std::unique_ptr<store::SessionFile> sessionOf(const QTemporaryDir& dir, const std::vector<std::string>& names,
                                              std::vector<store::Target>& targets)
{
    std::string error;
    auto session =
        store::SessionFile::open(dir.filePath("steps.benchdeck").toStdString(), store::OpenMode::CreateOrOpen, &error);
    for (const auto& name : names) {
        store::Candidate candidate{0, name, "go", ""};
        store::Target target;
        if (!session || !session->saveCandidate(candidate, &error)) {
            qFatal("%s", error.c_str());
        }
        target.candidateId = candidate.id;
        target.name = name;
        target.request.url = "http://127.0.0.1:" + std::to_string(10 + targets.size()) + "/";
        if (!session->saveTarget(target, false, &error)) {
            qFatal("%s", error.c_str());
        }
        targets.push_back(target);
    }
    return session;
}

// Within the histogram's 3 significant digits.
bool near(double value, double expected)
{
    return std::abs(value - expected) <= expected * 0.002;
}

} // namespace

Q_DECLARE_METATYPE(Verdict)

class TestDecision : public QObject {
    Q_OBJECT
private slots:
    void fasterCandidateWinsHighTrafficApi_data()
    {
        QTest::addColumn<double>("goRps");
        QTest::addColumn<double>("goP99");
        QTest::addColumn<double>("pythonRps");
        QTest::addColumn<double>("pythonP99");
        QTest::addColumn<Verdict>("goVerdict");
        QTest::addColumn<Verdict>("pythonVerdict");
        QTest::newRow("go faster") << 52000.0 << 4.0 << 8000.0 << 40.0 << Verdict::BestChoice << Verdict::Limited;
        QTest::newRow("python faster") << 8000.0 << 40.0 << 52000.0 << 4.0 << Verdict::Limited << Verdict::BestChoice;
        QTest::newRow("within 5 points: both best")
            << 50000.0 << 4.0 << 49000.0 << 4.1 << Verdict::BestChoice << Verdict::BestChoice;
        QTest::newRow("a bit slower: workable")
            << 50000.0 << 4.0 << 35000.0 << 6.0 << Verdict::BestChoice << Verdict::Workable;
    }

    void fasterCandidateWinsHighTrafficApi()
    {
        QFETCH(double, goRps);
        QFETCH(double, goP99);
        QFETCH(double, pythonRps);
        QFETCH(double, pythonP99);
        QFETCH(Verdict, goVerdict);
        QFETCH(Verdict, pythonVerdict);
        const auto model = DecisionModel::goVsPythonTemplate();
        const auto table =
            model.evaluate({measured(candidate(1, "Go (Gin)", "go", model), goRps, goP99, 0),
                            measured(candidate(2, "FastAPI", "python", model), pythonRps, pythonP99, 0)});
        const auto& row = table[needIndex(model, "high_traffic_api")];
        QVERIFY2(row[0].verdict == goVerdict, qPrintable(describe(row[0])));
        QVERIFY2(row[1].verdict == pythonVerdict, qPrintable(describe(row[1])));
        QVERIFY((goRps > pythonRps) == (row[0].score > row[1].score));
    }

    void templateVerdictsFromQualitativeDefaults_data()
    {
        QTest::addColumn<QString>("need");
        QTest::addColumn<Verdict>("go");
        QTest::addColumn<Verdict>("python");
        QTest::addColumn<Verdict>("node");
        // No run selected: only the stacks' default scores are known.
        QTest::newRow("high-traffic API: measured only")
            << "high_traffic_api" << Verdict::Unknown << Verdict::Unknown << Verdict::Unknown;
        QTest::newRow("AI/ML integration")
            << "ai_ml_integration" << Verdict::Limited << Verdict::BestChoice << Verdict::Workable;
        QTest::newRow("fast MVP build") << "fast_mvp_build" << Verdict::Workable << Verdict::BestChoice
                                        << Verdict::Workable;
        QTest::newRow("microservices") << "microservices" << Verdict::BestChoice << Verdict::Limited
                                       << Verdict::Workable;
        QTest::newRow("cloud-native deployment")
            << "cloud_native_deployment" << Verdict::BestChoice << Verdict::Limited << Verdict::Workable;
        QTest::newRow("team learning curve")
            << "team_learning_curve" << Verdict::Workable << Verdict::BestChoice << Verdict::Workable;
    }

    void templateVerdictsFromQualitativeDefaults()
    {
        QFETCH(QString, need);
        QFETCH(Verdict, go);
        QFETCH(Verdict, python);
        QFETCH(Verdict, node);
        const auto model = DecisionModel::goVsPythonTemplate();
        const auto table =
            model.evaluate({candidate(1, "Go (Gin)", "go", model), candidate(2, "FastAPI", "python", model),
                            candidate(3, "Express", "node", model)});
        const auto& row = table[needIndex(model, need.toStdString())];
        QVERIFY2(row[0].verdict == go, qPrintable(describe(row[0])));
        QVERIFY2(row[1].verdict == python, qPrintable(describe(row[1])));
        QVERIFY2(row[2].verdict == node, qPrintable(describe(row[2])));
    }

    void highErrorRateIsLimitedEvenWhenFast()
    {
        const auto model = DecisionModel::goVsPythonTemplate();
        const auto table = model.evaluate({measured(candidate(1, "Fast but failing", "go", model), 90000, 2, 40),
                                           measured(candidate(2, "Steady", "python", model), 60000, 3, 0)});
        const auto& row = table[needIndex(model, "high_traffic_api")];
        QCOMPARE(row[0].verdict, Verdict::Limited);
        QVERIFY2(row[0].explanation.find("at most Limited") != std::string::npos, row[0].explanation.c_str());
        // The steady candidate is judged against the best usable one, i.e. itself.
        QCOMPARE(row[1].verdict, Verdict::BestChoice);
        // Needs that do not weigh the error rate ignore it.
        QCOMPARE(table[needIndex(model, "cloud_native_deployment")][0].verdict, Verdict::BestChoice);
    }

    void errorRatesCompareOnAOnePointFloor_data()
    {
        QTest::addColumn<double>("errors");
        QTest::addColumn<double>("score");
        QTest::addColumn<Verdict>("verdict");
        // Against a clean 0 %: plain best / value would score any error at all as 0.
        QTest::newRow("0.02 %") << 0.02 << 100 / 1.02 << Verdict::BestChoice;
        QTest::newRow("0.1 %") << 0.1 << 100 / 1.1 << Verdict::Workable;
        QTest::newRow("1 %") << 1.0 << 50.0 << Verdict::Workable;
        QTest::newRow("3 %") << 3.0 << 25.0 << Verdict::Limited;
        QTest::newRow("40 %: gated") << 40.0 << 100 / 41.0 << Verdict::Limited;
    }

    void errorRatesCompareOnAOnePointFloor()
    {
        QFETCH(double, errors);
        QFETCH(double, score);
        QFETCH(Verdict, verdict);
        DecisionModel model;
        model.addCriterion({"errors", "Errors", Metric::ErrorRate, {}, {}, {}});
        model.addNeed({"reliable", "Reliable", {{"errors", 5}}});
        const CandidateFacts clean{1, "clean", "go", {}, {}, 0.0, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
        const CandidateFacts other{2, "other", "go", {}, {}, errors, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
        const auto row = model.evaluate({clean, other})[0];
        QCOMPARE(row[0].score, 100.0);
        QCOMPARE(row[0].verdict, Verdict::BestChoice);
        QCOMPARE(row[1].score, score);
        QVERIFY2(row[1].verdict == verdict, qPrintable(describe(row[1])));
    }

    void missingMemoryDoesNotPenalise_data()
    {
        QTest::addColumn<bool>("absent"); // absent, or reported as 0 MB (not sampled)
        QTest::newRow("absent") << true;
        QTest::newRow("zero") << false;
    }

    void missingMemoryDoesNotPenalise()
    {
        QFETCH(bool, absent);
        const auto model = DecisionModel::goVsPythonTemplate();
        auto withMemory = measured(candidate(1, "A", "go", model), 50000, 4, 0);
        withMemory.memoryMb = 30;
        withMemory.cpuMicrosPerRequest = 20;
        auto without = measured(candidate(2, "B", "go", model), 50000, 4, 0);
        without.cpuMicrosPerRequest = 20;
        if (!absent) {
            without.memoryMb = 0;
        }
        const auto row = model.evaluate({withMemory, without})[needIndex(model, "high_traffic_api")];
        QCOMPARE(row[0].score, 100.0);
        QCOMPARE(row[1].score, 100.0);
        QCOMPARE(row[1].verdict, Verdict::BestChoice);
        QVERIFY2(row[1].explanation.find("Server memory (weight 2): not measured") != std::string::npos,
                 row[1].explanation.c_str());
        QVERIFY2(row[1].explanation.find("Score: 100 × 15 / 15 = 100.0") != std::string::npos,
                 row[1].explanation.c_str());
    }

    void zeroWeightRemovesInfluence()
    {
        auto model = DecisionModel::goVsPythonTemplate();
        auto light = measured(candidate(1, "light", "go", model), 50000, 4, 0);
        light.memoryMb = 20;
        auto heavy = measured(candidate(2, "heavy", "go", model), 50000, 4, 0);
        heavy.memoryMb = 2000;
        const auto need = needIndex(model, "high_traffic_api");
        QVERIFY(model.evaluate({light, heavy})[need][1].score < 100);

        QVERIFY(model.setWeight("high_traffic_api", "server_memory", 0));
        const auto row = model.evaluate({light, heavy})[need];
        QCOMPARE(row[0].score, row[1].score);
        QVERIFY(row[1].explanation.find("Server memory") == std::string::npos);
        QCOMPARE(model.weight("high_traffic_api", "server_memory"), 0.0);
        QVERIFY(!model.need("high_traffic_api")->weights.contains("server_memory"));
    }

    void allWeightsZeroIsUnknown()
    {
        auto model = DecisionModel::goVsPythonTemplate();
        QVERIFY(model.setWeight("team_learning_curve", "learning_curve", 0));
        const auto cell = model.evaluate({candidate(1, "Go", "go", model)})[needIndex(model, "team_learning_curve")][0];
        QCOMPARE(cell.verdict, Verdict::Unknown);
        QCOMPARE(cell.score, 0.0);
        QCOMPARE(verdictLabel(cell.verdict), std::string_view("—"));
    }

    void setWeightUpdatesEvaluate()
    {
        auto model = DecisionModel::goVsPythonTemplate();
        const std::vector facts{candidate(1, "Go", "go", model), candidate(2, "Python", "python", model)};
        const auto need = needIndex(model, "ai_ml_integration");
        QCOMPARE(model.evaluate(facts)[need][1].verdict, Verdict::BestChoice);

        // Make the need about deployment size only: Go now wins it.
        QVERIFY(model.setWeight("ai_ml_integration", "ai_ml_ecosystem", 0));
        QVERIFY(model.setWeight("ai_ml_integration", "mvp_speed", 0));
        QVERIFY(model.setWeight("ai_ml_integration", "deployment_size", 4));
        const auto row = model.evaluate(facts)[need];
        QCOMPARE(row[0].verdict, Verdict::BestChoice);
        QCOMPARE(row[0].score, 100.0);
        QCOMPARE(row[1].score, 25.0);

        QVERIFY(model.setWeight("ai_ml_integration", "deployment_size", 99)); // clamped
        QCOMPARE(model.weight("ai_ml_integration", "deployment_size"), kMaxWeight);
        QVERIFY(model.setWeight("ai_ml_integration", "deployment_size", -1));
        QCOMPARE(model.weight("ai_ml_integration", "deployment_size"), 0.0);
        QVERIFY(!model.setWeight("no such need", "deployment_size", 3));
        QVERIFY(!model.setWeight("ai_ml_integration", "no such criterion", 3));
    }

    void addRemoveRenameNeeds()
    {
        auto model = DecisionModel::goVsPythonTemplate();
        const auto count = model.needs().size();
        const auto id =
            model.addNeed({"", "Real-time chat", {{"concurrency_model", 5}, {"unknown", 3}, {"p99_latency", 9}}});
        QCOMPARE(id, std::string("real_time_chat"));
        QCOMPARE(model.needs().size(), count + 1);
        QCOMPARE(model.needs().back().name, std::string("Real-time chat"));
        // Unknown criteria dropped, weights clamped.
        QCOMPARE(model.needs().back().weights,
                 (std::map<std::string, double>{{"concurrency_model", 5}, {"p99_latency", 5}}));
        QCOMPARE(model.addNeed({"", "Real-time chat", {}}), std::string("real_time_chat-2"));
        QCOMPARE(model.addNeed({"microservices", "Another", {}}), std::string("microservices-2"));

        QVERIFY(model.renameNeed("real_time_chat", "Chat"));
        QCOMPARE(model.need("real_time_chat")->name, std::string("Chat"));
        QVERIFY(!model.renameNeed("nope", "x"));

        const auto table = model.evaluate({candidate(1, "Go", "go", model), candidate(2, "Node", "node", model)});
        QCOMPARE(table.size(), model.needs().size());
        QVERIFY(table[needIndex(model, "real_time_chat")][0].explanation.starts_with("Chat — Go\n"));

        QVERIFY(model.removeNeed("real_time_chat"));
        QVERIFY(!model.removeNeed("real_time_chat"));
        QVERIFY(!model.need("real_time_chat"));
        QCOMPARE(model.needs().size(), count + 2);
    }

    void addRemoveRenameCriteria()
    {
        auto model = DecisionModel::goVsPythonTemplate();
        const auto id = model.addCriterion({"",
                                            "Type safety",
                                            std::nullopt,
                                            "Compile-time checks",
                                            {{"Go", {4, "static types"}}, {"python", {9, "hints only"}}},
                                            {}});
        QCOMPARE(id, std::string("type_safety"));
        const auto* added = model.criterion(id);
        QVERIFY(added);
        QCOMPARE(added->kind(), CriterionKind::Qualitative);
        QCOMPARE(added->defaults.at("go").score, 4.0);     // stack tags are lower-cased
        QCOMPARE(added->defaults.at("python").score, 5.0); // clamped to 1..5
        QCOMPARE(model.defaultScores("GO").at(id), 4.0);
        QVERIFY(added->defaultFor(" Go "));
        QCOMPARE(added->defaultFor(" Go ")->rationale, std::string("static types"));
        QVERIFY(!added->defaultFor("rust"));
        QCOMPARE(model.defaultScores("rust").at(id), kNeutralScore);

        QVERIFY(model.setWeight("fast_mvp_build", id, 2));
        const std::vector facts{candidate(1, "Go", "go", model), candidate(2, "Python", "python", model)};
        QVERIFY(model.evaluate(facts)[needIndex(model, "fast_mvp_build")][0].explanation.find(
                    "Type safety (weight 2): 4/5") != std::string::npos);

        QVERIFY(model.renameCriterion(id, "Static typing"));
        QCOMPARE(model.criterion(id)->name, std::string("Static typing"));
        QVERIFY(model.evaluate(facts)[needIndex(model, "fast_mvp_build")][0].explanation.find(
                    "Static typing (weight 2)") != std::string::npos);
        QVERIFY(!model.renameCriterion("nope", "x"));

        // A measured criterion never carries stack defaults, and an id clash gets a suffix.
        const auto measuredId =
            model.addCriterion({"throughput", "Goodput", Metric::Throughput, {}, {{"go", {5, ""}}}, {}});
        QCOMPARE(measuredId, std::string("throughput-2"));
        QCOMPARE(model.criterion(measuredId)->kind(), CriterionKind::Measured);
        QVERIFY(model.criterion(measuredId)->defaults.empty());
        QVERIFY(!model.defaultScores("go").contains(measuredId));

        QVERIFY(model.removeCriterion(id));
        QVERIFY(!model.removeCriterion(id));
        QVERIFY(!model.criterion(id));
        QVERIFY(!model.need("fast_mvp_build")->weights.contains(id));
        QVERIFY(!model.defaultScores("go").contains(id));
    }

    void defaultScoresOfTemplate_data()
    {
        QTest::addColumn<QString>("stack");
        QTest::addColumn<QList<double>>("scores"); // ai/ml, mvp, learning, deployment, concurrency, maturity
        QTest::newRow("go") << "go" << QList<double>{2, 3, 4, 5, 5, 4};
        QTest::newRow("python") << "python" << QList<double>{5, 5, 5, 2, 3, 5};
        QTest::newRow("node") << "node" << QList<double>{3, 5, 4, 3, 4, 5};
        QTest::newRow("case and spaces") << " Python " << QList<double>{5, 5, 5, 2, 3, 5};
        QTest::newRow("other stack") << "rust" << QList<double>{3, 3, 3, 3, 3, 3};
        QTest::newRow("no stack") << "" << QList<double>{3, 3, 3, 3, 3, 3};
    }

    void defaultScoresOfTemplate()
    {
        QFETCH(QString, stack);
        QFETCH(QList<double>, scores);
        const auto model = DecisionModel::goVsPythonTemplate();
        const auto defaults = model.defaultScores(stack.toStdString());
        const std::vector<std::string> ids{"ai_ml_ecosystem", "deployment_size",   "mvp_speed",
                                           "learning_curve",  "concurrency_model", "ecosystem_maturity"};
        QCOMPARE(defaults.size(), ids.size());
        QCOMPARE(defaults.at("ai_ml_ecosystem"), scores[0]);
        QCOMPARE(defaults.at("mvp_speed"), scores[1]);
        QCOMPARE(defaults.at("learning_curve"), scores[2]);
        QCOMPARE(defaults.at("deployment_size"), scores[3]);
        QCOMPARE(defaults.at("concurrency_model"), scores[4]);
        QCOMPARE(defaults.at("ecosystem_maturity"), scores[5]);
        // Every template default comes with its reason.
        for (const auto& criterion : model.criteria()) {
            for (const auto& [tag, score] : criterion.defaults) {
                QVERIFY2(!score.rationale.empty(), (criterion.id + "/" + tag).c_str());
            }
        }
    }

    void jsonRoundTrip_data()
    {
        QTest::addColumn<int>("variant");
        QTest::newRow("template") << 0;
        QTest::newRow("edited") << 1;
        QTest::newRow("empty") << 2;
    }

    void jsonRoundTrip()
    {
        QFETCH(int, variant);
        auto model = variant == 2 ? DecisionModel{} : DecisionModel::goVsPythonTemplate();
        if (variant == 1) {
            model.addCriterion({"", "Type safety", std::nullopt, "", {{"go", {4.5, "static"}}}, {}});
            model.addNeed({"", "Chat", {{"type_safety", 2.5}, {"p99_latency", 1}}});
            model.removeNeed("microservices");
            model.removeCriterion("cpu_per_request");
            model.renameCriterion("throughput", "Req/s « quoted » ünïcode");
            model.setWeight("team_learning_curve", "ai_ml_ecosystem", 0.25);
        }
        const auto json = model.toJson();
        std::string error;
        const auto back = DecisionModel::fromJson(json, &error);
        QVERIFY2(back, error.c_str());
        QCOMPARE(back->toJson(), json);
        QVERIFY(*back == model);
        // And through text, as the session stores it.
        const auto reparsed = QJsonDocument::fromJson(QJsonDocument(json).toJson(QJsonDocument::Compact)).object();
        const auto fromText = DecisionModel::fromJson(reparsed, &error);
        QVERIFY2(fromText, error.c_str());
        QVERIFY(*fromText == model);
    }

    void badJsonRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty object") << QByteArray("{}") << "version: missing";
        QTest::newRow("newer version") << QByteArray(R"({"version":2,"criteria":[],"needs":[]})")
                                       << "version: 2 is not supported";
        QTest::newRow("criteria not array")
            << QByteArray(R"({"version":1,"criteria":{},"needs":[]})") << "criteria: not an array";
        QTest::newRow("needs missing") << QByteArray(R"({"version":1,"criteria":[]})") << "needs: missing";
        QTest::newRow("criterion not object")
            << QByteArray(R"({"version":1,"criteria":[3],"needs":[]})") << "criteria[0]: not an object";
        QTest::newRow("criterion without id")
            << QByteArray(R"({"version":1,"criteria":[{"name":"x"}],"needs":[]})") << "criteria[0].id: missing";
        QTest::newRow("empty id") << QByteArray(R"({"version":1,"criteria":[{"id":"","name":"x"}],"needs":[]})")
                                  << "criteria[0].id: empty";
        QTest::newRow("name not string") << QByteArray(R"({"version":1,"criteria":[{"id":"a","name":1}],"needs":[]})")
                                         << "criteria[0].name: not a string";
        QTest::newRow("duplicate criterion")
            << QByteArray(R"({"version":1,"criteria":[{"id":"a","name":"x"},{"id":"a","name":"y"}],"needs":[]})")
            << "criteria[1].id: \"a\" is used twice";
        QTest::newRow("unknown metric")
            << QByteArray(R"({"version":1,"criteria":[{"id":"a","name":"x","metric":"latency"}],"needs":[]})")
            << "criteria[0].metric: unknown metric \"latency\"";
        QTest::newRow("default out of range")
            << QByteArray(
                   R"({"version":1,"criteria":[{"id":"a","name":"x","defaults":{"go":{"score":7}}}],"needs":[]})")
            << "criteria[0].defaults.go.score: 7 is outside 1..5";
        QTest::newRow("defaults on measured")
            << QByteArray(
                   R"({"version":1,"criteria":[{"id":"a","name":"x","metric":"throughput","defaults":{"go":{"score":3}}}],"needs":[]})")
            << "a measured criterion has no default scores";
        QTest::newRow("weight on unknown criterion")
            << QByteArray(R"({"version":1,"criteria":[],"needs":[{"id":"n","name":"N","weights":{"speed":3}}]})")
            << "needs[0].weights.speed: no such criterion";
        QTest::newRow("weight out of range")
            << QByteArray(
                   R"({"version":1,"criteria":[{"id":"a","name":"x"}],"needs":[{"id":"n","name":"N","weights":{"a":6}}]})")
            << "needs[0].weights.a: 6 is outside 0..5";
        QTest::newRow("weight not number")
            << QByteArray(
                   R"({"version":1,"criteria":[{"id":"a","name":"x"}],"needs":[{"id":"n","name":"N","weights":{"a":"5"}}]})")
            << "needs[0].weights.a: not a number";
        QTest::newRow("need without weights")
            << QByteArray(R"({"version":1,"criteria":[],"needs":[{"id":"n","name":"N"}]})")
            << "needs[0].weights: missing";
        QTest::newRow("step metric without step")
            << QByteArray(R"({"version":1,"criteria":[{"id":"a","name":"x","metric":"step_p99_latency"}],"needs":[]})")
            << "criteria[0].step: missing";
        QTest::newRow("empty step")
            << QByteArray(
                   R"({"version":1,"criteria":[{"id":"a","name":"x","metric":"step_p99_latency","step":""}],"needs":[]})")
            << "criteria[0].step: empty";
        QTest::newRow("step not a string")
            << QByteArray(
                   R"({"version":1,"criteria":[{"id":"a","name":"x","metric":"step_p99_latency","step":3}],"needs":[]})")
            << "criteria[0].step: not a string";
        QTest::newRow("step on the run's p99")
            << QByteArray(
                   R"({"version":1,"criteria":[{"id":"a","name":"x","metric":"p99_latency","step":"login"}],"needs":[]})")
            << "criteria[0].step: only a \"step_p99_latency\" criterion names a step";
        QTest::newRow("step on a qualitative criterion")
            << QByteArray(R"({"version":1,"criteria":[{"id":"a","name":"x","step":"login"}],"needs":[]})")
            << "criteria[0].step: only a \"step_p99_latency\" criterion names a step";
        QTest::newRow("duplicate need")
            << QByteArray(
                   R"({"version":1,"criteria":[],"needs":[{"id":"n","name":"N","weights":{}},{"id":"n","name":"M","weights":{}}]})")
            << "needs[1].id: \"n\" is used twice";
    }

    void badJsonRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        std::string error;
        const auto model = DecisionModel::fromJson(QJsonDocument::fromJson(json).object(), &error);
        QVERIFY(!model);
        QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
        QVERIFY(QString::fromStdString(error).startsWith("decision model: "));
        QVERIFY(!DecisionModel::fromJson(QJsonDocument::fromJson(json).object(), nullptr)); // error is optional
    }

    void minimalJsonAccepted()
    {
        std::string error;
        const auto model = DecisionModel::fromJson(
            parse(R"({"version":1,"criteria":[{"id":"a","name":"A"},{"id":"t","name":"T","metric":"throughput"}],
                      "needs":[{"id":"n","name":"N","weights":{"a":2,"t":0}}]})"),
            &error);
        QVERIFY2(model, error.c_str());
        QCOMPARE(model->criterion("a")->kind(), CriterionKind::Qualitative);
        QCOMPARE(model->criterion("t")->metric, std::optional<Metric>(Metric::Throughput));
        QCOMPARE(model->weight("n", "a"), 2.0);
        QVERIFY(!model->need("n")->weights.contains("t")); // a 0 weight is the same as none
    }

    void stepCriterionJsonRoundTrip()
    {
        auto model = DecisionModel::goVsPythonTemplate();
        const auto login = model.addCriterion(stepLatencyCriterion("login"));
        const auto order = model.addCriterion(stepLatencyCriterion("order/login"));
        QCOMPARE(login, std::string("p99_of_step_login"));
        QCOMPARE(order, std::string("p99_of_step_order_login"));
        QVERIFY(model.setWeight("high_traffic_api", login, 4));
        const auto json = model.toJson();
        int steps = 0;
        for (const auto& value : json.value("criteria").toArray()) {
            const auto object = value.toObject();
            if (object.value("id").toString() == QString::fromStdString(login)) {
                QCOMPARE(object.value("metric").toString(), QString("step_p99_latency"));
                QCOMPARE(object.value("step").toString(), QString("login"));
                ++steps;
            } else if (object.value("id").toString() == QString::fromStdString(order)) {
                QCOMPARE(object.value("step").toString(), QString("order/login"));
                ++steps;
            } else {
                QVERIFY(!object.contains("step")); // the run's p99 included
            }
        }
        QCOMPARE(steps, 2);

        std::string error;
        const auto back = DecisionModel::fromJson(json, &error);
        QVERIFY2(back, error.c_str());
        QVERIFY(*back == model);
        QCOMPARE(back->criterion(login)->metric, std::optional<Metric>(Metric::P99Latency));
        QCOMPARE(back->criterion(login)->step, std::string("login"));
        QVERIFY(back->criterion("p99_latency")->step.empty());
        const auto reparsed = QJsonDocument::fromJson(QJsonDocument(json).toJson(QJsonDocument::Compact)).object();
        const auto fromText = DecisionModel::fromJson(reparsed, &error);
        QVERIFY2(fromText, error.c_str());
        QVERIFY(*fromText == model);
    }

    void stepCriterionShape()
    {
        const auto criterion = stepLatencyCriterion("browse/login");
        QCOMPARE(criterion.name, std::string("p99 of step browse/login"));
        QCOMPARE(criterion.kind(), CriterionKind::Measured);
        QCOMPARE(criterion.metric, std::optional<Metric>(Metric::P99Latency));
        QCOMPARE(metricKey(criterion), std::string_view("step_p99_latency"));
        QCOMPARE(metricKey(*DecisionModel::goVsPythonTemplate().criterion("p99_latency")),
                 std::string_view("p99_latency"));

        // Only a p99 is measured per step: a step on any other criterion is dropped.
        DecisionModel model;
        const auto id = model.addCriterion({"t", "T", Metric::Throughput, {}, {}, "login"});
        QVERIFY(model.criterion(id)->step.empty());
        const auto qualitative = model.addCriterion({"q", "Q", std::nullopt, {}, {}, "login"});
        QVERIFY(model.criterion(qualitative)->step.empty());

        CandidateFacts a;
        a.steps = {"login", "home"};
        CandidateFacts b;
        b.steps = {"home", "browse/login"};
        QCOMPARE(measuredSteps({a, b}), (std::vector<std::string>{"login", "home", "browse/login"}));
        QVERIFY(measuredSteps({}).empty());
    }

    void stepLatencyDecidesANeed()
    {
        DecisionModel model;
        const auto id = model.addCriterion(stepLatencyCriterion("login"));
        model.addNeed({"sign_in", "Sign-in", {{id, 5}}});
        CandidateFacts fast;
        fast.candidateId = 1;
        fast.name = "Fast login";
        fast.runIds = {1};
        fast.p99Ms = 50; // the run's p99 is not what this need weighs
        fast.stepP99Ms = {{"login", 5}, {"home", 50}};
        CandidateFacts slow;
        slow.candidateId = 2;
        slow.name = "Slow login";
        slow.runIds = {2};
        slow.p99Ms = 10;
        slow.stepP99Ms = {{"login", 20}, {"home", 2}};

        auto row = model.evaluate({fast, slow})[0];
        QVERIFY2(row[0].verdict == Verdict::BestChoice, qPrintable(describe(row[0])));
        QCOMPARE(row[0].score, 100.0);
        QCOMPARE(row[1].score, 25.0); // best / value, as for the run's p99
        QVERIFY2(row[1].verdict == Verdict::Limited, qPrintable(describe(row[1])));
        QVERIFY2(row[1].explanation.find("p99 of step login (weight 5): 20 ms (run #2) → 0.25") != std::string::npos,
                 row[1].explanation.c_str());
        QCOMPARE(row[1].runIds, std::vector<int64_t>{2});

        // Evened out as within noise: scored as the best's, its own figure still quoted.
        slow.measuredStepP99Ms = {{"login", 20}};
        slow.stepP99Ms["login"] = 5;
        row = model.evaluate({fast, slow})[0];
        QCOMPARE(row[1].score, 100.0);
        QVERIFY2(row[1].explanation.find("20 ms (run #2), within noise of the best: scored as 5") != std::string::npos,
                 row[1].explanation.c_str());
    }

    void missingStepIsUnknownAndSaysWhy()
    {
        DecisionModel model;
        const auto id = model.addCriterion(stepLatencyCriterion("login"));
        model.addNeed({"sign_in", "Sign-in", {{id, 5}}});
        CandidateFacts withStep;
        withStep.name = "With login";
        withStep.runIds = {1};
        withStep.stepP99Ms = {{"login", 8}};
        CandidateFacts withoutStep;
        withoutStep.name = "Without login";
        withoutStep.runIds = {2};
        withoutStep.p99Ms = 3;
        withoutStep.stepP99Ms = {{"home", 3}};
        CandidateFacts notRun;
        notRun.name = "Not run";
        CandidateFacts neverAnswered; // the step ran, but no answer came: 0 ms, as an unsampled figure reads
        neverAnswered.name = "Never answered";
        neverAnswered.runIds = {3};
        neverAnswered.stepP99Ms = {{"login", 0}};

        const auto row = model.evaluate({withStep, withoutStep, notRun, neverAnswered})[0];
        QCOMPARE(row[0].verdict, Verdict::BestChoice);
        QCOMPARE(row[1].verdict, Verdict::Unknown);
        QCOMPARE(row[1].score, 0.0);
        QVERIFY2(row[1].explanation.find("p99 of step login (weight 5): no step \"login\" in its runs, left out") !=
                     std::string::npos,
                 row[1].explanation.c_str());
        QVERIFY(row[1].runIds.empty());
        QCOMPARE(row[2].verdict, Verdict::Unknown);
        QVERIFY2(row[2].explanation.find("p99 of step login (weight 5): not measured, left out") != std::string::npos,
                 row[2].explanation.c_str());
        QCOMPARE(row[3].verdict, Verdict::Unknown);
        QVERIFY2(row[3].explanation.find("not measured, left out") != std::string::npos, row[3].explanation.c_str());
    }

    // decisionInputs() reads each step's p99 from the stored runs: the median over a candidate's
    // repeats, as the run's p99, and nothing for a candidate whose runs have no such step.
    void stepP99FromTheWeighedRuns()
    {
        QTemporaryDir dir;
        std::vector<store::Target> targets;
        const auto session = sessionOf(dir, {"Fast login", "Slow login", "No login", "Two logins"}, targets);
        const std::vector<metrics::StepLabel> loginHome = {{"main", "login"}, {"main", "home"}};
        std::vector<int64_t> chosen;
        // The fast login's run p99 is the slow home page's, 50 ms: worse than the other's 20 ms. Its
        // last run's login (6 ms) is not its median (5 ms).
        for (const int64_t login : {4'000, 5'000, 6'000}) {
            chosen.push_back(recordRun(*session, targets[0], scenarioRun(loginHome, {login, 50'000})));
        }
        chosen.push_back(recordRun(*session, targets[1], scenarioRun(loginHome, {20'000, 2'000})));
        chosen.push_back(recordRun(*session, targets[2], scenarioRun({{"main", "home"}}, {3'000})));
        const int64_t twoLogins =
            recordRun(*session, targets[3], scenarioRun({{"browse", "login"}, {"order", "login"}}, {5'000, 5'000}));
        chosen.push_back(twoLogins);

        DecisionModel model;
        const auto id = model.addCriterion(stepLatencyCriterion("login"));
        model.addNeed({"sign_in", "Sign-in", {{id, 5}}});
        const auto inputs = workflow::decisionInputs(*session, model, chosen);
        QVERIFY2(inputs.refusal.empty(), inputs.refusal.c_str());
        QCOMPARE(inputs.facts.size(), size_t(4));
        const auto& fast = inputs.facts[0];
        const auto& slow = inputs.facts[1];
        const auto& noLogin = inputs.facts[2];
        const auto& shared = inputs.facts[3];

        QCOMPARE(fast.runIds.size(), size_t(3));
        QVERIFY2(near(fast.stepP99Ms.at("login"), 5.0), qPrintable(QString::number(fast.stepP99Ms.at("login"))));
        QVERIFY(near(fast.measuredStepP99Ms.at("login"), 5.0));
        QVERIFY(near(*fast.p99Ms, 50.0));
        QVERIFY(near(fast.stepP99Ms.at("main/login"), 5.0)); // every name findStep() knows, ready for a new criterion
        QCOMPARE(fast.steps, (std::vector<std::string>{"login", "home"}));
        QVERIFY(near(slow.stepP99Ms.at("login"), 20.0));
        QVERIFY(!noLogin.stepP99Ms.contains("login"));
        QCOMPARE(noLogin.steps, std::vector<std::string>{"home"});
        // Two scenarios share "login": it finds neither, and a note says what to write instead.
        QVERIFY(!shared.stepP99Ms.contains("login"));
        QVERIFY(near(shared.stepP99Ms.at("order/login"), 5.0));
        QCOMPARE(shared.steps, (std::vector<std::string>{"browse/login", "order/login"}));
        const std::string ambiguous = "run #" + std::to_string(twoLogins) + " (browse/login, order/login)";
        QVERIFY2(std::any_of(inputs.notes.begin(), inputs.notes.end(),
                             [&](const std::string& note) { return note.find(ambiguous) != std::string::npos; }),
                 inputs.shownNotes().empty() ? "no notes" : inputs.shownNotes().front().c_str());
        // One run against three: too few to judge noise, so the measured values decide.
        QVERIFY(!inputs.stepNoiseNotes.empty());
        for (const auto& [step, note] : inputs.stepNoiseNotes) {
            QCOMPARE(step, std::string("login"));
            QVERIFY2(note.text.starts_with("step \"login\" p99 latency vs Fast login"), note.text.c_str());
            QVERIFY(!note.tied);
        }

        const auto row = model.evaluate(inputs.facts)[0];
        QVERIFY2(row[0].verdict == Verdict::BestChoice, qPrintable(describe(row[0])));
        QVERIFY2(row[1].score < 30 && row[1].verdict == Verdict::Limited, qPrintable(describe(row[1])));
        QVERIFY2(row[0].explanation.find("(runs #") != std::string::npos, row[0].explanation.c_str());
        for (const size_t without : {size_t(2), size_t(3)}) {
            QCOMPARE(row[without].verdict, Verdict::Unknown);
            QVERIFY2(row[without].explanation.find("no step \"login\" in its runs") != std::string::npos,
                     row[without].explanation.c_str());
        }
    }

    // The run's p99 rule, for a step: a difference within noise is scored as equal, and said so.
    void stepP99WithinNoiseIsTied()
    {
        QTemporaryDir dir;
        std::vector<store::Target> targets;
        const auto session = sessionOf(dir, {"A", "B"}, targets);
        std::vector<int64_t> chosen;
        for (const int64_t login : {4'900, 5'000, 5'100}) {
            chosen.push_back(recordRun(*session, targets[0], scenarioRun({{"main", "login"}}, {login})));
        }
        for (const int64_t login : {5'200, 4'950, 5'100}) {
            chosen.push_back(recordRun(*session, targets[1], scenarioRun({{"main", "login"}}, {login})));
        }
        DecisionModel model;
        const auto id = model.addCriterion(stepLatencyCriterion("login"));
        model.addNeed({"sign_in", "Sign-in", {{id, 5}}});
        const auto inputs = workflow::decisionInputs(*session, model, chosen);
        QVERIFY2(inputs.refusal.empty(), inputs.refusal.c_str());
        const auto& b = inputs.facts[1];
        QVERIFY(near(b.measuredStepP99Ms.at("login"), 5.1));
        QCOMPARE(b.stepP99Ms.at("login"), inputs.facts[0].stepP99Ms.at("login"));
        QCOMPARE(inputs.stepNoiseNotes.size(), size_t(1));
        QVERIFY(inputs.stepNoiseNotes[0].note.tied);
        const auto shown = inputs.shownNotes();
        QVERIFY(std::any_of(shown.begin(), shown.end(), [](const std::string& note) {
            return note.starts_with("B: step \"login\" p99 latency vs A") &&
                   note.find("within noise: scored as equal") != std::string::npos;
        }));

        const auto row = model.evaluate(inputs.facts)[0];
        QCOMPARE(row[1].score, row[0].score);
        QVERIFY2(row[1].explanation.find("5.1 ms (runs #") != std::string::npos &&
                     row[1].explanation.find("within noise of the best: scored as 5") != std::string::npos,
                 row[1].explanation.c_str());
    }

    void scoresStayWithinRange_data()
    {
        QTest::addColumn<double>("value");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QTest::newRow("zero") << 0.0;
        QTest::newRow("tiny") << 1e-9;
        QTest::newRow("huge") << 1e12;
        QTest::newRow("negative") << -5.0;
        QTest::newRow("nan") << nan;
        QTest::newRow("infinite") << inf;
        QTest::newRow("over 100") << 150.0;
    }

    void scoresStayWithinRange()
    {
        QFETCH(double, value);
        const auto model = DecisionModel::goVsPythonTemplate();
        auto odd = candidate(1, "odd", "go", model);
        odd.throughput = odd.p99Ms = odd.errorPercent = odd.memoryMb = odd.cpuMicrosPerRequest = value;
        for (auto& [id, score] : odd.qualitative) {
            score = value;
        }
        auto normal = measured(candidate(2, "normal", "python", model), 1000, 10, 1);
        normal.memoryMb = 100;
        normal.cpuMicrosPerRequest = 50;
        const auto table = model.evaluate({odd, normal, candidate(3, "nothing measured", "node", model)});
        QCOMPARE(table.size(), model.needs().size());
        for (const auto& row : table) {
            QCOMPARE(row.size(), size_t(3));
            for (const auto& cell : row) {
                QVERIFY2(cell.score >= 0 && cell.score <= 100, qPrintable(describe(cell)));
                QVERIFY(!cell.explanation.empty());
                QVERIFY(cell.verdict != Verdict::Unknown || cell.score == 0);
            }
        }
    }

    void noCandidates()
    {
        const auto model = DecisionModel::goVsPythonTemplate();
        const auto table = model.evaluate({});
        QCOMPARE(table.size(), model.needs().size());
        QVERIFY(table[0].empty());
    }

    void explanationContainsTheNumbers()
    {
        const auto model = DecisionModel::goVsPythonTemplate();
        auto go = measured(candidate(1, "Go (Gin)", "go", model), 52000, 4.2, 0.5);
        go.memoryMb = 35;
        go.cpuMicrosPerRequest = 120;
        auto python = measured(candidate(2, "FastAPI", "python", model), 13000, 16.8, 0);
        python.memoryMb = 70;
        python.cpuMicrosPerRequest = 480;
        const auto table = model.evaluate({go, python});

        const auto& fast = table[needIndex(model, "high_traffic_api")][1].explanation;
        for (const char* expected :
             {"High-traffic API — FastAPI\n", "Throughput (weight 5): 13000 req/s → 0.25",
              "p99 latency (weight 5): 16.8 ms → 0.25", "Error rate (weight 3): 0 % → 1.00",
              "Server memory (weight 2): 70 MB → 0.50", "CPU per request (weight 2): 480 µs/request → 0.25",
              "Score: 100 × 7 / 17 = 41.2"}) {
            QVERIFY2(fast.find(expected) != std::string::npos, (fast + "\n--- missing: " + expected).c_str());
        }
        QCOMPARE(table[needIndex(model, "high_traffic_api")][1].score, 100.0 * 7 / 17);

        const auto& ai = table[needIndex(model, "ai_ml_integration")][0].explanation;
        QVERIFY2(ai.find("AI/ML ecosystem (weight 5): 2/5 → 0.25") != std::string::npos, ai.c_str());
        QVERIFY2(ai.find("Speed of building an MVP (weight 1): 3/5 → 0.50") != std::string::npos, ai.c_str());

        auto unscored = go;
        unscored.qualitative.erase("ai_ml_ecosystem");
        const auto cell = model.evaluate({unscored})[needIndex(model, "ai_ml_integration")][0];
        QVERIFY2(cell.explanation.find("AI/ML ecosystem (weight 5): not scored") != std::string::npos,
                 cell.explanation.c_str());
        QCOMPARE(cell.score, 50.0); // MVP 3/5 alone
    }

    void verdictLabels()
    {
        QCOMPARE(verdictLabel(Verdict::BestChoice), std::string_view("Best choice"));
        QCOMPARE(verdictLabel(Verdict::Workable), std::string_view("Workable"));
        QCOMPARE(verdictLabel(Verdict::Limited), std::string_view("Limited"));
        QCOMPARE(verdictLabel(Verdict::Unknown), std::string_view("—"));
    }

    void bestChoiceNeedsAGoodEnoughScore()
    {
        // The best of poor options is not a "best choice".
        DecisionModel model;
        model.addCriterion({"q", "Q", std::nullopt, {}, {}, {}});
        model.addNeed({"n", "N", {{"q", 1}}});
        CandidateFacts a{1, "a", "", {}, {}, {}, {}, {}, {}, {}, {{"q", 3.2}}, {}, {}, {}, {}, {}}; // 55
        CandidateFacts b{2, "b", "", {}, {}, {}, {}, {}, {}, {}, {{"q", 2.0}}, {}, {}, {}, {}, {}}; // 25
        const auto row = model.evaluate({a, b})[0];
        QCOMPARE(row[0].verdict, Verdict::Workable);
        QCOMPARE(row[1].verdict, Verdict::Limited);
    }
};

QTEST_GUILESS_MAIN(TestDecision)
#include "tst_decision.moc"
