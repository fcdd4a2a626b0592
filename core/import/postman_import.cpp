// SPDX-License-Identifier: Apache-2.0
#include "postman_import.h"

#include "import_support.h"
#include "scenario/request_template.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace benchdeck::importers {
namespace {

// A value that refers to a value that refers to ...: deeper chains are a mistake, or a circle.
constexpr int kMaxVariableExpansions = 10;

QJsonValue member(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1String(key));
}

bool isDisabled(const QJsonObject& entry)
{
    return member(entry, "disabled").toBool();
}

std::string_view trimmed(std::string_view text)
{
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

struct Placeholder {
    size_t start = 0;        // of its "{{"
    size_t end = 0;          // past its "}}"
    std::string_view inside; // trimmed
};

// The next placeholder from `from` on, found as RequestTemplate finds them (in a run of braces the
// last two open one), so that what is rewritten here compiles the same way later. Nothing when there
// is none; `*unterminated` set when a "{{" has no "}}".
std::optional<Placeholder> nextPlaceholder(std::string_view text, size_t from, bool* unterminated)
{
    size_t open = text.find("{{", from);
    if (open == std::string_view::npos) {
        return std::nullopt;
    }
    while (open + 2 < text.size() && text[open + 2] == '{') {
        ++open;
    }
    const size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
        *unterminated = true;
        return std::nullopt;
    }
    return Placeholder{open, close + 2, trimmed(text.substr(open + 2, close - open - 2))};
}

// Postman's dynamic variables that have a Benchdeck built-in doing the same.
std::optional<std::string_view> builtInFor(std::string_view dynamic)
{
    if (dynamic == "$guid" || dynamic == "$randomUUID") {
        return "{{$uuid}}";
    }
    if (dynamic == "$timestamp") {
        return "{{$timestamp}}";
    }
    if (dynamic == "$randomInt") {
        return "{{$randomInt 0 1000}}"; // Postman's range
    }
    return std::nullopt;
}

// What Postman sends as Content-Type for a raw body of this language when the request sets none.
const char* contentTypeFor(const std::string& language)
{
    if (language == "json") {
        return "application/json";
    }
    if (language == "xml") {
        return "application/xml";
    }
    if (language == "html") {
        return "text/html";
    }
    if (language == "javascript") {
        return "application/javascript";
    }
    return language == "text" ? "text/plain" : nullptr;
}

// Spaces outside placeholders as %20, as Postman sends them.
std::string spacesEncoded(std::string_view text)
{
    std::string out;
    size_t from = 0;
    bool unterminated = false;
    const auto literal = [&out](std::string_view part) {
        for (const char c : part) {
            if (c == ' ') {
                out.append("%20");
            } else {
                out.push_back(c);
            }
        }
    };
    while (const std::optional<Placeholder> placeholder = nextPlaceholder(text, from, &unterminated)) {
        literal(text.substr(from, placeholder->start - from));
        out.append(text.substr(placeholder->start, placeholder->end - placeholder->start));
        from = placeholder->end;
    }
    literal(text.substr(from));
    return out;
}

// Percent-encoded for a form, except the placeholders, which must stay templates: their values are
// inserted as they are, so a value that needs encoding has to be written encoded.
std::string encodedTemplate(std::string_view text)
{
    std::string encoded;
    size_t from = 0;
    bool unterminated = false;
    while (const std::optional<Placeholder> placeholder = nextPlaceholder(text, from, &unterminated)) {
        encoded.append(percentEncode(text.substr(from, placeholder->start - from), true));
        encoded.append(text.substr(placeholder->start, placeholder->end - placeholder->start));
        from = placeholder->end;
    }
    encoded.append(percentEncode(text.substr(from), true));
    return encoded;
}

// A URL object without "raw", put together from its parts; disabled query parameters left out.
std::string urlFromParts(const QJsonObject& parts)
{
    std::string url;
    if (const std::string protocol = textMember(parts, "protocol"); !protocol.empty()) {
        url.append(protocol).append("://");
    }
    const QJsonValue host = member(parts, "host");
    if (host.isArray()) {
        std::vector<std::string> labels;
        for (const auto& label : host.toArray()) {
            labels.push_back(scalarText(label));
        }
        url.append(joined(labels, "."));
    } else {
        url.append(scalarText(host));
    }
    if (const std::string port = textMember(parts, "port"); !port.empty()) {
        url.append(":").append(port);
    }
    const QJsonValue path = member(parts, "path");
    if (path.isArray()) {
        for (const auto& segment : path.toArray()) {
            url.append("/").append(segment.isObject() ? textMember(segment.toObject(), "value") : scalarText(segment));
        }
    } else if (const std::string text = scalarText(path); !text.empty()) {
        url.append(text.front() == '/' ? "" : "/").append(text);
    }
    std::vector<std::string> query;
    for (const auto& value : member(parts, "query").toArray()) {
        const QJsonObject parameter = value.toObject();
        if (isDisabled(parameter)) {
            continue;
        }
        const QJsonValue parameterValue = member(parameter, "value");
        const std::string key = textMember(parameter, "key");
        query.push_back(parameterValue.isNull() || parameterValue.isUndefined()
                            ? key
                            : concat({key, "=", scalarText(parameterValue)}));
    }
    if (!query.empty()) {
        url.append("?").append(joined(query, "&"));
    }
    return url;
}

// The request's URL, a string or an object; path variables (":id") replaced by their values.
std::string urlText(const QJsonValue& url)
{
    if (!url.isObject()) {
        return scalarText(url);
    }
    const QJsonObject parts = url.toObject();
    std::string text = textMember(parts, "raw");
    if (text.empty()) {
        text = urlFromParts(parts);
    }
    for (const auto& value : member(parts, "variable").toArray()) {
        const QJsonObject variable = value.toObject();
        const std::string key = textMember(variable, "key");
        if (key.empty()) {
            continue;
        }
        const std::string segment = concat({"/:", key});
        const std::string replacement = concat({"/", textMember(variable, "value")});
        size_t at = text.find(segment);
        while (at != std::string::npos) {
            const size_t after = at + segment.size();
            const bool wholeSegment =
                after == text.size() || text[after] == '/' || text[after] == '?' || text[after] == '#';
            if (wholeSegment) {
                text.replace(at, segment.size(), replacement);
                at = text.find(segment, at + replacement.size());
            } else {
                at = text.find(segment, after);
            }
        }
    }
    return text;
}

// v2.1 writes auth parameters as a list of {key, value}; v2.0 as an object.
std::string authParameter(const QJsonObject& auth, const std::string& type, const char* key)
{
    const QJsonValue parameters = auth.value(QString::fromStdString(type));
    if (parameters.isObject()) {
        return textMember(parameters.toObject(), key);
    }
    for (const auto& value : parameters.toArray()) {
        const QJsonObject parameter = value.toObject();
        if (textMember(parameter, "key") == key) {
            return textMember(parameter, "value");
        }
    }
    return {};
}

// The auth that applies at a level of the collection, and where it was set (for notes).
struct InheritedAuth {
    QJsonObject auth; // "noauth" kept: it stops the search for the levels inside
    std::string owner;
};

// A level's own auth replaces the inherited one; none, null or "inherit" keeps it.
InheritedAuth inherit(const InheritedAuth& outer, const QJsonValue& own, const std::string& owner)
{
    const QJsonObject auth = own.toObject();
    const std::string type = textMember(auth, "type");
    if (type.empty() || type == "inherit") {
        return outer;
    }
    return InheritedAuth{auth, owner};
}

class PostmanConverter {
public:
    explicit PostmanConverter(const QJsonObject& collection)
        : collection_(collection)
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
        const QJsonObject info = member(collection_, "info").toObject();
        const std::string schema = textMember(info, "schema");
        if (collection_.contains(QLatin1String("requests")) ||
            (schema.empty() && collection_.contains(QLatin1String("order")))) {
            return fail("this is a Postman Collection v1 export, which the import does not read; export the collection "
                        "again as Collection v2.1 (the collection's menu in Postman, Export)");
        }
        if (schema.empty()) {
            return fail(collection_.contains(QLatin1String("item"))
                            ? "the collection does not say its format (info.schema); export it again from Postman as "
                              "Collection v2.1"
                            : "this is not a Postman collection: it has no \"info\" and no \"item\" list");
        }
        if (schema.find("v2.1") == std::string::npos && schema.find("v2.0") == std::string::npos) {
            return fail(concat({"the collection format ", inQuotes(schema),
                                " is not supported; export it again from Postman as Collection v2.1"}));
        }

        readVariables();
        scenario_.name = textMember(info, "name");
        if (scenario_.name.empty()) {
            scenario_.name = "collection";
        }
        const std::string owner = concat({"collection ", inQuotes(scenario_.name)});
        noteScripts(collection_, owner);
        walk(member(collection_, "item").toArray(), std::string(), inherit({}, member(collection_, "auth"), owner));
        if (scenario_.steps.empty()) {
            return fail(concat({"none of the collection's requests can be imported",
                                result_.skipped.empty() ? std::string() : concat({"; ", result_.skipped.front()})}));
        }
        const std::string placeholders = constants_.placeholderNote(
            "the collection refers to variables it does not define (environment or global variables, which a "
            "collection export does not hold)");
        if (!placeholders.empty()) {
            result_.skipped.push_back(placeholders);
        }
        result_.workload.variables = constants_.values();
        result_.workload.scenarios.push_back(std::move(scenario_));
        return std::move(result_);
    }

private:
    // Enabled collection variables as constants. Constants are values, not templates, so a value
    // that refers to other collection variables is resolved here, as Postman would when sending.
    void readVariables()
    {
        std::vector<std::string> order;
        for (const auto& value : member(collection_, "variable").toArray()) {
            const QJsonObject variable = value.toObject();
            std::string name = textMember(variable, "key");
            if (name.empty()) {
                name = textMember(variable, "id"); // v2.0 collections name some variables by id
            }
            if (isDisabled(variable) || !scenario::isVariableName(name) || defined_.count(name) != 0) {
                continue;
            }
            defined_.emplace(name, textMember(variable, "value"));
            order.push_back(name);
        }
        std::map<std::string, std::string> resolved;
        for (const auto& [name, value] : defined_) {
            resolved.emplace(name, expanded(value));
        }
        defined_ = std::move(resolved);
        for (const std::string& name : order) {
            const std::string& value = defined_.at(name);
            if (holdsTemplateOpening(value)) {
                result_.skipped.push_back(concat({"Collection variable ", inQuotes(name), ": its value ", inQuotes(value),
                                                  " refers to variables the collection does not define; it is sent as "
                                                  "written, braces included"}));
            }
            constants_.add(name, value);
        }
    }

    // `text` with the collection's variables put in, as far as the collection defines them.
    std::string expanded(std::string text) const
    {
        for (int round = 0; round < kMaxVariableExpansions; ++round) {
            std::string next;
            size_t from = 0;
            bool changed = false;
            bool unterminated = false;
            while (const std::optional<Placeholder> placeholder = nextPlaceholder(text, from, &unterminated)) {
                next.append(text, from, placeholder->start - from);
                const auto found = defined_.find(std::string(placeholder->inside));
                if (found != defined_.end()) {
                    next.append(found->second);
                    changed = true;
                } else {
                    next.append(text, placeholder->start, placeholder->end - placeholder->start);
                }
                from = placeholder->end;
            }
            next.append(text, from);
            text = std::move(next);
            if (!changed) {
                break;
            }
        }
        return text;
    }

    // Postman's placeholders as Benchdeck writes them. Nothing, with `why`, for one that has no
    // Benchdeck equivalent. Variables the collection does not define are noted for the request.
    std::optional<std::string> rewrite(std::string_view text, std::string* why)
    {
        std::string rewritten;
        size_t from = 0;
        bool unterminated = false;
        while (const std::optional<Placeholder> placeholder = nextPlaceholder(text, from, &unterminated)) {
            rewritten.append(text.substr(from, placeholder->start - from));
            from = placeholder->end;
            const std::string_view inside = placeholder->inside;
            if (!inside.empty() && inside.front() == '$') {
                const std::optional<std::string_view> builtIn = builtInFor(inside);
                if (!builtIn) {
                    *why = concat({"it uses {{", inside, "}}, a Postman dynamic variable Benchdeck has no ",
                                   "equivalent for (Benchdeck has $uuid, $randomInt A B, $timestamp and $iteration)"});
                    return std::nullopt;
                }
                rewritten.append(*builtIn);
                continue;
            }
            if (!scenario::isVariableName(inside)) {
                *why = concat({"it uses {{", inside, "}}, which is not a Benchdeck variable name (letters, digits, ",
                               "_ . and -, not starting with a digit)"});
                return std::nullopt;
            }
            const std::string name(inside);
            if (defined_.count(name) == 0 && std::find(pendingPlaceholders_.begin(), pendingPlaceholders_.end(),
                                                       name) == pendingPlaceholders_.end()) {
                pendingPlaceholders_.push_back(name);
            }
            rewritten.append("{{").append(name).append("}}");
        }
        if (unterminated) {
            *why = "it holds a \"{{\" without a closing \"}}\", which a scenario would read as a broken {{variable}}";
            return std::nullopt;
        }
        rewritten.append(text.substr(from));
        return rewritten;
    }

    void walk(const QJsonArray& items, const std::string& folder, const InheritedAuth& auth)
    {
        for (const auto& value : items) {
            const QJsonObject item = value.toObject();
            const std::string name = textMember(item, "name");
            if (!item.contains(QLatin1String("item"))) {
                addRequest(item, folder, auth);
                continue;
            }
            const std::string path = folder.empty() ? name : concat({folder, "/", name});
            const std::string owner = concat({"folder ", inQuotes(path)});
            noteScripts(item, owner);
            walk(member(item, "item").toArray(), path, inherit(auth, member(item, "auth"), owner));
        }
    }

    // One note per item that has scripts with code in them: Postman exports empty ones too.
    void noteScripts(const QJsonObject& item, const std::string& owner)
    {
        std::vector<std::string> kinds;
        for (const auto& value : member(item, "event").toArray()) {
            const QJsonObject event = value.toObject();
            const QJsonValue exec = member(member(event, "script").toObject(), "exec");
            std::string source;
            for (const auto& line : exec.toArray()) {
                source.append(scalarText(line)).append("\n");
            }
            source.append(scalarText(exec.isArray() ? QJsonValue() : exec));
            if (isDisabled(event) || trimmed(source).empty()) {
                continue;
            }
            std::string kind = textMember(event, "listen");
            kind = kind.empty() ? "event" : kind;
            if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
                kinds.push_back(kind);
            }
        }
        if (kinds.empty()) {
            return;
        }
        const std::string which = concat({"its ", joined(kinds, " and "), kinds.size() == 1 ? " script" : " scripts"});
        result_.skipped.push_back(
            concat({owner, ": scripts are not run: ", which, "; add extractors and checks to the scenario instead"}));
    }

    void addRequest(const QJsonObject& item, const std::string& folder, const InheritedAuth& inherited)
    {
        pendingNotes_.clear();
        pendingPlaceholders_.clear();
        pendingAuthOwner_.clear();
        const std::string name = textMember(item, "name").empty() ? std::string("request") : textMember(item, "name");
        const std::string path = folder.empty() ? name : concat({folder, "/", name});
        const QJsonValue requestValue = member(item, "request");
        const QJsonObject request = requestValue.toObject(); // a bare string is a GET of that URL
        const std::string method = request.isEmpty() ? std::string("GET") : upperCase(textMember(request, "method"));
        const std::string label = requestLabel(method.empty() ? "GET" : method, path);
        const auto skip = [&](std::string_view why) {
            result_.skipped.push_back(concat({label, ": left out: ", why}));
        };
        noteScripts(item, label);

        scenario::Step step;
        step.method = method.empty() ? "GET" : method;
        if (!isMethodToken(step.method)) {
            return skip(concat({"its method ", inQuotes(step.method), " is not letters only"}));
        }
        const std::string url = request.isEmpty() ? scalarText(requestValue) : urlText(member(request, "url"));
        if (url.empty()) {
            return skip("it has no URL");
        }
        std::string why;
        // Spaces are encoded before the placeholders are rewritten: Benchdeck's built-ins have spaces
        // of their own ({{$randomInt 0 1000}}).
        std::optional<std::string> target = rewrite(spacesEncoded(url), &why);
        if (!target) {
            return skip(why);
        }
        for (const auto& value : member(request, "header").toArray()) {
            const QJsonObject header = value.toObject();
            const std::string key = textMember(header, "key");
            if (isDisabled(header) || key.empty() || isTransportHeader(key)) {
                continue;
            }
            if (!isHeaderName(key)) {
                pendingNotes_.push_back(concat(
                    {label, ": the header ", inQuotes(key), " was left out: its name is not a valid HTTP header name"}));
                continue;
            }
            const std::optional<std::string> headerValue = rewrite(textMember(header, "value"), &why);
            if (!headerValue) {
                return skip(why);
            }
            if (holdsLineBreak(*headerValue)) {
                pendingNotes_.push_back(
                    concat({label, ": the header ", inQuotes(key), " was left out: its value holds a line break"}));
                continue;
            }
            step.headers.push_back({key, *headerValue});
        }
        if (!addBody(member(request, "body").toObject(), label, step, &why)) {
            return skip(why);
        }
        const InheritedAuth auth = inherit(inherited, member(request, "auth"), label);
        if (!addAuth(auth, label, step, *target, &why)) {
            return skip(why);
        }

        // Postman sends a URL without a scheme over http.
        if (!startsWithIgnoringCase(*target, "http://") && !startsWithIgnoringCase(*target, "https://") &&
            !target->starts_with("{{")) {
            target->insert(0, "http://");
        }
        const std::string rendered = expanded(*target);
        const std::optional<WebUrl> server = parseWebUrl(rendered);
        if (!server || holdsTemplateOpening(server->origin)) {
            bool unterminated = false;
            const std::optional<Placeholder> first = nextPlaceholder(rendered, 0, &unterminated);
            if (first && first->start < rendered.find('/', rendered.find("://") + 3)) {
                return skip(concat({"its server comes from {{", first->inside, "}}, which the collection does not ",
                                    "define (an environment variable?); add it to the collection's variables"}));
            }
            return skip(concat({"its URL ", inQuotes(shortened(rendered)), " is not an http or https URL"}));
        }
        if (origin_.empty()) {
            origin_ = server->origin; // the first step's server is the run's
        } else if (server->origin != origin_) {
            return skip(concat({"another server than ", origin_, "; a run talks to one server"}));
        }

        step.url = std::move(*target);
        step.name = names_.unique(path);
        scenario_.steps.push_back(std::move(step));
        for (const std::string& placeholder : pendingPlaceholders_) {
            constants_.addPlaceholder(placeholder);
        }
        for (std::string& note : pendingNotes_) {
            result_.skipped.push_back(std::move(note));
        }
        if (!pendingAuthOwner_.empty()) {
            notedAuth_.insert(pendingAuthOwner_);
        }
    }

    // False, with `why`, when the request has to be left out; a body that cannot be sent as Postman
    // would leaves the step without one and says so.
    bool addBody(const QJsonObject& body, const std::string& label, scenario::Step& step, std::string* why)
    {
        if (body.isEmpty() || isDisabled(body)) {
            return true;
        }
        const std::string mode = textMember(body, "mode");
        const auto withoutBody = [&](std::string_view reason) {
            pendingNotes_.push_back(concat({label, ": sent without a body: ", reason}));
            return true;
        };
        const auto setContentType = [&](const char* type, bool replace) {
            if (replace) {
                removeHeaders(step.headers, "Content-Type");
            }
            if (!findHeader(step.headers, "Content-Type")) {
                step.headers.push_back({"Content-Type", type});
            }
        };
        if (mode == "raw") {
            const std::optional<std::string> text = rewrite(textMember(body, "raw"), why);
            if (!text) {
                return false;
            }
            step.body = *text;
            const QJsonObject options = member(member(body, "options").toObject(), "raw").toObject();
            if (const char* type = contentTypeFor(textMember(options, "language")); type && !step.body.empty()) {
                setContentType(type, false);
            }
            return true;
        }
        if (mode == "urlencoded" || mode == "formdata") {
            const QJsonArray fields = member(body, mode.c_str()).toArray();
            std::vector<std::string> files;
            std::vector<std::string> pairs;
            for (const auto& value : fields) {
                const QJsonObject field = value.toObject();
                const std::string key = textMember(field, "key");
                if (isDisabled(field) || key.empty()) {
                    continue;
                }
                if (textMember(field, "type") == "file") {
                    files.push_back(inQuotes(key));
                    continue;
                }
                const std::optional<std::string> name = rewrite(key, why);
                const std::optional<std::string> text = name ? rewrite(textMember(field, "value"), why) : std::nullopt;
                if (!text) {
                    return false;
                }
                pairs.push_back(concat({encodedTemplate(*name), "=", encodedTemplate(*text)}));
            }
            if (!files.empty()) {
                return withoutBody(concat({"its form has the file field", files.size() == 1 ? " " : "s ",
                                           joined(files, ", "), ", and the import cannot send files"}));
            }
            step.body = joined(pairs, "&");
            setContentType("application/x-www-form-urlencoded", mode == "formdata");
            if (mode == "formdata" && !pairs.empty()) {
                pendingNotes_.push_back(
                    concat({label, ": its multipart form (form-data) is sent URL-encoded ",
                            "(application/x-www-form-urlencoded), which the server may not accept"}));
            }
            return true;
        }
        if (mode == "graphql") {
            const QJsonObject graphql = member(body, "graphql").toObject();
            const std::string variables(trimmed(textMember(graphql, "variables")));
            QJsonParseError parseError;
            const QJsonDocument parsed = QJsonDocument::fromJson(QByteArray::fromStdString(variables), &parseError);
            std::string variablesJson = "{}";
            if (parseError.error == QJsonParseError::NoError && parsed.isObject()) {
                variablesJson = compactJson(parsed.object());
            } else if (holdsTemplateOpening(variables)) {
                variablesJson = variables; // {"id": {{itemId}}} is JSON only once rendered: kept as written
            }
            const std::string document = concat({"{\"query\":", compactJson(member(graphql, "query").toString()),
                                                 ",\"variables\":", variablesJson, "}"});
            const std::optional<std::string> text = rewrite(document, why);
            if (!text) {
                return false;
            }
            step.body = *text;
            setContentType("application/json", false);
            return true;
        }
        if (mode == "file") {
            return withoutBody("its body is a file, and the import cannot send files");
        }
        return mode.empty() ? true
                            : withoutBody(concat({"the body mode ", inQuotes(mode), " is not one the import converts"}));
    }

    // Bearer, basic with literal credentials and API keys, unless the request sets the header itself.
    bool addAuth(const InheritedAuth& inherited, const std::string& label, scenario::Step& step, std::string& target,
                 std::string* why)
    {
        const std::string type = textMember(inherited.auth, "type");
        if (type.empty() || type == "noauth") {
            return true;
        }
        const auto parameter = [&](const char* key) { return authParameter(inherited.auth, type, key); };
        const bool ownAuthorization = findHeader(step.headers, "Authorization") != nullptr;
        if (type == "bearer") {
            const std::optional<std::string> token = rewrite(parameter("token"), why);
            if (!token) {
                return false;
            }
            if (!ownAuthorization) {
                step.headers.push_back({"Authorization", concat({"Bearer ", *token})});
            }
            return true;
        }
        if (type == "basic") {
            const std::string user = parameter("username");
            const std::string password = parameter("password");
            if (holdsTemplateOpening(user) || holdsTemplateOpening(password)) {
                pendingNotes_.push_back(concat({label, ": sent without its basic auth: the user name or password is ",
                                                "a {{variable}}, and the header needs them base64-encoded before the ",
                                                "run; set the Authorization header by hand"}));
            } else if (!ownAuthorization) {
                const QByteArray credentials = QByteArray::fromStdString(concat({user, ":", password})).toBase64();
                step.headers.push_back({"Authorization", concat({"Basic ", credentials.toStdString()})});
            }
            return true;
        }
        if (type == "apikey") {
            const std::string key = parameter("key");
            const std::optional<std::string> value = rewrite(parameter("value"), why);
            if (!value) {
                return false;
            }
            if (parameter("in") == "query") {
                target.append(target.find('?') == std::string::npos ? "?" : "&")
                    .append(encodedTemplate(key))
                    .append("=")
                    .append(encodedTemplate(*value));
            } else if (!isHeaderName(key) || holdsLineBreak(*value)) {
                pendingNotes_.push_back(concat(
                    {label, ": sent without its API key: ", inQuotes(key), " is not a header Benchdeck can send"}));
            } else if (!findHeader(step.headers, key)) {
                step.headers.push_back({key, *value});
            }
            return true;
        }
        if (notedAuth_.count(inherited.owner) == 0) {
            pendingAuthOwner_ = inherited.owner;
            pendingNotes_.push_back(
                concat({inherited.owner, ": its ", type, " authentication is not converted; ",
                        "requests are sent without it unless you add the header it needs by hand"}));
        }
        return true;
    }

    const QJsonObject& collection_;
    std::map<std::string, std::string> defined_; // enabled collection variables, their values resolved
    Constants constants_;
    StepNames names_;
    std::string origin_;
    std::set<std::string> notedAuth_; // owners whose unsupported auth was reported
    // About the request being converted: reported, and placeholders added, only if it is kept.
    std::vector<std::string> pendingNotes_;
    std::vector<std::string> pendingPlaceholders_;
    std::string pendingAuthOwner_;
    scenario::Scenario scenario_;
    ImportResult result_;
};

} // namespace

std::optional<ImportResult> importPostman(const QByteArray& text, std::string* error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error) {
            *error = concat({"the collection is not valid JSON: ", jsonErrorText(text, parseError)});
        }
        return std::nullopt;
    }
    if (!document.isObject()) {
        if (error) {
            *error = "this is not a Postman collection: its top level is not an object";
        }
        return std::nullopt;
    }
    const QJsonObject collection = document.object();
    return PostmanConverter(collection).convert(error);
}

} // namespace benchdeck::importers
