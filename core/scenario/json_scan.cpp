// SPDX-License-Identifier: Apache-2.0
#include "json_scan.h"

#include <array>
#include <bitset>
#include <charconv>
#include <cstdint>
#include <system_error>

namespace benchdeck::scenario {
namespace {

using Type = JsonValueView::Type;

constexpr uint32_t kReplacementCharacter = 0xFFFD;

bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
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
}

// The four hex digits of a \u escape at text[pos].
std::optional<uint32_t> readHex4(std::string_view text, size_t pos)
{
    if (pos > text.size() || text.size() - pos < 4) {
        return std::nullopt;
    }
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i) {
        const int digit = hexValue(text[pos + i]);
        if (digit < 0) {
            return std::nullopt;
        }
        value = (value << 4) | uint32_t(digit);
    }
    return value;
}

// One piece of a string's decoded content: a byte as written, or the UTF-8 of an escape.
struct DecodedUnit {
    std::array<char, 4> bytes{};
    size_t size = 0;
};

void encodeUtf8(uint32_t codePoint, DecodedUnit& unit)
{
    auto& b = unit.bytes;
    if (codePoint < 0x80) {
        b[0] = char(codePoint);
        unit.size = 1;
    } else if (codePoint < 0x800) {
        b[0] = char(0xC0 | (codePoint >> 6));
        b[1] = char(0x80 | (codePoint & 0x3F));
        unit.size = 2;
    } else if (codePoint < 0x10000) {
        b[0] = char(0xE0 | (codePoint >> 12));
        b[1] = char(0x80 | ((codePoint >> 6) & 0x3F));
        b[2] = char(0x80 | (codePoint & 0x3F));
        unit.size = 3;
    } else {
        b[0] = char(0xF0 | (codePoint >> 18));
        b[1] = char(0x80 | ((codePoint >> 12) & 0x3F));
        b[2] = char(0x80 | ((codePoint >> 6) & 0x3F));
        b[3] = char(0x80 | (codePoint & 0x3F));
        unit.size = 4;
    }
}

// Decodes the piece of string content at text[pos] (pos < text.size()) and moves pos past it.
// False on what JSON forbids inside a string: a bare quote or control character, an unknown or cut
// escape. The scanner validates strings with this very function, so whatever it accepted decodes.
bool decodeUnit(std::string_view text, size_t& pos, DecodedUnit& unit)
{
    const char c = text[pos];
    if (c == '"' || static_cast<unsigned char>(c) < 0x20) {
        return false;
    }
    if (c != '\\') {
        unit.bytes[0] = c;
        unit.size = 1;
        ++pos;
        return true;
    }
    if (pos + 1 >= text.size()) {
        return false;
    }
    char simple = 0;
    switch (text[pos + 1]) {
    case '"': simple = '"'; break;
    case '\\': simple = '\\'; break;
    case '/': simple = '/'; break;
    case 'b': simple = '\b'; break;
    case 'f': simple = '\f'; break;
    case 'n': simple = '\n'; break;
    case 'r': simple = '\r'; break;
    case 't': simple = '\t'; break;
    case 'u': break;
    default: return false;
    }
    if (simple != 0) {
        unit.bytes[0] = simple;
        unit.size = 1;
        pos += 2;
        return true;
    }
    const auto first = readHex4(text, pos + 2);
    if (!first) {
        return false;
    }
    pos += 6;
    uint32_t codePoint = *first;
    if (codePoint >= 0xD800 && codePoint <= 0xDBFF) {
        // A high surrogate only means something with the low one after it; alone it has no UTF-8.
        const bool escapeFollows = pos + 1 < text.size() && text[pos] == '\\' && text[pos + 1] == 'u';
        const auto second = escapeFollows ? readHex4(text, pos + 2) : std::optional<uint32_t>{};
        if (second && *second >= 0xDC00 && *second <= 0xDFFF) {
            codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (*second - 0xDC00);
            pos += 6;
        } else {
            codePoint = kReplacementCharacter;
        }
    } else if (codePoint >= 0xDC00 && codePoint <= 0xDFFF) {
        codePoint = kReplacementCharacter;
    }
    encodeUtf8(codePoint, unit);
    return true;
}

// The decoded bytes of a string's content (the text between its quotes), one at a time, so two
// spellings of a name compare without decoding either into a buffer.
class DecodedBytes {
public:
    explicit DecodedBytes(std::string_view content)
        : content_(content)
    {
    }

    std::optional<char> next()
    {
        if (index_ == unit_.size) {
            if (pos_ >= content_.size()) {
                return std::nullopt;
            }
            if (!decodeUnit(content_, pos_, unit_)) {
                failed_ = true;
                pos_ = content_.size();
                unit_.size = 0;
                index_ = 0;
                return std::nullopt;
            }
            index_ = 0;
        }
        return unit_.bytes[index_++];
    }
    bool failed() const { return failed_; }

private:
    std::string_view content_;
    size_t pos_ = 0;
    DecodedUnit unit_;
    size_t index_ = 0;
    bool failed_ = false;
};

// The bytes a pointer reference token stands for: "~0" is '~', "~1" is '/'. Tokens come from a
// validated pointer, so every '~' has its digit.
class TokenBytes {
public:
    explicit TokenBytes(std::string_view token)
        : token_(token)
    {
    }

    std::optional<char> next()
    {
        if (pos_ >= token_.size()) {
            return std::nullopt;
        }
        const char c = token_[pos_++];
        if (c != '~' || pos_ >= token_.size()) {
            return c;
        }
        return token_[pos_++] == '0' ? '~' : '/';
    }
    bool failed() const { return false; }

private:
    std::string_view token_;
    size_t pos_ = 0;
};

// A JSON text's bytes without the whitespace between tokens; inside strings every byte counts.
class SignificantBytes {
public:
    explicit SignificantBytes(std::string_view text)
        : text_(text)
    {
    }

    std::optional<char> next()
    {
        while (pos_ < text_.size()) {
            const char c = text_[pos_++];
            if (inString_) {
                if (escaped_) {
                    escaped_ = false;
                } else if (c == '\\') {
                    escaped_ = true;
                } else if (c == '"') {
                    inString_ = false;
                }
                return c;
            }
            if (isJsonWhitespace(c)) {
                continue;
            }
            inString_ = c == '"';
            return c;
        }
        return std::nullopt;
    }
    bool failed() const { return false; }

private:
    std::string_view text_;
    size_t pos_ = 0;
    bool inString_ = false;
    bool escaped_ = false;
};

template <typename Left, typename Right> bool sameBytes(Left left, Right right)
{
    for (;;) {
        const auto a = left.next();
        const auto b = right.next();
        if (a != b) {
            return false;
        }
        if (!a) {
            return !left.failed() && !right.failed();
        }
    }
}

// The content between a string literal's quotes.
std::string_view stringContent(std::string_view raw)
{
    return raw.size() >= 2 ? raw.substr(1, raw.size() - 2) : std::string_view{};
}

enum class Container : bool { Array, Object };

char closer(Container container)
{
    return container == Container::Object ? '}' : ']';
}

// The open containers, innermost last, one bit each.
class Nesting {
public:
    bool push(Container container)
    {
        if (depth_ == kMaxJsonNesting) {
            return false;
        }
        bits_[depth_++] = container == Container::Object;
        return true;
    }
    void pop() { --depth_; }
    Container top() const { return bits_[depth_ - 1] ? Container::Object : Container::Array; }
    size_t depth() const { return depth_; }

private:
    std::bitset<kMaxJsonNesting> bits_;
    size_t depth_ = 0;
};

// An array index token: decimal, no leading zeros, within size_t.
std::optional<size_t> arrayIndex(std::string_view token)
{
    if (token.empty() || (token.size() > 1 && token.front() == '0')) {
        return std::nullopt;
    }
    size_t index = 0;
    const char* end = token.data() + token.size();
    const auto [stop, status] = std::from_chars(token.data(), end, index);
    if (status != std::errc{} || stop != end) {
        return std::nullopt;
    }
    return index;
}

// A cursor over JSON text that checks the grammar as it goes. Every read is bounds-checked;
// pos_ never passes the end.
class Scanner {
public:
    explicit Scanner(std::string_view text)
        : text_(text)
    {
    }

    size_t position() const { return pos_; }
    bool atEnd() const { return pos_ >= text_.size(); }

    void skipWhitespace()
    {
        while (pos_ < text_.size() && isJsonWhitespace(text_[pos_])) {
            ++pos_;
        }
    }

    // Moves into the container at the position, to the value of the member or element `token`
    // names; false when there is none (or the text before it is not JSON).
    bool enterChild(Nesting& nesting, std::string_view token)
    {
        skipWhitespace();
        if (consume('{')) {
            if (!nesting.push(Container::Object)) {
                return false;
            }
            for (;;) {
                std::string_view name;
                if (!scanMemberName(name)) {
                    return false; // a '}' here, first or after a ',', is malformed or the end
                }
                if (sameBytes(DecodedBytes(name), TokenBytes(token))) {
                    return true; // the first of duplicate names wins
                }
                if (!skipValue(nesting)) {
                    return false;
                }
                skipWhitespace();
                if (!consume(',')) {
                    return false; // '}': no such member
                }
            }
        }
        if (consume('[')) {
            const auto index = arrayIndex(token);
            if (!index || !nesting.push(Container::Array)) {
                return false;
            }
            for (size_t i = 0; i < *index; ++i) {
                if (!skipValue(nesting)) {
                    return false; // includes a ']' before the element: out of range
                }
                skipWhitespace();
                if (!consume(',')) {
                    return false;
                }
            }
            return true;
        }
        return false; // a scalar has no children
    }

    // Moves past the value at the position, nested values and all.
    bool skipValue(Nesting& nesting) { return scanUntilDepth(nesting, nesting.depth(), true); }

    // Moves on until only `floor` containers are open, checking the grammar all the way:
    // `valueNext` says whether a value comes first or what may follow one (',' or a closer).
    // A loop over an explicit nesting, not recursion, so deep documents cannot overflow the stack.
    bool scanUntilDepth(Nesting& nesting, size_t floor, bool valueNext)
    {
        for (;;) {
            if (valueNext) {
                skipWhitespace();
                const char c = atEnd() ? '\0' : text_[pos_];
                if (c == '{' || c == '[') {
                    ++pos_;
                    const Container container = c == '{' ? Container::Object : Container::Array;
                    if (!nesting.push(container)) {
                        return false;
                    }
                    skipWhitespace();
                    if (!consume(closer(container))) {
                        if (container == Container::Object) {
                            std::string_view ignored;
                            if (!scanMemberName(ignored)) {
                                return false;
                            }
                        }
                        continue; // on to the first member's value or the first element
                    }
                    nesting.pop(); // empty: a whole value, like a scalar
                } else if (!scanScalar()) {
                    return false;
                }
            }
            if (nesting.depth() == floor) {
                return true;
            }
            skipWhitespace();
            const Container container = nesting.top();
            if (consume(',')) {
                if (container == Container::Object) {
                    std::string_view ignored;
                    if (!scanMemberName(ignored)) {
                        return false;
                    }
                }
                valueNext = true;
            } else if (consume(closer(container))) {
                nesting.pop();
                valueNext = false;
            } else {
                return false;
            }
        }
    }

private:
    bool consume(char c)
    {
        if (atEnd() || text_[pos_] != c) {
            return false;
        }
        ++pos_;
        return true;
    }

    // A member's name and the colon after it; `name` is the text between the quotes, undecoded.
    bool scanMemberName(std::string_view& name)
    {
        skipWhitespace();
        const size_t start = pos_;
        if (!scanString()) {
            return false;
        }
        name = text_.substr(start + 1, pos_ - start - 2);
        skipWhitespace();
        return consume(':');
    }

    bool scanString()
    {
        if (!consume('"')) {
            return false;
        }
        DecodedUnit unit;
        while (pos_ < text_.size()) {
            if (text_[pos_] == '"') {
                ++pos_;
                return true;
            }
            if (!decodeUnit(text_, pos_, unit)) {
                return false;
            }
        }
        return false;
    }

    size_t skipDigits()
    {
        const size_t start = pos_;
        while (pos_ < text_.size() && isDigit(text_[pos_])) {
            ++pos_;
        }
        return pos_ - start;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    bool scanNumber()
    {
        consume('-');
        // After a leading 0 no digit may follow: "01" stops after the 0 and fails on the 1.
        if (!consume('0') && skipDigits() == 0) {
            return false;
        }
        if (consume('.') && skipDigits() == 0) {
            return false;
        }
        if (consume('e') || consume('E')) {
            if (!consume('+')) {
                consume('-');
            }
            if (skipDigits() == 0) {
                return false;
            }
        }
        return true;
    }

    bool scanLiteral(std::string_view word)
    {
        if (text_.substr(pos_, word.size()) != word) {
            return false;
        }
        pos_ += word.size();
        return true;
    }

    bool scanScalar()
    {
        if (atEnd()) {
            return false;
        }
        switch (text_[pos_]) {
        case '"': return scanString();
        case 't': return scanLiteral("true");
        case 'f': return scanLiteral("false");
        case 'n': return scanLiteral("null");
        default: return scanNumber();
        }
    }

    std::string_view text_;
    size_t pos_ = 0;
};

// The type of a value the scanner accepted, by its first byte.
Type typeOf(std::string_view validRaw)
{
    switch (validRaw.front()) {
    case '"': return Type::String;
    case '{': return Type::Object;
    case '[': return Type::Array;
    case 't': return Type::True;
    case 'f': return Type::False;
    case 'n': return Type::Null;
    default: return Type::Number;
    }
}

std::optional<double> numberValue(std::string_view raw)
{
    double value = 0;
    const char* end = raw.data() + raw.size();
    const auto [stop, status] = std::from_chars(raw.data(), end, value);
    if (status != std::errc{} || stop != end) {
        return std::nullopt;
    }
    return value;
}

void appendPointerToken(std::string& pointer, std::string_view name)
{
    pointer += '/';
    for (const char c : name) {
        if (c == '~') {
            pointer += "~0";
        } else if (c == '/') {
            pointer += "~1";
        } else {
            pointer += c;
        }
    }
}

} // namespace

bool isValidJsonPointer(std::string_view pointer)
{
    if (pointer.empty()) {
        return true;
    }
    if (pointer.front() != '/') {
        return false;
    }
    for (size_t i = 0; i < pointer.size(); ++i) {
        if (pointer[i] == '~') {
            if (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
                return false;
            }
        }
    }
    return true;
}

std::optional<std::string> jsonPathToPointer(std::string_view path, std::string* error)
{
    auto fail = [&](std::string_view why) -> std::optional<std::string> {
        if (error) {
            std::string message = "JSON path '";
            message.append(path).append("': ").append(why);
            *error = std::move(message);
        }
        return std::nullopt;
    };
    if (path.empty() || path.front() == '/') {
        if (!isValidJsonPointer(path)) {
            return fail("in a JSON pointer every '~' is followed by 0 or 1 (\"~0\" means '~', \"~1\" '/')");
        }
        return std::string(path);
    }
    if (path.front() != '$') {
        return fail("a JSON path starts with '$' (as in $.items[0].id), a JSON pointer with '/'");
    }
    std::string pointer;
    size_t pos = 1;
    while (pos < path.size()) {
        if (path[pos] == '.') {
            if (pos + 1 < path.size() && path[pos + 1] == '.') {
                return fail("recursive descent ('..') is not supported: name each member on the way, as in $.a.b");
            }
            const size_t start = pos + 1;
            size_t end = start;
            while (end < path.size() && path[end] != '.' && path[end] != '[') {
                ++end;
            }
            const auto name = path.substr(start, end - start);
            if (name.empty()) {
                return fail("a '.' must be followed by a member name");
            }
            if (name.find('*') != std::string_view::npos) {
                return fail("wildcards ('*') are not supported: an extractor takes one value; "
                            "write a name with '*' in it as ['a*b']");
            }
            if (name.find(']') != std::string_view::npos) {
                return fail("a ']' without its '['");
            }
            appendPointerToken(pointer, name);
            pos = end;
        } else if (path[pos] == '[') {
            if (pos + 1 >= path.size()) {
                return fail("a '[' without its ']'");
            }
            const char quote = path[pos + 1];
            if (quote == '\'' || quote == '"') {
                // A quoted name may hold anything; a backslash escapes the character after it.
                std::string name;
                size_t i = pos + 2;
                for (;; ++i) {
                    if (i >= path.size()) {
                        return fail("a quoted name without its closing quote");
                    }
                    if (path[i] == quote) {
                        break;
                    }
                    if (path[i] == '\\') {
                        if (++i >= path.size()) {
                            return fail("a quoted name without its closing quote");
                        }
                    }
                    name += path[i];
                }
                if (i + 1 >= path.size() || path[i + 1] != ']') {
                    return fail("a quoted name must be followed by ']'");
                }
                appendPointerToken(pointer, name);
                pos = i + 2;
                continue;
            }
            const size_t close = path.find(']', pos + 1);
            if (close == std::string_view::npos) {
                return fail("a '[' without its ']'");
            }
            const auto inside = path.substr(pos + 1, close - pos - 1);
            if (inside.empty()) {
                return fail("'[]' names nothing: write an index, as in [0], or a quoted name, as in ['a']");
            }
            if (inside.find('*') != std::string_view::npos) {
                return fail("wildcards ('[*]') are not supported: an extractor takes one value; "
                            "write an index, as in [0]");
            }
            if (inside.front() == '?') {
                return fail("filter expressions ('[?(...)]') are not supported: write an index, as in [0]");
            }
            if (inside.find(':') != std::string_view::npos) {
                return fail("slices ('[a:b]') are not supported: write one index, as in [0]");
            }
            if (inside.find(',') != std::string_view::npos) {
                return fail("unions ('[a,b]') are not supported: write one index, as in [0]");
            }
            if (inside.front() == '-') {
                return fail("negative indices are not supported: count from the start, as in [0]");
            }
            for (const char c : inside) {
                if (!isDigit(c)) {
                    return fail("a '[...]' holds an array index, as in [0], or a quoted name, as in ['a b']");
                }
            }
            if (inside.size() > 1 && inside.front() == '0') {
                return fail("an array index has no leading zeros");
            }
            pointer += '/';
            pointer.append(inside);
            pos = close + 1;
        } else {
            return fail("after '$' and after each member or index comes '.name' or '[...]'");
        }
    }
    return pointer;
}

std::optional<JsonValueView> findJsonPointer(std::string_view json, std::string_view pointer)
{
    if (!isValidJsonPointer(pointer)) {
        return std::nullopt;
    }
    Scanner scanner(json);
    Nesting nesting;
    std::string_view tokens = pointer;
    while (!tokens.empty()) {
        tokens.remove_prefix(1); // the '/' before each token
        const size_t slash = tokens.find('/');
        const auto token = tokens.substr(0, slash);
        tokens = slash == std::string_view::npos ? std::string_view{} : tokens.substr(slash);
        if (!scanner.enterChild(nesting, token)) {
            return std::nullopt;
        }
    }
    scanner.skipWhitespace();
    const size_t start = scanner.position();
    if (!scanner.skipValue(nesting)) {
        return std::nullopt;
    }
    const auto raw = json.substr(start, scanner.position() - start);
    // The rest of the document must be JSON too, so that what a cut-off or broken body yields
    // never depends on where it happens to break.
    if (!scanner.scanUntilDepth(nesting, 0, false)) {
        return std::nullopt;
    }
    scanner.skipWhitespace();
    if (!scanner.atEnd()) {
        return std::nullopt;
    }
    return JsonValueView{typeOf(raw), raw};
}

std::optional<JsonValueView> parseJsonValue(std::string_view text)
{
    return findJsonPointer(text, "");
}

bool decodeJsonString(std::string_view rawWithQuotes, std::string& out)
{
    out.clear();
    if (rawWithQuotes.size() < 2 || rawWithQuotes.front() != '"' || rawWithQuotes.back() != '"') {
        return false;
    }
    const auto content = stringContent(rawWithQuotes);
    out.reserve(content.size());
    DecodedUnit unit;
    for (size_t pos = 0; pos < content.size();) {
        if (!decodeUnit(content, pos, unit)) {
            out.clear();
            return false;
        }
        out.append(unit.bytes.data(), unit.size);
    }
    return true;
}

void jsonValueText(const JsonValueView& value, std::string& out)
{
    if (value.type == Type::String && decodeJsonString(value.raw, out)) {
        return;
    }
    out.assign(value.raw); // a string that does not decode can only come from a hand-made view
}

bool jsonValuesEqual(const JsonValueView& a, const JsonValueView& b)
{
    if (a.type != b.type) {
        return false;
    }
    switch (a.type) {
    case Type::String: return sameBytes(DecodedBytes(stringContent(a.raw)), DecodedBytes(stringContent(b.raw)));
    case Type::Number: {
        const auto x = numberValue(a.raw);
        const auto y = numberValue(b.raw);
        if (!x || !y) {
            return a.raw == b.raw; // beyond what a double holds: only the same text is surely equal
        }
        return *x == *y;
    }
    case Type::True:
    case Type::False:
    case Type::Null: return a.raw == b.raw;
    case Type::Object:
    case Type::Array: return sameBytes(SignificantBytes(a.raw), SignificantBytes(b.raw));
    }
    return false;
}

bool jsonValuesEqual(std::string_view a, std::string_view b)
{
    const auto x = parseJsonValue(a);
    const auto y = parseJsonValue(b);
    return x && y && jsonValuesEqual(*x, *y);
}

} // namespace benchdeck::scenario
