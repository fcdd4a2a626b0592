// SPDX-License-Identifier: Apache-2.0
// Scenarios in the load engine, against a shop API that insists on the flow (test_shop_server.h):
// a token from the login must reach the list, an id from the list must reach the item. Every run
// is on 127.0.0.1, bounded by a request count, a duration or its data, and ends by itself. Figures
// are compared with what the server itself counted, so a test passes only when both agree.
#include "engine/engine.h"
#include "engine/scenario_plan.h"
#include "engine/scenario_probe.h"
#include "plan/plan_codec.h"
#include "plan/scenario_codec.h"
#include "plan/scenario_file.h"
#include "workflow/run_jobs.h"
#include "scaleout/shard.h"
#include "store/session_file.h"
#include "scenario/csv_data.h"
#include "test_shop_server.h"

#include <QObject>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>
#include <memory>
#include <string>

// Declared before any test data: moc must see the whole class before the string literals below.
class TestScenarioEngine : public QObject {
    Q_OBJECT

private slots:
    void loginListItemRunsWithoutCheckFailures();
    void withoutTheIdExtractorEveryThirdStepFailsItsCheck();
    void uniqueFeederHandsEachRowToOneIteration();
    void mixLandsWithinOnePercentOfItsWeights();
    void aVariableWithNoValueStopsTheIterationUnsent();
    void openModelArrivalsStartIterations();
    void thinkTimePausesTheUser();
    void scenariosMustShareOneServer();
    void aScenarioRunIsStoredAndReadBack();
    void shardsMergeStepByStep();
    void tryOnceShowsEachStep();
    void aTargetKeepsItsScenarioAndRunsItAgain();
};

using benchdeck::engine::RunConfig;
using benchdeck::metrics::RunResult;
using benchdeck::metrics::StopReason;
using benchdeck::testing::ShopServer;

namespace {

std::string replaced(std::string text, const std::string& what, const std::string& with)
{
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
        text.replace(at, what.size(), with);
    }
    return text;
}

// The scenario text with {{base}} set to the server, compiled with `tables` for its feeders.
std::shared_ptr<const benchdeck::engine::ScenarioPlan> planFor(const std::string& text, const ShopServer& server,
                                                               std::vector<benchdeck::scenario::CsvTable> tables = {})
{
    std::string error;
    auto workload = benchdeck::plan::parseScenarioText(QByteArray::fromStdString(replaced(text, "BASE", server.base())),
                                                       &error);
    if (!workload) {
        qWarning("scenario: %s", error.c_str());
        return nullptr;
    }
    std::vector<std::string> files(workload->feeders.size(), "inline.csv");
    auto plan = benchdeck::engine::makeScenarioPlan(std::move(*workload), "test.json", files, std::move(tables), &error);
    if (!plan) {
        qWarning("plan: %s", error.c_str());
    }
    return plan;
}

RunConfig configFor(std::shared_ptr<const benchdeck::engine::ScenarioPlan> plan)
{
    RunConfig config;
    config.scenario = std::move(plan);
    config.url = config.scenario->origin;
    config.connections = 4;
    config.threads = 2;
    config.duration = std::chrono::seconds(60); // a bound; each test ends on its count or its data first
    config.requestTimeout = std::chrono::seconds(10);
    return config;
}

RunResult run(const RunConfig& config)
{
    std::atomic<bool> stop{false};
    auto result = benchdeck::engine::runLoad(config, stop);
    if (!result.startError.empty()) {
        qWarning("start error: %s", result.startError.c_str());
    }
    return result;
}

uint64_t routeCount(const ShopServer& server, const std::string& route)
{
    const auto routes = server.requestsByRoute();
    const auto it = routes.find(route);
    return it == routes.end() ? 0 : it->second;
}

const char* const kShop = R"({
  "benchdeck_scenario": 1,
  "variables": {"base": "BASE"},
  "steps": [
    {"name": "login", "method": "POST", "url": "{{base}}/login",
     "body": {"user": "ann", "password": "s3cret"},
     "extract": [{"var": "token", "json": "/token"}],
     "check": [{"status": [200]}]},
    {"name": "list", "url": "{{base}}/items", "headers": {"Authorization": "Bearer {{token}}"},
     "extract": [{"var": "id", "json": "$.items[0].id"}],
     "check": [{"status": [200]}, {"json": "/ok", "equals": true}]},
    {"name": "item", "url": "{{base}}/items/{{id}}", "headers": {"Authorization": "Bearer {{token}}"},
     "check": [{"json": "/found", "equals": true}]}
  ]
})";

} // namespace

void TestScenarioEngine::loginListItemRunsWithoutCheckFailures()
{
    ShopServer server;
    auto plan = planFor(kShop, server);
    QVERIFY(plan);
    auto config = configFor(plan);
    config.requests = 900;
    const auto result = run(config);
    QCOMPARE(result.stopReason, StopReason::RequestCountReached);
    const auto& s = result.summary;
    QCOMPARE(s.steps.size(), size_t(3));
    QCOMPARE(s.steps[0].step, std::string("login"));
    QCOMPARE(s.steps[2].scenario, std::string("main"));
    QCOMPARE(s.checksFailed, uint64_t(0));
    QCOMPARE(s.errors, uint64_t(0));
    QCOMPARE(server.unauthorized(), uint64_t(0));
    QCOMPARE(s.requests, uint64_t(900));
    QCOMPARE(s.steps[0].requests + s.steps[1].requests + s.steps[2].requests, s.requests);
    // The id the list answered (17) reached the item step, and the server saw every step the client counted.
    QCOMPARE(routeCount(server, "GET /items/17"), s.steps[2].requests);
    QCOMPARE(routeCount(server, "POST /login"), s.steps[0].requests);
    QVERIFY(s.steps[2].requests >= 900 / 3 - 4);
    // Checks: one on login, two on the list, one on the item, per iteration.
    QCOMPARE(s.checks, s.steps[0].requests + 2 * s.steps[1].requests + s.steps[2].requests);
    QCOMPARE(s.iterations.completed, s.steps[2].requests);
    QCOMPARE(s.iterations.failed, uint64_t(0));
    QVERIFY(s.iterations.duration.p50 >= s.steps[0].latency.p50);
}

void TestScenarioEngine::withoutTheIdExtractorEveryThirdStepFailsItsCheck()
{
    ShopServer server;
    // The list's extractor is gone; {{id}} falls back to a constant no item has.
    std::string text = replaced(kShop, R"("extract": [{"var": "id", "json": "$.items[0].id"}],)", "");
    text = replaced(text, R"({"base": "BASE"})", R"({"base": "BASE", "id": "0"})");
    auto plan = planFor(text, server);
    QVERIFY(plan);
    auto config = configFor(plan);
    config.requests = 900;
    const auto result = run(config);
    const auto& s = result.summary;
    QCOMPARE(s.steps.size(), size_t(3));
    QCOMPARE(routeCount(server, "GET /items/0"), s.steps[2].requests);
    QVERIFY(s.steps[2].requests > 0);
    QCOMPARE(s.steps[0].failed, uint64_t(0));
    QCOMPARE(s.steps[1].failed, uint64_t(0));
    QCOMPARE(s.steps[2].failed, s.steps[2].requests);
    QCOMPARE(s.checksFailed, s.steps[2].requests);
    // A third of all requests, give or take the iterations the count cut short.
    QVERIFY2(std::llabs(int64_t(3 * s.steps[2].requests) - int64_t(s.requests)) <= 3 * 4,
             qPrintable(QString("item %1 of %2").arg(s.steps[2].requests).arg(s.requests)));
    // Counted as check failures, not as errors: every answer was a 200.
    QCOMPARE(s.errors, uint64_t(0));
    QCOMPARE(result.total.transportErrors(), uint64_t(0));
}

void TestScenarioEngine::uniqueFeederHandsEachRowToOneIteration()
{
    ShopServer server;
    benchdeck::scenario::CsvTable table;
    table.columns = {"user", "password"};
    for (int i = 0; i < 1000; ++i) {
        table.rows.push_back({"user" + std::to_string(i), "pw" + std::to_string(i)});
    }
    const char* text = R"({
      "benchdeck_scenario": 1,
      "variables": {"base": "BASE"},
      "data": [{"name": "users", "file": "users.csv", "mode": "unique"}],
      "steps": [
        {"name": "login", "method": "POST", "url": "{{base}}/login",
         "body": "{\"user\": \"{{user}}\", \"password\": \"{{password}}\"}",
         "check": [{"status": [200]}]}
      ]
    })";
    auto plan = planFor(text, server, {table});
    QVERIFY(plan);
    auto config = configFor(plan);
    config.connections = 8;
    const auto result = run(config);
    QCOMPARE(result.stopReason, StopReason::DataExhausted);
    QVERIFY2(result.stopMessage.find("\"users\" ran out of unique rows after 1000 iterations") != std::string::npos,
             result.stopMessage.c_str());
    const auto logins = server.loginsByUser();
    QCOMPARE(logins.size(), size_t(1000));
    for (const auto& [user, count] : logins) {
        QVERIFY2(count == 1, qPrintable(QString::fromStdString(user) + " logged in " + QString::number(count) + " times"));
    }
    QCOMPARE(result.summary.iterations.completed, uint64_t(1000));
    QCOMPARE(result.summary.checksFailed, uint64_t(0));
    QCOMPARE(result.summary.unansweredAtEnd, uint64_t(0));
}

void TestScenarioEngine::mixLandsWithinOnePercentOfItsWeights()
{
    ShopServer server;
    const char* text = R"({
      "benchdeck_scenario": 1,
      "variables": {"base": "BASE"},
      "scenarios": [
        {"name": "read", "weight": 70, "steps": [{"name": "read", "url": "{{base}}/read"}]},
        {"name": "search", "weight": 20, "steps": [{"name": "search", "url": "{{base}}/search?q=x"}]},
        {"name": "write", "weight": 10, "steps": [{"name": "write", "method": "POST", "url": "{{base}}/write",
                                                     "body": "{}"}]}
      ]
    })";
    auto plan = planFor(text, server);
    QVERIFY(plan);
    auto config = configFor(plan);
    config.requests = 100'000;
    const auto result = run(config);
    QCOMPARE(result.summary.requests, uint64_t(100'000));
    const double reads = double(routeCount(server, "GET /read"));
    const double searches = double(routeCount(server, "GET /search?q=x"));
    const double writes = double(routeCount(server, "POST /write"));
    QCOMPARE(uint64_t(reads + searches + writes), uint64_t(100'000));
    QVERIFY2(std::abs(reads / 100'000 - 0.70) <= 0.01, qPrintable(QString::number(reads)));
    QVERIFY2(std::abs(searches / 100'000 - 0.20) <= 0.01, qPrintable(QString::number(searches)));
    QVERIFY2(std::abs(writes / 100'000 - 0.10) <= 0.01, qPrintable(QString::number(writes)));
    QCOMPARE(double(result.summary.steps[0].requests), reads);
    QCOMPARE(double(result.summary.steps[2].requests), writes);
}

void TestScenarioEngine::aVariableWithNoValueStopsTheIterationUnsent()
{
    ShopServer server;
    // The list has no "next" field: {{next}} stays unset and the second step is never sent.
    const char* text = R"({
      "benchdeck_scenario": 1,
      "variables": {"base": "BASE"},
      "steps": [
        {"name": "first", "url": "{{base}}/first", "extract": [{"var": "next", "json": "/next"}]},
        {"name": "second", "url": "{{base}}/second/{{next}}"}
      ]
    })";
    auto plan = planFor(text, server);
    QVERIFY(plan);
    auto config = configFor(plan);
    config.requests = 50;
    const auto result = run(config);
    const auto& s = result.summary;
    QCOMPARE(s.steps[0].requests, uint64_t(50));
    QCOMPARE(s.steps[1].requests, uint64_t(0));
    QVERIFY(s.steps[1].notSent >= 46);
    QCOMPARE(routeCount(server, "GET /first"), uint64_t(50));
    QCOMPARE(server.requestsByRoute().size(), size_t(1));
    QCOMPARE(s.iterations.completed, uint64_t(0));
    QVERIFY(s.iterations.failed >= 46);
    const std::string problem(result.total.scenario->problem());
    QVERIFY2(problem.find("step \"second\"") != std::string::npos && problem.find("{{next}}") != std::string::npos,
             problem.c_str());
}

void TestScenarioEngine::openModelArrivalsStartIterations()
{
    ShopServer server;
    auto plan = planFor(kShop, server);
    QVERIFY(plan);
    auto config = configFor(plan);
    config.rate = 200;
    config.connections = 50;
    config.duration = std::chrono::seconds(1);
    const auto result = run(config);
    const auto& s = result.summary;
    // One login per arrival: the schedule's 200 in the second, never more.
    QVERIFY2(s.steps[0].requests >= 100 && s.steps[0].requests <= 201, qPrintable(QString::number(s.steps[0].requests)));
    QVERIFY(s.steps[2].requests + 50 >= s.steps[0].requests);
    QVERIFY(s.steps[2].requests <= s.steps[0].requests);
    QCOMPARE(s.checksFailed, uint64_t(0));
    QCOMPARE(result.schedule.openModel, true);
}

void TestScenarioEngine::thinkTimePausesTheUser()
{
    ShopServer server;
    const char* text = R"({
      "benchdeck_scenario": 1,
      "steps": [{"name": "tick", "url": "BASE/tick", "think": "100ms"}]
    })";
    auto plan = planFor(text, server);
    QVERIFY(plan);
    auto config = configFor(plan);
    config.connections = 1;
    config.threads = 1;
    config.duration = std::chrono::seconds(1);
    const auto result = run(config);
    // At most one request per 100 ms pause: a busy machine makes fewer, never more.
    QVERIFY2(result.summary.requests >= 1 && result.summary.requests <= 11,
             qPrintable(QString::number(result.summary.requests)));
}

void TestScenarioEngine::scenariosMustShareOneServer()
{
    ShopServer one;
    ShopServer other;
    std::string text = R"({
      "benchdeck_scenario": 1,
      "scenarios": [
        {"name": "a", "steps": [{"name": "a", "url": "BASE/a"}]},
        {"name": "b", "steps": [{"name": "b", "url": "OTHER/b"}]}
      ]
    })";
    text = replaced(text, "OTHER", other.base());
    std::string error;
    auto workload = benchdeck::plan::parseScenarioText(QByteArray::fromStdString(replaced(text, "BASE", one.base())), &error);
    QVERIFY(workload);
    QVERIFY(!benchdeck::engine::makeScenarioPlan(*workload, "f.json", {}, {}, &error));
    QVERIFY2(error.find("a run talks to one server") != std::string::npos, error.c_str());

    // Data may fill in the rest of the first URL, not its server: that is known before any row is.
    benchdeck::scenario::CsvTable table;
    table.columns = {"host", "q"};
    table.rows = {{"127.0.0.1", "a"}};
    const std::string fromData = R"({"benchdeck_scenario": 1, "data": [{"name": "d", "file": "d.csv"}],
      "steps": [{"name": "s", "url": "BASE/search?q={{q}}"}]})";
    workload = benchdeck::plan::parseScenarioText(QByteArray::fromStdString(replaced(fromData, "BASE", one.base())), &error);
    QVERIFY(workload);
    const auto plan = benchdeck::engine::makeScenarioPlan(*workload, "f.json", {"d.csv"}, {table}, &error);
    QVERIFY2(plan, error.c_str());
    QCOMPARE(plan->origin, one.base());
    const std::string hostFromData = replaced(fromData, "BASE", "http://{{host}}:" + std::to_string(one.port()));
    workload = benchdeck::plan::parseScenarioText(QByteArray::fromStdString(hostFromData), &error);
    QVERIFY(workload);
    QVERIFY(!benchdeck::engine::makeScenarioPlan(*workload, "f.json", {"d.csv"}, {table}, &error));
    QVERIFY2(error.find("must name its server (scheme, host and port) with text or constants") != std::string::npos,
             error.c_str());
}

void TestScenarioEngine::aScenarioRunIsStoredAndReadBack()
{
    ShopServer server;
    auto plan = planFor(kShop, server);
    QVERIFY(plan);
    auto config = configFor(plan);
    config.requests = 300;
    const auto result = run(config);
    QTemporaryDir dir;
    const std::string file = dir.filePath("scenario.benchdeck").toStdString();
    std::string error;
    int64_t id = 0;
    {
        auto session = benchdeck::store::SessionFile::open(file, benchdeck::store::OpenMode::CreateOrOpen, &error);
        QVERIFY2(session, error.c_str());
        const auto begun = session->beginRun(config, false, &error);
        QVERIFY2(begun, error.c_str());
        id = *begun;
        QVERIFY2(session->finishRun(id, result, &error), error.c_str());
    }
    auto session = benchdeck::store::SessionFile::open(file, benchdeck::store::OpenMode::ReadOnly, &error);
    QVERIFY2(session, error.c_str());
    const auto stored = session->loadRun(id, &error);
    QVERIFY2(stored, error.c_str());
    const auto& s = stored->result.summary;
    QCOMPARE(s.steps.size(), size_t(3));
    for (size_t i = 0; i < 3; ++i) {
        QCOMPARE(s.steps[i].step, result.summary.steps[i].step);
        QCOMPARE(s.steps[i].requests, result.summary.steps[i].requests);
        QCOMPARE(s.steps[i].checks, result.summary.steps[i].checks);
        QCOMPARE(s.steps[i].latency.p99, result.summary.steps[i].latency.p99);
    }
    QCOMPARE(s.iterations.completed, result.summary.iterations.completed);
    QCOMPARE(s.iterations.duration.p50, result.summary.iterations.duration.p50);
    // The plan keeps the scenario: its steps, where it came from, and the server it talks to.
    std::string why;
    const auto readBack = benchdeck::plan::fromJson(stored->plan, &why);
    QVERIFY2(readBack, why.c_str());
    QVERIFY(readBack->scenario);
    QCOMPARE(readBack->scenario->origin, server.base());
    QCOMPARE(readBack->scenario->file, std::string("test.json"));
    QCOMPARE(readBack->scenario->workload.scenarios[0].steps[2].name, std::string("item"));
    QCOMPARE(benchdeck::plan::describe(*readBack), benchdeck::plan::describe(config));
    // Read back, it describes the run but does not pretend to be runnable without its data.
    QVERIFY(!readBack->scenario->program);
    std::atomic<bool> stop{false};
    const auto rerun = benchdeck::engine::runLoad(*readBack, stop);
    QVERIFY(rerun.startError.find("read its file again") != std::string::npos);
}

void TestScenarioEngine::shardsMergeStepByStep()
{
    ShopServer server;
    auto plan = planFor(kShop, server);
    QVERIFY(plan);
    auto whole = configFor(plan);
    whole.requests = 600;
    QTemporaryDir dir;
    std::vector<benchdeck::scaleout::ShardResult> shards;
    std::string error;
    uint64_t itemRequests = 0;
    for (int index = 1; index <= 2; ++index) {
        const benchdeck::scaleout::ShardSpec spec{index, 2};
        const auto part = benchdeck::scaleout::splitPlan(whole, spec, &error);
        QVERIFY2(part, error.c_str());
        const auto result = run(*part);
        itemRequests += result.summary.steps[2].requests;
        const QString file = dir.filePath(QString("shard-%1.json").arg(index));
        QVERIFY2(benchdeck::scaleout::writeShardResult(
                     file, benchdeck::scaleout::shardResultToJson(whole, spec, *part, result, {}, false), &error),
                 error.c_str());
        auto read = benchdeck::scaleout::readShardResult(file, &error);
        QVERIFY2(read, error.c_str());
        shards.push_back(std::move(*read));
    }
    const auto merged = benchdeck::scaleout::mergeShards(shards, &error);
    QVERIFY2(merged, error.c_str());
    const auto& s = merged->result.summary;
    QCOMPARE(s.requests, uint64_t(600));
    QCOMPARE(s.steps.size(), size_t(3));
    QCOMPARE(s.steps[2].step, std::string("item"));
    QCOMPARE(s.steps[2].requests, itemRequests);
    QCOMPARE(s.steps[2].latency.count, itemRequests);
    QCOMPARE(s.checksFailed, uint64_t(0));
    QCOMPARE(s.steps[0].requests + s.steps[1].requests + s.steps[2].requests, uint64_t(600));
}

void TestScenarioEngine::tryOnceShowsEachStep()
{
    ShopServer server;
    auto plan = planFor(kShop, server);
    QVERIFY(plan);
    const auto config = configFor(plan);
    const auto steps = benchdeck::engine::tryOnce(*plan, config, 0);
    QCOMPARE(steps.size(), size_t(3));
    QCOMPARE(steps[0].method, std::string("POST"));
    QCOMPARE(steps[0].url, server.base() + "/login");
    QCOMPARE(steps[0].requestBody, std::string(R"({"password":"s3cret","user":"ann"})"));
    QCOMPARE(steps[0].status, 200);
    QCOMPARE(steps[0].extracted.size(), size_t(1));
    QCOMPARE(steps[0].extracted[0].value, std::string("tok-ann"));
    // The token went out in the list's header, as libcurl wrote it on the wire.
    bool authorized = false;
    for (const auto& [name, value] : steps[1].requestHeaders) {
        authorized = authorized || (name == "Authorization" && value == "Bearer tok-ann");
    }
    QVERIFY(authorized);
    QCOMPARE(steps[1].extracted[0].value, std::string("17"));
    QCOMPARE(steps[2].url, server.base() + "/items/17");
    QCOMPARE(steps[2].responseBody, std::string(R"({"id": 17, "found": true})"));
    QCOMPARE(steps[2].checks.size(), size_t(1));
    QCOMPARE(steps[2].checks[0].first, std::string("/found == true"));
    QVERIFY(steps[0].passed() && steps[1].passed() && steps[2].passed());
    QCOMPARE(routeCount(server, "GET /items/17"), uint64_t(1));

    // Without the id's extractor the item step is still sent, to a wrong id, and its check fails.
    std::string text = replaced(kShop, R"("extract": [{"var": "id", "json": "$.items[0].id"}],)", "");
    text = replaced(text, R"({"base": "BASE"})", R"({"base": "BASE", "id": "0"})");
    auto broken = planFor(text, server);
    QVERIFY(broken);
    const auto failing = benchdeck::engine::tryOnce(*broken, configFor(broken), 0);
    QCOMPARE(failing.size(), size_t(3));
    QVERIFY(failing[1].passed());
    QVERIFY(!failing[2].passed());
    QCOMPARE(failing[2].checks[0].second, false);
}

void TestScenarioEngine::aTargetKeepsItsScenarioAndRunsItAgain()
{
    ShopServer server;
    QTemporaryDir dir;
    // A feeder whose rows live in a file: the session keeps where it is, not the rows.
    const QString csv = dir.filePath("users.csv");
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("user,password\nann,a\nbob,b\n");
    }
    std::string text = replaced(kShop, R"("variables": {"base": "BASE"},)",
                                R"("variables": {"base": "BASE"}, "data": [{"name": "users", "file": "users.csv"}],)");
    text = replaced(text, R"({"user": "ann", "password": "s3cret"})", R"({"user": "{{user}}", "password": "{{password}}"})");
    const QString scenarioFile = dir.filePath("shop.json");
    {
        QFile file(scenarioFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(replaced(text, "BASE", server.base())));
    }
    std::string error;
    const auto loaded = benchdeck::plan::loadScenarioPlan(scenarioFile.toStdString(), {}, &error);
    {
        // The same file against another server, from the command line: the origin follows the constant.
        benchdeck::plan::ScenarioOverrides overrides;
        overrides.variables = {{"base", "http://127.0.0.1:9"}, {"extra", "1"}};
        const auto elsewhere = benchdeck::plan::loadScenarioPlan(scenarioFile.toStdString(), overrides, &error);
        QVERIFY2(elsewhere, error.c_str());
        QCOMPARE(elsewhere->origin, std::string("http://127.0.0.1:9"));
        overrides.variables = {{"9lives", "x"}};
        QVERIFY(!benchdeck::plan::loadScenarioPlan(scenarioFile.toStdString(), overrides, &error));
        QVERIFY2(error.find("--var 9lives") != std::string::npos, error.c_str());
    }
    QVERIFY2(loaded, error.c_str());
    QCOMPARE(loaded->dataFiles.at(0), csv.toStdString());
    const std::string sessionPath = dir.filePath("targets.benchdeck").toStdString();
    auto session = benchdeck::store::SessionFile::open(sessionPath, benchdeck::store::OpenMode::CreateOrOpen, &error);
    QVERIFY2(session, error.c_str());
    benchdeck::store::Target target;
    target.name = "shop";
    target.request.url = loaded->origin;
    target.request.scenario = loaded;
    QVERIFY2(session->saveTarget(target, false, &error), error.c_str());
    benchdeck::store::Profile profile;
    profile.name = "count";
    profile.load.connections = 2;
    profile.load.threads = 1;
    profile.load.requests = 60;
    QVERIFY2(session->saveProfile(profile, &error), error.c_str());
    const auto targets = session->targets(&error);
    QCOMPARE(targets.size(), size_t(1));
    const auto& stored = targets[0].request.scenario;
    QVERIFY(stored);
    QVERIFY(!stored->program); // the rows are read again when it runs
    QCOMPARE(stored->workload.scenarios[0].steps.size(), size_t(3));
    QCOMPARE(stored->dataFiles, loaded->dataFiles);
    QCOMPARE(stored->file, scenarioFile.toStdString());
    const auto jobs = benchdeck::workflow::buildJobs(*session, {targets[0].id}, profile.id, {}, &error);
    QVERIFY2(jobs, error.c_str());
    const auto result = run(jobs->at(0).config);
    QCOMPARE(result.summary.requests, uint64_t(60));
    QCOMPARE(result.summary.checksFailed, uint64_t(0));
    QVERIFY(server.loginsByUser().count("ann") == 1 && server.loginsByUser().count("bob") == 1);
    // Its data gone, the target says which file is missing instead of running.
    QVERIFY(QFile::remove(csv));
    QVERIFY(!benchdeck::workflow::buildJobs(*session, {targets[0].id}, profile.id, {}, &error));
    QVERIFY2(error.find("users.csv") != std::string::npos, error.c_str());
}

QTEST_GUILESS_MAIN(TestScenarioEngine)
#include "tst_scenario_engine.moc"
