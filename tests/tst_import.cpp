// SPDX-License-Identifier: Apache-2.0
// Importers from a browser recording (HAR), an API description (OpenAPI, in YAML) and a Postman
// collection, each read from a fixture shaped as its tool exports it (tests/fixtures/import). Every
// import is checked step by step and note by note, written as a scenario file and read back, and run
// against a local server that counts what arrives. YAML comes first: the OpenAPI reader stands on it.
#include "engine/engine.h"
#include "engine/scenario_plan.h"
#include "import/har_import.h"
#include "import/openapi_import.h"
#include "import/postman_import.h"
#include "import/yaml_json.h"
#include "plan/scenario_codec.h"
#include "test_servers.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QObject>
#include <QRegularExpression>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tst_import.h"

using benchdeck::importers::importHar;
using benchdeck::importers::importOpenApi;
using benchdeck::importers::importPostman;
using benchdeck::importers::ImportResult;
using benchdeck::importers::readOpenApiFile;
using benchdeck::importers::yamlToJson;
using benchdeck::scenario::Step;
using benchdeck::scenario::Workload;

namespace {

QString fixturePath(const char* name)
{
    return QString::fromUtf8(BENCHDECK_FIXTURES "/import/") + QString::fromUtf8(name);
}

QByteArray fixture(const char* name)
{
    QFile file(fixturePath(name));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("cannot read fixture %s", name);
        return {};
    }
    return file.readAll();
}

// Compact JSON text: numbers compare by how they print, whether Qt holds them as integers or doubles.
QByteArray jsonText(const QJsonValue& value)
{
    const QByteArray list = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return list.mid(1, list.size() - 2);
}

QString text(const std::string& value)
{
    return QString::fromStdString(value);
}

QStringList stepNames(const Workload& workload)
{
    QStringList names;
    for (const auto& scenario : workload.scenarios) {
        for (const auto& step : scenario.steps) {
            names << text(step.name);
        }
    }
    return names;
}

QStringList headerLines(const Step& step)
{
    QStringList lines;
    for (const auto& header : step.headers) {
        lines << text(header.name + ": " + header.value);
    }
    return lines;
}

QStringList variableLines(const Workload& workload)
{
    QStringList lines;
    for (const auto& [name, value] : workload.variables) {
        lines << text(name + "=" + value);
    }
    return lines;
}

// The codes of the step's status check; none when it has no checks.
QList<int> statuses(const Step& step)
{
    QList<int> codes;
    for (const auto& check : step.checks) {
        for (const int code : check.statuses) {
            codes << code;
        }
    }
    return codes;
}

QStringList skippedLines(const ImportResult& result)
{
    QStringList lines;
    for (const auto& line : result.skipped) {
        lines << text(line);
    }
    return lines;
}

// Whether one line of the notes holds every part: notes are sentences, checked by what they must say.
bool noted(const ImportResult& result, std::initializer_list<std::string_view> parts)
{
    for (const auto& line : result.skipped) {
        bool all = true;
        for (const std::string_view part : parts) {
            all = all && line.find(part) != std::string::npos;
        }
        if (all) {
            return true;
        }
    }
    return false;
}

QByteArray allNotes(const ImportResult& result)
{
    return skippedLines(result).join(QLatin1Char('\n')).toUtf8();
}

const Step& stepAt(const ImportResult& result, qsizetype index)
{
    return result.workload.scenarios.at(0).steps.at(size_t(index));
}

struct RunCounts {
    uint64_t planned = 0;
    uint64_t requests = 0;
    uint64_t responses = 0;
    uint64_t transportErrors = 0;
    uint64_t seenByServer = 0;
};

// The workload with the constant `serverVariable` pointing at a local server that answers 200 "ok"
// to everything, run for three requests per step on one connection. Nothing when it does not start.
std::optional<RunCounts> runThreeRequestsPerStep(Workload workload, const std::string& serverVariable)
{
    benchdeck::testing::RecordingServer server;
    bool pointed = false;
    for (auto& [name, value] : workload.variables) {
        if (name == serverVariable) {
            value = "http://127.0.0.1:" + std::to_string(server.port());
            pointed = true;
        }
    }
    if (!pointed) {
        qWarning("the workload has no constant %s", serverVariable.c_str());
        return std::nullopt;
    }
    std::string error;
    auto plan = benchdeck::engine::makeScenarioPlan(std::move(workload), "f.json", {}, {}, &error);
    if (!plan) {
        qWarning("plan: %s", error.c_str());
        return std::nullopt;
    }
    benchdeck::engine::RunConfig config;
    config.scenario = plan;
    config.url = plan->origin;
    config.connections = 1;
    config.threads = 1;
    config.requests = 3 * plan->stepCount();
    config.duration = std::chrono::seconds(20); // a bound: the request count ends the run first
    config.requestTimeout = std::chrono::seconds(5);
    std::atomic<bool> stop{false};
    const auto result = benchdeck::engine::runLoad(config, stop);
    if (!result.startError.empty()) {
        qWarning("start error: %s", result.startError.c_str());
        return std::nullopt;
    }
    RunCounts counts;
    counts.planned = config.requests;
    counts.requests = result.summary.requests;
    counts.responses = result.summary.responses;
    counts.transportErrors = result.total.transportErrors();
    counts.seenByServer = server.requestsSeen();
    return counts;
}

std::optional<ImportResult> importFixtureHar(bool includeStatic = false)
{
    std::string error;
    benchdeck::importers::HarOptions options;
    options.includeStatic = includeStatic;
    auto result = importHar(fixture("browser.har"), options, &error);
    if (!result) {
        qWarning("HAR: %s", error.c_str());
    }
    return result;
}

std::optional<ImportResult> importFixturePetstore()
{
    std::string error;
    const auto document = readOpenApiFile(fixturePath("petstore.yaml"), &error);
    auto result = document ? importOpenApi(*document, &error) : std::nullopt;
    if (!result) {
        qWarning("OpenAPI: %s", error.c_str());
    }
    return result;
}

std::optional<ImportResult> importFixtureCollection()
{
    std::string error;
    auto result = importPostman(fixture("collection.postman_collection.json"), &error);
    if (!result) {
        qWarning("Postman: %s", error.c_str());
    }
    return result;
}

// tests/fixtures/import/petstore.json is the petstore fixture as the same document in JSON: what the YAML
// reader must produce. (A file rather than a raw string: the text holds `)"`, which moc cannot lex.)

const char* const kAnchors = R"(defaults: &defaults
  retries: 3
  timeout: 10s
service:
  settings: *defaults
  tags: &tags [a, b]
  copy: *tags
name: &name api
byName:
  *name : found
)";

// Each level repeats the one before ten times: 11 values, then 111, ..., 1,111,111 at "f".
const char* const kAliasBomb = R"(a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
)";

const char* const kBrokenOpenApi = R"(openapi: 3.0.0
info:
  title: Broken
  version: 1.0.0
paths:
  /pets:
    get: x
      summary: nested under a scalar
)";

const char* const kHarWithBraces = R"({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "133.0"},
 "entries": [
  {"request": {"method": "GET", "url": "https://a.example.test/", "headers": []},
   "response": {"status": 200, "content": {"mimeType": "text/html"}}},
  {"request": {"method": "POST", "url": "https://a.example.test/api/templates",
               "headers": [{"name": "Content-Type", "value": "text/plain"}],
               "postData": {"mimeType": "text/plain", "text": "Hello {{name}}"}},
   "response": {"status": 201, "content": {"mimeType": "application/json"}}},
  {"request": {"method": "GET", "url": "https://a.example.test/api/ping",
               "headers": [{"name": "X Bad", "value": "1"}, {"name": "X-Good", "value": "1"}]},
   "response": {"status": 200, "content": {"mimeType": "application/json"}}}
]}})";

// Refs to parameters, request bodies and schemas; global and per-operation security; a relative
// server with a variable; what must be left out (TRACE, an external $ref, a required multipart body).
const char* const kOrdersApi = R"({
  "openapi": "3.1.0",
  "info": {"title": "Orders", "version": "2"},
  "servers": [{"url": "/api/{version}", "variables": {"version": {"default": "v2"}}}],
  "security": [{"bearerAuth": []}],
  "paths": {
    "/orders": {
      "get": {
        "operationId": "listOrders",
        "parameters": [
          {"$ref": "#/components/parameters/Limit"},
          {"name": "status", "in": "query", "required": true, "schema": {"type": "string", "enum": ["open", "closed"]}},
          {"name": "X-Tenant", "in": "header", "required": true, "example": "acme"},
          {"name": "Accept", "in": "header", "required": true, "schema": {"type": "string"}},
          {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}
        ],
        "responses": {"200": {"description": "ok"}, "2XX": {"description": "any"}, "default": {"description": "error"}}
      },
      "post": {
        "operationId": "createOrder",
        "security": [{"apiKey": []}],
        "requestBody": {"$ref": "#/components/requestBodies/NewOrder"},
        "responses": {"201": {"description": "created"}, "303": {"description": "see other"},
                      "400": {"description": "bad"}}
      },
      "trace": {"responses": {"200": {"description": "echo"}}}
    },
    "/orders/{orderId}": {
      "parameters": [{"name": "orderId", "in": "path", "required": true,
                      "schema": {"type": "string", "format": "uuid"}}],
      "get": {"responses": {"200": {"description": "ok"}}},
      "delete": {"operationId": "deleteOrder", "security": [], "responses": {"204": {"description": "gone"}}}
    },
    "/orders/{orderId}/invoice": {
      "get": {
        "operationId": "invoice",
        "parameters": [{"$ref": "shared.yaml#/components/parameters/Format"}],
        "responses": {"200": {"description": "ok"}}
      },
      "put": {
        "operationId": "uploadInvoice",
        "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "ok"}}
      }
    }
  },
  "components": {
    "parameters": {
      "Limit": {"name": "limit", "in": "query", "required": true, "schema": {"type": "integer", "default": 20}}
    },
    "requestBodies": {
      "NewOrder": {"required": true,
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOrder"}}}}
    },
    "schemas": {
      "NewOrder": {
        "allOf": [{"$ref": "#/components/schemas/Base"}],
        "type": "object",
        "required": ["sku", "quantity", "placedAt", "id"],
        "properties": {
          "sku": {"type": "string", "example": "SKU-1001"},
          "quantity": {"type": "integer"},
          "placedAt": {"type": "string", "format": "date-time"},
          "note": {"type": "string"},
          "id": {"type": "string", "readOnly": true}
        }
      },
      "Base": {"type": "object", "required": ["customer"],
               "properties": {"customer": {"type": "string", "format": "email"}}}
    },
    "securitySchemes": {
      "bearerAuth": {"type": "http", "scheme": "bearer"},
      "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    }
  }
})";

// \u0022 rather than \": moc's lexer reads a backslash-quote inside a raw string as an escape.
const char* const kEdgeCollection = R"({
  "info": {"name": "Edge cases", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "variable": [{"key": "host", "value": "http://127.0.0.1:9"}, {"key": "api", "value": "{{host}}/api"}],
  "auth": {"type": "basic", "basic": [{"key": "username", "value": "ann"}, {"key": "password", "value": "s3cret"}]},
  "item": [
    {"name": "Form", "request": {"method": "POST", "url": "{{api}}/form",
      "body": {"mode": "urlencoded", "urlencoded": [
        {"key": "q", "value": "a b&c"}, {"key": "who", "value": "{{user}}"},
        {"key": "off", "value": "x", "disabled": true}]}}},
    {"name": "Graph", "request": {"method": "POST", "url": "{{api}}/graphql",
      "body": {"mode": "graphql", "graphql": {"query": "query Item($id: ID!) { item(id: $id) { name } }",
                                              "variables": "{\u0022id\u0022: {{itemId}}}"}}}},
    {"name": "Keyed", "request": {"method": "GET", "url": "{{api}}/keyed",
      "auth": {"type": "apikey", "apikey": [{"key": "key", "value": "api_key"}, {"key": "value", "value": "{{key}}"},
                                            {"key": "in", "value": "query"}]}}},
    {"name": "Colour", "request": {"method": "GET", "url": "{{api}}/colour?c={{$randomColor}}"}},
    {"name": "Spaced", "request": {"method": "GET", "url": "{{api}}/x",
      "header": [{"key": "X-Who", "value": "{{user name}}"}]}},
    {"name": "Open", "auth": {"type": "noauth"},
     "item": [{"name": "Ping", "request": {"method": "GET", "url": "{{api}}/ping"}}]}
  ]
})";

const char* const kVersion1Collection = R"({
  "id": "5d1a6b0e-0c1e-4a4e-9f55-2f6a1c0f4e11",
  "name": "Old shop",
  "order": ["a1"],
  "folders": [],
  "requests": [{"id": "a1", "name": "Home", "url": "http://shop.example.test/", "method": "GET", "headers": ""}]
})";

} // namespace

// ---------------------------------------------------------------------------------------------------
// YAML

void TestImport::yamlScalarsFollowTheCoreSchema_data()
{
    QTest::addColumn<QByteArray>("scalar");
    QTest::addColumn<QJsonValue>("expected");
    const QJsonValue null(QJsonValue::Null);
    const auto string = [](const char* value) { return QJsonValue(QString::fromUtf8(value)); };
    QTest::newRow("null") << QByteArray("null") << null;
    QTest::newRow("Null") << QByteArray("Null") << null;
    QTest::newRow("NULL") << QByteArray("NULL") << null;
    QTest::newRow("tilde") << QByteArray("~") << null;
    QTest::newRow("nothing") << QByteArray("") << null;
    QTest::newRow("true") << QByteArray("true") << QJsonValue(true);
    QTest::newRow("True") << QByteArray("True") << QJsonValue(true);
    QTest::newRow("TRUE") << QByteArray("TRUE") << QJsonValue(true);
    QTest::newRow("false") << QByteArray("false") << QJsonValue(false);
    QTest::newRow("False") << QByteArray("False") << QJsonValue(false);
    QTest::newRow("FALSE") << QByteArray("FALSE") << QJsonValue(false);
    QTest::newRow("yes stays text (YAML 1.1 only)") << QByteArray("yes") << string("yes");
    QTest::newRow("on stays text") << QByteArray("on") << string("on");
    QTest::newRow("decimal") << QByteArray("42") << QJsonValue(42);
    QTest::newRow("negative") << QByteArray("-17") << QJsonValue(-17);
    QTest::newRow("plus sign") << QByteArray("+5") << QJsonValue(5);
    QTest::newRow("leading zero is decimal") << QByteArray("0755") << QJsonValue(755);
    QTest::newRow("hex") << QByteArray("0x1F") << QJsonValue(31);
    QTest::newRow("octal") << QByteArray("0o17") << QJsonValue(15);
    QTest::newRow("float") << QByteArray("1.5") << QJsonValue(1.5);
    QTest::newRow("no integer part") << QByteArray("-.5") << QJsonValue(-0.5);
    QTest::newRow("no fraction") << QByteArray("3.") << QJsonValue(3.0);
    QTest::newRow("exponent") << QByteArray("6.02e+23") << QJsonValue(6.02e23);
    QTest::newRow("exponent without point") << QByteArray("1e3") << QJsonValue(1000.0);
    QTest::newRow("version is text") << QByteArray("1.0.0") << string("1.0.0");
    QTest::newRow("date is text") << QByteArray("2026-01-01") << string("2026-01-01");
    QTest::newRow("hex prefix alone") << QByteArray("0x") << string("0x");
    QTest::newRow("number and letters") << QByteArray("12abc") << string("12abc");
    QTest::newRow("URL") << QByteArray("http://x.test/a?b=1") << string("http://x.test/a?b=1");
    QTest::newRow("words") << QByteArray("hello world") << string("hello world");
    QTest::newRow("single quoted number") << QByteArray("'42'") << string("42");
    QTest::newRow("double quoted true") << QByteArray("\"true\"") << string("true");
    QTest::newRow("quoted null") << QByteArray("\"null\"") << string("null");
    QTest::newRow("str tag") << QByteArray("!!str 12") << string("12");
    QTest::newRow("int tag") << QByteArray("!!int \"12\"") << QJsonValue(12);
    QTest::newRow("literal block") << QByteArray("|\n  two\n  lines\n") << string("two\nlines\n");
    QTest::newRow("folded block") << QByteArray(">\n  one\n  line\n") << string("one line\n");
    QTest::newRow("block of digits") << QByteArray("|\n  42\n") << string("42\n");
}

void TestImport::yamlScalarsFollowTheCoreSchema()
{
    QFETCH(QByteArray, scalar);
    QFETCH(QJsonValue, expected);
    std::string error;
    const auto parsed = yamlToJson("value: " + scalar, &error);
    QVERIFY2(parsed, error.c_str());
    const QJsonValue value = parsed->toObject().value(QStringLiteral("value"));
    QCOMPARE(value.type(), expected.type());
    if (expected.isDouble()) {
        QCOMPARE(value.toDouble(), expected.toDouble());
    } else {
        QCOMPARE(jsonText(value), jsonText(expected));
    }
}

void TestImport::yamlSpecialFloatsAndLongIntegers()
{
    std::string error;
    const auto parsed = yamlToJson("a: .inf\nb: -.Inf\nc: .NaN\nd: 9223372036854775807\ne: 18446744073709551616\n"
                                   "f: -9223372036854775808\ng: 0xFFFFFFFFFFFFFFFFFF\n",
                                   &error);
    QVERIFY2(parsed, error.c_str());
    const QJsonObject object = parsed->toObject();
    const auto number = [&](const char* key) { return object.value(QLatin1String(key)).toDouble(); };
    QVERIFY(std::isinf(number("a")) && number("a") > 0);
    QVERIFY(std::isinf(number("b")) && number("b") < 0);
    QVERIFY(std::isnan(number("c")));
    // Integers keep every digit while they fit in 64 bits, as JSON readers keep them; past that, doubles.
    QCOMPARE(object.value(QLatin1String("d")).toInteger(), Q_INT64_C(9223372036854775807));
    QCOMPARE(object.value(QLatin1String("f")).toInteger(), std::numeric_limits<qint64>::min());
    QCOMPARE(number("e"), 18446744073709551616.0);
    QCOMPARE(number("g"), 4722366482869645213696.0);
}

void TestImport::yamlAnchorsAndAliasesAreResolved()
{
    std::string error;
    const auto parsed = yamlToJson(kAnchors, &error);
    QVERIFY2(parsed, error.c_str());
    const QJsonObject root = parsed->toObject();
    const QJsonObject service = root.value(QLatin1String("service")).toObject();
    QCOMPARE(jsonText(root.value(QLatin1String("defaults"))), QByteArray(R"({"retries":3,"timeout":"10s"})"));
    QCOMPARE(jsonText(service.value(QLatin1String("settings"))), QByteArray(R"({"retries":3,"timeout":"10s"})"));
    QCOMPARE(jsonText(service.value(QLatin1String("copy"))), QByteArray(R"(["a","b"])"));
    // An alias of a scalar serves as a mapping key, by the scalar's text.
    QCOMPARE(jsonText(root.value(QLatin1String("byName"))), QByteArray(R"({"api":"found"})"));
}

void TestImport::yamlAliasBombIsRefused()
{
    std::string error;
    QVERIFY(!yamlToJson(kAliasBomb, &error));
    QVERIFY2(error.find("more than 1000000 values") != std::string::npos && error.find("alias") != std::string::npos,
             error.c_str());
    QVERIFY2(error.rfind("line 6, column ", 0) == 0, error.c_str()); // at "f", the level that crosses the line
}

void TestImport::yamlErrorsNameLineAndColumn_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("mapping value after a plain scalar")
        << QByteArray(kBrokenOpenApi)
        << QStringLiteral("line 8, column 14: mapping values are not allowed in this context");
    QTest::newRow("unclosed flow list") << QByteArray("a: 1\nb: [1, 2\nc: 3\n")
                                        << QStringLiteral("line 3, column 2: did not find expected ',' or ']'");
    QTest::newRow("tab indentation") << QByteArray("a:\n\tb: 1\n")
                                     << QStringLiteral("line 2, column 1: found character that cannot start any token");
    QTest::newRow("key twice") << QByteArray("a: 1\na: 2\n")
                               << QStringLiteral("line 2, column 1: the key \"a\" appears twice in one mapping");
    QTest::newRow("alias to nothing") << QByteArray("a: *missing\n")
                                      << QStringLiteral("line 1, column 4: the alias *missing refers to no anchor "
                                                        "&missing defined before it (an alias cannot refer to the "
                                                        "list or mapping it is inside)");
    QTest::newRow("list as a key") << QByteArray("? [a, b]\n: c\n")
                                   << QStringLiteral("line 1, column 3: a mapping key must be a single value, not a "
                                                     "list or a mapping");
}

void TestImport::yamlErrorsNameLineAndColumn()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    std::string error;
    QVERIFY(!yamlToJson(yaml, &error));
    QCOMPARE(text(error), expected);
}

void TestImport::yamlPetstoreEqualsItsJson()
{
    std::string error;
    const auto fromYaml = yamlToJson(fixture("petstore.yaml"), &error);
    QVERIFY2(fromYaml, error.c_str());
    QJsonParseError parseError;
    QFile petstoreJson(QStringLiteral(BENCHDECK_FIXTURES "/import/petstore.json"));
    QVERIFY(petstoreJson.open(QIODevice::ReadOnly));
    const QJsonDocument json = QJsonDocument::fromJson(petstoreJson.readAll(), &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QVERIFY(fromYaml->isObject());
    // Keys such as '200' are text either way; 100 is a number either way; "1.0.0" stays text.
    QCOMPARE(QJsonDocument(fromYaml->toObject()).toJson(QJsonDocument::Compact), json.toJson(QJsonDocument::Compact));
}

// ---------------------------------------------------------------------------------------------------
// HAR

void TestImport::harKeepsThePageRequestsOfItsServer()
{
    const auto result = importFixtureHar();
    QVERIFY(result);
    const Workload& workload = result->workload;
    QCOMPARE(variableLines(workload), QStringList{"base=https://shop.example.test"});
    QCOMPARE(workload.scenarios.size(), size_t(1));
    QCOMPARE(workload.scenarios[0].name, std::string("Example Shop"));
    QCOMPARE(workload.scenarios[0].weight, 1.0);
    QCOMPARE(stepNames(workload), (QStringList{"GET /", "GET /api/items", "GET /api/items (2)", "POST /api/cart",
                                               "POST /login", "GET /api/profile"}));

    const Step& home = stepAt(*result, 0);
    QCOMPARE(home.method, std::string("GET"));
    QCOMPARE(home.url, std::string("{{base}}/"));
    QCOMPARE(statuses(home), QList<int>{200});
    const QStringList homeHeaders = headerLines(home);
    QCOMPARE(homeHeaders.size(), qsizetype(12)); // 17 recorded: four HTTP/2 pseudo-headers and accept-encoding dropped
    QVERIFY(homeHeaders.filter(QRegularExpression(QStringLiteral("^:"))).isEmpty());
    QVERIFY(homeHeaders.filter(QStringLiteral("accept-encoding"), Qt::CaseInsensitive).isEmpty());
    QVERIFY(homeHeaders.contains(QStringLiteral("cache-control: no-cache")));
    QVERIFY(homeHeaders.contains(QStringLiteral("upgrade-insecure-requests: 1")));
    QVERIFY(home.body.empty());

    const Step& items = stepAt(*result, 1);
    QCOMPARE(items.url, std::string("{{base}}/api/items?page=1"));
    QVERIFY(headerLines(items).contains(QStringLiteral("cookie: session=6f1c2a9e4b; cart=3")));
    QCOMPARE(stepAt(*result, 2).url, std::string("{{base}}/api/items?page=2"));

    const Step& cart = stepAt(*result, 3);
    QCOMPARE(cart.method, std::string("POST"));
    QCOMPARE(cart.url, std::string("{{base}}/api/cart"));
    QCOMPARE(cart.body, std::string(R"({"sku":"SKU-1001","quantity":2})"));
    QCOMPARE(headerLines(cart).filter(QStringLiteral("content-type"), Qt::CaseInsensitive),
             QStringList{"content-type: application/json"});
    QVERIFY(headerLines(cart).filter(QStringLiteral("content-length"), Qt::CaseInsensitive).isEmpty());
    QCOMPARE(statuses(cart), QList<int>{201});

    // A form Firefox recorded as parameters only, encoded again; its HTTP/1-style transport headers dropped.
    const Step& login = stepAt(*result, 4);
    QCOMPARE(login.body, std::string("user=ann%40example.test&password=p%40ss+w0rd%21"));
    QStringList loginHeaderNames;
    for (const auto& header : login.headers) {
        loginHeaderNames << text(header.name);
    }
    QCOMPARE(loginHeaderNames, (QStringList{"User-Agent", "Accept", "Accept-Language", "Content-Type", "Origin",
                                            "Referer", "Cookie", "Upgrade-Insecure-Requests"}));
    QVERIFY(headerLines(login).contains(QStringLiteral("Content-Type: application/x-www-form-urlencoded")));
    QVERIFY(headerLines(login).contains(QStringLiteral("Cookie: session=6f1c2a9e4b")));
    QCOMPARE(statuses(login), QList<int>{302});

    // The replay has no cache: the conditional headers go, and the full answer counts as a pass.
    const Step& profile = stepAt(*result, 5);
    QCOMPARE(statuses(profile), (QList<int>{200, 304}));
    QVERIFY(headerLines(profile).filter(QStringLiteral("if-"), Qt::CaseInsensitive).isEmpty());
    QVERIFY(headerLines(profile).contains(QStringLiteral("cookie: session=91ab00c2d7")));

    const QByteArray notes = allNotes(*result);
    QCOMPARE(result->skipped.size(), size_t(8));
    QVERIFY2(
        noted(*result, {"GET https://shop.example.test/static/img/logo.png: a static asset (use --include-static"}),
        notes.constData());
    QVERIFY2(noted(*result, {"GET https://shop.example.test/static/css/main.3f9a.css: a static asset"}),
             notes.constData());
    QVERIFY2(noted(*result, {"GET https://shop.example.test/static/js/app.8c1d.js: a static asset"}),
             notes.constData());
    QVERIFY2(noted(*result, {"GET https://shop.example.test/static/js/vendor.51be.js: a static asset"}),
             notes.constData());
    QVERIFY2(noted(*result, {"GET https://fonts.cdn.example.test/inter/v3/inter-latin.woff2: a static asset"}),
             notes.constData());
    QVERIFY2(noted(*result, {"GET https://shop.example.test/api/recommendations: ", "(status 0)"}), notes.constData());
    QVERIFY2(noted(*result, {"GET data:image/svg+xml;base64,", "a data: URL"}), notes.constData());
    QVERIFY2(noted(*result, {"POST https://analytics.other.test/g/collect?v=2&tid=G-TEST1&en=page_view: another server "
                             "than https://shop.example.test; a run talks to one server"}),
             notes.constData());
}

void TestImport::harIncludeStaticKeepsTheAssetsOfThePageServer()
{
    const auto result = importFixtureHar(true);
    QVERIFY(result);
    QCOMPARE(stepNames(result->workload),
             (QStringList{"GET /", "GET /static/css/main.3f9a.css", "GET /static/js/app.8c1d.js",
                          "GET /static/js/vendor.51be.js", "GET /static/img/logo.png", "GET /api/items",
                          "GET /api/items (2)", "POST /api/cart", "POST /login", "GET /api/profile"}));
    QCOMPARE(stepAt(*result, 4).url, std::string("{{base}}/static/img/logo.png"));
    const QByteArray notes = allNotes(*result);
    QVERIFY2(!noted(*result, {"a static asset"}), notes.constData());
    // The font comes from a CDN: kept as an asset, but on another server.
    QVERIFY2(noted(*result, {"GET https://fonts.cdn.example.test/inter/v3/inter-latin.woff2: another server than "
                             "https://shop.example.test"}),
             notes.constData());
    QCOMPARE(result->skipped.size(), size_t(4));
}

void TestImport::harLeavesOutRequestsHoldingBraces()
{
    std::string error;
    const auto result = importHar(kHarWithBraces, {}, &error);
    QVERIFY2(result, error.c_str());
    QCOMPARE(result->workload.scenarios[0].name, std::string("recorded")); // no pages, no title
    QCOMPARE(variableLines(result->workload), QStringList{"base=https://a.example.test"});
    QCOMPARE(stepNames(result->workload), (QStringList{"GET /", "GET /api/ping"}));
    QCOMPARE(headerLines(stepAt(*result, 1)), QStringList{"X-Good: 1"});
    QCOMPARE(skippedLines(*result),
             (QStringList{"POST https://a.example.test/api/templates: it holds \"{{\", which a scenario reads as the "
                          "start of a {{variable}}, and the scenario format has no way to escape it",
                          "GET https://a.example.test/api/ping: the header \"X Bad\" was left out: its name is not a "
                          "valid HTTP header name"}));
}

void TestImport::harRefusesTextThatIsNoHar()
{
    std::string error;
    QVERIFY(!importHar(R"({"entries": []})", {}, &error));
    QCOMPARE(text(error), QStringLiteral("this is not a HAR file: it has no \"log\" with a list of \"entries\""));
    QVERIFY(!importHar("{\"log\": {\n  \"entries\": [,]}}", {}, &error));
    QVERIFY2(error.rfind("the HAR file is not valid JSON: line 2, column ", 0) == 0, error.c_str());
    QVERIFY(!importHar(R"({"log": {"entries": [{"request": {"method": "GET", "url": "https://a.test/x.png"},
                                                "response": {"status": 200, "content": {"mimeType": "image/png"}}}]}})",
                       {}, &error));
    QVERIFY2(error.find("no http or https request other than static assets") != std::string::npos, error.c_str());
}

// ---------------------------------------------------------------------------------------------------
// OpenAPI

void TestImport::openApiPetstoreCallsEveryOperation()
{
    const auto result = importFixturePetstore();
    QVERIFY(result);
    QVERIFY2(result->skipped.empty(), allNotes(*result).constData());
    const Workload& workload = result->workload;
    QCOMPARE(workload.scenarios[0].name, std::string("Swagger Petstore"));
    QCOMPARE(variableLines(workload), (QStringList{"base=http://petstore.swagger.io", "petId=string"}));
    QCOMPARE(stepNames(workload), (QStringList{"listPets", "createPets", "showPetById"}));

    const Step& list = stepAt(*result, 0);
    QCOMPARE(list.method, std::string("GET"));
    QCOMPARE(list.url, std::string("{{base}}/v1/pets")); // limit is optional: not sent
    QVERIFY(list.headers.empty());
    QCOMPARE(statuses(list), QList<int>{200});

    const Step& create = stepAt(*result, 1);
    QCOMPARE(create.method, std::string("POST"));
    QCOMPARE(create.url, std::string("{{base}}/v1/pets"));
    QCOMPARE(create.body, std::string(R"({"id":1,"name":"string"})")); // Pet's required properties
    QCOMPARE(headerLines(create), QStringList{"Content-Type: application/json"});
    QCOMPARE(statuses(create), QList<int>{201});

    const Step& show = stepAt(*result, 2);
    QCOMPARE(show.url, std::string("{{base}}/v1/pets/{{petId}}"));
    QCOMPARE(statuses(show), QList<int>{200});
}

void TestImport::openApiFollowsRefsSecurityAndSkips()
{
    const QJsonDocument document = QJsonDocument::fromJson(kOrdersApi);
    QVERIFY(document.isObject());
    std::string error;
    const auto result = importOpenApi(document.object(), &error);
    QVERIFY2(result, error.c_str());
    QCOMPARE(stepNames(result->workload),
             (QStringList{"listOrders", "createOrder", "GET /orders/{orderId}", "deleteOrder"}));
    QCOMPARE(variableLines(result->workload),
             (QStringList{"base=http://127.0.0.1:8080", "limit=20", "status=open", "X-Tenant=acme", "token=REPLACE_ME",
                          "api_key=REPLACE_ME", "orderId=00000000-0000-4000-8000-000000000001"}));

    // A $ref'd parameter with a default, an enum's first value, a header from its example; Accept as
    // a parameter is ignored as OpenAPI says, and optional ones are not sent. Global bearer security.
    const Step& list = stepAt(*result, 0);
    QCOMPARE(list.url, std::string("{{base}}/api/v2/orders?limit={{limit}}&status={{status}}"));
    QCOMPARE(headerLines(list), (QStringList{"X-Tenant: {{X-Tenant}}", "Authorization: Bearer {{token}}"}));
    QCOMPARE(statuses(list), QList<int>{200}); // "2XX" and "default" name no status

    // The operation's own security replaces the global one; the body is made up through two $refs
    // and an allOf: required properties and those with examples, never readOnly ones.
    const Step& create = stepAt(*result, 1);
    QCOMPARE(create.url, std::string("{{base}}/api/v2/orders"));
    QCOMPARE(headerLines(create), (QStringList{"X-API-Key: {{api_key}}", "Content-Type: application/json"}));
    QCOMPARE(create.body,
             std::string(
                 R"({"customer":"user@example.com","placedAt":"2026-01-01T00:00:00Z","quantity":1,"sku":"SKU-1001"})"));
    QCOMPARE(statuses(create), (QList<int>{201, 303}));

    // A path-level parameter applies to every operation under the path; "security": [] turns it off.
    const Step& show = stepAt(*result, 2);
    QCOMPARE(show.url, std::string("{{base}}/api/v2/orders/{{orderId}}"));
    QCOMPARE(headerLines(show), QStringList{"Authorization: Bearer {{token}}"});
    const Step& remove = stepAt(*result, 3);
    QCOMPARE(remove.method, std::string("DELETE"));
    QVERIFY(remove.headers.empty());
    QCOMPARE(statuses(remove), QList<int>{204});

    QCOMPARE(skippedLines(*result),
             (QStringList{
                 "The API description names no absolute server URL (servers[0].url is \"/api/v2\"), so the constant "
                 "\"base\" was set to http://127.0.0.1:8080; edit it to point at the server under test.",
                 "TRACE /orders: left out: TRACE only echoes the request back, and servers usually refuse it",
                 "GET /orders/{orderId}/invoice: left out: the $ref \"shared.yaml#/components/parameters/Format\" "
                 "points into another document, which the import does not read",
                 "PUT /orders/{orderId}/invoice: left out: its request body must be multipart/form-data, which the "
                 "import cannot make up",
                 "Fill in the constants \"token\" and \"api_key\" in \"variables\" before a run: they hold REPLACE_ME "
                 "because the API description says which credentials requests need but not their values."}));
}

void TestImport::openApiRefusesSwagger2()
{
    std::string error;
    QVERIFY(!importOpenApi(QJsonObject{{"swagger", "2.0"}, {"info", QJsonObject{{"title", "Old"}}}}, &error));
    QCOMPARE(text(error), QStringLiteral("Swagger 2.0 is not supported; convert it to OpenAPI 3 first"));
    QVERIFY(!importOpenApi(QJsonObject{{"info", QJsonObject{{"title", "Nothing"}}}}, &error));
    QVERIFY2(error.find("no \"openapi\" field") != std::string::npos, error.c_str());
    QVERIFY(!importOpenApi(QJsonObject{{"openapi", "3.1.0"}, {"paths", QJsonObject()}}, &error));
    QVERIFY2(error.find("no paths") != std::string::npos, error.c_str());
}

void TestImport::openApiReadsJsonAndYamlFiles()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const auto write = [&](const char* name, const QByteArray& content) {
        QFile file(directory.filePath(QString::fromUtf8(name)));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    };
    write("api.json", "{\n  \"openapi\": \"3.0.3\",\n  \"paths\" {}\n}\n");
    write("api.yml", kBrokenOpenApi);
    write("api.txt", fixture("petstore.yaml"));
    write("list.yaml", "- openapi: 3.0.0\n");
    std::string error;
    QVERIFY(!readOpenApiFile(directory.filePath(QStringLiteral("api.json")), &error));
    QVERIFY2(error.find("api.json: not valid JSON: line 3, column ") != std::string::npos &&
                 error.find("(at byte offset ") != std::string::npos,
             error.c_str());
    QVERIFY(!readOpenApiFile(directory.filePath(QStringLiteral("api.yml")), &error));
    QVERIFY2(error.find("api.yml: line 8, column 14: mapping values are not allowed") != std::string::npos,
             error.c_str());
    QVERIFY(!readOpenApiFile(directory.filePath(QStringLiteral("list.yaml")), &error));
    QVERIFY2(error.find("list.yaml: the document is not a mapping") != std::string::npos, error.c_str());
    QVERIFY(!readOpenApiFile(directory.filePath(QStringLiteral("missing.yaml")), &error));
    QVERIFY2(error.find("missing.yaml: cannot be read") != std::string::npos, error.c_str());
    // Without a telling name, text that does not start with '{' is read as YAML.
    const auto document = readOpenApiFile(directory.filePath(QStringLiteral("api.txt")), &error);
    QVERIFY2(document, error.c_str());
    QCOMPARE(document->value(QLatin1String("openapi")).toString(), QStringLiteral("3.0.0"));
}

// ---------------------------------------------------------------------------------------------------
// Postman

void TestImport::postmanKeepsFoldersVariablesAndAuth()
{
    const auto result = importFixtureCollection();
    QVERIFY(result);
    const Workload& workload = result->workload;
    QCOMPARE(workload.scenarios[0].name, std::string("Shop API"));
    // The disabled variable is left out; {{query}} is an environment variable the export lacks.
    QCOMPARE(variableLines(workload), (QStringList{"baseUrl=https://api.shop.example.test", "itemId=42",
                                                   "token=dev-token-123", "query=REPLACE_ME"}));
    QCOMPARE(stepNames(workload),
             (QStringList{"Auth/Login", "Items/Read/List items", "Items/Read/Get item", "Items/Read/Random item",
                          "Items/Create item", "Items/Upload image", "Search"}));

    // "noauth" on the login stops the collection's bearer token; its raw JSON body gets its type.
    const Step& login = stepAt(*result, 0);
    QCOMPARE(login.method, std::string("POST"));
    QCOMPARE(login.url, std::string("{{baseUrl}}/login"));
    QCOMPARE(headerLines(login), QStringList{"Content-Type: application/json"});
    QCOMPARE(login.body, std::string("{\n    \"user\": \"ann\",\n    \"password\": \"s3cret\"\n}"));

    const Step& list = stepAt(*result, 1);
    QCOMPARE(list.url, std::string("{{baseUrl}}/items?page=1")); // the disabled sort parameter is not in it
    QCOMPARE(headerLines(list), (QStringList{"Accept: application/json", "Authorization: Bearer {{token}}"}));
    QCOMPARE(stepAt(*result, 2).url, std::string("{{baseUrl}}/items/{{itemId}}"));
    QCOMPARE(stepAt(*result, 3).url, std::string("{{baseUrl}}/items/{{$randomInt 0 1000}}"));

    const Step& create = stepAt(*result, 4);
    QCOMPARE(headerLines(create), (QStringList{"Content-Type: application/json", "Idempotency-Key: {{$uuid}}",
                                               "Authorization: Bearer {{token}}"}));
    QCOMPARE(create.body, std::string(R"({"sku": "SKU-1001", "name": "Mug", "price": 12.5})"));

    const Step& upload = stepAt(*result, 5);
    QCOMPARE(upload.url, std::string("{{baseUrl}}/items/{{itemId}}/image"));
    QVERIFY(upload.body.empty());
    QCOMPARE(headerLines(upload), QStringList{"Authorization: Bearer {{token}}"});

    QCOMPARE(stepAt(*result, 6).url, std::string("{{baseUrl}}/search?q={{query}}"));
    for (const auto& step : workload.scenarios[0].steps) {
        QVERIFY(step.checks.empty()); // the collection's test script is not translated into checks
    }

    QCOMPARE(skippedLines(*result),
             (QStringList{"POST Auth/Login: scripts are not run: its test script; add extractors and checks to the "
                          "scenario instead",
                          "POST Items/Upload image: sent without a body: its form has the file field \"image\", and "
                          "the import cannot send files",
                          "GET Status page: left out: another server than https://api.shop.example.test; a run talks "
                          "to one server",
                          "Fill in the constant \"query\" in \"variables\" before a run: it holds REPLACE_ME because "
                          "the collection refers to variables it does not define (environment or global variables, "
                          "which a collection export does not hold)."}));
}

void TestImport::postmanRewritesTemplatesAndRefusesWhatHasNoEquivalent()
{
    std::string error;
    const auto result = importPostman(kEdgeCollection, &error);
    QVERIFY2(result, error.c_str());
    // A variable built from another is resolved: constants are values, not templates.
    QCOMPARE(variableLines(result->workload), (QStringList{"host=http://127.0.0.1:9", "api=http://127.0.0.1:9/api",
                                                           "user=REPLACE_ME", "itemId=REPLACE_ME", "key=REPLACE_ME"}));
    QCOMPARE(stepNames(result->workload), (QStringList{"Form", "Graph", "Keyed", "Open/Ping"}));

    // Literal parts of a form are encoded, placeholders are not; basic auth is encoded once, here.
    const Step& form = stepAt(*result, 0);
    QCOMPARE(form.body, std::string("q=a+b%26c&who={{user}}"));
    QCOMPARE(headerLines(form),
             (QStringList{"Content-Type: application/x-www-form-urlencoded", "Authorization: Basic YW5uOnMzY3JldA=="}));

    // GraphQL variables that are JSON only once rendered are kept as written.
    const Step& graph = stepAt(*result, 1);
    QCOMPARE(
        graph.body,
        std::string(R"({"query":"query Item($id: ID!) { item(id: $id) { name } }","variables":{"id": {{itemId}}}})"));
    QCOMPARE(headerLines(graph),
             (QStringList{"Content-Type: application/json", "Authorization: Basic YW5uOnMzY3JldA=="}));

    const Step& keyed = stepAt(*result, 2);
    QCOMPARE(keyed.url, std::string("{{api}}/keyed?api_key={{key}}"));
    QVERIFY(keyed.headers.empty());
    QVERIFY(stepAt(*result, 3).headers.empty()); // the folder's "noauth"

    const QByteArray notes = allNotes(*result);
    QVERIFY2(noted(*result, {"GET Colour: left out: it uses {{$randomColor}}, a Postman dynamic variable Benchdeck has "
                             "no equivalent for"}),
             notes.constData());
    QVERIFY2(noted(*result, {"GET Spaced: left out: it uses {{user name}}, which is not a Benchdeck variable name"}),
             notes.constData());
    QVERIFY2(noted(*result, {"Fill in the constants \"user\", \"itemId\" and \"key\""}), notes.constData());
    QCOMPARE(result->skipped.size(), size_t(3));
}

void TestImport::postmanRefusesVersion1()
{
    std::string error;
    QVERIFY(!importPostman(kVersion1Collection, &error));
    QVERIFY2(error.find("Collection v1") != std::string::npos && error.find("Collection v2.1") != std::string::npos,
             error.c_str());
    QVERIFY(!importPostman(R"({"name": "x"})", &error));
    QCOMPARE(text(error), QStringLiteral("this is not a Postman collection: it has no \"info\" and no \"item\" list"));
    QVERIFY(!importPostman("[]", &error));
    QVERIFY2(error.find("not a Postman collection") != std::string::npos, error.c_str());
}

// ---------------------------------------------------------------------------------------------------
// Every import as a scenario file and back, and run

void TestImport::importsSurviveTheScenarioFile()
{
    const std::optional<ImportResult> imports[] = {importFixtureHar(), importFixturePetstore(),
                                                   importFixtureCollection()};
    for (const auto& imported : imports) {
        QVERIFY(imported);
        const Workload& original = imported->workload;
        std::string error;
        const auto reread = benchdeck::plan::parseScenarioText(benchdeck::plan::scenarioText(original), &error);
        QVERIFY2(reread, error.c_str());
        QCOMPARE(stepNames(*reread), stepNames(original));
        QCOMPARE(reread->scenarios[0].name, original.scenarios[0].name);
        for (size_t i = 0; i < original.scenarios[0].steps.size(); ++i) {
            const Step& before = original.scenarios[0].steps[i];
            const Step& after = reread->scenarios[0].steps[i];
            QCOMPARE(after.method, before.method);
            QCOMPARE(after.url, before.url);
            QCOMPARE(after.body, before.body);
            QCOMPARE(headerLines(after), headerLines(before));
            QCOMPARE(statuses(after), statuses(before));
        }
        // Variables come back in alphabetical order: JSON objects keep none.
        QStringList variables = variableLines(original);
        variables.sort();
        QCOMPARE(variableLines(*reread), variables);
    }
}

void TestImport::harImportRuns()
{
    const auto imported = importFixtureHar();
    QVERIFY(imported);
    // The recording's server is https; the local one speaks http, and the constant says which.
    const auto counts = runThreeRequestsPerStep(imported->workload, "base");
    QVERIFY(counts);
    QCOMPARE(counts->planned, uint64_t(18));
    QCOMPARE(counts->requests, counts->planned);
    QCOMPARE(counts->responses, counts->planned);
    QCOMPARE(counts->transportErrors, uint64_t(0)); // checks for 201, 302 fail against a server that says 200
    QCOMPARE(counts->seenByServer, counts->planned);
}

void TestImport::openApiImportRuns()
{
    const auto imported = importFixturePetstore();
    QVERIFY(imported);
    const auto counts = runThreeRequestsPerStep(imported->workload, "base");
    QVERIFY(counts);
    QCOMPARE(counts->planned, uint64_t(9));
    QCOMPARE(counts->requests, counts->planned);
    QCOMPARE(counts->responses, counts->planned);
    QCOMPARE(counts->transportErrors, uint64_t(0));
    QCOMPARE(counts->seenByServer, counts->planned);
}

void TestImport::postmanImportRuns()
{
    const auto imported = importFixtureCollection();
    QVERIFY(imported);
    const auto counts = runThreeRequestsPerStep(imported->workload, "baseUrl");
    QVERIFY(counts);
    QCOMPARE(counts->planned, uint64_t(21));
    QCOMPARE(counts->requests, counts->planned);
    QCOMPARE(counts->responses, counts->planned);
    QCOMPARE(counts->transportErrors, uint64_t(0));
    QCOMPARE(counts->seenByServer, counts->planned);
}

QTEST_GUILESS_MAIN(TestImport)
