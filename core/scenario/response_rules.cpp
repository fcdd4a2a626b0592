// SPDX-License-Identifier: Apache-2.0
#include "response_rules.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <system_error>

namespace benchdeck::scenario {
namespace {

char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

// Header names are ASCII and case-insensitive (RFC 9110); locale-free on purpose.
bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return asciiLower(x) == asciiLower(y); });
}

// An RFC 9110 token: what a header name can be, so a typo such as "Content-Type:" is reported
// when the scenario loads rather than extracting nothing on every response.
bool isHeaderName(std::string_view name)
{
    constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               kSymbols.find(c) != std::string_view::npos;
    });
}

// The slow path, and why regex stays out of checks: std::regex allocates its match state on every
// search and backtracks, where a JSON pointer scans the body once without allocating.
bool firstMatch(const std::regex& regex, bool takeGroupOne, std::string_view body, std::string& value)
{
    std::match_results<std::string_view::const_iterator> match;
    try {
        if (!std::regex_search(body.begin(), body.end(), match, regex)) {
            return false;
        }
    } catch (const std::regex_error&) {
        return false; // error_complexity or error_stack: the expression backtracked too far on this body
    }
    const auto& taken = match[takeGroupOne ? 1 : 0];
    if (!taken.matched) {
        return false;
    }
    value.assign(taken.first, taken.second);
    return true;
}

// Text as reports quote it, control characters escaped so a report line stays one line.
std::string quoted(std::string_view text)
{
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\x";
                out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
                out += kHex[static_cast<unsigned char>(c) & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

} // namespace

std::optional<CompiledExtractor> CompiledExtractor::compile(const Extractor& extractor, std::string* error)
{
    auto fail = [&](std::string message) -> std::optional<CompiledExtractor> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };
    CompiledExtractor compiled;
    compiled.variable_ = extractor.variable;
    compiled.from_ = extractor.from;
    switch (extractor.from) {
    case ExtractFrom::JsonPointer: {
        auto pointer = jsonPathToPointer(extractor.expression, error);
        if (!pointer) {
            return std::nullopt;
        }
        compiled.pointerOrHeader_ = std::move(*pointer);
        break;
    }
    case ExtractFrom::Regex: {
        if (extractor.expression.empty()) {
            return fail("a regex extractor needs a regular expression");
        }
        try {
            compiled.regex_.emplace(extractor.expression, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            std::string message = "the regular expression '";
            message.append(extractor.expression).append("' does not compile: ").append(e.what());
            return fail(std::move(message));
        }
        compiled.takesGroupOne_ = compiled.regex_->mark_count() > 0;
        break;
    }
    case ExtractFrom::Header:
        if (extractor.expression.empty()) {
            return fail("a header extractor needs the header's name");
        }
        if (!isHeaderName(extractor.expression)) {
            std::string message = "'";
            message.append(extractor.expression)
                .append("' is not a header name: write the name alone, as in X-Request-Id");
            return fail(std::move(message));
        }
        compiled.pointerOrHeader_ = extractor.expression;
        break;
    case ExtractFrom::Status: break;
    }
    return compiled;
}

bool CompiledExtractor::apply(const ResponseView& response, std::string& value) const
{
    switch (from_) {
    case ExtractFrom::JsonPointer: {
        const auto found = findJsonPointer(response.body, pointerOrHeader_);
        if (!found) {
            return false;
        }
        jsonValueText(*found, value);
        return true;
    }
    case ExtractFrom::Regex: return regex_ && firstMatch(*regex_, takesGroupOne_, response.body, value);
    case ExtractFrom::Header:
        for (const auto& [name, headerValue] : response.headers) {
            if (equalsIgnoringAsciiCase(name, pointerOrHeader_)) {
                value.assign(headerValue); // the first occurrence, as most servers mean it
                return true;
            }
        }
        return false;
    case ExtractFrom::Status: {
        std::array<char, 16> digits{};
        const auto [end, status] = std::to_chars(digits.data(), digits.data() + digits.size(), response.status);
        if (status != std::errc{}) {
            return false;
        }
        value.assign(digits.data(), end);
        return true;
    }
    }
    return false;
}

std::optional<CompiledCheck> CompiledCheck::compile(const Check& check, std::string* error)
{
    auto fail = [&](std::string message) -> std::optional<CompiledCheck> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };
    CompiledCheck compiled;
    compiled.kind_ = check.kind;
    switch (check.kind) {
    case CheckKind::StatusIn:
        if (check.statuses.empty()) {
            return fail("a status check needs at least one status, as in [200, 201]");
        }
        for (const int status : check.statuses) {
            if (status < 100 || status > 599) {
                std::string message = std::to_string(status);
                message.append(" is not an HTTP status: statuses are 100..599");
                return fail(std::move(message));
            }
        }
        compiled.statuses_ = check.statuses;
        break;
    case CheckKind::BodyContains:
        if (check.text.empty()) {
            return fail("a body-contains check needs the text to look for");
        }
        compiled.text_ = check.text;
        break;
    case CheckKind::JsonEquals: {
        auto pointer = jsonPathToPointer(check.pointer, error);
        if (!pointer) {
            return std::nullopt;
        }
        const auto expected = parseJsonValue(check.expected);
        if (!expected) {
            std::string message = "the expected value '";
            message.append(check.expected)
                .append("' is not JSON: write text in double quotes (\"abc\"), a number, true, false, "
                        "null, an object or an array");
            return fail(std::move(message));
        }
        compiled.pointer_ = std::move(*pointer);
        compiled.writtenPointer_ = check.pointer;
        compiled.expected_.assign(expected->raw);
        compiled.expectedType_ = expected->type;
        break;
    }
    }
    return compiled;
}

bool CompiledCheck::passes(const ResponseView& response) const
{
    switch (kind_) {
    case CheckKind::StatusIn: return std::find(statuses_.begin(), statuses_.end(), response.status) != statuses_.end();
    case CheckKind::BodyContains: return response.body.find(text_) != std::string_view::npos;
    case CheckKind::JsonEquals: {
        const auto found = findJsonPointer(response.body, pointer_);
        return found && jsonValuesEqual(*found, JsonValueView{expectedType_, expected_});
    }
    }
    return false;
}

std::string CompiledCheck::describe() const
{
    std::string text;
    switch (kind_) {
    case CheckKind::StatusIn:
        text = "status in {";
        for (size_t i = 0; i < statuses_.size(); ++i) {
            if (i > 0) {
                text += ", ";
            }
            text += std::to_string(statuses_[i]);
        }
        text += '}';
        break;
    case CheckKind::BodyContains:
        text = "body contains ";
        text += quoted(text_);
        break;
    case CheckKind::JsonEquals:
        text = writtenPointer_.empty() ? std::string("body") : writtenPointer_; // "" names the whole body
        text.append(" == ").append(expected_);
        break;
    }
    return text;
}

} // namespace benchdeck::scenario
