// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the HAR, OpenAPI and Postman importers share: URLs split into the server a run talks to and
// the rest, step names made unique, form encoding, header rules, and the constants a user has to
// fill in before the imported workload measures anything real.

#include "scenario/scenario.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace benchdeck::importers {

// What a constant holds when the source names it but not its value (a token, an environment
// variable): text that fails loudly at the server rather than a guess that might pass.
inline constexpr std::string_view kPlaceholderValue = "REPLACE_ME";

// Messages are built by appending: GCC 12 warns falsely (-Wrestrict) on `"text" + std::string`.
std::string concat(std::initializer_list<std::string_view> parts);
std::string inQuotes(std::string_view text);
// Long URLs (data: URLs run to megabytes) cut to `limit` characters with "..." so a note stays a line.
std::string shortened(std::string_view text, size_t limit = 100);

// "POST /api/cart": how notes name a request.
std::string requestLabel(std::string_view method, std::string_view target);

// An absolute http(s) URL taken apart. The origin is what a run keeps its connections to, so two
// spellings of one server ("HTTPS://Shop.example:443" and "https://shop.example") give one origin.
struct WebUrl {
    std::string scheme; // "http" or "https"
    std::string origin; // "https://shop.example.test", "http://127.0.0.1:8080": lower case, default port left out
    std::string path;   // "/" at least, percent-encoding as written
    std::string query;  // after '?', without it
    bool hasQuery = false;

    std::string pathAndQuery() const;
};

// Nothing for other schemes, a missing host or a port that is no number. User info is dropped: a
// replay sends credentials as headers, not in the URL. The fragment is dropped: it is never sent.
std::optional<WebUrl> parseWebUrl(std::string_view url);
// The scheme before ':' in lower case ("data", "chrome-extension"); empty when the text has none.
std::string schemeOf(std::string_view url);

std::string lowerCase(std::string_view text);
std::string upperCase(std::string_view text);
bool equalsIgnoringCase(std::string_view a, std::string_view b);
bool startsWithIgnoringCase(std::string_view text, std::string_view prefix);

std::string joined(const std::vector<std::string>& parts, std::string_view separator);

// Letters only, as a scenario's methods are.
bool isMethodToken(std::string_view method);
// RFC 9110 token characters, which a scenario's header names must be.
bool isHeaderName(std::string_view name);
bool holdsLineBreak(std::string_view text);
// "{{" starts a placeholder in every template of a scenario, and the format has no escape for it.
bool holdsTemplateOpening(std::string_view text);
// Headers that Benchdeck or the transport writes for every request (Host, Content-Length,
// Connection, Transfer-Encoding, Keep-Alive, Upgrade, TE): a copied one would contradict them.
bool isTransportHeader(std::string_view name);
// The first header of that name, without regard to case; null when there is none.
const scenario::Header* findHeader(const std::vector<scenario::Header>& headers, std::string_view name);
void removeHeaders(std::vector<scenario::Header>& headers, std::string_view name);

// Percent-encoding with RFC 3986's unreserved characters kept; `spaceAsPlus` for form bodies.
std::string percentEncode(std::string_view text, bool spaceAsPlus);
// "a=1&b=x+y": application/x-www-form-urlencoded, names and values encoded.
std::string formUrlEncoded(const std::vector<std::pair<std::string, std::string>>& fields);

// A member of an object as scalarText() gives it: "" when absent, numbers as text (Postman writes
// some values as numbers).
std::string textMember(const QJsonObject& object, const char* key);
// A JSON value as compact JSON text, strings quoted: what a body or an equals check holds.
std::string compactJson(const QJsonValue& value);
// A value as it lands in a URL or header: a string's own text, numbers and booleans as JSON writes
// them ("1", "2.5", "true"), objects and arrays as compact JSON, null as nothing.
std::string scalarText(const QJsonValue& value);
// "line 3, column 14: unterminated string": a JSON syntax error placed as an editor shows it.
std::string jsonErrorText(const QByteArray& text, const QJsonParseError& error);

scenario::Check statusCheck(std::vector<int> statuses);

// Step names must be unique within a scenario (reports and thresholds name steps by them): the
// second "GET /items" becomes "GET /items (2)".
class StepNames {
public:
    std::string unique(std::string_view wanted);

private:
    std::set<std::string, std::less<>> taken_;
};

// The workload's constants while an importer collects them: each name once, in the order added,
// and a record of those that hold kPlaceholderValue so one note can list them all.
class Constants {
public:
    const std::string* find(std::string_view name) const;
    // True when `name` holds `value` afterwards (added now, or there already); false when the name
    // is taken by another value, which the caller has to work around.
    bool add(std::string_view name, std::string_view value);
    // `name` with kPlaceholderValue, unless it is defined already.
    void addPlaceholder(std::string_view name);
    bool hasPlaceholders() const { return !placeholders_.empty(); }
    // "Fill in the constants "token" and "api_key" in "variables" before a run: they hold
    // REPLACE_ME because <why>." Empty when nothing needs filling in.
    std::string placeholderNote(std::string_view why) const;
    const std::vector<std::pair<std::string, std::string>>& values() const { return values_; }

private:
    std::vector<std::pair<std::string, std::string>> values_;
    std::vector<std::string> placeholders_;
};

} // namespace benchdeck::importers
