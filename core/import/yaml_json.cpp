// SPDX-License-Identifier: Apache-2.0
#include "yaml_json.h"

#include "import_support.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>
#include <yaml.h>

namespace benchdeck::importers {
namespace {

// Deeper than any real document nests. QJsonValue frees nested values recursively, so a hostile
// depth could overflow the stack when the result is destroyed.
constexpr size_t kMaxNesting = 512;

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

class YamlParser {
public:
    // `text` must outlive the parser: libyaml reads it in place.
    explicit YamlParser(const QByteArray& text)
        : ready_(yaml_parser_initialize(&parser_) != 0)
    {
        if (ready_) {
            yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.constData()),
                                         static_cast<size_t>(text.size()));
        }
    }
    ~YamlParser()
    {
        if (ready_) {
            yaml_parser_delete(&parser_);
        }
    }
    YamlParser(const YamlParser&) = delete;
    YamlParser& operator=(const YamlParser&) = delete;

    bool ready() const { return ready_; }
    yaml_parser_t* get() { return &parser_; }
    const yaml_parser_t& state() const { return parser_; }

private:
    yaml_parser_t parser_{}; // declared before ready_: initialised first, then handed to libyaml
    bool ready_ = false;
};

class YamlEvent {
public:
    YamlEvent() = default;
    ~YamlEvent() { clear(); }
    YamlEvent(const YamlEvent&) = delete;
    YamlEvent& operator=(const YamlEvent&) = delete;

    // False on a syntax error, which the parser then describes.
    bool next(YamlParser& parser)
    {
        clear();
        filled_ = yaml_parser_parse(parser.get(), &event_) != 0;
        return filled_;
    }
    const yaml_event_t& operator*() const { return event_; }
    const yaml_event_t* operator->() const { return &event_; }

private:
    void clear()
    {
        if (filled_) {
            yaml_event_delete(&event_);
            filled_ = false;
        }
    }

    yaml_event_t event_{};
    bool filled_ = false;
};

std::string position(const yaml_mark_t& mark)
{
    return concat({"line ", std::to_string(mark.line + 1), ", column ", std::to_string(mark.column + 1)});
}

std::string parserError(const yaml_parser_t& parser)
{
    const std::string problem = parser.problem ? parser.problem : "the text is not valid YAML";
    switch (parser.error) {
    case YAML_MEMORY_ERROR: return "out of memory while reading the YAML document";
    // The reader decodes bytes before there are lines: it knows only the offset.
    case YAML_READER_ERROR: return concat({"byte ", std::to_string(parser.problem_offset), ": ", problem});
    case YAML_SCANNER_ERROR:
    case YAML_PARSER_ERROR: return concat({position(parser.problem_mark), ": ", problem});
    default: return problem;
    }
}

std::string_view eventText(const yaml_char_t* characters)
{
    return characters ? std::string_view(reinterpret_cast<const char*>(characters)) : std::string_view();
}

QString qtText(std::string_view utf8)
{
    return QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isOctalDigit(char c)
{
    return c >= '0' && c <= '7';
}

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int digitValue(char c)
{
    if (isDigit(c)) {
        return c - '0';
    }
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10;
}

bool allDigits(std::string_view text, bool (*accepts)(char))
{
    return !text.empty() && std::all_of(text.begin(), text.end(), accepts);
}

// A float the core schema's pattern accepted (isCoreFloat), or a decimal integer past 64 bits. from_chars, not strtod:
// the result must not depend on the locale (a decimal comma would turn "1.5" into 1).
QJsonValue floatValue(std::string_view text)
{
    if (text.front() == '+') {
        text.remove_prefix(1); // from_chars takes no '+'
    }
    double value = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc::result_out_of_range) {
        const size_t exponent = text.find_first_of("eE");
        const bool tiny = exponent != std::string_view::npos && text.find('-', exponent) != std::string_view::npos;
        const double magnitude = tiny ? 0.0 : std::numeric_limits<double>::infinity();
        value = text.front() == '-' ? -magnitude : magnitude;
    }
    return QJsonValue(value);
}

// Digits already checked; an optional '-' in front for base 10. Past 64 bits the value is kept as a
// double, as JSON readers keep such numbers.
QJsonValue integerValue(std::string_view digits, int base)
{
    int64_t value = 0;
    const char* end = digits.data() + digits.size();
    const auto [stop, status] = std::from_chars(digits.data(), end, value, base);
    if (status == std::errc{} && stop == end) {
        return QJsonValue(static_cast<qint64>(value));
    }
    if (base == 10) {
        return floatValue(digits); // correctly rounded, as a JSON reader would
    }
    double approximate = 0;
    for (const char c : digits) {
        approximate = approximate * base + digitValue(c);
    }
    return QJsonValue(approximate);
}

// The core schema's float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool isCoreFloat(std::string_view text)
{
    size_t at = 0;
    const auto digitsFrom = [&]() {
        const size_t start = at;
        while (at < text.size() && isDigit(text[at])) {
            ++at;
        }
        return at - start;
    };
    if (at < text.size() && (text[at] == '-' || text[at] == '+')) {
        ++at;
    }
    size_t mantissaDigits = digitsFrom();
    if (at < text.size() && text[at] == '.') {
        ++at;
        mantissaDigits += digitsFrom();
    }
    if (mantissaDigits == 0) {
        return false;
    }
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
        ++at;
        if (at < text.size() && (text[at] == '-' || text[at] == '+')) {
            ++at;
        }
        if (digitsFrom() == 0) {
            return false;
        }
    }
    return at == text.size();
}

std::optional<QJsonValue> numberValue(std::string_view text)
{
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o')) {
        const bool hex = text[1] == 'x';
        const std::string_view digits = text.substr(2);
        if (!allDigits(digits, hex ? isHexDigit : isOctalDigit)) {
            return std::nullopt;
        }
        return integerValue(digits, hex ? 16 : 8);
    }
    const bool signedText = !text.empty() && (text[0] == '-' || text[0] == '+');
    if (allDigits(signedText ? text.substr(1) : text, isDigit)) {
        return integerValue(text[0] == '+' ? text.substr(1) : text, 10);
    }
    const std::string_view unsignedText = signedText ? text.substr(1) : text;
    if (unsignedText == ".inf" || unsignedText == ".Inf" || unsignedText == ".INF") {
        const double infinity = std::numeric_limits<double>::infinity();
        return QJsonValue(text[0] == '-' ? -infinity : infinity);
    }
    if (text == ".nan" || text == ".NaN" || text == ".NAN") {
        return QJsonValue(std::numeric_limits<double>::quiet_NaN());
    }
    if (isCoreFloat(text)) {
        return floatValue(text);
    }
    return std::nullopt;
}

// A plain (unquoted) scalar typed by the YAML 1.2 core schema.
QJsonValue plainValue(std::string_view text)
{
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
        return QJsonValue(QJsonValue::Null);
    }
    if (text == "true" || text == "True" || text == "TRUE") {
        return QJsonValue(true);
    }
    if (text == "false" || text == "False" || text == "FALSE") {
        return QJsonValue(false);
    }
    if (std::optional<QJsonValue> number = numberValue(text)) {
        return *number;
    }
    return QJsonValue(qtText(text));
}

QJsonValue scalarValue(const yaml_event_t& event)
{
    const auto& scalar = event.data.scalar;
    const std::string_view value(reinterpret_cast<const char*>(scalar.value), scalar.length);
    const std::string_view tag = eventText(scalar.tag);
    // "!" is the non-specific tag: a quoted scalar's, and an explicit "this is text".
    if (tag == "!" || tag == concat({kCoreTagPrefix, "str"})) {
        return QJsonValue(qtText(value));
    }
    if (tag.substr(0, kCoreTagPrefix.size()) == kCoreTagPrefix) {
        const std::string_view type = tag.substr(kCoreTagPrefix.size());
        if (type == "null" || type == "bool" || type == "int" || type == "float") {
            return plainValue(value);
        }
    }
    return scalar.style == YAML_PLAIN_SCALAR_STYLE ? plainValue(value) : QJsonValue(qtText(value));
}

// A value an anchor names, with what it counts for when an alias repeats it.
struct Anchored {
    QJsonValue value;
    std::optional<QString> keyText; // a scalar's text as written, should the alias be a mapping key
    size_t nodes = 1;
};

struct OpenCollection {
    bool mapping = false;
    QJsonObject object;
    QJsonArray array;
    std::optional<QString> key; // a mapping's key, waiting for its value
    std::string anchor;
    size_t nodesBefore = 0; // the document's node count before this collection began
};

// Builds the document from events. Each handler returns false when the document is refused, with
// error() saying why and where.
class DocumentBuilder {
public:
    bool scalar(const yaml_event_t& event)
    {
        if (!count(1, event.start_mark)) {
            return false;
        }
        const auto& scalar = event.data.scalar;
        const QString written = qtText(std::string_view(reinterpret_cast<const char*>(scalar.value), scalar.length));
        const QJsonValue value = scalarValue(event);
        if (const std::string_view anchor = eventText(scalar.anchor); !anchor.empty()) {
            anchors_[std::string(anchor)] = Anchored{value, written, 1};
        }
        return deliver(value, written, event.start_mark);
    }

    bool alias(const yaml_event_t& event)
    {
        const std::string name(eventText(event.data.alias.anchor));
        const auto found = anchors_.find(name);
        if (found == anchors_.end()) {
            return fail(event.start_mark,
                        concat({"the alias *", name, " refers to no anchor &", name,
                                " defined before it (an alias cannot refer to the list or mapping it is inside)"}));
        }
        const Anchored anchored = found->second;
        return count(anchored.nodes, event.start_mark) && deliver(anchored.value, anchored.keyText, event.start_mark);
    }

    bool startCollection(const yaml_event_t& event, bool mapping)
    {
        if (expectsKey()) {
            return fail(event.start_mark, "a mapping key must be a single value, not a list or a mapping");
        }
        if (open_.size() >= kMaxNesting) {
            return fail(event.start_mark,
                        concat({"lists and mappings are nested more than ", std::to_string(kMaxNesting), " deep"}));
        }
        OpenCollection collection;
        collection.mapping = mapping;
        collection.nodesBefore = nodes_;
        collection.anchor =
            std::string(eventText(mapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor));
        if (!count(1, event.start_mark)) {
            return false;
        }
        open_.push_back(std::move(collection));
        return true;
    }

    bool endCollection(const yaml_event_t& event)
    {
        if (open_.empty()) {
            return fail(event.start_mark, "a list or mapping ends that never began");
        }
        OpenCollection done = std::move(open_.back());
        open_.pop_back();
        const QJsonValue value = done.mapping ? QJsonValue(done.object) : QJsonValue(done.array);
        if (!done.anchor.empty()) {
            anchors_[done.anchor] = Anchored{value, std::nullopt, nodes_ - done.nodesBefore};
        }
        return deliver(value, std::nullopt, event.start_mark);
    }

    // Null for a stream without a document, as for an empty one.
    QJsonValue root() const { return root_.value_or(QJsonValue(QJsonValue::Null)); }
    const std::string& error() const { return error_; }

private:
    bool expectsKey() const { return !open_.empty() && open_.back().mapping && !open_.back().key; }

    bool count(size_t nodes, const yaml_mark_t& mark)
    {
        nodes_ += nodes; // no overflow: both terms are at most kMaxYamlNodes
        if (nodes_ > kMaxYamlNodes) {
            return fail(mark, concat({"the document holds more than ", std::to_string(kMaxYamlNodes),
                                      " values once its aliases are expanded, and is refused (an alias bomb?)"}));
        }
        return true;
    }

    bool deliver(const QJsonValue& value, const std::optional<QString>& keyText, const yaml_mark_t& mark)
    {
        if (open_.empty()) {
            root_ = value;
            return true;
        }
        OpenCollection& parent = open_.back();
        if (!parent.mapping) {
            parent.array.append(value);
            return true;
        }
        if (!parent.key) {
            if (!keyText) {
                return fail(mark, "a mapping key must be a single value, not a list or a mapping");
            }
            if (parent.object.contains(*keyText)) {
                return fail(mark,
                            concat({"the key ", inQuotes(keyText->toStdString()), " appears twice in one mapping"}));
            }
            parent.key = *keyText;
            return true;
        }
        parent.object.insert(*parent.key, value);
        parent.key.reset();
        return true;
    }

    bool fail(const yaml_mark_t& mark, std::string_view why)
    {
        error_ = concat({position(mark), ": ", why});
        return false;
    }

    std::vector<OpenCollection> open_;
    std::map<std::string, Anchored> anchors_;
    size_t nodes_ = 0;
    std::optional<QJsonValue> root_;
    std::string error_;
};

} // namespace

std::optional<QJsonValue> yamlToJson(const QByteArray& text, std::string* error)
{
    const auto fail = [&](std::string message) -> std::optional<QJsonValue> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };
    YamlParser parser(text);
    if (!parser.ready()) {
        return fail("out of memory while starting the YAML reader");
    }
    DocumentBuilder builder;
    YamlEvent event;
    for (;;) {
        if (!event.next(parser)) {
            return fail(parserError(parser.state()));
        }
        bool accepted = true;
        switch (event->type) {
        case YAML_SCALAR_EVENT: accepted = builder.scalar(*event); break;
        case YAML_ALIAS_EVENT: accepted = builder.alias(*event); break;
        case YAML_SEQUENCE_START_EVENT: accepted = builder.startCollection(*event, false); break;
        case YAML_MAPPING_START_EVENT: accepted = builder.startCollection(*event, true); break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: accepted = builder.endCollection(*event); break;
        // Only the first document is read: an API description is one document.
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT: return builder.root();
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT: break;
        }
        if (!accepted) {
            return fail(builder.error());
        }
    }
}

} // namespace benchdeck::importers
