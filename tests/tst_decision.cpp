// SPDX-License-Identifier: Apache-2.0
#include "decision/decision_model.h"

#include <QJsonDocument>
#include <QTest>

#include <limits>

using namespace benchdeck::decision;

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
        model.addCriterion({"errors", "Errors", Metric::ErrorRate, {}, {}});
        model.addNeed({"reliable", "Reliable", {{"errors", 5}}});
        const CandidateFacts clean{1, "clean", "go", {}, {}, 0.0, {}, {}, {}, {}, {}, {}, {}};
        const CandidateFacts other{2, "other", "go", {}, {}, errors, {}, {}, {}, {}, {}, {}, {}};
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
                                            {{"Go", {4, "static types"}}, {"python", {9, "hints only"}}}});
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
            model.addCriterion({"throughput", "Goodput", Metric::Throughput, {}, {{"go", {5, ""}}}});
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
            model.addCriterion({"", "Type safety", std::nullopt, "", {{"go", {4.5, "static"}}}});
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
        model.addCriterion({"q", "Q", std::nullopt, {}, {}});
        model.addNeed({"n", "N", {{"q", 1}}});
        CandidateFacts a{1, "a", "", {}, {}, {}, {}, {}, {}, {}, {{"q", 3.2}}, {}, {}}; // 55
        CandidateFacts b{2, "b", "", {}, {}, {}, {}, {}, {}, {}, {{"q", 2.0}}, {}, {}}; // 25
        const auto row = model.evaluate({a, b})[0];
        QCOMPARE(row[0].verdict, Verdict::Workable);
        QCOMPARE(row[1].verdict, Verdict::Limited);
    }
};

QTEST_GUILESS_MAIN(TestDecision)
#include "tst_decision.moc"
