// SPDX-License-Identifier: Apache-2.0
// Reading a scenario file: every problem named by its place, unknown keys refused.
#include "scenario_codec.h"
#include "scenario_text.h"

#include "engine/duration.h"
#include "scenario/request_template.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QString>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace benchdeck::plan {
namespace {

using namespace scenario_text;

// ---------------------------------------------------------------------------------------------------
// Reading. Every reader stops at the first problem and names its place, as a compiler would: one
// clear message beats a list whose later entries follow from the first.

bool fail(std::string* error, const std::string& where, const std::string& why)
{
    if (error) {
        *error = concat({where, ": ", why});
    }
    return false;
}

// "scenarios[1].steps[0]"
std::string element(const std::string& list, qsizetype index)
{
    return concat({list, "[", std::to_string(index), "]"});
}

bool has(const QJsonObject& json, const char* key)
{
    return json.contains(QLatin1String(key));
}

QJsonValue field(const QJsonObject& json, const char* key)
{
    return json.value(QLatin1String(key));
}

// Edits (insert, delete, replace) between two keys, without regard to case: small for typos.
size_t editDistance(const QString& a, const QString& b)
{
    const QString x = a.toLower();
    const QString y = b.toLower();
    std::vector<size_t> row(size_t(y.size()) + 1);
    for (size_t j = 0; j < row.size(); ++j) {
        row[j] = j;
    }
    for (qsizetype i = 1; i <= x.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = size_t(i);
        for (qsizetype j = 1; j <= y.size(); ++j) {
            const size_t above = row[size_t(j)];
            row[size_t(j)] =
                std::min({above + 1, row[size_t(j - 1)] + 1, diagonal + size_t(x[i - 1] == y[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row.back();
}

// Unknown keys are refused: a misspelt "hedaers" would otherwise send requests without headers.
bool onlyKnownKeys(const QJsonObject& json, std::initializer_list<const char*> known, const std::string& where,
                   std::string* error)
{
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        const QString& key = it.key();
        if (std::any_of(known.begin(), known.end(), [&](const char* name) { return key == QLatin1String(name); })) {
            continue;
        }
        std::string why = concat({"unknown key ", quoted(key)});
        for (const char* name : known) {
            const QString candidate = QString::fromLatin1(name);
            if (editDistance(key, candidate) <= std::min<size_t>(2, size_t(candidate.size()) / 2)) {
                why.append(concat({" (did you mean ", quoted(name), "?)"}));
                break;
            }
        }
        return fail(error, where, why);
    }
    return true;
}

// The key's non-empty text. Absent counts as missing: callers check optional keys with has() first.
bool readText(const QJsonObject& json, const char* key, const std::string& where, std::string& out, std::string* error)
{
    const QJsonValue value = field(json, key);
    if (value.isUndefined()) {
        return fail(error, where, concat({quoted(key), " is missing"}));
    }
    if (!value.isString()) {
        return fail(error, where, concat({quoted(key), " must be text"}));
    }
    if (value.toString().isEmpty()) {
        return fail(error, where, concat({quoted(key), " must not be empty"}));
    }
    out = value.toString().toStdString();
    return true;
}

bool readObject(const QJsonValue& value, const std::string& where, const char* what, QJsonObject& out,
                std::string* error)
{
    if (!value.isObject()) {
        return fail(error, where, concat({what, " must be an object {...}"}));
    }
    out = value.toObject();
    return true;
}

enum class Empty { Refused, Allowed };

// A list; with Empty::Refused, of at least one entry.
bool readList(const QJsonObject& json, const char* key, const std::string& where, QJsonArray& out, std::string* error,
              Empty empty = Empty::Allowed)
{
    const QJsonValue value = field(json, key);
    if (!value.isArray() || (empty == Empty::Refused && value.toArray().isEmpty())) {
        const char* const need = empty == Empty::Refused ? " must be a list of at least one entry" : " must be a list";
        return fail(error, where, concat({quoted(key), need}));
    }
    out = value.toArray();
    return true;
}

// RFC 9110 token characters: what a header name may hold.
bool isHeaderName(const std::string& name)
{
    static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               kSymbols.find(c) != std::string_view::npos;
    });
}

bool readHeader(const std::string& name, const QJsonValue& value, const std::string& where, std::vector<Header>& out,
                std::string* error)
{
    if (!isHeaderName(name)) {
        return fail(error, where, concat({"header name ", quoted(name), " is not a valid HTTP header name"}));
    }
    if (!value.isString()) {
        return fail(error, where, concat({"header ", quoted(name), " must have text as its value"}));
    }
    const std::string text = value.toString().toStdString();
    if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        return fail(error, where, concat({"header ", quoted(name), " holds a line break"}));
    }
    out.push_back({name, text});
    return true;
}

// An object for the common case; a list of {"name", "value"} to send a header more than once.
bool readHeaders(const QJsonValue& value, const std::string& where, std::vector<Header>& out, std::string* error)
{
    if (value.isObject()) {
        const QJsonObject headers = value.toObject();
        for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
            const QJsonValue headerValue = it.value();
            if (!readHeader(it.key().toStdString(), headerValue, where, out, error)) {
                return false;
            }
        }
        return true;
    }
    if (!value.isArray()) {
        return fail(error, where,
                    "\"headers\" must be an object {\"Name\": \"value\"} or a list of {\"name\", \"value\"}");
    }
    const QJsonArray headers = value.toArray();
    for (qsizetype i = 0; i < headers.size(); ++i) {
        const std::string place = element(concat({where, ".headers"}), i);
        QJsonObject entry;
        std::string name;
        if (!readObject(headers.at(i), place, "a header", entry, error) ||
            !onlyKnownKeys(entry, {"name", "value"}, place, error) || !readText(entry, "name", place, name, error)) {
            return false;
        }
        if (!has(entry, "value")) {
            return fail(error, place, "\"value\" is missing");
        }
        if (!readHeader(name, field(entry, "value"), place, out, error)) {
            return false;
        }
    }
    return true;
}

bool isJsonPath(const std::string& expression)
{
    return !expression.empty() && (expression.front() == '/' || expression.front() == '$');
}

const char* const kJsonPathHelp = " must be a JSON pointer (\"/items/0/id\") or a path (\"$.items[0].id\")";

bool readExtractor(const QJsonValue& value, const std::string& where, Extractor& out, std::string* error)
{
    QJsonObject json;
    if (!readObject(value, where, "an extractor", json, error) ||
        !onlyKnownKeys(json, {"var", "json", "regex", "header", "status"}, where, error)) {
        return false;
    }
    const int sources =
        int(has(json, "json")) + int(has(json, "regex")) + int(has(json, "header")) + int(has(json, "status"));
    if (sources != 1) {
        return fail(error, where, "give exactly one of \"json\", \"regex\", \"header\", \"status\"");
    }
    if (!readText(json, "var", where, out.variable, error)) {
        return false;
    }
    if (!scenario::isVariableName(out.variable)) {
        return fail(error, where, concat({quoted(out.variable), " is not a variable name (letters, digits, _ . -; not a digit first)"}));
    }
    if (has(json, "status")) {
        out.from = ExtractFrom::Status;
        const QJsonValue flag = field(json, "status");
        if (!flag.isBool() || !flag.toBool()) {
            return fail(error, where, "\"status\" must be true");
        }
        return true;
    }
    if (has(json, "json")) {
        out.from = ExtractFrom::JsonPointer;
        if (!readText(json, "json", where, out.expression, error)) {
            return false;
        }
        return isJsonPath(out.expression) || fail(error, where, concat({"\"json\"", kJsonPathHelp}));
    }
    out.from = has(json, "regex") ? ExtractFrom::Regex : ExtractFrom::Header;
    return readText(json, has(json, "regex") ? "regex" : "header", where, out.expression, error);
}

bool readStatuses(const QJsonValue& value, const std::string& where, std::vector<int>& out, std::string* error)
{
    const QJsonArray list = value.toArray();
    if (!value.isArray() || list.isEmpty()) {
        return fail(error, where, "\"status\" must be a list of codes 100-599");
    }
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonValue code = list.at(i);
        const double number = code.toDouble(0);
        if (!code.isDouble() || number != std::floor(number) || number < 100 || number > 599) {
            return fail(error, where, "\"status\" must be a list of codes 100-599");
        }
        out.push_back(int(number));
    }
    return true;
}

bool readCheck(const QJsonValue& value, const std::string& where, Check& out, std::string* error)
{
    QJsonObject json;
    if (!readObject(value, where, "a check", json, error) ||
        !onlyKnownKeys(json, {"status", "body_contains", "json", "equals"}, where, error)) {
        return false;
    }
    const int kinds = int(has(json, "status")) + int(has(json, "body_contains")) + int(has(json, "json"));
    if (kinds != 1) {
        return fail(error, where, "give exactly one of \"status\", \"body_contains\", \"json\" (with \"equals\")");
    }
    if (has(json, "equals") != has(json, "json")) {
        return fail(error, where,
                    has(json, "json") ? "\"json\" needs \"equals\": the value expected there"
                                      : "\"equals\" goes with \"json\" only");
    }
    if (has(json, "status")) {
        out.kind = CheckKind::StatusIn;
        return readStatuses(field(json, "status"), where, out.statuses, error);
    }
    if (has(json, "body_contains")) {
        out.kind = CheckKind::BodyContains;
        return readText(json, "body_contains", where, out.text, error);
    }
    out.kind = CheckKind::JsonEquals;
    if (!readText(json, "json", where, out.pointer, error)) {
        return false;
    }
    if (!isJsonPath(out.pointer)) {
        return fail(error, where, concat({"\"json\"", kJsonPathHelp}));
    }
    out.expected = valueText(field(json, "equals")).toStdString();
    return true;
}

std::string trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

// "500ms" for a fixed pause, "1s-3s" for a uniform one; durations as on the command line.
bool readThink(const QJsonValue& value, const std::string& where, ThinkTime& out, std::string* error)
{
    if (!value.isString()) {
        return fail(error, where, "\"think\" must be text such as \"500ms\" or \"1s-3s\"");
    }
    const std::string text = value.toString().toStdString();
    const size_t dash = text.find('-', 1); // from 1: "-1s" is a negative duration, not a range
    const std::string low = trimmed(std::string_view(text).substr(0, dash));
    const std::string high = dash == std::string::npos ? low : trimmed(std::string_view(text).substr(dash + 1));
    std::string why;
    const auto min = engine::parseDuration(low, &why, true);
    std::optional<std::chrono::microseconds> max;
    if (min) {
        max = engine::parseDuration(high, &why, true);
    }
    if (!min || !max) {
        return fail(error, where, concat({"\"think\": ", why}));
    }
    if (*max < *min) {
        return fail(error, where, concat({"\"think\": the range ", quoted(text), " runs backwards"}));
    }
    out = {*min, *max};
    return true;
}

bool isMethodToken(const std::string& method)
{
    return !method.empty() && std::all_of(method.begin(), method.end(),
                                          [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

// A body written as JSON is kept as its compact text, so JSON APIs need no escaped quotes.
bool readBody(const QJsonValue& value, const std::string& where, std::string& out, std::string* error)
{
    if (value.isString()) {
        out = value.toString().toStdString();
        return true;
    }
    if (value.isObject() || value.isArray()) {
        out = valueText(value).toStdString();
        return true;
    }
    return fail(error, where, "\"body\" must be text, or a JSON object or list sent as compact JSON");
}

bool readStep(const QJsonValue& value, const std::string& where, Step& out, std::string* error)
{
    QJsonObject json;
    if (!readObject(value, where, "a step", json, error) ||
        !onlyKnownKeys(json, {"name", "method", "url", "headers", "body", "extract", "check", "think"}, where, error) ||
        !readText(json, "name", where, out.name, error) || !readText(json, "url", where, out.url, error)) {
        return false;
    }
    if (has(json, "method")) {
        if (!readText(json, "method", where, out.method, error)) {
            return false;
        }
        if (!isMethodToken(out.method)) {
            return fail(error, where,
                        concat({"\"method\" must be letters only, such as GET or POST, not ", quoted(out.method)}));
        }
        std::transform(out.method.begin(), out.method.end(), out.method.begin(),
                       [](char c) { return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c; });
    }
    if (has(json, "headers") && !readHeaders(field(json, "headers"), where, out.headers, error)) {
        return false;
    }
    if (has(json, "body") && !readBody(field(json, "body"), where, out.body, error)) {
        return false;
    }
    if (has(json, "extract")) {
        QJsonArray list;
        if (!readList(json, "extract", where, list, error)) {
            return false;
        }
        for (qsizetype i = 0; i < list.size(); ++i) {
            out.extractors.emplace_back();
            if (!readExtractor(list.at(i), element(concat({where, ".extract"}), i), out.extractors.back(), error)) {
                return false;
            }
        }
    }
    if (has(json, "check")) {
        QJsonArray list;
        if (!readList(json, "check", where, list, error)) {
            return false;
        }
        for (qsizetype i = 0; i < list.size(); ++i) {
            out.checks.emplace_back();
            if (!readCheck(list.at(i), element(concat({where, ".check"}), i), out.checks.back(), error)) {
                return false;
            }
        }
    }
    return !has(json, "think") || readThink(field(json, "think"), where, out.think, error);
}

// `owner` holds the "steps" key ("scenarios[0]", or "top level" for the one-scenario shorthand);
// `prefix` is how its steps are named in messages ("scenarios[0].steps", "steps").
bool readSteps(const QJsonObject& owner, const std::string& ownerPlace, const std::string& prefix,
               std::vector<Step>& out, std::string* error)
{
    QJsonArray list;
    if (!readList(owner, "steps", ownerPlace, list, error, Empty::Refused)) {
        return false;
    }
    std::map<std::string, qsizetype> firstUse; // names must be unique: reports and thresholds name steps by them
    for (qsizetype i = 0; i < list.size(); ++i) {
        const std::string place = element(prefix, i);
        Step step;
        if (!readStep(list.at(i), place, step, error)) {
            return false;
        }
        if (const auto [it, isNew] = firstUse.emplace(step.name, i); !isNew) {
            return fail(
                error, place,
                concat({"step name ", quoted(step.name), " is used twice (also ", element("steps", it->second), ")"}));
        }
        out.push_back(std::move(step));
    }
    return true;
}

bool readScenarios(const QJsonObject& root, std::vector<Scenario>& out, std::string* error)
{
    QJsonArray list;
    if (!readList(root, "scenarios", "top level", list, error, Empty::Refused)) {
        return false;
    }
    std::map<std::string, qsizetype> firstUse;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const std::string place = element("scenarios", i);
        QJsonObject json;
        Scenario scenario;
        if (!readObject(list.at(i), place, "a scenario", json, error) ||
            !onlyKnownKeys(json, {"name", "weight", "steps"}, place, error) ||
            !readText(json, "name", place, scenario.name, error)) {
            return false;
        }
        if (has(json, "weight")) {
            const QJsonValue weight = field(json, "weight");
            scenario.weight = weight.toDouble(0);
            if (!weight.isDouble() || !std::isfinite(scenario.weight) || scenario.weight <= 0) {
                return fail(error, place, "\"weight\" must be a number greater than 0");
            }
        }
        if (!readSteps(json, place, concat({place, ".steps"}), scenario.steps, error)) {
            return false;
        }
        if (const auto [it, isNew] = firstUse.emplace(scenario.name, i); !isNew) {
            return fail(error, place,
                        concat({"scenario name ", quoted(scenario.name), " is used twice (also ",
                                element("scenarios", it->second), ")"}));
        }
        out.push_back(std::move(scenario));
    }
    return true;
}

bool readFeeders(const QJsonObject& root, std::vector<Feeder>& out, std::string* error)
{
    QJsonArray list;
    if (!readList(root, "data", "top level", list, error)) {
        return false;
    }
    std::map<std::string, qsizetype> firstUse; // `--data name=FILE.csv` picks a feeder by name
    for (qsizetype i = 0; i < list.size(); ++i) {
        const std::string place = element("data", i);
        QJsonObject json;
        Feeder feeder;
        if (!readObject(list.at(i), place, "a data feeder", json, error) ||
            !onlyKnownKeys(json, {"name", "file", "mode"}, place, error) ||
            !readText(json, "name", place, feeder.name, error) || !readText(json, "file", place, feeder.file, error)) {
            return false;
        }
        if (has(json, "mode")) {
            std::string mode;
            if (!readText(json, "mode", place, mode, error)) {
                return false;
            }
            if (mode == "sequential" || mode == "random" || mode == "unique") {
                feeder.mode = mode == "sequential" ? FeederMode::Sequential
                              : mode == "random"   ? FeederMode::Random
                                                   : FeederMode::Unique;
            } else {
                return fail(error, place,
                            concat({"\"mode\" must be \"sequential\", \"random\" or \"unique\", not ", quoted(mode)}));
            }
        }
        if (const auto [it, isNew] = firstUse.emplace(feeder.name, i); !isNew) {
            return fail(
                error, place,
                concat({"data name ", quoted(feeder.name), " is used twice (also ", element("data", it->second), ")"}));
        }
        out.push_back(std::move(feeder));
    }
    return true;
}

bool readVariables(const QJsonValue& value, std::vector<std::pair<std::string, std::string>>& out, std::string* error)
{
    QJsonObject json;
    if (!readObject(value, "top level", "\"variables\"", json, error)) {
        return false;
    }
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        const QJsonValue text = it.value();
        if (it.key().isEmpty()) {
            return fail(error, "variables", "a variable needs a name");
        }
        if (!scenario::isVariableName(it.key().toStdString())) {
            return fail(error, "variables",
                        concat({quoted(it.key()), " is not a variable name (letters, digits, _ . -; not a digit first)"}));
        }
        if (!text.isString()) {
            return fail(error, "variables", concat({quoted(it.key()), " must be text"}));
        }
        out.emplace_back(it.key().toStdString(), text.toString().toStdString());
    }
    return true;
}

// The version is checked before anything else: a newer file may hold keys this one does not know,
// and "written by a newer Benchdeck" is the useful thing to say then, not "unknown key".
bool isReadableFormat(const QJsonObject& json, std::string* error)
{
    const QJsonValue value = field(json, "benchdeck_scenario");
    const double format = value.toDouble(0);
    if (!value.isDouble() || format < 1 || format != std::floor(format) || format > 1e9) {
        if (error) {
            *error = "not a Benchdeck scenario file (no \"benchdeck_scenario\": 1)";
        }
        return false;
    }
    if (format > kScenarioFormat) {
        if (error) {
            *error = concat({"written by a newer Benchdeck (scenario format ", std::to_string(int64_t(format)),
                             "; this one reads ", std::to_string(kScenarioFormat), ")"});
        }
        return false;
    }
    return true;
}

// "line 3, column 26", 1-based, columns in characters. Qt's parser has already consumed the character
// it stopped at (except for garbage after the end), so its offset points just past the culprit.
std::string positionOf(const QByteArray& text, const QJsonParseError& parseError)
{
    qsizetype at = std::clamp<qsizetype>(parseError.offset, 0, text.size());
    if (parseError.error != QJsonParseError::GarbageAtEnd && at > 0) {
        --at;
    }
    while (at > 0 && at < text.size() && (uchar(text.at(at)) & 0xC0) == 0x80) {
        --at; // back to the first byte of a UTF-8 character
    }
    int line = 1;
    qsizetype lineStart = text.startsWith("\xEF\xBB\xBF") ? 3 : 0; // a BOM is no column
    for (qsizetype i = 0; i < at; ++i) {
        if (text.at(i) == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    qsizetype column = 1;
    for (qsizetype i = lineStart; i < at; ++i) {
        column += (uchar(text.at(i)) & 0xC0) != 0x80 ? 1 : 0;
    }
    return concat({"line ", std::to_string(line), ", column ", std::to_string(column)});
}

} // namespace

std::optional<Workload> workloadFromJson(const QJsonObject& json, std::string* error)
{
    if (!isReadableFormat(json, error)) {
        return std::nullopt;
    }
    const std::string top = "top level";
    if (!onlyKnownKeys(json, {"benchdeck_scenario", "variables", "data", "scenarios", "steps"}, top, error)) {
        return std::nullopt;
    }
    Workload workload;
    if (has(json, "variables") && !readVariables(field(json, "variables"), workload.variables, error)) {
        return std::nullopt;
    }
    if (has(json, "data") && !readFeeders(json, workload.feeders, error)) {
        return std::nullopt;
    }
    const bool shorthand = has(json, "steps");
    if (shorthand == has(json, "scenarios")) {
        fail(error, top,
             shorthand ? "give \"scenarios\" or \"steps\", not both"
                       : "no \"scenarios\" (or \"steps\" for a single scenario)");
        return std::nullopt;
    }
    if (shorthand) {
        Scenario single;
        single.name = std::string("main"); // not `= "main"`: GCC 12 -Wrestrict misfires on short literals
        single.weight = 1;
        if (!readSteps(json, top, "steps", single.steps, error)) {
            return std::nullopt;
        }
        workload.scenarios.push_back(std::move(single));
    } else if (!readScenarios(json, workload.scenarios, error)) {
        return std::nullopt;
    }
    return workload;
}

std::optional<Workload> parseScenarioText(const QByteArray& text, std::string* error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error) {
            *error = concat(
                {"JSON syntax error at ", positionOf(text, parseError), ": ", parseError.errorString().toStdString()});
        }
        return std::nullopt;
    }
    if (!document.isObject()) {
        if (error) {
            *error = "not a Benchdeck scenario file (no \"benchdeck_scenario\": 1)";
        }
        return std::nullopt;
    }
    return workloadFromJson(document.object(), error);
}

} // namespace benchdeck::plan
