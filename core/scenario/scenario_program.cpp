// SPDX-License-Identifier: Apache-2.0
#include "scenario_program.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <set>

namespace benchdeck::scenario {
namespace {

constexpr std::string_view kNotAName = " is not a variable name (letters, digits, _ . -; not a digit first)";

// Messages are built by append: GCC 12 misreads operator+ chains on std::string (-Wrestrict).
std::string concat(std::initializer_list<std::string_view> parts)
{
    std::string joined;
    for (const std::string_view part : parts) {
        joined.append(part);
    }
    return joined;
}

std::string quoted(std::string_view text)
{
    return concat({"\"", text, "\""});
}

std::string placeholder(std::string_view name)
{
    return concat({"{{", name, "}}"});
}

bool isAsciiLetter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// RFC 9110 token characters: what a header name may hold. Anything else (a space, ':', a line break)
// would change what the request says rather than name a header.
bool isTokenCharacter(char c)
{
    return isAsciiLetter(c) || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isHeaderName(std::string_view name)
{
    return !name.empty() && std::all_of(name.begin(), name.end(), isTokenCharacter);
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
               return lower(a) == lower(b);
           });
}

// Whether a URL template can render to an absolute http(s) URL: its literal text before the first
// placeholder starts with the scheme, or it starts with a variable ("{{base}}/items") that will hold
// scheme and host. The engine checks the rendered URL of the second kind on every request; a
// built-in first ({{$uuid}}) can never render a scheme. Placeholders are found as RequestTemplate
// finds them: in a run of braces the last two open one.
bool urlCanStartWithScheme(std::string_view text)
{
    size_t open = text.find("{{");
    if (open == std::string_view::npos) {
        open = text.size();
    } else {
        while (open + 2 < text.size() && text[open + 2] == '{') {
            ++open;
        }
    }
    const std::string_view literal = text.substr(0, open);
    if (startsWithIgnoringCase(literal, "http://") || startsWithIgnoringCase(literal, "https://")) {
        return true;
    }
    if (!literal.empty() || open == text.size()) {
        return false;
    }
    const size_t nameStart = text.find_first_not_of(" \t\r\n", open + 2);
    return nameStart != std::string_view::npos && text[nameStart] != '$';
}

// What may set a variable at a given step, and what to tell the user when nothing does.
class VariableSources {
public:
    // A constant or a data column: set at the start of every iteration, so there for every step.
    // Defined twice, a template could not say which of the two it means: an error.
    bool addIterationSource(const std::string& name, std::string description, std::string& error)
    {
        const auto [existing, isNew] = iterationSources_.emplace(name, description);
        if (!isNew) {
            error = concat({"variable ", quoted(name), " is defined twice, as ", existing->second, " and as ",
                            description, ": ", placeholder(name), " could mean either"});
        }
        return isNew;
    }

    // Extractors of another scenario set nothing for this one: a user runs one scenario per iteration.
    void startScenario(const Scenario& scenario)
    {
        scenario_ = &scenario;
        extracted_.clear();
    }

    // Called once a step's templates are checked: its extractors set values only after its response,
    // so they count from the next step on.
    void addExtracted(const std::string& name) { extracted_.insert(name); }

    // Empty when `name` has a value by the time step `stepIndex` renders; otherwise what to append to
    // "scenario ..., step ..., url" to say why not.
    std::string missingSource(std::string_view name, size_t stepIndex) const
    {
        if (iterationSources_.find(name) != iterationSources_.end() || extracted_.find(name) != extracted_.end()) {
            return {};
        }
        const std::vector<Step>& steps = scenario_->steps;
        for (size_t later = stepIndex; later < steps.size(); ++later) {
            const auto& extractors = steps[later].extractors;
            const bool extractsIt = std::any_of(extractors.begin(), extractors.end(),
                                                [&](const Extractor& extractor) { return extractor.variable == name; });
            if (!extractsIt) {
                continue;
            }
            const std::string by = later == stepIndex
                                       ? std::string("this same step, from its own response")
                                       : concat({"step ", quoted(steps[later].name), ", which runs later"});
            return concat({": ", placeholder(name), " is used before it is extracted (by ", by, ")"});
        }
        return concat(
            {" uses ", placeholder(name), ", which no constant, data column or earlier step's extractor sets"});
    }

private:
    std::map<std::string, std::string, std::less<>> iterationSources_; // name -> "a constant", ...
    std::set<std::string, std::less<>> extracted_;
    const Scenario* scenario_ = nullptr;
};

struct StepContext {
    std::string place; // scenario "shop", step "item"
    size_t index = 0;
    VariableIndex& variables;
    const VariableSources& sources;
};

// One template of a step, compiled, with a source for every variable it uses.
std::optional<RequestTemplate> compileStepTemplate(std::string_view text, std::string_view part, StepContext& step,
                                                   std::string& error)
{
    std::string templateError;
    std::optional<RequestTemplate> compiled = RequestTemplate::compile(text, step.variables, &templateError);
    if (!compiled) {
        error = concat({step.place, ", ", part, ": ", templateError});
        return std::nullopt;
    }
    for (const int used : compiled->variablesUsed()) {
        const std::string missing = step.sources.missingSource(step.variables.name(used), step.index);
        if (!missing.empty()) {
            error = concat({step.place, ", ", part, missing});
            return std::nullopt;
        }
    }
    return compiled;
}

bool compileUrl(const Step& step, const ScenarioProgram::UrlValidator& validateUrl, StepContext& context,
                CompiledStep& out, std::string& error)
{
    std::optional<RequestTemplate> url = compileStepTemplate(step.url, "url", context, error);
    if (!url) {
        return false;
    }
    if (!urlCanStartWithScheme(step.url)) {
        error = concat({context.place, ", url must start with http:// or https://, or with a variable that holds them",
                        " (\"{{base}}/items\"): ", quoted(step.url)});
        return false;
    }
    std::string urlError;
    if (url->isConstant() && validateUrl && !validateUrl(step.url, &urlError)) {
        error = concat({context.place, ", url: ", urlError});
        return false;
    }
    out.url = std::move(*url);
    return true;
}

bool compileHeaders(const Step& step, StepContext& context, CompiledStep& out, std::string& error)
{
    for (const Header& header : step.headers) {
        const std::string part = concat({"header ", quoted(header.name)});
        if (!isHeaderName(header.name)) {
            error = concat({context.place, ", ", part, ": not a header name (letters, digits and !#$%&'*+-.^_`|~)"});
            return false;
        }
        // A line break in the written value would start a header of its own. Values from variables
        // are the engine's to check when it renders them.
        if (header.value.find_first_of("\r\n") != std::string::npos) {
            error = concat({context.place, ", ", part, ": the value holds a line break"});
            return false;
        }
        std::optional<RequestTemplate> value = compileStepTemplate(header.value, part, context, error);
        if (!value) {
            return false;
        }
        out.headers.emplace_back(header.name, std::move(*value));
    }
    return true;
}

bool compileRules(const Step& step, StepContext& context, CompiledStep& out, std::string& error)
{
    for (size_t i = 0; i < step.extractors.size(); ++i) {
        const Extractor& extractor = step.extractors[i];
        const std::string part = concat({"extract[", std::to_string(i), "]"});
        if (!isVariableName(extractor.variable)) {
            error = concat({context.place, ", ", part, ": ", quoted(extractor.variable), kNotAName});
            return false;
        }
        std::string ruleError;
        std::optional<CompiledExtractor> compiled = CompiledExtractor::compile(extractor, &ruleError);
        if (!compiled) {
            error = concat({context.place, ", ", part, ": ", ruleError});
            return false;
        }
        out.extractors.push_back(std::move(*compiled));
        out.extractorVariables.push_back(context.variables.add(extractor.variable));
    }
    for (size_t i = 0; i < step.checks.size(); ++i) {
        std::string ruleError;
        std::optional<CompiledCheck> compiled = CompiledCheck::compile(step.checks[i], &ruleError);
        if (!compiled) {
            error = concat({context.place, ", check[", std::to_string(i), "]: ", ruleError});
            return false;
        }
        out.checks.push_back(std::move(*compiled));
    }
    return true;
}

bool compileStep(const Scenario& scenario, size_t index, VariableIndex& variables, const VariableSources& sources,
                 const ScenarioProgram::UrlValidator& validateUrl, CompiledStep& out, std::string& error)
{
    const Step& step = scenario.steps[index];
    StepContext context{concat({"scenario ", quoted(scenario.name), ", step ", quoted(step.name)}), index, variables,
                        sources};
    // Sent as written: a method is a token, and letters are all any real one uses.
    if (step.method.empty() || !std::all_of(step.method.begin(), step.method.end(), isAsciiLetter)) {
        error = concat({context.place, ", method ", quoted(step.method), " is not a method: letters only, as in GET"});
        return false;
    }
    if (step.think.min.count() < 0 || step.think.max < step.think.min) {
        error = concat({context.place, ", think: the pause needs 0 <= shortest <= longest"});
        return false;
    }
    out.name = step.name;
    out.method = step.method;
    out.think = step.think;
    if (!compileUrl(step, validateUrl, context, out, error) || !compileHeaders(step, context, out, error)) {
        return false;
    }
    std::optional<RequestTemplate> body = compileStepTemplate(step.body, "body", context, error);
    if (!body) {
        return false;
    }
    out.body = std::move(*body);
    return compileRules(step, context, out, error);
}

// Rows as wide as the header, and at least one: an iteration always finds a value for every column.
// parseCsv() guarantees the width; tables may come from elsewhere.
bool checkTable(const Feeder& feeder, const CsvTable& table, std::string& error)
{
    const std::string place = concat({"data ", quoted(feeder.name)});
    if (table.columns.empty()) {
        error = concat({place, " has no columns"});
        return false;
    }
    if (table.rows.empty()) {
        error = concat({place, " has no rows"});
        return false;
    }
    for (size_t row = 0; row < table.rows.size(); ++row) {
        if (table.rows[row].size() != table.columns.size()) {
            error = concat({place, ", row ", std::to_string(row + 1), ": ", std::to_string(table.rows[row].size()),
                            " fields, the header has ", std::to_string(table.columns.size())});
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<ScenarioProgram> ScenarioProgram::compile(const Workload& workload, std::vector<CsvTable> feederTables,
                                                        const UrlValidator& validateUrl, std::string* error)
{
    std::string message;
    auto fail = [&]() -> std::optional<ScenarioProgram> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };

    if (workload.scenarios.empty()) {
        message = "the workload has no scenarios";
        return fail();
    }
    if (feederTables.size() != workload.feeders.size()) {
        message = concat({"data feeders: ", std::to_string(workload.feeders.size()), " in the workload, ",
                          std::to_string(feederTables.size()), " tables loaded"});
        return fail();
    }

    ScenarioProgram program;
    VariableSources sources;
    for (const auto& [name, value] : workload.variables) {
        if (!isVariableName(name)) {
            message = concat({"variable ", quoted(name), kNotAName});
            return fail();
        }
        if (!sources.addIterationSource(name, "a constant", message)) {
            return fail();
        }
        program.constants_.emplace_back(program.variables_.add(name), value);
    }
    for (size_t i = 0; i < workload.feeders.size(); ++i) {
        const Feeder& feeder = workload.feeders[i];
        LoadedFeeder loaded;
        loaded.name = feeder.name;
        loaded.mode = feeder.mode;
        loaded.table = std::move(feederTables[i]);
        if (!checkTable(feeder, loaded.table, message)) {
            return fail();
        }
        for (const std::string& column : loaded.table.columns) {
            if (!isVariableName(column)) {
                message = concat({"data ", quoted(feeder.name), ", column ", quoted(column), kNotAName});
                return fail();
            }
            if (!sources.addIterationSource(column, concat({"a column of data ", quoted(feeder.name)}), message)) {
                return fail();
            }
            loaded.columnVariables.push_back(program.variables_.add(column));
        }
        program.feeders_.push_back(std::move(loaded));
    }

    for (const Scenario& scenario : workload.scenarios) {
        if (!std::isfinite(scenario.weight) || scenario.weight <= 0) {
            message = concat({"scenario ", quoted(scenario.name), ": the weight must be a number greater than 0"});
            return fail();
        }
        if (scenario.steps.empty()) {
            message = concat({"scenario ", quoted(scenario.name), " has no steps"});
            return fail();
        }
        sources.startScenario(scenario);
        CompiledScenario compiled;
        compiled.name = scenario.name;
        for (size_t i = 0; i < scenario.steps.size(); ++i) {
            CompiledStep step;
            if (!compileStep(scenario, i, program.variables_, sources, validateUrl, step, message)) {
                return fail();
            }
            for (const Extractor& extractor : scenario.steps[i].extractors) {
                sources.addExtracted(extractor.variable);
            }
            compiled.steps.push_back(std::move(step));
        }
        program.scenarios_.push_back(std::move(compiled));
        program.weights_.push_back(scenario.weight);
    }
    return program;
}

void ScenarioProgram::startIteration(VariableValues& values) const
{
    values.clearAll();
    for (const auto& [index, value] : constants_) {
        values.set(index, value);
    }
}

void ScenarioProgram::applyFeederRow(VariableValues& values, size_t feeder, size_t row) const
{
    const LoadedFeeder& loaded = feeders_[feeder];
    const std::vector<std::string>& cells = loaded.table.rows[row];
    for (size_t column = 0; column < loaded.columnVariables.size(); ++column) {
        values.set(loaded.columnVariables[column], cells[column]);
    }
}

} // namespace benchdeck::scenario
