// SPDX-License-Identifier: Apache-2.0
// Writing a workload as a scenario file: keys in reading order, small entries on one line.
#include "scenario_codec.h"
#include "scenario_text.h"

#include "engine/duration.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QString>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace benchdeck::plan {
namespace {

using namespace scenario_text;

// ---------------------------------------------------------------------------------------------------
// Writing. The workload is first built as a tree whose objects keep their keys in the order added;
// the same tree becomes the QJsonObject (toJson) and the file's text (scenarioText), so the two can
// never disagree on what they hold.

struct Ordered {
    enum class Kind { Value, Object, Array };
    Kind kind = Kind::Value;
    QJsonValue value;           // Kind::Value
    std::vector<QString> keys;  // Kind::Object: keys[i] names items[i]
    std::vector<Ordered> items; // Kind::Object and Kind::Array
};

Ordered leaf(QJsonValue value)
{
    Ordered node;
    node.value = std::move(value);
    return node;
}

Ordered container(Ordered::Kind kind)
{
    Ordered node;
    node.kind = kind;
    return node;
}

void add(Ordered& object, const QString& key, Ordered value)
{
    object.keys.push_back(key);
    object.items.push_back(std::move(value));
}

void add(Ordered& object, const char* key, Ordered value)
{
    add(object, QString::fromLatin1(key), std::move(value));
}

// A JSON value as a tree, so that a nested expected value is laid out like the rest of the file.
Ordered fromValue(const QJsonValue& value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        Ordered node = container(Ordered::Kind::Object);
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            add(node, it.key(), fromValue(QJsonValue(it.value())));
        }
        return node;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        Ordered node = container(Ordered::Kind::Array);
        for (qsizetype i = 0; i < array.size(); ++i) {
            node.items.push_back(fromValue(array.at(i)));
        }
        return node;
    }
    return leaf(value);
}

QJsonValue toValue(const Ordered& node)
{
    switch (node.kind) {
    case Ordered::Kind::Value: return node.value;
    case Ordered::Kind::Object: {
        QJsonObject object;
        for (size_t i = 0; i < node.items.size(); ++i) {
            object.insert(node.keys[i], toValue(node.items[i]));
        }
        return object;
    }
    case Ordered::Kind::Array: {
        QJsonArray array;
        for (const auto& item : node.items) {
            array.append(toValue(item));
        }
        return array;
    }
    }
    return {};
}

constexpr qsizetype kLineWidth = 100;
constexpr int kIndent = 2;

// 0 for a plain value, 1 for a container of plain values, and so on.
int nesting(const Ordered& node)
{
    int deepest = 0;
    for (const auto& item : node.items) {
        deepest = std::max(deepest, nesting(item));
    }
    return node.kind == Ordered::Kind::Value ? 0 : deepest + 1;
}

QByteArray oneLine(const Ordered& node)
{
    if (node.kind == Ordered::Kind::Value) {
        return valueText(node.value);
    }
    const bool object = node.kind == Ordered::Kind::Object;
    QByteArray line = object ? "{" : "[";
    for (size_t i = 0; i < node.items.size(); ++i) {
        line += i > 0 ? ", " : "";
        if (object) {
            line += valueText(node.keys[i]) + ": ";
        }
        line += oneLine(node.items[i]);
    }
    line += object ? "}" : "]";
    return line;
}

// `{"var": "token", "json": "/token"}` and `{"status": [200, 201]}` are written on one line when they
// fit: an extractor or a check reads best whole, and changes as one line in a diff. Anything nested
// deeper (a step, a list of checks) gets a line per entry. `column` is where the value starts.
void write(const Ordered& node, int depth, qsizetype column, QByteArray& out)
{
    if (node.kind == Ordered::Kind::Value || node.items.empty() ||
        (nesting(node) <= 2 && column + oneLine(node).size() < kLineWidth)) {
        out += oneLine(node);
        return;
    }
    const bool object = node.kind == Ordered::Kind::Object;
    const QByteArray indent(kIndent * (depth + 1), ' ');
    out += object ? "{\n" : "[\n";
    for (size_t i = 0; i < node.items.size(); ++i) {
        out += indent;
        qsizetype at = indent.size();
        if (object) {
            const QByteArray key = valueText(node.keys[i]) + ": ";
            out += key;
            at += key.size();
        }
        write(node.items[i], depth + 1, at, out);
        out += i + 1 < node.items.size() ? ",\n" : "\n";
    }
    out += QByteArray(kIndent * depth, ' ');
    out += object ? "}" : "]";
}

// A JSON value kept as its text (a check's expected value) back as a value. Text that is not JSON
// (a workload built by hand) is written as the string it is rather than lost.
QJsonValue parsedValue(const std::string& text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + QByteArray::fromStdString(text) + "]", &error);
    if (error.error == QJsonParseError::NoError && document.isArray() && document.array().size() == 1) {
        return document.array().first();
    }
    return str(text);
}

std::string modeName(FeederMode mode)
{
    switch (mode) {
    case FeederMode::Sequential: return "sequential";
    case FeederMode::Random: return "random";
    case FeederMode::Unique: return "unique";
    }
    return "sequential";
}

std::string thinkText(const ThinkTime& think)
{
    const std::string min = engine::formatDuration(think.min);
    return think.min == think.max ? min : concat({min, "-", engine::formatDuration(think.max)});
}

// An object reads back in its keys' order, not the file's: it is used only when that is the order the
// headers have, so a workload survives the round trip exactly. Repeated names need the list anyway.
Ordered encodeHeaders(const std::vector<Header>& headers)
{
    QJsonObject byName;
    for (const auto& header : headers) {
        byName.insert(str(header.name), str(header.value));
    }
    bool objectKeepsThem = size_t(byName.size()) == headers.size();
    size_t i = 0;
    for (auto it = byName.constBegin(); objectKeepsThem && it != byName.constEnd(); ++it, ++i) {
        objectKeepsThem = it.key() == str(headers[i].name);
    }
    if (objectKeepsThem) {
        Ordered object = container(Ordered::Kind::Object);
        for (const auto& header : headers) {
            add(object, str(header.name), leaf(str(header.value)));
        }
        return object;
    }
    Ordered list = container(Ordered::Kind::Array);
    for (const auto& header : headers) {
        Ordered entry = container(Ordered::Kind::Object);
        add(entry, "name", leaf(str(header.name)));
        add(entry, "value", leaf(str(header.value)));
        list.items.push_back(std::move(entry));
    }
    return list;
}

Ordered encodeExtractor(const Extractor& extractor)
{
    Ordered entry = container(Ordered::Kind::Object);
    add(entry, "var", leaf(str(extractor.variable)));
    switch (extractor.from) {
    case ExtractFrom::JsonPointer: add(entry, "json", leaf(str(extractor.expression))); break;
    case ExtractFrom::Regex: add(entry, "regex", leaf(str(extractor.expression))); break;
    case ExtractFrom::Header: add(entry, "header", leaf(str(extractor.expression))); break;
    case ExtractFrom::Status: add(entry, "status", leaf(true)); break;
    }
    return entry;
}

Ordered encodeCheck(const Check& check)
{
    Ordered entry = container(Ordered::Kind::Object);
    switch (check.kind) {
    case CheckKind::StatusIn: {
        Ordered statuses = container(Ordered::Kind::Array);
        for (const int status : check.statuses) {
            statuses.items.push_back(leaf(status));
        }
        add(entry, "status", std::move(statuses));
        break;
    }
    case CheckKind::BodyContains: add(entry, "body_contains", leaf(str(check.text))); break;
    case CheckKind::JsonEquals:
        add(entry, "json", leaf(str(check.pointer)));
        add(entry, "equals", fromValue(parsedValue(check.expected)));
        break;
    }
    return entry;
}

// Keys at their defaults (no headers, no body, no pause) are left out, so a file says only what
// matters; the method is always written, since a reader should not have to know the default.
Ordered encodeStep(const Step& step)
{
    Ordered entry = container(Ordered::Kind::Object);
    add(entry, "name", leaf(str(step.name)));
    add(entry, "method", leaf(str(step.method)));
    add(entry, "url", leaf(str(step.url)));
    if (!step.headers.empty()) {
        add(entry, "headers", encodeHeaders(step.headers));
    }
    if (!step.body.empty()) {
        add(entry, "body", leaf(str(step.body)));
    }
    if (!step.extractors.empty()) {
        Ordered list = container(Ordered::Kind::Array);
        for (const auto& extractor : step.extractors) {
            list.items.push_back(encodeExtractor(extractor));
        }
        add(entry, "extract", std::move(list));
    }
    if (!step.checks.empty()) {
        Ordered list = container(Ordered::Kind::Array);
        for (const auto& check : step.checks) {
            list.items.push_back(encodeCheck(check));
        }
        add(entry, "check", std::move(list));
    }
    if (step.think.min.count() != 0 || step.think.max.count() != 0) {
        add(entry, "think", leaf(str(thinkText(step.think))));
    }
    return entry;
}

Ordered encodeWorkload(const Workload& workload)
{
    Ordered root = container(Ordered::Kind::Object);
    add(root, "benchdeck_scenario", leaf(kScenarioFormat));
    if (!workload.variables.empty()) {
        // Through a QJsonObject, so that a repeated name keeps its last value as a reader would.
        QJsonObject byName;
        for (const auto& [name, value] : workload.variables) {
            byName.insert(str(name), str(value));
        }
        Ordered variables = container(Ordered::Kind::Object);
        for (auto it = byName.constBegin(); it != byName.constEnd(); ++it) {
            add(variables, it.key(), leaf(QJsonValue(it.value())));
        }
        add(root, "variables", std::move(variables));
    }
    if (!workload.feeders.empty()) {
        Ordered data = container(Ordered::Kind::Array);
        for (const auto& feeder : workload.feeders) {
            Ordered entry = container(Ordered::Kind::Object);
            add(entry, "name", leaf(str(feeder.name)));
            add(entry, "file", leaf(str(feeder.file)));
            add(entry, "mode", leaf(str(modeName(feeder.mode))));
            data.items.push_back(std::move(entry));
        }
        add(root, "data", std::move(data));
    }
    Ordered scenarios = container(Ordered::Kind::Array);
    for (const auto& scenario : workload.scenarios) {
        Ordered entry = container(Ordered::Kind::Object);
        add(entry, "name", leaf(str(scenario.name)));
        add(entry, "weight", leaf(scenario.weight));
        Ordered steps = container(Ordered::Kind::Array);
        for (const auto& step : scenario.steps) {
            steps.items.push_back(encodeStep(step));
        }
        add(entry, "steps", std::move(steps));
        scenarios.items.push_back(std::move(entry));
    }
    add(root, "scenarios", std::move(scenarios));
    return root;
}

} // namespace

QJsonObject toJson(const Workload& workload)
{
    return toValue(encodeWorkload(workload)).toObject();
}

QByteArray scenarioText(const Workload& workload)
{
    QByteArray text;
    write(encodeWorkload(workload), 0, 0, text);
    text += '\n';
    return text;
}

} // namespace benchdeck::plan
