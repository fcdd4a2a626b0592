// SPDX-License-Identifier: Apache-2.0
#include "openapi_import.h"

#include "import_support.h"
#include "scenario/request_template.h"
#include "yaml_json.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <algorithm>
#include <array>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace benchdeck::importers {
namespace {

constexpr std::string_view kBaseVariable = "base";
constexpr std::string_view kMadeUpBase = "http://127.0.0.1:8080";
constexpr std::string_view kTokenVariable = "token";
constexpr std::string_view kBasicVariable = "basic_credentials";
constexpr std::string_view kApiKeyVariable = "api_key";
constexpr int kMaxRefHops = 16;
constexpr int kMaxObjectDepth = 6;          // nesting of objects and lists in a made-up body
constexpr int kMaxSchemaNesting = 64;       // allOf, oneOf and $ref inside one another, which add no depth of their own
constexpr size_t kMaxMadeUpValues = 10'000; // schemas that fan out at every level would otherwise multiply

// In the order steps are made for a path.
constexpr std::array<const char*, 7> kMethods = {"get", "put", "post", "delete", "options", "head", "patch"};

QJsonValue member(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1String(key));
}

// "%7B" in a URI fragment: $refs are URI references, so a pointer token may be percent-encoded.
std::string percentDecoded(std::string_view text)
{
    const auto hexValue = [](char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    };
    std::string decoded;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            decoded.push_back(char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
            i += 2;
        } else {
            decoded.push_back(text[i]);
        }
    }
    return decoded;
}

// Local $refs ("#/components/schemas/Pet") followed through the document.
class References {
public:
    explicit References(const QJsonObject& root)
        : root_(root)
    {
    }

    // `value` itself, or what its chain of $refs ends at. Nothing, with `why`, for a $ref into
    // another file, one that names nothing, a circle, or a chain longer than kMaxRefHops.
    std::optional<QJsonValue> resolve(const QJsonValue& value, std::string* why) const
    {
        QJsonValue current = value;
        std::vector<std::string> followed;
        for (;;) {
            const QJsonValue ref = current.toObject().value(QLatin1String("$ref"));
            if (!current.isObject() || !ref.isString()) {
                return current;
            }
            const std::string target = ref.toString().toStdString();
            if (std::find(followed.begin(), followed.end(), target) != followed.end()) {
                *why = concat({"the $ref ", inQuotes(target), " leads back to itself"});
                return std::nullopt;
            }
            if (followed.size() >= size_t(kMaxRefHops)) {
                *why = concat({"more than ", std::to_string(kMaxRefHops), " $refs in a row, at ", inQuotes(target)});
                return std::nullopt;
            }
            followed.push_back(target);
            std::optional<QJsonValue> found = lookup(target, why);
            if (!found) {
                return std::nullopt;
            }
            current = std::move(*found);
        }
    }

private:
    std::optional<QJsonValue> lookup(const std::string& ref, std::string* why) const
    {
        const auto fail = [&](std::string_view problem) -> std::optional<QJsonValue> {
            *why = concat({"the $ref ", inQuotes(ref), " ", problem});
            return std::nullopt;
        };
        if (ref.empty() || ref.front() != '#') {
            return fail("points into another document, which the import does not read");
        }
        const std::string pointer = percentDecoded(std::string_view(ref).substr(1));
        if (!pointer.empty() && pointer.front() != '/') {
            return fail("is not a JSON pointer (#/components/...)");
        }
        QJsonValue at = root_;
        size_t start = 1;
        while (start <= pointer.size() && !pointer.empty()) {
            const size_t end = std::min(pointer.find('/', start), pointer.size());
            std::string token = pointer.substr(start, end - start);
            for (size_t tilde = token.find('~'); tilde != std::string::npos; tilde = token.find('~', tilde + 1)) {
                if (tilde + 1 < token.size() && (token[tilde + 1] == '0' || token[tilde + 1] == '1')) {
                    token.replace(tilde, 2, token[tilde + 1] == '1' ? "/" : "~");
                }
            }
            if (at.isObject()) {
                at = at.toObject().value(QString::fromStdString(token));
            } else if (at.isArray() && !token.empty() &&
                       std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                       token.size() < 9) {
                at = at.toArray().at(std::stoi(token));
            } else {
                at = QJsonValue(QJsonValue::Undefined);
            }
            if (at.isUndefined()) {
                return fail("names nothing in this document");
            }
            start = end + 1;
        }
        return at;
    }

    const QJsonObject& root_;
};

// The type a schema gives its values; a 3.1 list of types gives its first that is not "null".
std::string schemaType(const QJsonObject& schema)
{
    const QJsonValue type = member(schema, "type");
    if (type.isString()) {
        return type.toString().toStdString();
    }
    for (const auto& entry : type.toArray()) {
        if (entry.isString() && entry.toString() != QLatin1String("null")) {
            return entry.toString().toStdString();
        }
    }
    if (schema.contains(QLatin1String("properties")) || schema.contains(QLatin1String("additionalProperties"))) {
        return "object";
    }
    return schema.contains(QLatin1String("items")) ? "array" : std::string();
}

QJsonValue madeUpScalar(const std::string& type, const std::string& format)
{
    if (type == "integer" || type == "number") {
        return QJsonValue(1);
    }
    if (type == "boolean") {
        return QJsonValue(true);
    }
    if (type == "null") {
        return QJsonValue(QJsonValue::Null);
    }
    if (format == "uuid") {
        return QJsonValue(QStringLiteral("00000000-0000-4000-8000-000000000001"));
    }
    if (format == "date") {
        return QJsonValue(QStringLiteral("2026-01-01"));
    }
    if (format == "date-time") {
        return QJsonValue(QStringLiteral("2026-01-01T00:00:00Z"));
    }
    if (format == "email") {
        return QJsonValue(QStringLiteral("user@example.com"));
    }
    return QJsonValue(QStringLiteral("string"));
}

// Values for parameters and bodies: the description's own examples first, made up from the schema
// otherwise. A $ref that cannot be followed fails the whole value (failed(), failure()): the
// operation is left out rather than sent with a part missing.
class ExampleValues {
public:
    explicit ExampleValues(const References& references)
        : references_(references)
    {
    }

    // example, then the first of examples, then the schema (or the first media type of content).
    QJsonValue forParameter(const QJsonObject& parameter)
    {
        start();
        if (parameter.contains(QLatin1String("example"))) {
            return member(parameter, "example");
        }
        if (std::optional<QJsonValue> example = firstExample(member(parameter, "examples"))) {
            return *example;
        }
        if (parameter.contains(QLatin1String("schema"))) {
            return fromSchema(member(parameter, "schema"), 0, 0);
        }
        const QJsonObject content = member(parameter, "content").toObject();
        if (!content.isEmpty()) {
            return fromMediaType(content.constBegin().value().toObject());
        }
        return madeUpScalar("string", {});
    }

    QJsonValue forMediaType(const QJsonObject& media)
    {
        start();
        return fromMediaType(media);
    }

    bool failed() const { return !failure_.empty(); }
    const std::string& failure() const { return failure_; }

private:
    void start()
    {
        failure_.clear();
        madeUp_ = 0;
    }

    QJsonValue fromMediaType(const QJsonObject& media)
    {
        if (media.contains(QLatin1String("example"))) {
            return member(media, "example");
        }
        if (std::optional<QJsonValue> example = firstExample(member(media, "examples"))) {
            return *example;
        }
        if (media.contains(QLatin1String("schema"))) {
            return fromSchema(member(media, "schema"), 0, 0);
        }
        return QJsonObject();
    }

    // A list (3.1 schemas) gives its first entry; an object of named examples (parameters, media
    // types) the first one's "value", in the order QJsonObject keeps names.
    std::optional<QJsonValue> firstExample(const QJsonValue& examples)
    {
        if (examples.isArray()) {
            const QJsonArray list = examples.toArray();
            return list.isEmpty() ? std::nullopt : std::optional<QJsonValue>(list.first());
        }
        const QJsonObject named = examples.toObject();
        for (auto it = named.constBegin(); it != named.constEnd(); ++it) {
            std::optional<QJsonValue> example = references_.resolve(it.value(), &failure_);
            if (!example) {
                return QJsonValue(QJsonValue::Null);
            }
            if (example->toObject().contains(QLatin1String("value"))) {
                return example->toObject().value(QLatin1String("value"));
            }
        }
        return std::nullopt;
    }

    QJsonValue fromSchema(const QJsonValue& schemaValue, int depth, int nesting)
    {
        if (failed() || nesting > kMaxSchemaNesting || ++madeUp_ > kMaxMadeUpValues) {
            return QJsonValue(QJsonValue::Null);
        }
        const std::optional<QJsonValue> resolved = references_.resolve(schemaValue, &failure_);
        if (!resolved) {
            return QJsonValue(QJsonValue::Null);
        }
        const QJsonObject schema = resolved->toObject(); // a 3.1 boolean schema allows anything: as {}
        for (const char* given : {"example", "default", "const"}) {
            if (schema.contains(QLatin1String(given))) {
                return member(schema, given);
            }
        }
        if (std::optional<QJsonValue> example = firstExample(member(schema, "examples"))) {
            return *example;
        }
        if (const QJsonArray choices = member(schema, "enum").toArray(); !choices.isEmpty()) {
            return choices.first();
        }
        if (const QJsonArray parts = member(schema, "allOf").toArray(); !parts.isEmpty()) {
            return fromAllOf(schema, parts, depth, nesting);
        }
        for (const char* alternatives : {"oneOf", "anyOf"}) {
            if (const QJsonArray choices = member(schema, alternatives).toArray(); !choices.isEmpty()) {
                return fromSchema(choices.first(), depth, nesting + 1);
            }
        }
        const std::string type = schemaType(schema);
        if (type == "object") {
            return objectFrom(schema, depth, nesting);
        }
        if (type == "array") {
            QJsonArray list;
            if (depth < kMaxObjectDepth && schema.contains(QLatin1String("items"))) {
                list.append(fromSchema(member(schema, "items"), depth + 1, nesting + 1));
            }
            return list;
        }
        return madeUpScalar(type, textMember(schema, "format"));
    }

    // The parts' objects merged, with the schema's own properties beside them; a part that is no
    // object (allOf of a string and a pattern) gives the value when no part is an object.
    QJsonValue fromAllOf(const QJsonObject& schema, const QJsonArray& parts, int depth, int nesting)
    {
        QJsonObject merged;
        std::optional<QJsonValue> other;
        bool anyObject = false;
        for (const auto& part : parts) {
            const QJsonValue value = fromSchema(part, depth, nesting + 1);
            if (value.isObject()) {
                anyObject = true;
                const QJsonObject members = value.toObject();
                for (auto it = members.constBegin(); it != members.constEnd(); ++it) {
                    merged.insert(it.key(), it.value());
                }
            } else if (!other && !value.isNull()) {
                other = value;
            }
        }
        if (schema.contains(QLatin1String("properties"))) {
            anyObject = true;
            const QJsonObject own = objectFrom(schema, depth, nesting).toObject();
            for (auto it = own.constBegin(); it != own.constEnd(); ++it) {
                merged.insert(it.key(), it.value());
            }
        }
        return anyObject || !other ? QJsonValue(merged) : *other;
    }

    // Required properties and those the description gives an example for; never readOnly ones,
    // which a server sets and may refuse to be sent.
    QJsonValue objectFrom(const QJsonObject& schema, int depth, int nesting)
    {
        QJsonObject object;
        if (depth >= kMaxObjectDepth) {
            return object;
        }
        std::set<QString> required;
        for (const auto& name : member(schema, "required").toArray()) {
            required.insert(name.toString());
        }
        const QJsonObject properties = member(schema, "properties").toObject();
        for (auto it = properties.constBegin(); it != properties.constEnd() && !failed(); ++it) {
            const std::optional<QJsonValue> property = references_.resolve(it.value(), &failure_);
            if (!property) {
                break;
            }
            const QJsonObject propertySchema = property->toObject();
            const bool hasExample =
                propertySchema.contains(QLatin1String("example")) || propertySchema.contains(QLatin1String("examples"));
            if (member(propertySchema, "readOnly").toBool() || (required.count(it.key()) == 0 && !hasExample)) {
                continue;
            }
            object.insert(it.key(), fromSchema(*property, depth + 1, nesting + 1));
        }
        return object;
    }

    const References& references_;
    std::string failure_;
    size_t madeUp_ = 0;
};

struct Parameter {
    std::string name;
    std::string in; // "path", "query", "header", "cookie"
    bool required = false;
    QJsonObject object;
};

struct Server {
    std::string origin; // scheme://host:port, the constant "base"
    std::string path;   // put in front of every operation's path: "/v1", or empty
    std::string madeUpNote;
};

// Path variables of servers[0].url replaced by their defaults.
std::string serverUrl(const QJsonObject& server)
{
    std::string url = textMember(server, "url");
    const QJsonObject variables = member(server, "variables").toObject();
    for (auto it = variables.constBegin(); it != variables.constEnd(); ++it) {
        const std::string placeholder = concat({"{", it.key().toStdString(), "}"});
        const std::string value = scalarText(it.value().toObject().value(QLatin1String("default")));
        for (size_t at = url.find(placeholder); at != std::string::npos;
             at = url.find(placeholder, at + value.size())) {
            url.replace(at, placeholder.size(), value);
        }
    }
    return url;
}

Server findServer(const QJsonObject& document)
{
    const QJsonArray servers = member(document, "servers").toArray();
    std::string url = servers.isEmpty() ? std::string() : serverUrl(servers.first().toObject());
    if (url.starts_with("//")) { // scheme-relative: the description is served over the scheme it names
        url.insert(0, "http:");
    }
    const auto withoutTrailingSlash = [](std::string path) {
        while (!path.empty() && path.back() == '/') {
            path.pop_back();
        }
        return path;
    };
    Server server;
    if (const std::optional<WebUrl> parsed = parseWebUrl(url); parsed && url.find('{') == std::string::npos) {
        server.origin = parsed->origin;
        server.path = withoutTrailingSlash(parsed->path);
        return server;
    }
    server.origin = kMadeUpBase;
    if (!url.empty() && url.front() == '/') {
        server.path = withoutTrailingSlash(url.substr(0, url.find_first_of("?#")));
    }
    const std::string given =
        servers.isEmpty() ? std::string("it lists no servers") : concat({"servers[0].url is ", inQuotes(url)});
    server.madeUpNote =
        concat({"The API description names no absolute server URL (", given, "), so the constant ",
                inQuotes(kBaseVariable), " was set to ", kMadeUpBase, "; edit it to point at the server under test."});
    return server;
}

bool isJsonMediaType(const std::string& type)
{
    return type == "application/json" || type.ends_with("+json") || type.ends_with("/json");
}

// "application/json; charset=utf-8" as "application/json".
std::string mediaTypeOf(const QString& key)
{
    std::string type = lowerCase(key.toStdString());
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') {
        type.pop_back();
    }
    return type;
}

class OpenApiConverter {
public:
    explicit OpenApiConverter(const QJsonObject& document)
        : document_(document)
        , references_(document)
        , examples_(references_)
    {
    }

    std::optional<ImportResult> convert(std::string* error)
    {
        const auto fail = [&](std::string message) -> std::optional<ImportResult> {
            if (error) {
                *error = std::move(message);
            }
            return std::nullopt;
        };
        if (document_.contains(QLatin1String("swagger"))) {
            return fail("Swagger 2.0 is not supported; convert it to OpenAPI 3 first");
        }
        const QJsonValue versionValue = member(document_, "openapi");
        // `openapi: 3.1` unquoted in YAML is a number; 3.0 would print as "3" without the fixed decimal.
        const std::string version = versionValue.isDouble()
                                        ? QString::number(versionValue.toDouble(), 'f', 1).toStdString()
                                        : versionValue.toString().toStdString();
        if (version.empty()) {
            return fail("this is not an OpenAPI document: it has no \"openapi\" field naming its version");
        }
        const bool known =
            version == "3.0" || version == "3.1" || version.starts_with("3.0.") || version.starts_with("3.1.");
        if (!known) {
            return fail(concat({"OpenAPI ", version, " is not supported; Benchdeck reads OpenAPI 3.0 and 3.1"}));
        }
        const QJsonObject paths = member(document_, "paths").toObject();
        if (paths.isEmpty()) {
            return fail("the API description has no paths, so there is no operation to call");
        }

        const Server server = findServer(document_);
        basePath_ = server.path;
        constants_.add(kBaseVariable, server.origin);
        if (!server.madeUpNote.empty()) {
            result_.skipped.push_back(server.madeUpNote);
        }
        scenario_.name = textMember(member(document_, "info").toObject(), "title");
        if (scenario_.name.empty()) {
            scenario_.name = "API";
        }
        for (auto it = paths.constBegin(); it != paths.constEnd(); ++it) {
            if (it.key().startsWith(QLatin1Char('/'))) { // not the "x-..." extensions beside the paths
                addPath(it.key().toStdString(), it.value());
            }
        }
        if (scenario_.steps.empty()) {
            return fail(concat({"none of the API's operations can be imported",
                                result_.skipped.empty() ? std::string() : concat({"; ", result_.skipped.back()})}));
        }
        const std::string placeholders =
            constants_.placeholderNote("the API description says which credentials requests need but not their values");
        if (!placeholders.empty()) {
            result_.skipped.push_back(placeholders);
        }
        result_.workload.variables = constants_.values();
        result_.workload.scenarios.push_back(std::move(scenario_));
        return std::move(result_);
    }

private:
    void addPath(const std::string& path, const QJsonValue& itemValue)
    {
        std::string why;
        const std::optional<QJsonValue> item = references_.resolve(itemValue, &why);
        if (!item) {
            result_.skipped.push_back(concat({path, ": left out: ", why}));
            return;
        }
        const QJsonObject pathItem = item->toObject();
        for (const char* method : kMethods) {
            if (pathItem.contains(QLatin1String(method))) {
                addOperation(path, pathItem, method, member(pathItem, method).toObject());
            }
        }
        if (pathItem.contains(QLatin1String("trace"))) {
            result_.skipped.push_back(concat({requestLabel("TRACE", path), ": left out: TRACE only echoes the ",
                                              "request back, and servers usually refuse it"}));
        }
    }

    // Path-level parameters apply to every operation under the path; the operation's own replace
    // those of the same name and place.
    std::optional<std::vector<Parameter>> parameters(const QJsonObject& pathItem, const QJsonObject& operation,
                                                     std::string* why) const
    {
        std::vector<Parameter> found;
        for (const QJsonObject* owner : {&pathItem, &operation}) {
            for (const auto& value : member(*owner, "parameters").toArray()) {
                const std::optional<QJsonValue> resolved = references_.resolve(value, why);
                if (!resolved) {
                    return std::nullopt;
                }
                Parameter parameter;
                parameter.object = resolved->toObject();
                parameter.name = textMember(parameter.object, "name");
                parameter.in = textMember(parameter.object, "in");
                parameter.required = member(parameter.object, "required").toBool() || parameter.in == "path";
                const auto same = [&](const Parameter& other) {
                    return other.name == parameter.name && other.in == parameter.in;
                };
                found.erase(std::remove_if(found.begin(), found.end(), same), found.end());
                found.push_back(std::move(parameter));
            }
        }
        return found;
    }

    // "{{petId}}", or "{{showPetById.petId}}" when "petId" holds another value already, or the
    // value itself when neither name is free. Names that security uses are never taken.
    std::optional<std::string> reference(const std::string& operationId, const std::string& name,
                                         const std::string& value)
    {
        const auto reserved = [](std::string_view candidate) {
            return candidate == kBaseVariable || candidate == kTokenVariable || candidate == kBasicVariable ||
                   candidate == kApiKeyVariable;
        };
        for (const std::string& candidate : {name, concat({operationId, ".", name})}) {
            if (scenario::isVariableName(candidate) && !reserved(candidate) && constants_.add(candidate, value)) {
                return concat({"{{", candidate, "}}"});
            }
        }
        if (holdsTemplateOpening(value)) {
            return std::nullopt;
        }
        return value;
    }

    // The value a parameter is sent with, as text: a list gives its first entry (one value is enough).
    std::optional<std::string> parameterText(const Parameter* parameter, std::string* why)
    {
        QJsonValue value = madeUpScalar("string", {}); // a {name} in the path that no parameter describes
        if (parameter) {
            value = examples_.forParameter(parameter->object);
            if (examples_.failed()) {
                *why = examples_.failure();
                return std::nullopt;
            }
        }
        if (value.isArray() && !value.toArray().isEmpty()) {
            value = value.toArray().first();
        }
        return scalarText(value);
    }

    void addOperation(const std::string& path, const QJsonObject& pathItem, const char* method,
                      const QJsonObject& operation)
    {
        const std::string upper = upperCase(method);
        const std::string label = requestLabel(upper, path);
        std::vector<std::string> notes;
        // Constants made for an operation that is left out would be noise in the file: undone.
        const Constants before = constants_;
        const auto skip = [&](std::string_view why) {
            constants_ = before;
            result_.skipped.push_back(concat({label, ": left out: ", why}));
        };
        const std::string braces = "a value holds \"{{\", which a scenario would read as a {{variable}}, and the "
                                   "scenario format has no way to escape it";
        if (holdsTemplateOpening(path)) {
            return skip(braces);
        }
        std::string why;
        const std::optional<std::vector<Parameter>> all = parameters(pathItem, operation, &why);
        if (!all) {
            return skip(why);
        }
        const std::string operationId = textMember(operation, "operationId");
        const auto parameterNamed = [&](const std::string& name, std::string_view in) -> const Parameter* {
            const auto it = std::find_if(all->begin(), all->end(),
                                         [&](const Parameter& p) { return p.name == name && p.in == in; });
            return it == all->end() ? nullptr : &*it;
        };

        scenario::Step step;
        step.method = upper;
        std::string target = basePath_;
        for (size_t at = 0; at < path.size();) {
            const size_t open = path.find('{', at);
            if (open == std::string::npos) {
                target.append(path, at);
                break;
            }
            const size_t close = path.find('}', open);
            if (close == std::string::npos) {
                return skip("its path has a \"{\" without a \"}\"");
            }
            target.append(path, at, open - at);
            const std::string name = path.substr(open + 1, close - open - 1);
            const std::optional<std::string> value = parameterText(parameterNamed(name, "path"), &why);
            if (!value) {
                return skip(why);
            }
            const std::optional<std::string> written = reference(operationId, name, percentEncode(*value, false));
            if (!written) {
                return skip(braces);
            }
            target.append(*written);
            at = close + 1;
        }

        std::vector<std::string> query;
        std::vector<std::string> cookies;
        for (const Parameter& parameter : *all) {
            const bool header = parameter.in == "header";
            if (!parameter.required || (!header && parameter.in != "query" && parameter.in != "cookie")) {
                continue;
            }
            // OpenAPI ignores these three as parameters: the body and security say them.
            if (header &&
                (equalsIgnoringCase(parameter.name, "Accept") || equalsIgnoringCase(parameter.name, "Content-Type") ||
                 equalsIgnoringCase(parameter.name, "Authorization"))) {
                continue;
            }
            const std::optional<std::string> value = parameterText(&parameter, &why);
            if (!value) {
                return skip(why);
            }
            if (header && (!isHeaderName(parameter.name) || holdsLineBreak(*value))) {
                notes.push_back(concat({label, ": the header parameter ", inQuotes(parameter.name),
                                        " was left out: it is no valid HTTP header"}));
                continue;
            }
            const std::optional<std::string> written =
                reference(operationId, parameter.name, header ? *value : percentEncode(*value, false));
            if (!written) {
                return skip(braces);
            }
            if (header) {
                step.headers.push_back({parameter.name, *written});
            } else if (parameter.in == "query") {
                query.push_back(concat({percentEncode(parameter.name, false), "=", *written}));
            } else {
                cookies.push_back(concat({parameter.name, "=", *written}));
            }
        }
        addSecurity(operation, step.headers, query, cookies);
        if (!cookies.empty()) {
            step.headers.push_back({"Cookie", joined(cookies, "; ")});
        }
        if (!addBody(operation, label, step, notes, &why)) {
            return skip(why);
        }
        step.url = concat({"{{", kBaseVariable, "}}", target, query.empty() ? "" : "?", joined(query, "&")});
        if (std::vector<int> statuses = documentedStatuses(operation); !statuses.empty()) {
            step.checks.push_back(statusCheck(std::move(statuses)));
        }
        if (operation.contains(QLatin1String("servers")) || pathItem.contains(QLatin1String("servers"))) {
            notes.push_back(concat({label, ": the API description gives it servers of its own; it is sent to ",
                                    inQuotes(kBaseVariable), " like every other step"}));
        }
        step.name = names_.unique(operationId.empty() ? label : operationId);
        scenario_.steps.push_back(std::move(step));
        for (std::string& note : notes) {
            result_.skipped.push_back(std::move(note));
        }
    }

    // The first of the alternatives the operation (or else the document) accepts; all schemes
    // within it apply together.
    void addSecurity(const QJsonObject& operation, std::vector<scenario::Header>& headers,
                     std::vector<std::string>& query, std::vector<std::string>& cookies)
    {
        const QJsonValue given = operation.contains(QLatin1String("security")) ? member(operation, "security")
                                                                               : member(document_, "security");
        const QJsonObject requirement = given.toArray().at(0).toObject();
        const QJsonObject schemes = member(member(document_, "components").toObject(), "securitySchemes").toObject();
        for (auto it = requirement.constBegin(); it != requirement.constEnd(); ++it) {
            const std::string name = it.key().toStdString();
            std::string why;
            const std::optional<QJsonValue> resolved = references_.resolve(schemes.value(it.key()), &why);
            const QJsonObject scheme = resolved ? resolved->toObject() : QJsonObject();
            const std::string type = lowerCase(textMember(scheme, "type"));
            const std::string httpScheme = lowerCase(textMember(scheme, "scheme"));
            if ((type == "http" && httpScheme == "bearer") || type == "oauth2" || type == "openidconnect") {
                constants_.addPlaceholder(kTokenVariable);
                setHeader(headers, "Authorization", concat({"Bearer {{", kTokenVariable, "}}"}));
            } else if (type == "http" && httpScheme == "basic") {
                constants_.addPlaceholder(kBasicVariable);
                setHeader(headers, "Authorization", concat({"Basic {{", kBasicVariable, "}}"}));
            } else if (type == "apikey" && isHeaderName(textMember(scheme, "name"))) {
                constants_.addPlaceholder(kApiKeyVariable);
                const std::string key = textMember(scheme, "name");
                const std::string value = concat({"{{", kApiKeyVariable, "}}"});
                const std::string in = textMember(scheme, "in");
                if (in == "query") {
                    query.push_back(concat({percentEncode(key, false), "=", value}));
                } else if (in == "cookie") {
                    cookies.push_back(concat({key, "=", value}));
                } else {
                    setHeader(headers, key, value);
                }
            } else if (notedSchemes_.insert(name).second) {
                const std::string what = !resolved ? why
                                         : scheme.isEmpty()
                                             ? std::string("it is not defined in components.securitySchemes")
                                             : concat({"its type ", inQuotes(type.empty() ? "(none)" : type),
                                                       httpScheme.empty() ? "" : concat({" ", httpScheme}),
                                                       " is not one the import can set up"});
                result_.skipped.push_back(
                    concat({"Security scheme ", inQuotes(name), ": requests are sent without it because ", what, "."}));
            }
        }
    }

    static void setHeader(std::vector<scenario::Header>& headers, const std::string& name, const std::string& value)
    {
        removeHeaders(headers, name);
        headers.push_back({name, value});
    }

    // JSON first (an example or a value made up from the schema), then a form; other media types
    // cannot be made up: without a body and a note, or left out when the body is required.
    bool addBody(const QJsonObject& operation, const std::string& label, scenario::Step& step,
                 std::vector<std::string>& notes, std::string* why)
    {
        if (!operation.contains(QLatin1String("requestBody"))) {
            return true;
        }
        const std::optional<QJsonValue> resolved = references_.resolve(member(operation, "requestBody"), why);
        if (!resolved) {
            return false;
        }
        const QJsonObject requestBody = resolved->toObject();
        const QJsonObject content = member(requestBody, "content").toObject();
        if (content.isEmpty()) {
            return true;
        }
        QString json;
        QString form;
        std::vector<std::string> others;
        for (auto it = content.constBegin(); it != content.constEnd(); ++it) {
            const std::string type = mediaTypeOf(it.key());
            if (type == "application/json" || (json.isEmpty() && isJsonMediaType(type))) {
                json = (type == "application/json" || json.isEmpty()) ? it.key() : json;
            } else if (type == "application/x-www-form-urlencoded") {
                form = it.key();
            } else {
                others.push_back(it.key().toStdString());
            }
        }
        const QString chosen = json.isEmpty() ? form : json;
        if (chosen.isEmpty()) {
            const std::string types = joined(others, ", ");
            if (member(requestBody, "required").toBool()) {
                *why = concat({"its request body must be ", types, ", which the import cannot make up"});
                return false;
            }
            notes.push_back(concat({label, ": sent without a body: the API describes the body only as ", types,
                                    ", which the import cannot make up"}));
            return true;
        }
        const QJsonValue value = examples_.forMediaType(content.value(chosen).toObject());
        if (examples_.failed()) {
            *why = examples_.failure();
            return false;
        }
        if (!json.isEmpty()) {
            step.body = compactJson(value);
        } else {
            std::vector<std::pair<std::string, std::string>> fields;
            const QJsonObject members = value.toObject();
            for (auto it = members.constBegin(); it != members.constEnd(); ++it) {
                const QJsonValue field = it.value();
                fields.emplace_back(it.key().toStdString(),
                                    scalarText(field.isArray() ? field.toArray().at(0) : field));
            }
            step.body = formUrlEncoded(fields);
        }
        if (holdsTemplateOpening(step.body)) {
            *why = "its example body holds \"{{\", which a scenario would read as a {{variable}}, and the scenario "
                   "format has no way to escape it";
            return false;
        }
        setHeader(step.headers, "Content-Type", chosen.toStdString());
        return true;
    }

    // "200", "201", "304": a documented answer the server gives when all is well. "default", ranges
    // ("2XX") and error codes are no status a check can name.
    static std::vector<int> documentedStatuses(const QJsonObject& operation)
    {
        std::vector<int> statuses;
        const QJsonObject responses = member(operation, "responses").toObject();
        for (auto it = responses.constBegin(); it != responses.constEnd(); ++it) {
            const std::string code = it.key().toStdString();
            if (code.size() == 3 &&
                std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                const int status = std::stoi(code);
                if (status >= 200 && status <= 399) {
                    statuses.push_back(status);
                }
            }
        }
        std::sort(statuses.begin(), statuses.end());
        return statuses;
    }

    const QJsonObject& document_;
    References references_;
    ExampleValues examples_;
    Constants constants_;
    StepNames names_;
    std::set<std::string> notedSchemes_;
    std::string basePath_;
    scenario::Scenario scenario_;
    ImportResult result_;
};

} // namespace

std::optional<ImportResult> importOpenApi(const QJsonObject& document, std::string* error)
{
    return OpenApiConverter(document).convert(error);
}

std::optional<QJsonObject> readOpenApiFile(const QString& path, std::string* error)
{
    const std::string shown = path.toStdString();
    const auto fail = [&](std::string_view why) -> std::optional<QJsonObject> {
        if (error) {
            *error = concat({shown, ": ", why});
        }
        return std::nullopt;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(concat({"cannot be read: ", file.errorString().toStdString()}));
    }
    const QByteArray text = file.readAll();
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool json =
        suffix == QLatin1String("json") ||
        (suffix != QLatin1String("yaml") && suffix != QLatin1String("yml") && text.trimmed().startsWith('{'));
    QJsonValue root;
    if (json) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            return fail(concat({"not valid JSON: ", jsonErrorText(text, parseError), " (at byte offset ",
                                std::to_string(parseError.offset), ")"}));
        }
        root = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    } else {
        std::string why;
        std::optional<QJsonValue> parsed = yamlToJson(text, &why);
        if (!parsed) {
            return fail(why);
        }
        root = std::move(*parsed);
    }
    if (!root.isObject()) {
        return fail("the document is not a mapping of fields such as \"openapi\" and \"paths\"");
    }
    return root.toObject();
}

} // namespace benchdeck::importers
