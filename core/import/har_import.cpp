// SPDX-License-Identifier: Apache-2.0
#include "har_import.h"

#include "import_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace benchdeck::importers {
namespace {

constexpr std::string_view kBaseVariable = "base";
constexpr std::string_view kDefaultScenarioName = "recorded";

constexpr std::array<std::string_view, 16> kStaticExtensions = {".png",   ".jpg", ".jpeg", ".gif", ".svg", ".ico",
                                                                ".webp",  ".css", ".js",   ".mjs", ".map", ".woff",
                                                                ".woff2", ".ttf", ".otf",  ".eot"};
constexpr std::array<std::string_view, 4> kStaticTypes = {"text/css", "text/javascript", "application/javascript",
                                                          "application/x-javascript"};
// Recorded by the browser for its cache and its decompressor: a replay has neither.
constexpr std::array<std::string_view, 3> kBrowserOnlyHeaders = {"accept-encoding", "if-none-match",
                                                                 "if-modified-since"};

// What one HAR entry holds that a step needs.
struct Recorded {
    std::string method;
    std::string url;
    QJsonObject request;
    QJsonObject response;
    std::optional<WebUrl> parsed; // http(s) URLs only
    bool isStatic = false;

    std::string label() const { return requestLabel(method, shortened(url)); }
    // The recorded status; nothing when the entry has no response status.
    std::optional<int> status() const
    {
        const QJsonValue status = response.value(QLatin1String("status"));
        return status.isDouble() ? std::optional<int>(status.toInt()) : std::nullopt;
    }
};

// By the answer's media type first, as the browser saw it; by the path's extension when the
// recording has no type (cancelled requests, some Firefox exports).
bool isStaticAsset(const QJsonObject& response, const WebUrl& url)
{
    std::string type = lowerCase(textMember(response.value(QLatin1String("content")).toObject(), "mimeType"));
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') {
        type.pop_back();
    }
    if (type.starts_with("image/") || type.starts_with("font/") ||
        std::find(kStaticTypes.begin(), kStaticTypes.end(), type) != kStaticTypes.end()) {
        return true;
    }
    const std::string path = lowerCase(url.path);
    return std::any_of(kStaticExtensions.begin(), kStaticExtensions.end(),
                       [&](std::string_view extension) { return path.ends_with(extension); });
}

// Why a URL the browser fetched is no HTTP request a run could send.
std::string notHttpReason(const std::string& scheme)
{
    if (scheme == "data") {
        return "a data: URL, which the browser decodes itself; there is no request to replay";
    }
    if (scheme == "blob") {
        return "a blob: URL, which exists only inside the browser; there is no request to replay";
    }
    if (scheme == "ws" || scheme == "wss") {
        return concat({"a WebSocket (", scheme, ":); only HTTP requests can be replayed"});
    }
    if (scheme.empty()) {
        return "not an absolute URL; only http and https requests can be replayed";
    }
    return concat({"a ", scheme, ": URL; only http and https requests can be replayed"});
}

std::vector<Recorded> readEntries(const QJsonArray& entries)
{
    std::vector<Recorded> recorded;
    for (const auto& value : entries) {
        const QJsonObject entry = value.toObject();
        Recorded one;
        one.request = entry.value(QLatin1String("request")).toObject();
        one.response = entry.value(QLatin1String("response")).toObject();
        one.method = upperCase(textMember(one.request, "method"));
        one.url = textMember(one.request, "url");
        one.parsed = parseWebUrl(one.url);
        one.isStatic = one.parsed && isStaticAsset(one.response, *one.parsed);
        recorded.push_back(std::move(one));
    }
    return recorded;
}

// The server the page talked to: that of its first request that is not a static asset (the
// document itself, usually), so that a CDN serving the first stylesheet does not become the target.
std::optional<std::string> pageOrigin(const std::vector<Recorded>& entries, bool includeStatic)
{
    for (const Recorded& entry : entries) {
        if (entry.parsed && !entry.isStatic) {
            return entry.parsed->origin;
        }
    }
    if (includeStatic) {
        for (const Recorded& entry : entries) {
            if (entry.parsed) {
                return entry.parsed->origin;
            }
        }
    }
    return std::nullopt;
}

class HarConverter {
public:
    HarConverter(const HarOptions& options, std::string origin, std::vector<std::string>& skipped)
        : options_(options)
        , origin_(std::move(origin))
        , skipped_(skipped)
    {
    }

    // The step for one entry; nothing, with a line in `skipped`, when it is left out.
    std::optional<scenario::Step> convert(const Recorded& entry)
    {
        if (!entry.parsed) {
            return skip(entry, notHttpReason(schemeOf(entry.url)));
        }
        if (entry.isStatic && !options_.includeStatic) {
            return skip(entry, "a static asset (use --include-static to keep it)");
        }
        if (entry.parsed->origin != origin_) {
            return skip(entry, concat({"another server than ", origin_, "; a run talks to one server"}));
        }
        if (!isMethodToken(entry.method)) {
            return skip(entry, concat({"the method ", inQuotes(entry.method), " is not letters only"}));
        }
        const std::optional<int> status = entry.status();
        if (status == 0) {
            return skip(entry, "the browser cancelled or blocked it (status 0), so there is no answer to replay");
        }
        const std::string target = entry.parsed->pathAndQuery();
        const bool unsendable = std::any_of(target.begin(), target.end(), [](char c) {
            const auto byte = static_cast<unsigned char>(c);
            return byte <= 0x20 || byte == 0x7f; // 0x20: a space would end the request line
        });
        if (unsendable) {
            return skip(entry, "its URL holds a space or a control character, which cannot be sent as recorded");
        }

        scenario::Step step;
        step.method = entry.method;
        step.url = concat({"{{", kBaseVariable, "}}", target});
        step.headers = headers(entry);
        step.body = body(entry, step.headers);
        const bool holdsBraces =
            holdsTemplateOpening(target) || holdsTemplateOpening(step.body) ||
            std::any_of(step.headers.begin(), step.headers.end(),
                        [](const scenario::Header& header) { return holdsTemplateOpening(header.value); });
        if (holdsBraces) {
            return skip(entry, "it holds \"{{\", which a scenario reads as the start of a {{variable}}, and the "
                               "scenario format has no way to escape it");
        }
        if (status && *status >= 100 && *status <= 599) {
            // The replay has no cache to revalidate, so the server answers in full.
            step.checks.push_back(statusCheck(*status == 304 ? std::vector<int>{200, 304} : std::vector<int>{*status}));
        }
        step.name = names_.unique(requestLabel(entry.method, entry.parsed->path));
        for (std::string& note : pendingNotes_) {
            skipped_.push_back(std::move(note));
        }
        pendingNotes_.clear();
        return step;
    }

private:
    std::optional<scenario::Step> skip(const Recorded& entry, std::string_view why)
    {
        pendingNotes_.clear();
        skipped_.push_back(concat({entry.label(), ": ", why}));
        return std::nullopt;
    }

    // In the recorded order, repeats kept (the list form of headers keeps both), Cookie as sent.
    std::vector<scenario::Header> headers(const Recorded& entry)
    {
        std::vector<scenario::Header> kept;
        for (const auto& value : entry.request.value(QLatin1String("headers")).toArray()) {
            const QJsonObject header = value.toObject();
            const std::string name = textMember(header, "name");
            const std::string headerValue = textMember(header, "value");
            // HTTP/2 pseudo-headers (":authority", ":path") are the request line in another form.
            if (name.empty() || name.front() == ':' || isTransportHeader(name) ||
                std::find(kBrowserOnlyHeaders.begin(), kBrowserOnlyHeaders.end(), lowerCase(name)) !=
                    kBrowserOnlyHeaders.end()) {
                continue;
            }
            if (!isHeaderName(name)) {
                pendingNotes_.push_back(concat({entry.label(), ": the header ", inQuotes(name),
                                                " was left out: its name is not a valid HTTP header name"}));
                continue;
            }
            if (holdsLineBreak(headerValue)) {
                pendingNotes_.push_back(concat(
                    {entry.label(), ": the header ", inQuotes(name), " was left out: its value holds a line break"}));
                continue;
            }
            kept.push_back({name, headerValue});
        }
        return kept;
    }

    // The recorded text; a form the browser recorded as parameters only is encoded again.
    std::string body(const Recorded& entry, std::vector<scenario::Header>& headers)
    {
        const QJsonObject postData = entry.request.value(QLatin1String("postData")).toObject();
        const std::string mimeType = textMember(postData, "mimeType");
        std::string sent = textMember(postData, "text");
        const QJsonArray params = postData.value(QLatin1String("params")).toArray();
        if (sent.empty() && !params.isEmpty()) {
            if (startsWithIgnoringCase(mimeType, "multipart/")) {
                pendingNotes_.push_back(concat({entry.label(), ": its multipart form was recorded without its ",
                                                "bytes, so the step is sent without a body"}));
                return {};
            }
            std::vector<std::pair<std::string, std::string>> fields;
            for (const auto& param : params) {
                const QJsonObject field = param.toObject();
                fields.emplace_back(textMember(field, "name"), textMember(field, "value"));
            }
            sent = formUrlEncoded(fields);
            if (!findHeader(headers, "Content-Type")) {
                headers.push_back({"Content-Type", mimeType.empty() ? "application/x-www-form-urlencoded" : mimeType});
            }
        }
        if (!sent.empty() && !mimeType.empty() && !findHeader(headers, "Content-Type")) {
            headers.push_back({"Content-Type", mimeType});
        }
        return sent;
    }

    const HarOptions& options_;
    std::string origin_;
    std::vector<std::string>& skipped_;
    std::vector<std::string> pendingNotes_; // about a step's headers or body: reported only if the step is kept
    StepNames names_;
};

} // namespace

std::optional<ImportResult> importHar(const QByteArray& text, const HarOptions& options, std::string* error)
{
    const auto fail = [&](std::string message) -> std::optional<ImportResult> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(concat({"the HAR file is not valid JSON: ", jsonErrorText(text, parseError)}));
    }
    const QJsonObject log = document.object().value(QLatin1String("log")).toObject();
    const QJsonValue entriesValue = log.value(QLatin1String("entries"));
    if (!entriesValue.isArray()) {
        return fail("this is not a HAR file: it has no \"log\" with a list of \"entries\"");
    }
    const std::vector<Recorded> entries = readEntries(entriesValue.toArray());
    const std::optional<std::string> origin = pageOrigin(entries, options.includeStatic);
    if (!origin) {
        if (entries.empty()) {
            return fail("the HAR file holds no requests: record again with the developer tools open");
        }
        return fail(options.includeStatic ? "the HAR file holds no http or https request, so there is nothing to replay"
                                          : "the HAR file holds no http or https request other than static assets, "
                                            "so there is nothing to replay (use --include-static to replay those)");
    }

    ImportResult result;
    scenario::Scenario recorded;
    recorded.name = textMember(log.value(QLatin1String("pages")).toArray().at(0).toObject(), "title");
    if (recorded.name.empty()) {
        recorded.name = kDefaultScenarioName;
    }
    HarConverter converter(options, *origin, result.skipped);
    for (const Recorded& entry : entries) {
        if (std::optional<scenario::Step> step = converter.convert(entry)) {
            recorded.steps.push_back(std::move(*step));
        }
    }
    if (recorded.steps.empty()) {
        return fail(concat({"none of the ", std::to_string(entries.size()),
                            " requests in the HAR file can be replayed; the first was left out: ",
                            result.skipped.empty() ? std::string("unusable") : result.skipped.front()}));
    }
    result.workload.variables.emplace_back(std::string(kBaseVariable), *origin);
    result.workload.scenarios.push_back(std::move(recorded));
    return result;
}

} // namespace benchdeck::importers
