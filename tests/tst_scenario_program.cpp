// SPDX-License-Identifier: Apache-2.0
// Compiling a workload into a program: a login/list/item workload compiles and runs one iteration as
// the engine will; every compile error names the scenario, the step and the part in the file's words;
// iterations start from the constants alone; feeder rows and the mix's weights come through. No
// network: constant URLs are checked with engine::parseTargetUrl, which parses and resolves nothing.
#include "engine/target_url.h"
#include "scenario/scenario_program.h"
#include "scenario/weighted_mix.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTest>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Declared before any test data: moc must see the whole class before the string literals below.
class TestScenarioProgram : public QObject {
    Q_OBJECT

private slots:
    void compilesLoginListItem();
    void runsAnIterationAsTheEngineWill();
    void rejects_data();
    void rejects();
    void accepts_data();
    void accepts();
    void startIterationSetsConstantsAndUnsetsTheRest();
    void applyFeederRowSetsThatRowsColumns();
    void weightsFollowTheScenarios();
};

using benchdeck::scenario::Check;
using benchdeck::scenario::CheckKind;
using benchdeck::scenario::CompiledScenario;
using benchdeck::scenario::CompiledStep;
using benchdeck::scenario::CsvTable;
using benchdeck::scenario::ExtractFrom;
using benchdeck::scenario::Extractor;
using benchdeck::scenario::Feeder;
using benchdeck::scenario::FeederMode;
using benchdeck::scenario::Header;
using benchdeck::scenario::Micros;
using benchdeck::scenario::RenderContext;
using benchdeck::scenario::RequestTemplate;
using benchdeck::scenario::ResponseView;
using benchdeck::scenario::Scenario;
using benchdeck::scenario::ScenarioProgram;
using benchdeck::scenario::Step;
using benchdeck::scenario::VariableIndex;
using benchdeck::scenario::VariableValues;
using benchdeck::scenario::WeightedMix;
using benchdeck::scenario::Workload;

namespace {

constexpr size_t kLogin = 0;
constexpr size_t kList = 1;
constexpr size_t kItem = 2;

QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString joined(const std::vector<int>& indices)
{
    QStringList parts;
    for (const int index : indices) {
        parts << QString::number(index);
    }
    return parts.join(QLatin1Char(','));
}

Check statusCheck(int status)
{
    Check check;
    check.kind = CheckKind::StatusIn;
    check.statuses = {status};
    return check;
}

Check jsonCheck(std::string pointer, std::string expected)
{
    Check check;
    check.kind = CheckKind::JsonEquals;
    check.pointer = std::move(pointer);
    check.expected = std::move(expected);
    return check;
}

Step step(std::string name, std::string method, std::string url)
{
    Step made;
    made.name = std::move(name);
    made.method = std::move(method);
    made.url = std::move(url);
    return made;
}

// Log in with a data row's user, list the items with the token, fetch the first item by its id.
Workload shopWorkload()
{
    Step login = step("login", "POST", "{{base}}/login");
    login.headers = {Header{"Content-Type", "application/json"}, Header{"User-Agent", "{{agent}}"}};
    login.body = "{\"user\":\"{{user}}\",\"password\":\"{{password}}\"}";
    login.extractors = {Extractor{"token", ExtractFrom::JsonPointer, "/token"}};
    login.checks = {statusCheck(200)};

    Step list = step("list", "GET", "{{base}}/items");
    list.headers = {Header{"Authorization", "Bearer {{token}}"}};
    list.extractors = {Extractor{"id", ExtractFrom::JsonPointer, "$.items[0].id"}};
    list.checks = {statusCheck(200)};

    Step item = step("item", "GET", "{{base}}/items/{{id}}");
    item.headers = {Header{"Authorization", "Bearer {{token}}"}};
    item.checks = {jsonCheck("/id", "7")};

    Scenario shop;
    shop.name = "shop";
    shop.steps = {login, list, item};

    Workload workload;
    workload.scenarios = {shop};
    workload.feeders = {Feeder{"users", "users.csv", FeederMode::Sequential}};
    workload.variables = {{"base", "http://127.0.0.1:8080"}, {"agent", "benchdeck-test"}};
    return workload;
}

std::vector<CsvTable> shopTables()
{
    CsvTable users;
    users.columns = {"user", "password"};
    users.rows = {{"ann", "a-secret"}, {"bob", "b-secret"}};
    return {users};
}

bool validateWithEngine(std::string_view url, std::string* error)
{
    return benchdeck::engine::parseTargetUrl(url, error).has_value();
}

struct Compiled {
    std::optional<ScenarioProgram> program;
    std::string error;
};

Compiled compileWorkload(const Workload& workload, std::vector<CsvTable> tables,
                         const ScenarioProgram::UrlValidator& validateUrl = validateWithEngine)
{
    Compiled compiled;
    compiled.program = ScenarioProgram::compile(workload, std::move(tables), validateUrl, &compiled.error);
    return compiled;
}

Step& shopStep(Workload& workload, size_t index)
{
    return workload.scenarios.front().steps.at(index);
}

using Change = std::function<void(Workload&, std::vector<CsvTable>&)>;

struct Case {
    const char* name;
    Change change;                 // made to the shop workload, which compiles as it is
    std::vector<QString> expected; // all in the message
};

Change setUrl(size_t index, std::string url)
{
    return [index, url](Workload& workload, std::vector<CsvTable>&) { shopStep(workload, index).url = url; };
}

Change setBody(size_t index, std::string body)
{
    return [index, body](Workload& workload, std::vector<CsvTable>&) { shopStep(workload, index).body = body; };
}

Change addHeader(size_t index, std::string name, std::string value)
{
    return [index, name, value](Workload& workload, std::vector<CsvTable>&) {
        shopStep(workload, index).headers.push_back(Header{name, value});
    };
}

Change addExtractor(size_t index, Extractor extractor)
{
    return [index, extractor](Workload& workload, std::vector<CsvTable>&) {
        shopStep(workload, index).extractors.push_back(extractor);
    };
}

const QString kUrlScheme = QStringLiteral("step \"item\", url must start with http:// or https://");

const std::vector<Case>& rejectedCases()
{
    static const std::vector<Case> cases = {
        // Templates that do not compile: the template's own message, after the place.
        {"url template",
         setUrl(kItem, "{{base}}/items/{{id"),
         {QStringLiteral("scenario \"shop\", step \"item\", url: unterminated {{ at offset 15")}},
        {"header template",
         addHeader(kList, "X-Trace", "t-{{}}"),
         {QStringLiteral("scenario \"shop\", step \"list\", header \"X-Trace\": empty {{}}")}},
        {"body template",
         setBody(kLogin, "{{$nope}}"),
         {QStringLiteral("scenario \"shop\", step \"login\", body: unknown built-in $nope")}},

        // Variables without a source by the time their step runs.
        {"unknown in url",
         setUrl(kItem, "{{base}}/items/{{idd}}"),
         {QStringLiteral("scenario \"shop\", step \"item\", url uses {{idd}}, which no constant, data column "
                         "or earlier step's extractor sets")}},
        {"unknown in header",
         addHeader(kList, "X-Trace", "{{trace}}"),
         {QStringLiteral("step \"list\", header \"X-Trace\" uses {{trace}}, which no constant")}},
        {"unknown in body", setBody(kItem, "{{nothing}}"), {QStringLiteral("step \"item\", body uses {{nothing}}")}},
        {"used before it is extracted",
         setBody(kLogin, "{\"after\":{{id}}}"),
         {QStringLiteral("scenario \"shop\", step \"login\", body: {{id}} is used before it is extracted "
                         "(by step \"list\", which runs later)")}},
        {"extracted by the same step",
         setUrl(kList, "{{base}}/items?after={{id}}"),
         {QStringLiteral("scenario \"shop\", step \"list\", url: {{id}} is used before it is extracted "
                         "(by this same step, from its own response)")}},
        {"extracted by another scenario",
         [](Workload& workload, std::vector<CsvTable>&) {
             Scenario browse;
             browse.name = "browse";
             browse.steps = {step("peek", "GET", "{{base}}/items/{{id}}")};
             workload.scenarios.push_back(browse);
         },
         {QStringLiteral("scenario \"browse\", step \"peek\", url uses {{id}}, which no constant")}},

        // Names with two sources.
        {"constant and data column",
         [](Workload& workload, std::vector<CsvTable>&) { workload.variables.emplace_back("user", "x"); },
         {QStringLiteral("variable \"user\" is defined twice, as a constant and as a column of data \"users\"")}},
        {"two data columns",
         [](Workload& workload, std::vector<CsvTable>& tables) {
             workload.feeders.push_back(Feeder{"admins", "admins.csv", FeederMode::Random});
             CsvTable admins;
             admins.columns = {"user"};
             admins.rows = {{"root"}};
             tables.push_back(admins);
         },
         {QStringLiteral("variable \"user\" is defined twice, as a column of data \"users\" and as a column of "
                         "data \"admins\"")}},
        {"constant twice",
         [](Workload& workload, std::vector<CsvTable>&) { workload.variables.emplace_back("base", "http://x/"); },
         {QStringLiteral("variable \"base\" is defined twice, as a constant and as a constant")}},

        // Extractors and checks: their own message, after the place and the rule's position.
        {"extractor regex",
         addExtractor(kList, Extractor{"x", ExtractFrom::Regex, "(unclosed"}),
         {QStringLiteral("scenario \"shop\", step \"list\", extract[1]: the regular expression '(unclosed' "
                         "does not compile")}},
        {"extractor variable name",
         addExtractor(kList, Extractor{"1x", ExtractFrom::Status, ""}),
         {QStringLiteral("step \"list\", extract[1]: \"1x\" is not a variable name")}},
        {"check status",
         [](Workload& workload, std::vector<CsvTable>&) {
             shopStep(workload, kItem).checks.push_back(statusCheck(700));
         },
         {QStringLiteral("scenario \"shop\", step \"item\", check[1]: 700 is not an HTTP status")}},

        // Methods and URLs.
        {"method with a space",
         [](Workload& workload, std::vector<CsvTable>&) { shopStep(workload, kLogin).method = "PO ST"; },
         {QStringLiteral("step \"login\", method \"PO ST\" is not a method")}},
        {"empty method",
         [](Workload& workload, std::vector<CsvTable>&) { shopStep(workload, kLogin).method = ""; },
         {QStringLiteral("step \"login\", method \"\" is not a method")}},
        {"constant url the engine rejects",
         setUrl(kItem, "http://exa mple/items"),
         {QStringLiteral("step \"item\", url: the URL contains spaces")}},
        {"constant url without a host",
         setUrl(kItem, "http:///items"),
         {QStringLiteral("step \"item\", url: malformed URL"), QStringLiteral("no host")}},
        {"ftp constant", setUrl(kItem, "ftp://127.0.0.1/items"), {kUrlScheme}},
        {"ftp before a variable", setUrl(kItem, "ftp://127.0.0.1/items/{{id}}"), {kUrlScheme}},
        {"relative url", setUrl(kItem, "/items/{{id}}"), {kUrlScheme}},
        {"built-in first", setUrl(kItem, "{{$uuid}}/items"), {kUrlScheme}},
        {"brace before the variable", setUrl(kItem, "{{{base}}}/items"), {kUrlScheme}},
        {"empty url", setUrl(kItem, ""), {kUrlScheme}},
        {"header name with a space",
         addHeader(kList, "Bad Header", "x"),
         {QStringLiteral("step \"list\", header \"Bad Header\": not a header name")}},
        {"header value with a line break",
         addHeader(kList, "X-A", "a\r\nX-Evil: 1"),
         {QStringLiteral("step \"list\", header \"X-A\": the value holds a line break")}},
        {"think shorter than it is long",
         [](Workload& workload, std::vector<CsvTable>&) {
             shopStep(workload, kItem).think = {Micros(2'000'000), Micros(1'000'000)};
         },
         {QStringLiteral("scenario \"shop\", step \"item\", think:")}},

        // Data and the workload as a whole.
        {"tables missing",
         [](Workload&, std::vector<CsvTable>& tables) { tables.clear(); },
         {QStringLiteral("data feeders: 1 in the workload, 0 tables loaded")}},
        {"data without rows",
         [](Workload&, std::vector<CsvTable>& tables) { tables.front().rows.clear(); },
         {QStringLiteral("data \"users\" has no rows")}},
        {"short row",
         [](Workload&, std::vector<CsvTable>& tables) { tables.front().rows.back() = {"carol"}; },
         {QStringLiteral("data \"users\", row 2: 1 fields, the header has 2")}},
        {"column name",
         [](Workload&, std::vector<CsvTable>& tables) { tables.front().columns.back() = "pass word"; },
         {QStringLiteral("data \"users\", column \"pass word\" is not a variable name")}},
        {"constant name",
         [](Workload& workload, std::vector<CsvTable>&) { workload.variables.emplace_back("9lives", "x"); },
         {QStringLiteral("variable \"9lives\" is not a variable name")}},
        {"no scenarios",
         [](Workload& workload, std::vector<CsvTable>&) { workload.scenarios.clear(); },
         {QStringLiteral("the workload has no scenarios")}},
        {"no steps",
         [](Workload& workload, std::vector<CsvTable>&) { workload.scenarios.front().steps.clear(); },
         {QStringLiteral("scenario \"shop\" has no steps")}},
        {"zero weight",
         [](Workload& workload, std::vector<CsvTable>&) { workload.scenarios.front().weight = 0; },
         {QStringLiteral("scenario \"shop\": the weight must be a number greater than 0")}},
    };
    return cases;
}

struct Accepted {
    const char* name;
    Change change;
    bool withEngineValidator;
};

const std::vector<Accepted>& acceptedCases()
{
    static const std::vector<Accepted> cases = {
        {"as it is", [](Workload&, std::vector<CsvTable>&) {}, true},
        {"constant https url", setUrl(kItem, "https://example.test/items/7"), true},
        {"upper-case scheme before a variable", setUrl(kItem, "HTTP://127.0.0.1/items/{{id}}"), true},
        {"built-in after the scheme", setUrl(kItem, "http://127.0.0.1/r/{{$uuid}}"), true},
        {"spaces inside the first placeholder", setUrl(kItem, "{{ base }}/items/{{id}}"), true},
        {"a token extracted two steps earlier", setBody(kItem, "{{token}}"), true},
        {"a data column in the last step", setBody(kItem, "{{user}}"), true},
        // The scheme check alone lets it through: rejecting it is the engine validator's part.
        {"spaced url without the engine validator", setUrl(kItem, "http://exa mple/items"), false},
    };
    return cases;
}

struct Rendered {
    bool ok = false;
    QString text;
    QString missing;
};

Rendered render(const RequestTemplate& compiled, const VariableValues& values)
{
    std::mt19937_64 random(1);
    RenderContext context{random, 1};
    std::string out;
    std::string missing;
    Rendered rendered;
    rendered.ok = compiled.render(values, context, out, &missing);
    rendered.text = toQString(out);
    rendered.missing = toQString(missing);
    return rendered;
}

// What the engine does with a response: every extractor that finds its value sets it.
void applyExtractors(const CompiledStep& step, const ResponseView& response, VariableValues& values)
{
    std::string value;
    for (size_t i = 0; i < step.extractors.size(); ++i) {
        if (step.extractors[i].apply(response, value)) {
            values.set(step.extractorVariables[i], value);
        }
    }
}

} // namespace

void TestScenarioProgram::compilesLoginListItem()
{
    const Compiled compiled = compileWorkload(shopWorkload(), shopTables());
    QVERIFY2(compiled.program.has_value(), compiled.error.c_str());
    const ScenarioProgram& program = *compiled.program;

    const VariableIndex& variables = program.variables();
    const int base = variables.indexOf("base");
    const int user = variables.indexOf("user");
    const int password = variables.indexOf("password");
    const int token = variables.indexOf("token");
    const int id = variables.indexOf("id");
    QVERIFY(base >= 0 && user >= 0 && password >= 0 && token >= 0 && id >= 0);
    QCOMPARE(variables.size(), size_t(6)); // base, agent, user, password, token, id: each once

    QCOMPARE(program.scenarios().size(), size_t(1));
    const CompiledScenario& shop = program.scenarios().front();
    QCOMPARE(toQString(shop.name), QStringLiteral("shop"));
    QCOMPARE(shop.steps.size(), size_t(3));
    QCOMPARE(toQString(shop.steps[kLogin].name), QStringLiteral("login"));
    QCOMPARE(toQString(shop.steps[kLogin].method), QStringLiteral("POST"));
    QCOMPARE(toQString(shop.steps[kItem].name), QStringLiteral("item"));

    QCOMPARE(joined(shop.steps[kLogin].extractorVariables), QString::number(token));
    QCOMPARE(joined(shop.steps[kList].extractorVariables), QString::number(id));
    QVERIFY(shop.steps[kItem].extractorVariables.empty());
    QCOMPARE(shop.steps[kLogin].extractors.size(), size_t(1));
    QCOMPARE(shop.steps[kItem].checks.size(), size_t(1));
    QCOMPARE(toQString(shop.steps[kItem].checks.front().describe()), QStringLiteral("/id == 7"));

    QCOMPARE(joined(shop.steps[kItem].url.variablesUsed()), joined({base, id}));
    QCOMPARE(shop.steps[kList].headers.size(), size_t(1));
    QCOMPARE(toQString(shop.steps[kList].headers.front().first), QStringLiteral("Authorization"));
    QCOMPARE(joined(shop.steps[kList].headers.front().second.variablesUsed()), QString::number(token));
    QCOMPARE(joined(shop.steps[kLogin].body.variablesUsed()), joined({user, password}));

    QCOMPARE(program.feeders().size(), size_t(1));
    QCOMPARE(toQString(program.feeders().front().name), QStringLiteral("users"));
    QCOMPARE(joined(program.feeders().front().columnVariables), joined({user, password}));
    QCOMPARE(program.feeders().front().table.rows.size(), size_t(2));

    QCOMPARE(program.constants().size(), size_t(2));
    QCOMPARE(program.constants().front().first, base);
    QCOMPARE(toQString(program.constants().front().second), QStringLiteral("http://127.0.0.1:8080"));
}

void TestScenarioProgram::runsAnIterationAsTheEngineWill()
{
    const Compiled compiled = compileWorkload(shopWorkload(), shopTables());
    QVERIFY2(compiled.program.has_value(), compiled.error.c_str());
    const ScenarioProgram& program = *compiled.program;
    const CompiledScenario& shop = program.scenarios().front();

    VariableValues values(program.variables());
    program.startIteration(values);
    program.applyFeederRow(values, 0, 1);

    Rendered rendered = render(shop.steps[kLogin].body, values);
    QVERIFY2(rendered.ok, qPrintable(rendered.missing));
    QCOMPARE(rendered.text, QStringLiteral("{\"user\":\"bob\",\"password\":\"b-secret\"}"));
    ResponseView loggedIn;
    loggedIn.status = 200;
    loggedIn.body = "{\"token\":\"t-1\"}";
    QVERIFY(shop.steps[kLogin].checks.front().passes(loggedIn));
    applyExtractors(shop.steps[kLogin], loggedIn, values);

    rendered = render(shop.steps[kList].headers.front().second, values);
    QVERIFY2(rendered.ok, qPrintable(rendered.missing));
    QCOMPARE(rendered.text, QStringLiteral("Bearer t-1"));
    ResponseView listed;
    listed.status = 200;
    listed.body = "{\"items\":[{\"id\":7},{\"id\":8}]}";
    applyExtractors(shop.steps[kList], listed, values);

    rendered = render(shop.steps[kItem].url, values);
    QVERIFY2(rendered.ok, qPrintable(rendered.missing));
    QCOMPARE(rendered.text, QStringLiteral("http://127.0.0.1:8080/items/7"));

    // The next iteration starts without the extracted id: the item step cannot render until the list
    // step of that iteration has extracted it again.
    program.startIteration(values);
    program.applyFeederRow(values, 0, 0);
    rendered = render(shop.steps[kItem].url, values);
    QVERIFY2(!rendered.ok, qPrintable(rendered.text));
    QCOMPARE(rendered.missing, QStringLiteral("id"));
}

void TestScenarioProgram::rejects_data()
{
    QTest::addColumn<int>("index");
    const std::vector<Case>& cases = rejectedCases();
    for (size_t i = 0; i < cases.size(); ++i) {
        QTest::newRow(cases[i].name) << static_cast<int>(i);
    }
}

void TestScenarioProgram::rejects()
{
    QFETCH(int, index);
    const Case& rejected = rejectedCases().at(static_cast<size_t>(index));
    Workload workload = shopWorkload();
    std::vector<CsvTable> tables = shopTables();
    rejected.change(workload, tables);

    const Compiled compiled = compileWorkload(workload, std::move(tables));
    QVERIFY2(!compiled.program.has_value(), "compiled, but should not have");
    const QString error = toQString(compiled.error);
    for (const QString& part : rejected.expected) {
        QVERIFY2(error.contains(part), qPrintable(QStringLiteral("'%1' is not in: %2").arg(part, error)));
    }
}

void TestScenarioProgram::accepts_data()
{
    QTest::addColumn<int>("index");
    const std::vector<Accepted>& cases = acceptedCases();
    for (size_t i = 0; i < cases.size(); ++i) {
        QTest::newRow(cases[i].name) << static_cast<int>(i);
    }
}

void TestScenarioProgram::accepts()
{
    QFETCH(int, index);
    const Accepted& accepted = acceptedCases().at(static_cast<size_t>(index));
    Workload workload = shopWorkload();
    std::vector<CsvTable> tables = shopTables();
    accepted.change(workload, tables);

    const ScenarioProgram::UrlValidator validator = accepted.withEngineValidator
                                                        ? ScenarioProgram::UrlValidator(validateWithEngine)
                                                        : ScenarioProgram::UrlValidator();
    const Compiled compiled = compileWorkload(workload, std::move(tables), validator);
    QVERIFY2(compiled.program.has_value(), compiled.error.c_str());
    QCOMPARE(compiled.program->scenarios().front().steps.size(), size_t(3));
}

void TestScenarioProgram::startIterationSetsConstantsAndUnsetsTheRest()
{
    const Compiled compiled = compileWorkload(shopWorkload(), shopTables());
    QVERIFY2(compiled.program.has_value(), compiled.error.c_str());
    const ScenarioProgram& program = *compiled.program;
    const VariableIndex& variables = program.variables();

    VariableValues values(variables);
    QCOMPARE(values.size(), variables.size());
    values.set(variables.indexOf("token"), "stale");
    values.set(variables.indexOf("user"), "ann");
    values.set(variables.indexOf("base"), "http://changed/");

    program.startIteration(values);
    QVERIFY(!values.isSet(variables.indexOf("token")));
    QVERIFY(!values.isSet(variables.indexOf("user")));
    QVERIFY(!values.isSet(variables.indexOf("id")));
    QVERIFY(values.isSet(variables.indexOf("base")));
    QCOMPARE(toQString(values.get(variables.indexOf("base"))), QStringLiteral("http://127.0.0.1:8080"));
    QCOMPARE(toQString(values.get(variables.indexOf("agent"))), QStringLiteral("benchdeck-test"));
}

void TestScenarioProgram::applyFeederRowSetsThatRowsColumns()
{
    const Compiled compiled = compileWorkload(shopWorkload(), shopTables());
    QVERIFY2(compiled.program.has_value(), compiled.error.c_str());
    const ScenarioProgram& program = *compiled.program;
    const int user = program.variables().indexOf("user");
    const int password = program.variables().indexOf("password");

    VariableValues values(program.variables());
    program.startIteration(values);
    QVERIFY(!values.isSet(user));

    program.applyFeederRow(values, 0, 0);
    QCOMPARE(toQString(values.get(user)), QStringLiteral("ann"));
    QCOMPARE(toQString(values.get(password)), QStringLiteral("a-secret"));

    program.applyFeederRow(values, 0, 1);
    QCOMPARE(toQString(values.get(user)), QStringLiteral("bob"));
    QCOMPARE(toQString(values.get(password)), QStringLiteral("b-secret"));
    QVERIFY(!values.isSet(program.variables().indexOf("token")));
}

void TestScenarioProgram::weightsFollowTheScenarios()
{
    Workload workload = shopWorkload();
    workload.scenarios.front().weight = 3;
    Scenario browse;
    browse.name = "browse";
    browse.weight = 0.5;
    browse.steps = {step("home", "GET", "{{base}}/")};
    workload.scenarios.push_back(browse);

    const Compiled compiled = compileWorkload(workload, shopTables());
    QVERIFY2(compiled.program.has_value(), compiled.error.c_str());
    const ScenarioProgram& program = *compiled.program;
    QCOMPARE(program.scenarios().size(), size_t(2));
    QCOMPARE(toQString(program.scenarios()[1].name), QStringLiteral("browse"));
    const std::vector<double> weights = program.weights();
    QCOMPARE(weights.size(), size_t(2));
    QCOMPARE(weights[0], 3.0);
    QCOMPARE(weights[1], 0.5);

    std::string error;
    std::optional<WeightedMix> mix = WeightedMix::create(weights, &error);
    QVERIFY2(mix.has_value(), error.c_str());
    QCOMPARE(mix->size(), size_t(2));
    QVERIFY(qAbs(mix->share(0) - 3.0 / 3.5) < 1e-5);
}

QTEST_APPLESS_MAIN(TestScenarioProgram)
#include "tst_scenario_program.moc"
