// SPDX-License-Identifier: Apache-2.0
#include "import_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <array>

namespace benchdeck::importers {
namespace {

char lowered(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c) || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

// A port as a URL may write it: 1 to 5 digits, at most 65535.
bool isPort(std::string_view port)
{
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), isDigit)) {
        return false;
    }
    return std::stoi(std::string(port)) <= 65535;
}

} // namespace

std::string concat(std::initializer_list<std::string_view> parts)
{
    std::string text;
    for (const std::string_view part : parts) {
        text.append(part);
    }
    return text;
}

std::string inQuotes(std::string_view text)
{
    return concat({"\"", text, "\""});
}

std::string shortened(std::string_view text, size_t limit)
{
    if (text.size() <= limit) {
        return std::string(text);
    }
    return concat({text.substr(0, limit), "..."});
}

std::string requestLabel(std::string_view method, std::string_view target)
{
    return concat({method, " ", target});
}

std::string WebUrl::pathAndQuery() const
{
    return hasQuery ? concat({path, "?", query}) : path;
}

std::optional<WebUrl> parseWebUrl(std::string_view url)
{
    const size_t schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos) {
        return std::nullopt;
    }
    WebUrl parsed;
    parsed.scheme = lowerCase(url.substr(0, schemeEnd));
    if (parsed.scheme != "http" && parsed.scheme != "https") {
        return std::nullopt;
    }
    const size_t authorityStart = schemeEnd + 3;
    const size_t authorityEnd = std::min(url.find_first_of("/?#", authorityStart), url.size());
    std::string_view authority = url.substr(authorityStart, authorityEnd - authorityStart);
    if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);
    }
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') { // an IPv6 literal holds colons of its own
        const size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        host = authority.substr(0, close + 1);
        const std::string_view rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') {
                return std::nullopt;
            }
            port = rest.substr(1);
        }
    } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty() || host.find_first_of(" \t\r\n") != std::string_view::npos) {
        return std::nullopt;
    }
    if (!port.empty() && !isPort(port)) {
        return std::nullopt;
    }
    const std::string_view defaultPort = parsed.scheme == "https" ? "443" : "80";
    parsed.origin = concat({parsed.scheme, "://", lowerCase(host)});
    if (!port.empty() && port != defaultPort) {
        parsed.origin.append(":").append(port);
    }
    std::string_view rest = url.substr(authorityEnd);
    rest = rest.substr(0, rest.find('#'));
    const size_t question = rest.find('?');
    parsed.path = std::string(rest.substr(0, question));
    if (parsed.path.empty()) {
        parsed.path = "/";
    }
    if (question != std::string_view::npos) {
        parsed.hasQuery = true;
        parsed.query = std::string(rest.substr(question + 1));
    }
    return parsed;
}

std::string schemeOf(std::string_view url)
{
    const size_t colon = url.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        return {};
    }
    const std::string_view scheme = url.substr(0, colon);
    const bool valid = std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c) || c == '+' || c == '-' || c == '.';
    });
    return valid ? lowerCase(scheme) : std::string();
}

std::string lowerCase(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), lowered);
    return lower;
}

std::string upperCase(std::string_view text)
{
    std::string upper(text);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c; });
    return upper;
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator)
{
    std::string all;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            all.append(separator);
        }
        all.append(parts[i]);
    }
    return all;
}

bool isMethodToken(std::string_view method)
{
    return !method.empty() && std::all_of(method.begin(), method.end(),
                                          [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lowered(x) == lowered(y); });
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() && equalsIgnoringCase(text.substr(0, prefix.size()), prefix);
}

bool isHeaderName(std::string_view name)
{
    static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) ||
               kSymbols.find(c) != std::string_view::npos;
    });
}

bool holdsLineBreak(std::string_view text)
{
    return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool holdsTemplateOpening(std::string_view text)
{
    return text.find("{{") != std::string_view::npos;
}

bool isTransportHeader(std::string_view name)
{
    static constexpr std::array<std::string_view, 7> kWrittenByTransport = {
        "host", "content-length", "connection", "transfer-encoding", "keep-alive", "upgrade", "te"};
    return std::any_of(kWrittenByTransport.begin(), kWrittenByTransport.end(),
                       [&](std::string_view known) { return equalsIgnoringCase(name, known); });
}

const scenario::Header* findHeader(const std::vector<scenario::Header>& headers, std::string_view name)
{
    const auto found = std::find_if(headers.begin(), headers.end(), [&](const scenario::Header& header) {
        return equalsIgnoringCase(header.name, name);
    });
    return found == headers.end() ? nullptr : &*found;
}

void removeHeaders(std::vector<scenario::Header>& headers, std::string_view name)
{
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [&](const scenario::Header& header) { return equalsIgnoringCase(header.name, name); }),
                  headers.end());
}

std::string percentEncode(std::string_view text, bool spaceAsPlus)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string encoded;
    encoded.reserve(text.size());
    for (const char c : text) {
        if (isUnreserved(c)) {
            encoded.push_back(c);
        } else if (c == ' ' && spaceAsPlus) {
            encoded.push_back('+');
        } else {
            const auto byte = static_cast<unsigned char>(c);
            encoded.push_back('%');
            encoded.push_back(kHex[byte >> 4]);
            encoded.push_back(kHex[byte & 0x0f]);
        }
    }
    return encoded;
}

std::string formUrlEncoded(const std::vector<std::pair<std::string, std::string>>& fields)
{
    std::string body;
    for (const auto& [name, value] : fields) {
        if (!body.empty()) {
            body.push_back('&');
        }
        body.append(percentEncode(name, true)).append("=").append(percentEncode(value, true));
    }
    return body;
}

std::string compactJson(const QJsonValue& value)
{
    if (value.isObject()) {
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).toStdString();
    }
    if (value.isArray()) {
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact).toStdString();
    }
    // QJsonDocument holds only objects and arrays: a one-element list gives Qt's text for one value.
    const QByteArray list = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return list.mid(1, list.size() - 2).toStdString();
}

std::string scalarText(const QJsonValue& value)
{
    if (value.isString()) {
        return value.toString().toStdString();
    }
    if (value.isNull() || value.isUndefined()) {
        return {};
    }
    return compactJson(value);
}

std::string textMember(const QJsonObject& object, const char* key)
{
    return scalarText(object.value(QLatin1String(key)));
}

std::string jsonErrorText(const QByteArray& text, const QJsonParseError& error)
{
    const qsizetype offset = std::clamp<qsizetype>(error.offset, 0, text.size());
    size_t line = 1;
    size_t column = 1;
    for (qsizetype i = 0; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(text.at(i));
        if (byte == '\n') {
            ++line;
            column = 1;
        } else if ((byte & 0xc0) != 0x80) { // continuation bytes of UTF-8 are part of the character before
            ++column;
        }
    }
    return concat(
        {"line ", std::to_string(line), ", column ", std::to_string(column), ": ", error.errorString().toStdString()});
}

scenario::Check statusCheck(std::vector<int> statuses)
{
    scenario::Check check;
    check.kind = scenario::CheckKind::StatusIn;
    check.statuses = std::move(statuses);
    return check;
}

std::string StepNames::unique(std::string_view wanted)
{
    std::string name(wanted);
    for (int copy = 2; taken_.count(name) != 0; ++copy) {
        name = concat({wanted, " (", std::to_string(copy), ")"});
    }
    taken_.insert(name);
    return name;
}

const std::string* Constants::find(std::string_view name) const
{
    const auto found =
        std::find_if(values_.begin(), values_.end(), [&](const auto& constant) { return constant.first == name; });
    return found == values_.end() ? nullptr : &found->second;
}

bool Constants::add(std::string_view name, std::string_view value)
{
    if (const std::string* existing = find(name)) {
        return *existing == value;
    }
    values_.emplace_back(std::string(name), std::string(value));
    return true;
}

void Constants::addPlaceholder(std::string_view name)
{
    if (find(name) != nullptr) {
        return;
    }
    values_.emplace_back(std::string(name), std::string(kPlaceholderValue));
    placeholders_.emplace_back(name);
}

std::string Constants::placeholderNote(std::string_view why) const
{
    if (placeholders_.empty()) {
        return {};
    }
    std::string names;
    for (size_t i = 0; i < placeholders_.size(); ++i) {
        if (i > 0) {
            names.append(i + 1 == placeholders_.size() ? " and " : ", ");
        }
        names.append(inQuotes(placeholders_[i]));
    }
    const bool one = placeholders_.size() == 1;
    return concat({"Fill in the constant", one ? " " : "s ", names, " in \"variables\" before a run: ",
                   one ? "it holds " : "they hold ", kPlaceholderValue, " because ", why, "."});
}

} // namespace benchdeck::importers
