// SPDX-License-Identifier: Apache-2.0
// The scenario file (plan/scenario_codec.h): a full workload survives text and JSON round trips field
// by field, the documented example reads as documented, the shorthand and conveniences behave, and a
// corpus of refused files each says what is wrong and where.
#include "plan/scenario_codec.h"

#include <QFile>
#include <QJsonDocument>
#include <QStringList>
#include <QTest>

using namespace benchdeck;
using namespace std::chrono_literals;
using scenario::CheckKind;
using scenario::ExtractFrom;
using scenario::FeederMode;

// Declared before the fixtures: moc (Qt 6.4) reads raw string literals as plain ones, and the JSON
// texts below would hide a class that came after them.
class TestScenarioCodec : public QObject {
    Q_OBJECT
private slots:
    void roundTripKeepsEveryField();
    void keysAreWrittenInReadingOrder();
    void headersTakeTheFormThatReadsBackTheSame();
    void docsExampleReadsAsDocumented();
    void docsExampleIsThisOne();
    void stepsAloneAreOneScenarioNamedMain();
    void bodyWrittenAsJsonIsSentAsCompactText();
    void refusesWhatItCannotRunAsWritten_data();
    void refusesWhatItCannotRunAsWritten();
};

namespace {

// Must stay byte for byte the first ```json block of docs/scenarios.md: the docs promise this file
// works, and docsExampleIsThisOne() holds them to it.
const char* const kDocsExample = R"json({
  "benchdeck_scenario": 1,
  "variables": {"base": "http://127.0.0.1:8080"},
  "data": [
    {"name": "users", "file": "users.csv", "mode": "unique"}
  ],
  "scenarios": [
    {
      "name": "browse",
      "weight": 70,
      "steps": [
        {
          "name": "login",
          "method": "POST",
          "url": "{{base}}/login",
          "headers": {"Content-Type": "application/json"},
          "body": {"user": "{{user}}", "password": "{{password}}"},
          "extract": [{"var": "token", "json": "/token"}],
          "check": [{"status": [200]}]
        },
        {
          "name": "list items",
          "url": "{{base}}/items?page=1",
          "headers": {"Authorization": "Bearer {{token}}"},
          "extract": [{"var": "id", "json": "$.items[0].id"}],
          "check": [{"status": [200]}, {"json": "/ok", "equals": true}],
          "think": "1s-3s"
        },
        {
          "name": "item",
          "url": "{{base}}/items/{{id}}",
          "headers": {"Authorization": "Bearer {{token}}"},
          "check": [{"status": [200]}, {"body_contains": "\"id\""}],
          "think": "500ms"
        }
      ]
    },
    {
      "name": "order",
      "weight": 20,
      "steps": [
        {
          "name": "login",
          "method": "POST",
          "url": "{{base}}/login",
          "headers": {"Content-Type": "application/json"},
          "body": {"user": "{{user}}", "password": "{{password}}"},
          "extract": [{"var": "token", "json": "/token"}],
          "check": [{"status": [200]}]
        },
        {
          "name": "place order",
          "method": "POST",
          "url": "{{base}}/orders",
          "headers": [
            {"name": "Authorization", "value": "Bearer {{token}}"},
            {"name": "Content-Type", "value": "application/json"},
            {"name": "Idempotency-Key", "value": "{{$uuid}}"}
          ],
          "body": "{\"sku\": \"{{sku}}\", \"quantity\": {{$randomInt 1 5}}}",
          "extract": [{"var": "order", "header": "Location"}],
          "check": [{"status": [201]}]
        }
      ]
    },
    {
      "name": "health",
      "weight": 10,
      "steps": [
        {
          "name": "health",
          "url": "{{base}}/health",
          "extract": [{"var": "code", "status": true}],
          "check": [{"status": [200, 204]}]
        }
      ]
    }
  ]
}
)json";

scenario::Check statusIn(std::vector<int> codes)
{
    scenario::Check check;
    check.kind = CheckKind::StatusIn;
    check.statuses = std::move(codes);
    return check;
}

scenario::Check bodyContains(std::string text)
{
    scenario::Check check;
    check.kind = CheckKind::BodyContains;
    check.text = std::move(text);
    return check;
}

scenario::Check jsonEquals(std::string pointer, std::string expected)
{
    scenario::Check check;
    check.kind = CheckKind::JsonEquals;
    check.pointer = std::move(pointer);
    check.expected = std::move(expected);
    return check;
}

scenario::Step step(std::string name, std::string url)
{
    scenario::Step step;
    step.name = std::move(name);
    step.url = std::move(url);
    return step;
}

// Every field away from its default, and the awkward cases of each: repeated and unsorted headers,
// a body with quotes, escapes, a line break and non-ASCII text, every extractor and check kind, fixed,
// ranged and sub-millisecond think times, a fractional weight.
scenario::Workload fullWorkload()
{
    scenario::Workload workload;
    // In alphabetical order: a JSON object keeps none, so variables read back sorted.
    workload.variables = {{"base", "http://127.0.0.1:8080"}, {"tenant", "ünïcode \"quoted\""}};
    workload.feeders = {{"products", "data/products.csv", FeederMode::Random},
                        {"users", "users.csv", FeederMode::Unique},
                        {"visits", "visits.csv", FeederMode::Sequential}};

    auto login = step("login", "{{base}}/login?next=%2Fhome");
    login.method = "POST";
    login.headers = {{"Cookie", "a=1"}, {"Cookie", "b=2"}, {"Accept", "*/*"}};
    login.body = "{\"user\":\"{{user}}\",\n\t\"note\":\"ünï\\\\code\"}";
    login.extractors = {{"token", ExtractFrom::JsonPointer, "/token"},
                        {"id", ExtractFrom::JsonPointer, "$.items[0].id"},
                        {"sid", ExtractFrom::Header, "Set-Cookie"},
                        {"csrf", ExtractFrom::Regex, "name=\"csrf\" value=\"([^\"]+)\""},
                        {"code", ExtractFrom::Status, ""}};
    login.checks = {statusIn({200, 201}),
                    bodyContains("ok"),
                    jsonEquals("/ok", "true"),
                    jsonEquals("/user/name", "\"ann\""),
                    jsonEquals("/items", "[1,{\"a\":null}]"),
                    jsonEquals("/missing", "null"),
                    jsonEquals("$.count", "42")};
    login.think = {500ms, 500ms};

    auto items = step("list items", "{{base}}/items?tenant={{tenant}}");
    items.method = "PATCH";
    items.headers = {{"Accept", "application/json"}, {"Authorization", "Bearer {{token}}"}};
    items.think = {1s, 3s};

    auto unsorted = step("item", "{{base}}/items/{{id}}");
    unsorted.method = "DELETE";
    unsorted.headers = {{"X-Trace", "{{$uuid}}"}, {"Accept", "*/*"}};
    unsorted.think = {0us, 250us};

    scenario::Scenario browse;
    browse.name = "browse";
    browse.weight = 70;
    browse.steps = {login, items, unsorted};
    scenario::Scenario admin;
    admin.name = "admin";
    admin.weight = 0.25;
    admin.steps = {step("health", "{{base}}/health")};
    workload.scenarios = {browse, admin};
    return workload;
}

// Field by field, so a failure names the field. Callers check QTest::currentTestFailed() after it.
void compareSteps(const scenario::Step& actual, const scenario::Step& expected)
{
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.method, expected.method);
    QCOMPARE(actual.url, expected.url);
    QCOMPARE(actual.body, expected.body);
    QCOMPARE(actual.headers.size(), expected.headers.size());
    for (size_t i = 0; i < expected.headers.size(); ++i) {
        QCOMPARE(actual.headers[i].name, expected.headers[i].name);
        QCOMPARE(actual.headers[i].value, expected.headers[i].value);
    }
    QCOMPARE(actual.extractors.size(), expected.extractors.size());
    for (size_t i = 0; i < expected.extractors.size(); ++i) {
        QCOMPARE(actual.extractors[i].variable, expected.extractors[i].variable);
        QCOMPARE(int(actual.extractors[i].from), int(expected.extractors[i].from));
        QCOMPARE(actual.extractors[i].expression, expected.extractors[i].expression);
    }
    QCOMPARE(actual.checks.size(), expected.checks.size());
    for (size_t i = 0; i < expected.checks.size(); ++i) {
        QCOMPARE(int(actual.checks[i].kind), int(expected.checks[i].kind));
        QCOMPARE(actual.checks[i].statuses, expected.checks[i].statuses);
        QCOMPARE(actual.checks[i].text, expected.checks[i].text);
        QCOMPARE(actual.checks[i].pointer, expected.checks[i].pointer);
        QCOMPARE(actual.checks[i].expected, expected.checks[i].expected);
    }
    QCOMPARE(actual.think.min, expected.think.min);
    QCOMPARE(actual.think.max, expected.think.max);
}

void compareWorkloads(const scenario::Workload& actual, const scenario::Workload& expected)
{
    QCOMPARE(actual.variables, expected.variables);
    QCOMPARE(actual.feeders.size(), expected.feeders.size());
    for (size_t i = 0; i < expected.feeders.size(); ++i) {
        QCOMPARE(actual.feeders[i].name, expected.feeders[i].name);
        QCOMPARE(actual.feeders[i].file, expected.feeders[i].file);
        QCOMPARE(int(actual.feeders[i].mode), int(expected.feeders[i].mode));
    }
    QCOMPARE(actual.scenarios.size(), expected.scenarios.size());
    for (size_t i = 0; i < expected.scenarios.size(); ++i) {
        QCOMPARE(actual.scenarios[i].name, expected.scenarios[i].name);
        QCOMPARE(actual.scenarios[i].weight, expected.scenarios[i].weight);
        QCOMPARE(actual.scenarios[i].steps.size(), expected.scenarios[i].steps.size());
        for (size_t j = 0; j < expected.scenarios[i].steps.size(); ++j) {
            compareSteps(actual.scenarios[i].steps[j], expected.scenarios[i].steps[j]);
            if (QTest::currentTestFailed()) {
                return;
            }
        }
    }
}

QByteArray compact(const QJsonObject& json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

} // namespace


void TestScenarioCodec::roundTripKeepsEveryField()
{
    const scenario::Workload original = fullWorkload();
    const QByteArray text = plan::scenarioText(original);
    std::string error;
    const auto back = plan::parseScenarioText(text, &error);
    if (!back) {
        qWarning("%s", text.constData());
    }
    QVERIFY2(back, error.c_str());
    compareWorkloads(*back, original);
    if (QTest::currentTestFailed()) {
        qWarning("%s", text.constData());
        return;
    }
    // Writing what was read gives the same bytes: a file that is only loaded and saved never
    // shows up in `git diff`.
    QCOMPARE(plan::scenarioText(*back), text);
    // The JSON object (as a plan embeds it) holds what the text holds, and reads back as well.
    QCOMPARE(compact(plan::toJson(original)), compact(QJsonDocument::fromJson(text).object()));
    const auto fromObject = plan::workloadFromJson(plan::toJson(original), &error);
    QVERIFY2(fromObject, error.c_str());
    compareWorkloads(*fromObject, original);
}

void TestScenarioCodec::keysAreWrittenInReadingOrder()
{
    const QByteArray text = plan::scenarioText(fullWorkload());
    QVERIFY(text.startsWith("{\n  \"benchdeck_scenario\": 1,\n"));
    QVERIFY(text.endsWith("}\n"));
    qsizetype previous = -1;
    for (const char* key : {"\"variables\"", "\"data\"", "\"scenarios\"", "\"name\": \"browse\"", "\"weight\": 70",
                            "\"name\": \"login\"", "\"method\": \"POST\"", "\"url\"", "\"headers\"", "\"body\"",
                            "\"extract\"", "\"check\"", "\"think\": \"500ms\""}) {
        const qsizetype at = text.indexOf(key, previous + 1);
        QVERIFY2(at > previous, key);
        previous = at;
    }
    // A container of plain values, or of such containers, is one line when it fits; deeper ones,
    // such as a list of checks, are not.
    QVERIFY2(text.contains("\"check\": [\n"), text.constData());
    QVERIFY2(text.contains("{\"status\": [200, 201]}"), text.constData());
    QVERIFY2(text.contains("{\"var\": \"code\", \"status\": true}"), text.constData());
    QVERIFY2(text.contains("\"think\": \"1s-3s\""), text.constData());
    QVERIFY2(text.contains("\"think\": \"0us-250us\""), text.constData());
}

void TestScenarioCodec::headersTakeTheFormThatReadsBackTheSame()
{
    const QByteArray text = plan::scenarioText(fullWorkload());
    // Unique names already in alphabetical order: an object.
    QVERIFY2(
        text.contains("\"headers\": {\"Accept\": \"application/json\", \"Authorization\": \"Bearer {{token}}\"}"),
        text.constData());
    // Repeated names, or an order an object would not keep: a list.
    QVERIFY2(text.contains("{\"name\": \"Cookie\", \"value\": \"a=1\"}"), text.constData());
    QVERIFY2(text.contains("{\"name\": \"X-Trace\", \"value\": \"{{$uuid}}\"}"), text.constData());
}

void TestScenarioCodec::docsExampleReadsAsDocumented()
{
    std::string error;
    const auto parsed = plan::parseScenarioText(kDocsExample, &error);
    QVERIFY2(parsed, error.c_str());
    const scenario::Workload& workload = *parsed;
    QCOMPARE(workload.variables.size(), size_t(1));
    QCOMPARE(workload.variables[0].first, std::string("base"));
    QCOMPARE(workload.feeders.size(), size_t(1));
    QCOMPARE(workload.feeders[0].name, std::string("users"));
    QCOMPARE(workload.feeders[0].file, std::string("users.csv"));
    QCOMPARE(int(workload.feeders[0].mode), int(FeederMode::Unique));
    QCOMPARE(workload.scenarios.size(), size_t(3));
    QCOMPARE(workload.scenarios[0].name, std::string("browse"));
    QCOMPARE(workload.scenarios[0].weight, 70.0);
    QCOMPARE(workload.scenarios[1].weight, 20.0);
    QCOMPARE(workload.scenarios[2].weight, 10.0);

    const auto& browse = workload.scenarios[0].steps;
    QCOMPARE(browse.size(), size_t(3));
    QCOMPARE(browse[0].method, std::string("POST"));
    QCOMPARE(browse[0].body, std::string(R"({"password":"{{password}}","user":"{{user}}"})"));
    QCOMPARE(browse[0].extractors[0].variable, std::string("token"));
    QCOMPARE(browse[1].method, std::string("GET"));
    QCOMPARE(browse[1].extractors[0].expression, std::string("$.items[0].id"));
    QCOMPARE(int(browse[1].checks[1].kind), int(CheckKind::JsonEquals));
    QCOMPARE(browse[1].checks[1].expected, std::string("true"));
    QCOMPARE(browse[1].think.min, scenario::Micros(1s));
    QCOMPARE(browse[1].think.max, scenario::Micros(3s));
    QCOMPARE(browse[2].url, std::string("{{base}}/items/{{id}}"));
    QCOMPARE(browse[2].checks[1].text, std::string("\"id\""));
    QCOMPARE(browse[2].think.max, scenario::Micros(500ms));

    const auto& order = workload.scenarios[1].steps;
    QCOMPARE(order.size(), size_t(2));
    QCOMPARE(order[1].headers.size(), size_t(3));
    QCOMPARE(order[1].headers[2].value, std::string("{{$uuid}}"));
    QCOMPARE(order[1].body, std::string(R"({"sku": "{{sku}}", "quantity": {{$randomInt 1 5}}})"));
    QCOMPARE(int(order[1].extractors[0].from), int(ExtractFrom::Header));
    QCOMPARE(order[1].checks[0].statuses, std::vector<int>{201});

    const auto& health = workload.scenarios[2].steps;
    QCOMPARE(int(health[0].extractors[0].from), int(ExtractFrom::Status));
    QCOMPARE(health[0].checks[0].statuses, (std::vector<int>{200, 204}));
}

void TestScenarioCodec::docsExampleIsThisOne()
{
#ifdef BENCHDECK_SOURCE_DIR
    QFile file(QStringLiteral(BENCHDECK_SOURCE_DIR "/docs/scenarios.md"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray docs = file.readAll();
    const QByteArray fence = "```json\n";
    const qsizetype start = docs.indexOf(fence);
    QVERIFY(start >= 0);
    const qsizetype end = docs.indexOf("```", start + fence.size());
    QVERIFY(end > start);
    QCOMPARE(docs.mid(start + fence.size(), end - start - fence.size()), QByteArray(kDocsExample));
#else
    QSKIP("built without BENCHDECK_SOURCE_DIR: docs/scenarios.md not compared");
#endif
}

void TestScenarioCodec::stepsAloneAreOneScenarioNamedMain()
{
    std::string error;
    const auto parsed = plan::parseScenarioText(R"({
  "benchdeck_scenario": 1,
  "steps": [
{"name": "home", "url": "http://127.0.0.1:8080/"},
{"name": "about", "method": "head", "url": "http://127.0.0.1:8080/about"}
  ]
})",
                                                &error);
    QVERIFY2(parsed, error.c_str());
    const scenario::Workload& workload = *parsed;
    QCOMPARE(workload.scenarios.size(), size_t(1));
    QCOMPARE(workload.scenarios[0].name, std::string("main"));
    QCOMPARE(workload.scenarios[0].weight, 1.0);
    QCOMPARE(workload.scenarios[0].steps.size(), size_t(2));
    QCOMPARE(workload.scenarios[0].steps[0].method, std::string("GET"));
    QCOMPARE(workload.scenarios[0].steps[1].method, std::string("HEAD"));
    QVERIFY(workload.feeders.empty());
    QVERIFY(workload.variables.empty());
}

void TestScenarioCodec::bodyWrittenAsJsonIsSentAsCompactText()
{
    std::string error;
    const auto parsed = plan::parseScenarioText(R"({
  "benchdeck_scenario": 1,
  "steps": [
{"name": "object", "method": "POST", "url": "http://x/", "body": {"b": [1, 2.5], "a": "{{user}}"}},
{"name": "list", "method": "POST", "url": "http://x/", "body": [true, null, {"k": "v"}]}
  ]
})",
                                                &error);
    QVERIFY2(parsed, error.c_str());
    const scenario::Workload& workload = *parsed;
    const auto& steps = workload.scenarios[0].steps;
    QCOMPARE(steps[0].body, std::string(R"({"a":"{{user}}","b":[1,2.5]})"));
    QCOMPARE(steps[1].body, std::string(R"([true,null,{"k":"v"}])"));
    // Written back as the text that is sent, so the file says exactly what goes out.
    const QByteArray text = plan::scenarioText(workload);
    QVERIFY2(text.contains(R"("body": "{\"a\":\"{{user}}\",\"b\":[1,2.5]}")"), text.constData());
}

void TestScenarioCodec::refusesWhatItCannotRunAsWritten_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("words");

    // Qt stops at the quote that opens "url" (a comma is missing): line 3, column 26.
    QTest::newRow("syntax error") << QByteArray(R"({
  "benchdeck_scenario": 1,
  "steps": [{"name": "a" "url": "http://x/"}]
})") << QStringList{"JSON syntax error", "line 3, column 26"};
    // Columns count characters, not bytes: "é" is two bytes and one column.
    QTest::newRow("syntax error after non-ASCII") << QByteArray(R"({
  "benchdeck_scenario": 1,
  "steps": [{"name": "café" "url": "http://x/"}]
})") << QStringList{"line 3, column 29"};
    QTest::newRow("empty file") << QByteArray() << QStringList{"JSON syntax error", "line 1, column 1"};
    QTest::newRow("not an object") << QByteArray("[1, 2]") << QStringList{"not a Benchdeck scenario file"};
    QTest::newRow("missing version") << QByteArray(R"({"steps": [{"name": "a", "url": "http://x/"}]})")
                                     << QStringList{
                                            R"(not a Benchdeck scenario file (no "benchdeck_scenario": 1))"};
    QTest::newRow("version as text")
        << QByteArray(R"({"benchdeck_scenario": "1", "steps": [{"name": "a", "url": "http://x/"}]})")
        << QStringList{"not a Benchdeck scenario file"};
    QTest::newRow("newer version")
        << QByteArray(R"({"benchdeck_scenario": 2, "steps": [{"name": "a", "url": "http://x/"}], "later": 1})")
        << QStringList{"written by a newer Benchdeck (scenario format 2; this one reads 1)"};
    QTest::newRow("unknown step key")
        << QByteArray(R"({"benchdeck_scenario": 1, "scenarios": [{"name": "s", "steps": [
  {"name": "a", "url": "http://x/"},
  {"name": "b", "url": "http://x/", "hedaers": {"Accept": "*/*"}}]}]})")
        << QStringList{R"(scenarios[0].steps[1]: unknown key "hedaers")", R"((did you mean "headers"?))"};
    QTest::newRow("unknown top-level key")
        << QByteArray(R"({"benchdeck_scenario": 1, "scenario": [{"name": "s", "steps": []}]})")
        << QStringList{R"(top level: unknown key "scenario")", R"("scenarios"?)"};
    QTest::newRow("duplicate step name")
        << QByteArray(R"({"benchdeck_scenario": 1, "scenarios": [{"name": "s", "steps": [
  {"name": "login", "url": "http://x/"},
  {"name": "login", "url": "http://x/again"}]}]})")
        << QStringList{"scenarios[0].steps[1]", R"("login")", "twice", "steps[0]"};
    QTest::newRow("missing step name")
        << QByteArray(R"({"benchdeck_scenario": 1, "steps": [{"url": "http://x/"}]})")
        << QStringList{R"(steps[0]: "name" is missing)"};
    QTest::newRow("empty step name")
        << QByteArray(R"({"benchdeck_scenario": 1, "steps": [{"name": "", "url": "http://x/"}]})")
        << QStringList{R"(steps[0]: "name" must not be empty)"};
    QTest::newRow("missing url") << QByteArray(R"({"benchdeck_scenario": 1, "steps": [{"name": "a"}]})")
                                 << QStringList{R"(steps[0]: "url" is missing)"};
    QTest::newRow("empty steps") << QByteArray(
                                        R"({"benchdeck_scenario": 1, "scenarios": [{"name": "s", "steps": []}]})")
                                 << QStringList{R"(scenarios[0]: "steps" must be a list of at least one)"};
    QTest::newRow("no scenarios") << QByteArray(R"({"benchdeck_scenario": 1, "scenarios": []})")
                                  << QStringList{R"(top level: "scenarios" must be a list of at least one)"};
    QTest::newRow("neither scenarios nor steps")
        << QByteArray(R"({"benchdeck_scenario": 1})") << QStringList{R"(no "scenarios")"};
    QTest::newRow("both scenarios and steps") << QByteArray(R"({"benchdeck_scenario": 1,
  "scenarios": [{"name": "s", "steps": [{"name": "a", "url": "http://x/"}]}],
  "steps": [{"name": "a", "url": "http://x/"}]})") << QStringList{"not both"};
    QTest::newRow("duplicate scenario name") << QByteArray(R"({"benchdeck_scenario": 1, "scenarios": [
  {"name": "s", "steps": [{"name": "a", "url": "http://x/"}]},
  {"name": "s", "steps": [{"name": "a", "url": "http://x/"}]}]})")
                                             << QStringList{"scenarios[1]", R"(scenario name "s")", "twice"};
    QTest::newRow("zero weight") << QByteArray(R"({"benchdeck_scenario": 1, "scenarios": [
  {"name": "s", "weight": 1, "steps": [{"name": "a", "url": "http://x/"}]},
  {"name": "t", "weight": 0, "steps": [{"name": "a", "url": "http://x/"}]}]})")
                                 << QStringList{R"(scenarios[1]: "weight" must be a number greater than 0)"};
    QTest::newRow("weight as text") << QByteArray(R"({"benchdeck_scenario": 1, "scenarios": [
  {"name": "s", "weight": "70", "steps": [{"name": "a", "url": "http://x/"}]}]})")
                                    << QStringList{R"(scenarios[0]: "weight")"};
    QTest::newRow("bad mode") << QByteArray(R"({"benchdeck_scenario": 1,
  "data": [{"name": "users", "file": "users.csv", "mode": "shuffle"}],
  "steps": [{"name": "a", "url": "http://x/"}]})")
                              << QStringList{R"(data[0]: "mode" must be "sequential", "random" or "unique")",
                                             R"("shuffle")"};
    QTest::newRow("feeder without file") << QByteArray(R"({"benchdeck_scenario": 1,
  "data": [{"name": "users"}],
  "steps": [{"name": "a", "url": "http://x/"}]})")
                                         << QStringList{R"(data[0]: "file" is missing)"};
    QTest::newRow("variable not text") << QByteArray(R"({"benchdeck_scenario": 1, "variables": {"port": 8080},
  "steps": [{"name": "a", "url": "http://x/"}]})")
                                       << QStringList{R"(variables: "port" must be text)"};
    QTest::newRow("extractor with two sources")
        << QByteArray(R"({"benchdeck_scenario": 1, "scenarios": [
  {"name": "s", "steps": [{"name": "a", "url": "http://x/"}]},
  {"name": "t", "steps": [{"name": "a", "url": "http://x/", "extract": [
{"var": "a", "json": "/a"}, {"var": "b", "header": "B"}, {"var": "c", "json": "/c", "regex": "c"}]}]}]})")
        << QStringList{
               R"(scenarios[1].steps[0].extract[2]: give exactly one of "json", "regex", "header", "status")"};
    QTest::newRow("extractor without var") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "extract": [{"json": "/a"}]}]})")
                                           << QStringList{R"(steps[0].extract[0]: "var" is missing)"};
    QTest::newRow("json extractor without pointer") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "extract": [{"var": "t", "json": "token"}]}]})")
                                                    << QStringList{"extract[0]", "JSON pointer"};
    QTest::newRow("status extractor not true") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "extract": [{"var": "t", "status": "yes"}]}]})")
                                               << QStringList{R"(extract[0]: "status" must be true)"};
    QTest::newRow("extracted into a name templates cannot use")
        << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "extract": [{"var": "1st id", "json": "/id"}]}]})")
        << QStringList{R"(steps[0].extract[0]: "1st id" is not a variable name)"};
    QTest::newRow("constant with a name templates cannot use")
        << QByteArray(R"({"benchdeck_scenario": 1, "variables": {"base url": "http://x"},
  "steps": [{"name": "a", "url": "http://x/"}]})")
        << QStringList{R"(variables: "base url" is not a variable name)"};
    QTest::newRow("status out of range")
        << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "check": [{"status": [200, 600]}]}]})")
        << QStringList{R"(steps[0].check[0]: "status" must be a list of codes 100-599)"};
    QTest::newRow("status not a list") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "check": [{"status": 200}]}]})")
                                       << QStringList{R"(check[0]: "status" must be a list of codes 100-599)"};
    QTest::newRow("check with two kinds") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "check": [{"status": [200], "body_contains": "ok"}]}]})")
                                          << QStringList{"check[0]: give exactly one of"};
    QTest::newRow("json check without equals") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "check": [{"json": "/ok"}]}]})")
                                               << QStringList{R"(check[0]: "json" needs "equals")"};
    QTest::newRow("bad think time") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "think": "fast"}]})")
                                    << QStringList{R"(steps[0]: "think")", "'fast'"};
    QTest::newRow("think range backwards") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "think": "3s-1s"}]})")
                                           << QStringList{R"("think")", "backwards"};
    QTest::newRow("method with digits") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "method": "G3T", "url": "http://x/"}]})")
                                        << QStringList{R"(steps[0]: "method" must be letters only)"};
    QTest::newRow("body as number") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "body": 42}]})")
                                    << QStringList{R"(steps[0]: "body" must be text)"};
    QTest::newRow("header name with space") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "headers": {"Content Type": "text/plain"}}]})")
                                            << QStringList{R"("Content Type")", "not a valid HTTP header name"};
    QTest::newRow("header list entry without value") << QByteArray(R"({"benchdeck_scenario": 1,
  "steps": [{"name": "a", "url": "http://x/", "headers": [{"name": "Accept"}]}]})")
                                                     << QStringList{R"(steps[0].headers[0]: "value" is missing)"};
}

void TestScenarioCodec::refusesWhatItCannotRunAsWritten()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, words);
    std::string error;
    QVERIFY2(!plan::parseScenarioText(text, &error), "accepted");
    const QString message = QString::fromStdString(error);
    for (const QString& word : words) {
        QVERIFY2(message.contains(word), qPrintable(message));
    }
}

QTEST_APPLESS_MAIN(TestScenarioCodec)
#include "tst_scenario_codec.moc"
