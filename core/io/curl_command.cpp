// SPDX-License-Identifier: Apache-2.0
#include "curl_command.h"

#include <QByteArray>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <utility>

namespace benchdeck::io {
namespace {

using engine::Header;

// ---------------------------------------------------------------------------------------------------
// Small string helpers
// ---------------------------------------------------------------------------------------------------

char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

char asciiUpper(char c)
{
    return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return asciiLower(x) == asciiLower(y); });
}

bool isAsciiAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isAsciiDigit(char c)
{
    return c >= '0' && c <= '9';
}

std::string trimmed(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = s.find_last_not_of(" \t");
    return std::string(s.substr(first, last - first + 1));
}

// Warnings and errors quote what the user typed; a pasted 20 kB body must not become the message.
std::string excerpt(std::string_view s, size_t limit = 60)
{
    return s.size() <= limit ? std::string(s) : std::string(s.substr(0, limit)) + "…";
}

std::string join(const std::vector<std::string>& parts, std::string_view separator)
{
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += parts[i];
    }
    return out;
}

template <typename T> std::optional<T> failWith(std::string* error, std::string message)
{
    if (error) {
        *error = std::move(message);
    }
    return std::nullopt;
}

// Length of the line break starting at `i` (LF or CRLF, as pasted from Windows), 0 when there is none.
size_t lineBreakAt(std::string_view text, size_t i)
{
    if (i < text.size() && text[i] == '\n') {
        return 1;
    }
    if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') {
        return 2;
    }
    return 0;
}

std::string unbalancedQuote(std::string_view quote, size_t offset)
{
    return "unbalanced quotes: the " + std::string(quote) + " at character " + std::to_string(offset + 1) +
           " is never closed";
}

void appendUtf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

// ---------------------------------------------------------------------------------------------------
// Word splitting
// ---------------------------------------------------------------------------------------------------

struct Token {
    std::string text;
    bool isOperator = false; // an unquoted shell control operator: | || & && ; < > ( ) or "\n"
    std::string unexpanded;  // the first $VAR, ${…}, $(…) or `…` in the word, kept as typed
};

void appendOperator(std::vector<Token>& tokens, std::string op)
{
    // Blank lines and a break right after another operator separate nothing new.
    if (op == "\n" && (tokens.empty() || tokens.back().isOperator)) {
        return;
    }
    tokens.push_back(Token{std::move(op), true, {}});
}

void dropTrailingLineBreaks(std::vector<Token>& tokens)
{
    while (!tokens.empty() && tokens.back().isOperator && tokens.back().text == "\n") {
        tokens.pop_back();
    }
}

// bash's rules, which Chrome's "(bash)" and Firefox's "(POSIX)" copies are written for.
class PosixSplitter {
public:
    explicit PosixSplitter(std::string_view text)
        : text_(text)
    {
    }

    std::optional<std::vector<Token>> run(std::string* error);

private:
    [[nodiscard]] char at(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }
    void startWord(bool quoted);
    void endWord();
    void noteExpansion(size_t dollarOrBacktick);
    void readUnquotedBackslash();
    bool readSingleQuoted();
    bool readDoubleQuoted();
    void readBackslashInDoubleQuotes();
    bool readAnsiC();
    void readAnsiCEscape();
    std::optional<uint32_t> readHex(size_t maxDigits);
    void readUnicodeEscape(size_t maxDigits);
    void appendCodePoint(uint32_t cp);
    void readUnquotedDollar();
    bool readBackticks();
    void readOperator();
    void skipComment();

    std::string_view text_;
    size_t pos_ = 0;
    std::vector<Token> tokens_;
    Token word_;
    bool inWord_ = false;
    bool wordQuoted_ = false;
    std::string error_;
};

std::optional<std::vector<Token>> PosixSplitter::run(std::string* error)
{
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        bool ok = true;
        if (c == ' ' || c == '\t' || c == '\r') { // \r: the CR of CRLF line ends
            endWord();
            ++pos_;
        } else if (c == '\n') {
            endWord();
            appendOperator(tokens_, "\n");
            ++pos_;
        } else if (c == '#' && !inWord_) {
            skipComment();
        } else if (c == '\\') {
            readUnquotedBackslash();
        } else if (c == '\'') {
            ok = readSingleQuoted();
        } else if (c == '"') {
            ok = readDoubleQuoted();
        } else if (c == '$' && at(pos_ + 1) == '\'') {
            ok = readAnsiC();
        } else if (c == '$' && at(pos_ + 1) == '"') { // $"…": locale translation, otherwise "…"
            ++pos_;
            ok = readDoubleQuoted();
        } else if (c == '$') {
            readUnquotedDollar();
        } else if (c == '`') {
            ok = readBackticks();
        } else if (std::string_view("|&;<>()").find(c) != std::string_view::npos) {
            readOperator();
        } else {
            startWord(false);
            word_.text += c;
            ++pos_;
        }
        if (!ok) {
            return failWith<std::vector<Token>>(error, error_);
        }
    }
    endWord();
    dropTrailingLineBreaks(tokens_);
    return std::move(tokens_);
}

void PosixSplitter::startWord(bool quoted)
{
    inWord_ = true;
    wordQuoted_ = wordQuoted_ || quoted;
}

void PosixSplitter::endWord()
{
    if (inWord_) {
        tokens_.push_back(std::move(word_));
    }
    word_ = Token{};
    inWord_ = false;
    wordQuoted_ = false;
}

void PosixSplitter::noteExpansion(size_t start)
{
    if (!word_.unexpanded.empty()) {
        return;
    }
    size_t end = start + 1;
    const char next = at(end);
    if (text_[start] == '`') {
        end = text_.find('`', end);
        end = end == std::string_view::npos ? text_.size() : end + 1;
    } else if (next == '{' || next == '(') {
        end = text_.find(next == '{' ? '}' : ')', end);
        end = end == std::string_view::npos ? text_.size() : end + 1;
    } else if (isAsciiDigit(next)) {
        end += 1;
    } else if (isAsciiAlpha(next) || next == '_') {
        while (isAsciiAlpha(at(end)) || isAsciiDigit(at(end)) || at(end) == '_') {
            ++end;
        }
    } else {
        return; // a lone "$" is just a dollar sign, in bash as here
    }
    word_.unexpanded = excerpt(text_.substr(start, end - start), 40);
}

void PosixSplitter::readUnquotedBackslash()
{
    // Backslash-newline continues the line. Trailing blanks after the backslash (a common copy-paste
    // accident) would make bash end the command there; they are forgiven.
    size_t j = pos_ + 1;
    while (at(j) == ' ' || at(j) == '\t') {
        ++j;
    }
    if (const size_t br = lineBreakAt(text_, j)) {
        pos_ = j + br;
        return;
    }
    if (pos_ + 1 >= text_.size()) { // a dangling backslash at the very end: nothing to escape
        ++pos_;
        return;
    }
    startWord(true);
    word_.text += text_[pos_ + 1];
    pos_ += 2;
}

bool PosixSplitter::readSingleQuoted()
{
    const size_t open = pos_;
    const size_t close = text_.find('\'', open + 1);
    if (close == std::string_view::npos) {
        error_ = unbalancedQuote("'", open);
        return false;
    }
    startWord(true);
    word_.text.append(text_.substr(open + 1, close - open - 1));
    pos_ = close + 1;
    return true;
}

bool PosixSplitter::readDoubleQuoted()
{
    const size_t open = pos_;
    ++pos_;
    startWord(true);
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == '"') {
            ++pos_;
            return true;
        }
        if (c == '\\') {
            readBackslashInDoubleQuotes();
            continue;
        }
        if (c == '`') {
            if (!readBackticks()) {
                return false;
            }
            continue;
        }
        if (c == '$') {
            noteExpansion(pos_);
        }
        word_.text += c;
        ++pos_;
    }
    error_ = unbalancedQuote("\"", open);
    return false;
}

void PosixSplitter::readBackslashInDoubleQuotes()
{
    // Inside double quotes a backslash only escapes $ ` " \ and the line break; elsewhere it stays.
    if (const size_t br = lineBreakAt(text_, pos_ + 1)) {
        pos_ += 1 + br;
        return;
    }
    const char next = at(pos_ + 1);
    if (next != '\0' && std::string_view("$`\"\\").find(next) != std::string_view::npos) {
        word_.text += next;
        pos_ += 2;
        return;
    }
    word_.text += '\\';
    ++pos_;
}

bool PosixSplitter::readAnsiC()
{
    const size_t open = pos_;
    pos_ += 2; // $'
    startWord(true);
    while (pos_ < text_.size()) {
        const char c = text_[pos_++];
        if (c == '\'') {
            return true;
        }
        if (c == '\\' && pos_ < text_.size()) {
            readAnsiCEscape();
        } else {
            word_.text += c;
        }
    }
    error_ = unbalancedQuote("$'", open);
    return false;
}

void PosixSplitter::readAnsiCEscape()
{
    const char e = text_[pos_++];
    switch (e) {
    case 'n': word_.text += '\n'; return;
    case 't': word_.text += '\t'; return;
    case 'r': word_.text += '\r'; return;
    case 'a': word_.text += '\a'; return;
    case 'b': word_.text += '\b'; return;
    case 'f': word_.text += '\f'; return;
    case 'v': word_.text += '\v'; return;
    case 'e':
    case 'E': word_.text += '\x1b'; return;
    case '\\':
    case '\'':
    case '"':
    case '?': word_.text += e; return;
    case 'c':
        if (pos_ < text_.size()) {
            appendCodePoint(uint32_t(text_[pos_++]) & 0x1F);
        }
        return;
    case 'x':
        // Raw byte, as bash does: Firefox writes é as \xe9, and curl gets that Latin-1 byte.
        if (const auto byte = readHex(2)) {
            if (*byte != 0) {
                word_.text += char(*byte);
            }
        } else {
            word_.text += "\\x";
        }
        return;
    case 'u': readUnicodeEscape(4); return;
    case 'U': readUnicodeEscape(8); return;
    default: break;
    }
    if (e >= '0' && e <= '7') {
        auto value = uint32_t(e - '0');
        for (int i = 0; i < 2 && at(pos_) >= '0' && at(pos_) <= '7'; ++i) {
            value = value * 8 + uint32_t(text_[pos_++] - '0');
        }
        if ((value & 0xFF) != 0) {
            word_.text += char(value & 0xFF); // a raw byte, like \xHH
        }
        return;
    }
    word_.text += '\\'; // an unknown escape stays as typed, as in bash
    word_.text += e;
}

std::optional<uint32_t> PosixSplitter::readHex(size_t maxDigits)
{
    uint32_t value = 0;
    size_t digits = 0;
    while (digits < maxDigits && pos_ < text_.size()) {
        const char c = asciiLower(text_[pos_]);
        const int digit = isAsciiDigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
        if (digit < 0) {
            break;
        }
        value = value * 16 + uint32_t(digit);
        ++pos_;
        ++digits;
    }
    return digits == 0 ? std::nullopt : std::optional<uint32_t>(value);
}

void PosixSplitter::readUnicodeEscape(size_t maxDigits)
{
    auto cp = readHex(maxDigits);
    if (!cp) {
        word_.text += maxDigits == 4 ? "\\u" : "\\U";
        return;
    }
    // A UTF-16 surrogate pair written as two \u escapes is one character.
    if (*cp >= 0xD800 && *cp <= 0xDBFF && at(pos_) == '\\' && at(pos_ + 1) == 'u') {
        const size_t saved = pos_;
        pos_ += 2;
        const auto low = readHex(4);
        if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
            cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
        } else {
            pos_ = saved;
        }
    }
    appendCodePoint(*cp);
}

void PosixSplitter::appendCodePoint(uint32_t cp)
{
    if (cp == 0) {
        return; // argv strings end at NUL: curl could never have received one
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        cp = 0xFFFD;
    }
    appendUtf8(word_.text, char32_t(cp));
}

void PosixSplitter::readUnquotedDollar()
{
    startWord(false);
    noteExpansion(pos_);
    if (at(pos_ + 1) != '(') {
        word_.text += '$';
        ++pos_;
        return;
    }
    // $(…) is kept whole, so that its parentheses are not read as shell operators.
    int depth = 0;
    while (pos_ < text_.size()) {
        const char c = text_[pos_++];
        word_.text += c;
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        if (c == ')' && depth == 0) {
            return;
        }
    }
}

bool PosixSplitter::readBackticks()
{
    const size_t close = text_.find('`', pos_ + 1);
    if (close == std::string_view::npos) {
        error_ = unbalancedQuote("`", pos_);
        return false;
    }
    startWord(false);
    noteExpansion(pos_);
    word_.text.append(text_.substr(pos_, close + 1 - pos_));
    pos_ = close + 1;
    return true;
}

void PosixSplitter::readOperator()
{
    const char c = text_[pos_];
    // In "2>/dev/null" the 2 names a file descriptor, not a word of the command.
    const bool fdNumber = (c == '<' || c == '>') && inWord_ && !wordQuoted_ && !word_.text.empty() &&
                          std::all_of(word_.text.begin(), word_.text.end(), isAsciiDigit);
    if (fdNumber) {
        word_ = Token{};
        inWord_ = false;
    }
    endWord();
    std::string op(1, c);
    ++pos_;
    const char next = at(pos_);
    if ((next == c && c != '(' && c != ')') || (c == '>' && next == '&') || (c == '&' && next == '>')) {
        op += next;
        ++pos_;
    }
    appendOperator(tokens_, std::move(op));
}

void PosixSplitter::skipComment()
{
    while (pos_ < text_.size() && text_[pos_] != '\n') {
        ++pos_;
    }
}

// Chrome's "Copy as cURL (cmd)" is read twice on Windows: cmd.exe removes ^ escapes and joins ^-ended
// lines, then the C runtime of curl.exe splits the result into arguments. Both passes are reproduced.
struct CmdSegment {
    std::string text;
    std::string op; // the operator that ended this segment, empty for the last one
};

std::vector<CmdSegment> undoCmdEscapes(std::string_view text)
{
    std::vector<CmdSegment> segments(1);
    bool quoted = false; // cmd's own quote state: inside "…" carets and operators are literal
    const auto endSegment = [&](std::string op) {
        segments.back().op = std::move(op);
        segments.emplace_back();
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        std::string& current = segments.back().text;
        if (const size_t br = lineBreakAt(text, i)) {
            quoted = false;
            endSegment("\n");
            i += br - 1;
        } else if (c == '"') {
            quoted = !quoted;
            current += c;
        } else if (c == '^' && !quoted) {
            // ^ escapes the next character; ^ at a line end joins the next line and escapes its first
            // character, which is how Chrome writes a line break inside a value: "^" LF LF.
            size_t next = i + 1;
            if (const size_t br = lineBreakAt(text, next)) {
                next += br;
            }
            if (next >= text.size()) {
                break;
            }
            if (const size_t br = lineBreakAt(text, next)) {
                current += '\n';
                i = next + br - 1;
            } else {
                current += text[next];
                i = next;
            }
        } else if (!quoted && (c == '&' || c == '|' || c == '<' || c == '>')) {
            std::string op(1, c);
            if (i + 1 < text.size() && text[i + 1] == c) {
                op += c;
                ++i;
            }
            endSegment(std::move(op));
        } else {
            current += c; // inside cmd's quotes carets and operators are plain text
        }
    }
    return segments;
}

// CommandLineToArgvW / MSVC runtime rules (2008 and later): 2n backslashes before a quote are n
// backslashes, 2n+1 are n and a literal quote; "" inside quotes is a literal quote.
std::optional<std::vector<std::string>> splitLikeMsvcrt(std::string_view text, std::string* error)
{
    std::vector<std::string> words;
    std::string current;
    bool inWord = false;
    bool quoted = false;
    size_t quoteOpened = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\') {
            size_t end = i;
            while (end < text.size() && text[end] == '\\') {
                ++end;
            }
            const size_t count = end - i;
            inWord = true;
            if (end < text.size() && text[end] == '"') {
                current.append(count / 2, '\\');
                if (count % 2 == 1) {
                    current += '"';
                    i = end;
                } else {
                    i = end - 1; // the quote is handled by the next iteration
                }
            } else {
                current.append(count, '\\');
                i = end - 1;
            }
        } else if (c == '"') {
            inWord = true;
            if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
                current += '"';
                ++i;
            } else {
                quoted = !quoted;
                quoteOpened = i;
            }
        } else if ((c == ' ' || c == '\t' || c == '\r') && !quoted) {
            if (inWord) {
                words.push_back(std::move(current));
                current.clear();
                inWord = false;
            }
        } else {
            current += c;
            inWord = true;
        }
    }
    if (quoted) {
        return failWith<std::vector<std::string>>(error, unbalancedQuote("\"", quoteOpened) +
                                                             " (in the line after cmd's ^ escapes)");
    }
    if (inWord) {
        words.push_back(std::move(current));
    }
    return words;
}

std::optional<std::vector<Token>> splitCmdForm(std::string_view text, std::string* error)
{
    std::vector<Token> tokens;
    for (auto& segment : undoCmdEscapes(text)) {
        const auto words = splitLikeMsvcrt(segment.text, error);
        if (!words) {
            return std::nullopt;
        }
        for (const auto& word : *words) {
            tokens.push_back(Token{word, false, {}});
        }
        if (!segment.op.empty()) {
            appendOperator(tokens, std::move(segment.op));
        }
    }
    dropTrailingLineBreaks(tokens);
    return tokens;
}

// Chrome's cmd form quotes every argument as ^"…^" and ends continued lines with ^. Neither happens
// in a bash command's first line, so looking there is enough to tell the forms apart.
bool looksLikeCmdForm(std::string_view text)
{
    const auto lineEnd = text.find('\n');
    const std::string_view firstLine = text.substr(0, lineEnd);
    const auto lastChar = firstLine.find_last_not_of(" \t\r");
    if (lastChar != std::string_view::npos && firstLine[lastChar] == '^') {
        return true;
    }
    const auto programStart = firstLine.find_first_not_of(" \t");
    if (programStart == std::string_view::npos) {
        return false;
    }
    const auto programEnd = firstLine.find_first_of(" \t", programStart);
    const auto argumentStart =
        programEnd == std::string_view::npos ? programEnd : firstLine.find_first_not_of(" \t", programEnd);
    return argumentStart != std::string_view::npos && firstLine.substr(argumentStart, 2) == "^\"";
}

std::optional<std::vector<Token>> tokenize(std::string_view text, std::string* error)
{
    if (looksLikeCmdForm(text)) {
        return splitCmdForm(text, error);
    }
    return PosixSplitter(text).run(error);
}

// ---------------------------------------------------------------------------------------------------
// curl's options
// ---------------------------------------------------------------------------------------------------

enum class Action {
    Url,
    Method,
    Header,
    Data,    // -d, --data-ascii, --data-binary: "@file" reads a file
    DataRaw, // never reads a file
    DataUrlencode,
    Json,
    UrlQuery,
    Get,
    Head,
    User,
    UserAgent,
    Referer,
    Cookie,
    Compressed,
    Insecure,
    CaCert,
    Http2,               // --http2: an upgrade offer on http://, ALPN on https://
    Http2PriorKnowledge, // h2 from the first byte
    Http11,
    Location,
    MaxTime,
    ConnectTimeout,
    Bearer,
    Range,
    OutputOnly,  // changes what curl prints or saves, never the request: accepted silently
    Unsupported, // changes the request or connection in a way the import cannot carry: a warning
};

struct OptionSpec {
    std::string_view longName; // without "--"
    char shortName;            // '\0' when there is none
    bool takesArgument;
    Action action;
};

// The options that matter for an import, plus every common one that takes an argument, so that the
// argument of an ignored option is skipped rather than mistaken for the URL.
constexpr OptionSpec kOptions[] = {
    {"url", '\0', true, Action::Url},
    {"request", 'X', true, Action::Method},
    {"header", 'H', true, Action::Header},
    {"data", 'd', true, Action::Data},
    {"data-ascii", '\0', true, Action::Data},
    {"data-binary", '\0', true, Action::Data},
    {"data-raw", '\0', true, Action::DataRaw},
    {"data-urlencode", '\0', true, Action::DataUrlencode},
    {"json", '\0', true, Action::Json},
    {"url-query", '\0', true, Action::UrlQuery},
    {"get", 'G', false, Action::Get},
    {"head", 'I', false, Action::Head},
    {"user", 'u', true, Action::User},
    {"user-agent", 'A', true, Action::UserAgent},
    {"referer", 'e', true, Action::Referer},
    {"cookie", 'b', true, Action::Cookie},
    {"compressed", '\0', false, Action::Compressed},
    {"insecure", 'k', false, Action::Insecure},
    {"http2", '\0', false, Action::Http2},
    {"http2-prior-knowledge", '\0', false, Action::Http2PriorKnowledge},
    {"http1.1", '\0', false, Action::Http11},
    {"location", 'L', false, Action::Location},
    {"location-trusted", '\0', false, Action::Location},
    {"max-time", 'm', true, Action::MaxTime},
    {"connect-timeout", '\0', true, Action::ConnectTimeout},
    {"oauth2-bearer", '\0', true, Action::Bearer},
    {"range", 'r', true, Action::Range},

    {"silent", 's', false, Action::OutputOnly},
    {"show-error", 'S', false, Action::OutputOnly},
    {"verbose", 'v', false, Action::OutputOnly},
    {"include", 'i', false, Action::OutputOnly},
    {"show-headers", '\0', false, Action::OutputOnly},
    {"fail", 'f', false, Action::OutputOnly},
    {"fail-with-body", '\0', false, Action::OutputOnly},
    {"fail-early", '\0', false, Action::OutputOnly},
    {"progress-bar", '#', false, Action::OutputOnly},
    {"no-progress-meter", '\0', false, Action::OutputOnly},
    {"no-buffer", 'N', false, Action::OutputOnly},
    {"globoff", 'g', false, Action::OutputOnly},
    {"remote-name", 'O', false, Action::OutputOnly},
    {"remote-name-all", '\0', false, Action::OutputOnly},
    {"remote-header-name", 'J', false, Action::OutputOnly},
    {"remote-time", 'R', false, Action::OutputOnly},
    {"create-dirs", '\0', false, Action::OutputOnly},
    {"raw", '\0', false, Action::OutputOnly},
    {"trace-time", '\0', false, Action::OutputOnly},
    {"styled-output", '\0', false, Action::OutputOnly},
    {"disable", 'q', false, Action::OutputOnly},
    {"junk-session-cookies", 'j', false, Action::OutputOnly},
    {"tcp-nodelay", '\0', false, Action::OutputOnly},
    {"basic", '\0', false, Action::OutputOnly}, // Basic is what -u imports anyway
    {"output", 'o', true, Action::OutputOnly},
    {"write-out", 'w', true, Action::OutputOnly},
    {"dump-header", 'D', true, Action::OutputOnly},
    {"trace", '\0', true, Action::OutputOnly},
    {"trace-ascii", '\0', true, Action::OutputOnly},
    {"trace-config", '\0', true, Action::OutputOnly},
    {"stderr", '\0', true, Action::OutputOnly},
    {"output-dir", '\0', true, Action::OutputOnly},
    {"cookie-jar", 'c', true, Action::OutputOnly},
    {"libcurl", '\0', true, Action::OutputOnly},
    {"etag-save", '\0', true, Action::OutputOnly},

    {"proxy", 'x', true, Action::Unsupported},
    {"proxy-user", 'U', true, Action::Unsupported},
    {"proxy-header", '\0', true, Action::Unsupported},
    {"preproxy", '\0', true, Action::Unsupported},
    {"socks4", '\0', true, Action::Unsupported},
    {"socks4a", '\0', true, Action::Unsupported},
    {"socks5", '\0', true, Action::Unsupported},
    {"socks5-hostname", '\0', true, Action::Unsupported},
    {"noproxy", '\0', true, Action::Unsupported},
    {"cacert", '\0', true, Action::CaCert},
    {"capath", '\0', true, Action::Unsupported},
    {"cert", 'E', true, Action::Unsupported},
    {"cert-type", '\0', true, Action::Unsupported},
    {"key", '\0', true, Action::Unsupported},
    {"key-type", '\0', true, Action::Unsupported},
    {"pass", '\0', true, Action::Unsupported},
    {"ciphers", '\0', true, Action::Unsupported},
    {"tls13-ciphers", '\0', true, Action::Unsupported},
    {"curves", '\0', true, Action::Unsupported},
    {"pinnedpubkey", '\0', true, Action::Unsupported},
    {"crlfile", '\0', true, Action::Unsupported},
    {"tls-max", '\0', true, Action::Unsupported},
    {"resolve", '\0', true, Action::Unsupported},
    {"connect-to", '\0', true, Action::Unsupported},
    {"interface", '\0', true, Action::Unsupported},
    {"local-port", '\0', true, Action::Unsupported},
    {"dns-servers", '\0', true, Action::Unsupported},
    {"doh-url", '\0', true, Action::Unsupported},
    {"form", 'F', true, Action::Unsupported},
    {"form-string", '\0', true, Action::Unsupported},
    {"upload-file", 'T', true, Action::Unsupported},
    {"config", 'K', true, Action::Unsupported},
    {"unix-socket", '\0', true, Action::Unsupported},
    {"abstract-unix-socket", '\0', true, Action::Unsupported},
    {"aws-sigv4", '\0', true, Action::Unsupported},
    {"continue-at", 'C', true, Action::Unsupported},
    {"max-redirs", '\0', true, Action::Unsupported},
    {"time-cond", 'z', true, Action::Unsupported},
    {"retry", '\0', true, Action::Unsupported},
    {"retry-delay", '\0', true, Action::Unsupported},
    {"retry-max-time", '\0', true, Action::Unsupported},
    {"expect100-timeout", '\0', true, Action::Unsupported},
    {"keepalive-time", '\0', true, Action::Unsupported},
    {"limit-rate", '\0', true, Action::Unsupported},
    {"speed-limit", 'Y', true, Action::Unsupported},
    {"speed-time", 'y', true, Action::Unsupported},
    {"max-filesize", '\0', true, Action::Unsupported},
    {"netrc-file", '\0', true, Action::Unsupported},
    {"request-target", '\0', true, Action::Unsupported},
    {"variable", '\0', true, Action::Unsupported},
    {"proto", '\0', true, Action::Unsupported},
    {"proto-redir", '\0', true, Action::Unsupported},
    {"proto-default", '\0', true, Action::Unsupported},
    {"etag-compare", '\0', true, Action::Unsupported},
    {"hsts", '\0', true, Action::Unsupported},
    {"alt-svc", '\0', true, Action::Unsupported},
    {"parallel-max", '\0', true, Action::Unsupported},
    {"ftp-port", 'P', true, Action::Unsupported},
    {"quote", 'Q', true, Action::Unsupported},
    {"telnet-option", 't', true, Action::Unsupported},
    {"digest", '\0', false, Action::Unsupported},
    {"ntlm", '\0', false, Action::Unsupported},
    {"negotiate", '\0', false, Action::Unsupported},
    {"anyauth", '\0', false, Action::Unsupported},
    {"netrc", 'n', false, Action::Unsupported},
    {"netrc-optional", '\0', false, Action::Unsupported},
    {"http1.0", '0', false, Action::Unsupported},
    {"http3", '\0', false, Action::Unsupported},
    {"http3-only", '\0', false, Action::Unsupported},
    {"ipv4", '4', false, Action::Unsupported},
    {"ipv6", '6', false, Action::Unsupported},
    {"proxytunnel", 'p', false, Action::Unsupported},
    {"proxy-insecure", '\0', false, Action::Unsupported},
    {"tcp-fastopen", '\0', false, Action::Unsupported},
    {"no-keepalive", '\0', false, Action::Unsupported},
    {"post301", '\0', false, Action::Unsupported},
    {"post302", '\0', false, Action::Unsupported},
    {"post303", '\0', false, Action::Unsupported},
    {"path-as-is", '\0', false, Action::Unsupported},
    {"tr-encoding", '\0', false, Action::Unsupported},
    {"ssl", '\0', false, Action::Unsupported},
    {"ssl-reqd", '\0', false, Action::Unsupported},
    {"ssl-no-revoke", '\0', false, Action::Unsupported},
    {"sslv2", '2', false, Action::Unsupported},
    {"sslv3", '3', false, Action::Unsupported},
    {"tlsv1", '1', false, Action::Unsupported},
    {"tlsv1.0", '\0', false, Action::Unsupported},
    {"tlsv1.1", '\0', false, Action::Unsupported},
    {"tlsv1.2", '\0', false, Action::Unsupported},
    {"tlsv1.3", '\0', false, Action::Unsupported},
    {"cert-status", '\0', false, Action::Unsupported},
    {"parallel", 'Z', false, Action::Unsupported},
    {"next", ':', false, Action::Unsupported},
    {"list-only", 'l', false, Action::Unsupported},
    {"append", 'a', false, Action::Unsupported},
    {"use-ascii", 'B', false, Action::Unsupported},
    {"crlf", '\0', false, Action::Unsupported},
    {"ignore-content-length", '\0', false, Action::Unsupported},
    {"manual", 'M', false, Action::Unsupported},
    {"help", 'h', false, Action::Unsupported},
    {"version", 'V', false, Action::Unsupported},
};

const OptionSpec* findLong(std::string_view name)
{
    const auto it =
        std::find_if(std::begin(kOptions), std::end(kOptions), [&](const OptionSpec& o) { return o.longName == name; });
    return it == std::end(kOptions) ? nullptr : &*it;
}

const OptionSpec* findShort(char name)
{
    const auto it = std::find_if(std::begin(kOptions), std::end(kOptions),
                                 [&](const OptionSpec& o) { return o.shortName == name; });
    return it == std::end(kOptions) ? nullptr : &*it;
}

// Why an ignored option is ignored, when "not supported" alone would leave the user guessing.
std::string_view unsupportedReason(std::string_view longName)
{
    if (longName == "form" || longName == "form-string") {
        return "multipart form uploads are not supported";
    }
    if (longName == "digest" || longName == "ntlm" || longName == "negotiate" || longName == "anyauth") {
        return "only Basic authentication is imported";
    }
    if (longName == "http1.0") {
        return "requests are sent as HTTP/1.1";
    }
    if (longName == "upload-file" || longName == "config" || longName == "netrc" || longName == "netrc-file") {
        return "files are not read";
    }
    if (longName == "next" || longName == "parallel") {
        return "only the first request is imported";
    }
    return "not supported";
}

// ---------------------------------------------------------------------------------------------------
// Collecting what the options ask for
// ---------------------------------------------------------------------------------------------------

enum class HttpChoice { Default, Http11, Http2, Http2PriorKnowledge };

struct DataPiece {
    std::string text;
    bool json = false;
};

// Everything the options said, kept apart until the end: in curl the order of -X, -d, -G, -H and -u
// on the line does not matter, so the request is only built once all of them are known.
struct Collected {
    std::vector<std::string> explicitUrls; // --url
    std::vector<std::string> positionals;
    std::optional<std::string> method;
    std::vector<Header> headers;         // -H, in order
    std::vector<std::string> suppressed; // -H 'Name:': curl sends no such header, even a derived one
    std::vector<DataPiece> data;
    std::vector<std::string> urlQueries;
    bool get = false;
    bool head = false;
    bool compressed = false;
    bool insecure = false;
    std::string caCert;
    bool followRedirects = false;
    HttpChoice http = HttpChoice::Default;
    std::optional<std::string> user;
    std::optional<std::string> userAgent;
    std::optional<std::string> referer;
    std::optional<std::string> bearer;
    std::optional<std::string> range;
    std::vector<std::string> cookies;
    std::optional<engine::Micros> maxTime;
    std::optional<engine::Micros> connectTimeout;
};

// curl_easy_escape(): everything but RFC 3986 unreserved characters, spaces as %20.
std::string percentEncode(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        if (isAsciiAlpha(c) || isAsciiDigit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return out;
}

// Seconds as curl reads them for -m and --connect-timeout: "5", "2.5", ".25".
std::optional<double> parseSeconds(std::string_view text)
{
    double seconds = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
    // The upper bound keeps the conversion to microseconds far from overflow; a day is plenty.
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(seconds) || seconds < 0 || seconds > 86400) {
        return std::nullopt;
    }
    return seconds;
}

class OptionScanner {
public:
    OptionScanner(const std::vector<Token>& args, Collected& out, std::vector<std::string>& warnings)
        : args_(args)
        , out_(out)
        , warnings_(warnings)
    {
    }

    bool run();
    [[nodiscard]] const std::string& error() const { return error_; }

private:
    bool scanLong(std::string_view name);
    bool scanShortCluster(std::string_view letters);
    std::optional<std::string> nextArgument(std::string_view typed);
    bool apply(const OptionSpec& spec, std::string_view typed, const std::string& argument, bool enabled);
    bool addHeader(std::string_view typed, const std::string& line);
    void addData(std::string_view typed, const std::string& argument, bool json);
    std::string urlencodedPiece(std::string_view typed, const std::string& argument);
    void addCookie(std::string_view typed, const std::string& argument);
    bool setTimeout(std::string_view typed, const std::string& argument, std::optional<engine::Micros>& into);
    void warnIgnored(const OptionSpec& spec, std::string_view typed);
    bool fail(std::string message);

    const std::vector<Token>& args_;
    Collected& out_;
    std::vector<std::string>& warnings_;
    size_t next_ = 0;
    bool optionsEnded_ = false;
    std::string error_;
};

bool OptionScanner::run()
{
    while (next_ < args_.size()) {
        const std::string& word = args_[next_++].text;
        if (optionsEnded_ || word.size() < 2 || word[0] != '-') {
            out_.positionals.push_back(word);
            continue;
        }
        if (word == "--") {
            optionsEnded_ = true;
            continue;
        }
        const bool ok = word[1] == '-' ? scanLong(std::string_view(word).substr(2))
                                       : scanShortCluster(std::string_view(word).substr(1));
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool OptionScanner::scanLong(std::string_view name)
{
    const std::string typed = "--" + std::string(name);
    if (const OptionSpec* spec = findLong(name)) {
        if (!spec->takesArgument) {
            return apply(*spec, typed, {}, true);
        }
        const auto argument = nextArgument(typed);
        return argument && apply(*spec, typed, *argument, true);
    }
    // curl negates every boolean option with a "no-" prefix: --no-insecure, --no-location …
    if (name.substr(0, 3) == "no-") {
        if (const OptionSpec* spec = findLong(name.substr(3)); spec && !spec->takesArgument) {
            return apply(*spec, typed, {}, false);
        }
    }
    warnings_.push_back("ignored unknown option " + excerpt(typed));
    return true;
}

bool OptionScanner::scanShortCluster(std::string_view letters)
{
    // "-sSL" is three flags; in "-XPOST" or "-H'…'" the rest of the word is X's or H's argument.
    for (size_t i = 0; i < letters.size(); ++i) {
        const std::string typed = std::string("-") + letters[i];
        const OptionSpec* spec = findShort(letters[i]);
        if (!spec) {
            warnings_.push_back("ignored unknown option " + typed);
            continue;
        }
        if (!spec->takesArgument) {
            if (!apply(*spec, typed, {}, true)) {
                return false;
            }
            continue;
        }
        if (i + 1 < letters.size()) {
            return apply(*spec, typed, std::string(letters.substr(i + 1)), true);
        }
        const auto argument = nextArgument(typed);
        return argument && apply(*spec, typed, *argument, true);
    }
    return true;
}

std::optional<std::string> OptionScanner::nextArgument(std::string_view typed)
{
    if (next_ >= args_.size()) {
        fail("option " + std::string(typed) + " needs an argument");
        return std::nullopt;
    }
    return args_[next_++].text;
}

bool OptionScanner::apply(const OptionSpec& spec, std::string_view typed, const std::string& argument, bool enabled)
{
    switch (spec.action) {
    case Action::Url: out_.explicitUrls.push_back(argument); return true;
    case Action::Method: out_.method = argument; return true;
    case Action::Header: return addHeader(typed, argument);
    case Action::Data: addData(typed, argument, false); return true;
    case Action::DataRaw: out_.data.push_back({argument, false}); return true;
    case Action::Json: addData(typed, argument, true); return true;
    case Action::DataUrlencode: out_.data.push_back({urlencodedPiece(typed, argument), false}); return true;
    case Action::UrlQuery:
        // --url-query "+name=value" is appended as typed; anything else is encoded like --data-urlencode.
        out_.urlQueries.push_back(argument.substr(0, 1) == "+" ? argument.substr(1) : urlencodedPiece(typed, argument));
        return true;
    case Action::Get: out_.get = enabled; return true;
    case Action::Head: out_.head = enabled; return true;
    case Action::Compressed: out_.compressed = enabled; return true;
    case Action::Insecure: out_.insecure = enabled; return true;
    case Action::CaCert: out_.caCert = argument; return true;
    case Action::Location: out_.followRedirects = enabled; return true;
    case Action::Http2: out_.http = enabled ? HttpChoice::Http2 : HttpChoice::Default; return true;
    case Action::Http2PriorKnowledge:
        out_.http = enabled ? HttpChoice::Http2PriorKnowledge : HttpChoice::Default;
        return true;
    case Action::Http11: out_.http = enabled ? HttpChoice::Http11 : HttpChoice::Default; return true;
    case Action::User: out_.user = argument; return true;
    case Action::UserAgent: out_.userAgent = argument; return true;
    case Action::Referer: out_.referer = argument.substr(0, argument.find(";auto")); return true;
    case Action::Bearer: out_.bearer = argument; return true;
    case Action::Range: out_.range = argument; return true;
    case Action::Cookie: addCookie(typed, argument); return true;
    case Action::MaxTime: return setTimeout(typed, argument, out_.maxTime);
    case Action::ConnectTimeout: return setTimeout(typed, argument, out_.connectTimeout);
    case Action::OutputOnly: return true;
    case Action::Unsupported: warnIgnored(spec, typed); return true;
    }
    return true;
}

bool OptionScanner::addHeader(std::string_view typed, const std::string& line)
{
    const std::string shown = std::string(typed) + " '" + excerpt(line) + "'";
    if (line.substr(0, 1) == "@") {
        warnings_.push_back("ignored " + shown + ": reading headers from a file is not supported");
        return true;
    }
    if (line.substr(0, 1) == ":") {
        // Some tools copy HTTP/2 pseudo-headers (:authority, :path); they come from the URL and method.
        warnings_.push_back("ignored " + shown + ": HTTP/2 pseudo-headers are derived from the URL");
        return true;
    }
    // "Name;" is curl's spelling of a header with an empty value ("Name:" would remove the header).
    if (const auto semicolon = line.find(';'); line.find(':') == std::string::npos && semicolon != std::string::npos &&
                                               line.find_first_not_of(" \t", semicolon + 1) == std::string::npos) {
        Header header{trimmed(std::string_view(line).substr(0, semicolon)), {}};
        if (auto problem = engine::validateHeader(header)) {
            return fail(*problem);
        }
        out_.headers.push_back(std::move(header));
        return true;
    }
    std::string problem;
    auto header = engine::parseHeaderLine(line, &problem);
    if (!header) {
        return fail(problem);
    }
    if (equalsIgnoringCase(header->name, "Content-Length") || equalsIgnoringCase(header->name, "Transfer-Encoding")) {
        warnings_.push_back("ignored " + shown + ": Benchdeck frames the body itself");
        return true;
    }
    if (!header->value.empty()) {
        out_.headers.push_back(std::move(*header));
        return true;
    }
    // "Name:" tells curl not to send a header it would add by itself.
    out_.suppressed.push_back(header->name);
    for (const std::string_view own : {"Host", "User-Agent", "Accept"}) {
        if (equalsIgnoringCase(header->name, own)) {
            warnings_.push_back(shown + " removes a header curl adds itself; Benchdeck still sends its own " +
                                std::string(own));
        }
    }
    return true;
}

void OptionScanner::addData(std::string_view typed, const std::string& argument, bool json)
{
    if (argument.substr(0, 1) == "@") {
        warnings_.push_back(std::string(typed) + " " + excerpt(argument) +
                            " reads a file or stdin, which an import cannot do: the text '" + excerpt(argument) +
                            "' is sent as it stands");
    }
    out_.data.push_back({argument, json});
}

std::string OptionScanner::urlencodedPiece(std::string_view typed, const std::string& argument)
{
    // curl's forms: "content", "=content", "name=content", "@file", "name@file". A '=' is looked for
    // first, so an '@' after it is content.
    auto separator = argument.find('=');
    if (separator == std::string::npos) {
        separator = argument.find('@');
    }
    if (separator == std::string::npos) {
        return percentEncode(argument);
    }
    if (argument[separator] == '@') {
        warnings_.push_back(std::string(typed) + " " + excerpt(argument) +
                            " reads a file, which an import cannot do: the text is used as it stands");
        return argument;
    }
    const std::string encoded = percentEncode(std::string_view(argument).substr(separator + 1));
    return separator == 0 ? encoded : argument.substr(0, separator) + "=" + encoded;
}

void OptionScanner::addCookie(std::string_view typed, const std::string& argument)
{
    // curl's rule: with a '=' it is cookie data, without one it names a cookie file. An empty
    // argument only switches curl's cookie engine on and sends nothing.
    if (argument.find('=') != std::string::npos) {
        out_.cookies.push_back(argument);
    } else if (!argument.empty()) {
        warnings_.push_back("ignored " + std::string(typed) + " " + excerpt(argument) +
                            ": reading cookies from a file is not supported");
    }
}

bool OptionScanner::setTimeout(std::string_view typed, const std::string& argument, std::optional<engine::Micros>& into)
{
    const auto seconds = parseSeconds(argument);
    if (!seconds) {
        return fail(std::string(typed) + " '" + excerpt(argument) + "' is not a number of seconds (0 to 86400)");
    }
    if (*seconds == 0) {
        warnings_.push_back(std::string(typed) +
                            " 0 means no limit in curl; Benchdeck keeps its default timeout instead");
        return true;
    }
    into = engine::Micros(std::max<int64_t>(1, std::llround(*seconds * 1e6)));
    return true;
}

void OptionScanner::warnIgnored(const OptionSpec& spec, std::string_view typed)
{
    // Name the long form too when the short one was typed: "-x/--proxy" says more than "-x".
    std::string name(typed);
    if (typed.substr(0, 2) != "--") {
        name += "/--" + std::string(spec.longName);
    }
    warnings_.push_back("ignored option " + name + " (" + std::string(unsupportedReason(spec.longName)) + ")");
}

bool OptionScanner::fail(std::string message)
{
    error_ = std::move(message);
    return false;
}

// ---------------------------------------------------------------------------------------------------
// Building the request
// ---------------------------------------------------------------------------------------------------

bool isCurlProgram(std::string_view word)
{
    // Full paths (/usr/bin/curl, C:\Windows\System32\curl.exe) name curl just as well.
    const auto slash = word.find_last_of("/\\");
    const std::string_view base = slash == std::string_view::npos ? word : word.substr(slash + 1);
    return equalsIgnoringCase(base, "curl") || equalsIgnoringCase(base, "curl.exe");
}

// The words of the first command: what a shell would hand to curl. The rest (a pipe into jq, a
// second command) is named in a warning. A line break without a backslash before an option is
// taken as a forgotten continuation, since that is what the person pasting almost always meant.
std::vector<Token> firstCommand(const std::vector<Token>& tokens, std::vector<std::string>& warnings)
{
    std::vector<Token> words;
    bool noted = false;
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (!tokens[i].isOperator) {
            words.push_back(tokens[i]);
            continue;
        }
        const bool continues = tokens[i].text == "\n" && i + 1 < tokens.size() && !tokens[i + 1].isOperator &&
                               tokens[i + 1].text.substr(0, 1) == "-";
        if (continues) {
            if (!noted) {
                warnings.emplace_back("a line break without a trailing backslash: the next lines are read as part "
                                      "of the command");
                noted = true;
            }
            continue;
        }
        const std::string shown = tokens[i].text == "\n" ? "the first line break" : "'" + tokens[i].text + "'";
        warnings.push_back("ignored everything after " + shown + ": only the curl command itself is imported");
        break;
    }
    return words;
}

void warnAboutExpansions(const std::vector<Token>& words, std::vector<std::string>& warnings)
{
    std::vector<std::string> seen;
    for (const auto& word : words) {
        if (!word.unexpanded.empty() && std::find(seen.begin(), seen.end(), word.unexpanded) == seen.end()) {
            seen.push_back(word.unexpanded);
            warnings.push_back("'" + word.unexpanded +
                               "' is kept as typed: shell variables and substitutions are not expanded");
        }
    }
}

bool hasScheme(std::string_view url)
{
    const auto colon = url.find("://");
    if (colon == std::string_view::npos || colon == 0 || !isAsciiAlpha(url[0])) {
        return false;
    }
    return std::all_of(url.begin(), url.begin() + std::ptrdiff_t(colon),
                       [](char c) { return isAsciiAlpha(c) || isAsciiDigit(c) || c == '+' || c == '-' || c == '.'; });
}

// curl requests every URL it is given; a load test has one, so the first is taken: --url before a
// bare argument, and a bare argument with a scheme before one without (an unknown option's value).
std::optional<std::string> pickUrl(const Collected& c, std::vector<std::string>& warnings)
{
    std::vector<std::string> candidates = c.explicitUrls;
    const auto withScheme = std::find_if(c.positionals.begin(), c.positionals.end(), hasScheme);
    if (withScheme != c.positionals.end()) {
        candidates.push_back(*withScheme);
    }
    for (auto it = c.positionals.begin(); it != c.positionals.end(); ++it) {
        if (it != withScheme) {
            candidates.push_back(*it);
        }
    }
    if (candidates.empty()) {
        return std::nullopt;
    }
    for (size_t i = 1; i < candidates.size(); ++i) {
        warnings.push_back("ignored extra argument '" + excerpt(candidates[i]) + "' (only one URL is imported)");
    }
    return candidates.front();
}

std::string normalizedUrl(std::string url)
{
    url = url.substr(0, url.find('#'));            // curl never sends the fragment
    return hasScheme(url) ? url : "http://" + url; // curl's default for "host:port/path"
}

std::string appendQuery(const std::string& url, const std::string& query)
{
    if (query.empty()) {
        return url;
    }
    if (url.find('?') == std::string::npos) {
        return url + "?" + query;
    }
    const char last = url.back();
    return (last == '?' || last == '&') ? url + query : url + "&" + query;
}

// -d pieces are joined with '&'; --json pieces are glued on directly, as curl does.
std::string joinData(const std::vector<DataPiece>& pieces)
{
    std::string out;
    for (size_t i = 0; i < pieces.size(); ++i) {
        if (i > 0 && !pieces[i].json) {
            out += '&';
        }
        out += pieces[i].text;
    }
    return out;
}

bool hasHeader(const std::vector<Header>& headers, std::string_view name)
{
    return std::any_of(headers.begin(), headers.end(),
                       [&](const Header& h) { return equalsIgnoringCase(h.name, name); });
}

// A header the user wrote with -H (or removed with -H 'Name:') wins over one curl derives from an
// option, exactly as in curl.
void addDerivedHeader(std::vector<Header>& headers, const Collected& c, std::string_view name, std::string value)
{
    const bool suppressed = std::any_of(c.suppressed.begin(), c.suppressed.end(),
                                        [&](const std::string& s) { return equalsIgnoringCase(s, name); });
    if (!suppressed && !hasHeader(headers, name)) {
        headers.push_back({std::string(name), std::move(value)});
    }
}

std::string basicCredentials(const std::string& user, std::vector<std::string>& warnings)
{
    std::string pair = user;
    if (pair.find(':') == std::string::npos) {
        warnings.emplace_back("-u without a password: curl would prompt for one; an empty password is imported");
        pair += ':';
    }
    return "Basic " + QByteArray::fromStdString(pair).toBase64().toStdString();
}

void addCookies(std::vector<Header>& headers, const Collected& c)
{
    if (c.cookies.empty()) {
        return;
    }
    const std::string cookies = join(c.cookies, "; ");
    const auto existing = std::find_if(headers.begin(), headers.end(),
                                       [](const Header& h) { return equalsIgnoringCase(h.name, "Cookie"); });
    if (existing != headers.end()) {
        existing->value += "; " + cookies; // one Cookie header, as a browser sends it
    } else {
        addDerivedHeader(headers, c, "Cookie", cookies);
    }
}

std::vector<Header> buildHeaders(const Collected& c, bool sendsBody, std::vector<std::string>& warnings)
{
    std::vector<Header> headers = c.headers;
    if (c.userAgent && !c.userAgent->empty()) {
        addDerivedHeader(headers, c, "User-Agent", *c.userAgent);
    }
    if (c.referer && !c.referer->empty()) {
        addDerivedHeader(headers, c, "Referer", *c.referer);
    }
    if (c.user) {
        addDerivedHeader(headers, c, "Authorization", basicCredentials(*c.user, warnings));
    }
    if (c.bearer) {
        addDerivedHeader(headers, c, "Authorization", "Bearer " + *c.bearer);
    }
    if (c.range) {
        addDerivedHeader(headers, c, "Range", "bytes=" + *c.range);
    }
    addCookies(headers, c);
    if (c.compressed) {
        addDerivedHeader(headers, c, "Accept-Encoding", "gzip, deflate, br");
    }
    const bool json = std::any_of(c.data.begin(), c.data.end(), [](const DataPiece& p) { return p.json; });
    if (json) {
        addDerivedHeader(headers, c, "Content-Type", "application/json");
        addDerivedHeader(headers, c, "Accept", "application/json");
    } else if (sendsBody) {
        // libcurl adds this form type to every -d body; the engine deliberately does not, so the
        // import writes it out to send what curl sent.
        addDerivedHeader(headers, c, "Content-Type", "application/x-www-form-urlencoded");
    }
    return headers;
}

std::string chooseMethod(const Collected& c)
{
    if (c.method) {
        std::string method = *c.method;
        std::transform(method.begin(), method.end(), method.begin(), asciiUpper);
        return method;
    }
    if (c.head) {
        return "HEAD";
    }
    return !c.data.empty() && !c.get ? "POST" : "GET";
}

engine::HttpVersion chooseHttpVersion(const Collected& c, const std::string& url, std::vector<std::string>& warnings)
{
    switch (c.http) {
    case HttpChoice::Default:
    case HttpChoice::Http11: return engine::HttpVersion::Http1;
    case HttpChoice::Http2PriorKnowledge: return engine::HttpVersion::Http2;
    case HttpChoice::Http2: break;
    }
    // On https, --http2 negotiates h2 by ALPN. On http it only offers an Upgrade, which servers rarely
    // accept, so curl usually speaks HTTP/1.1 there.
    if (equalsIgnoringCase(url.substr(0, 8), "https://")) {
        return engine::HttpVersion::Http2;
    }
    warnings.emplace_back("--http2 on an http:// URL only offers an upgrade; imported as HTTP/1.1 "
                          "(--http2-prior-knowledge asks for h2c)");
    return engine::HttpVersion::Http1;
}

std::optional<engine::RunConfig> buildRequest(const Collected& c, std::vector<std::string>& warnings,
                                              std::string* error)
{
    const auto picked = pickUrl(c, warnings);
    if (!picked) {
        return failWith<engine::RunConfig>(error, "no URL in the curl command");
    }
    if (c.head && !c.data.empty() && !c.get) {
        return failWith<engine::RunConfig>(error, "-I/--head together with request data: curl refuses to send "
                                                  "a body with HEAD too");
    }
    engine::RunConfig request;
    // validate() needs a stop condition; the caller replaces this with the run's real duration.
    request.duration = std::chrono::seconds(10);

    std::string url = appendQuery(normalizedUrl(*picked), join(c.urlQueries, "&"));
    const std::string data = joinData(c.data);
    const bool sendsBody = !c.data.empty() && !c.get;
    if (c.get) {
        url = appendQuery(url, data); // -G: the data becomes the query string
    } else {
        request.body = data;
    }
    request.url = url;
    request.method = chooseMethod(c);
    request.headers = buildHeaders(c, sendsBody, warnings);
    request.httpVersion = chooseHttpVersion(c, url, warnings);
    request.insecure = c.insecure;
    request.caCertFile = c.caCert;
    request.followRedirects = c.followRedirects;
    request.requestTimeout = c.maxTime.value_or(request.requestTimeout);
    request.connectTimeout = c.connectTimeout.value_or(request.connectTimeout);

    if (auto problem = engine::validate(request)) {
        return failWith<engine::RunConfig>(error, *problem);
    }
    return request;
}

} // namespace

std::optional<std::vector<std::string>> splitCommandLine(std::string_view commandLine, std::string* error)
{
    const auto tokens = tokenize(commandLine, error);
    if (!tokens) {
        return std::nullopt;
    }
    std::vector<std::string> words;
    words.reserve(tokens->size());
    for (const auto& token : *tokens) {
        words.push_back(token.text);
    }
    return words;
}

std::optional<CurlImport> parseCurlCommand(std::string_view commandLine, std::string* error)
{
    const auto tokens = tokenize(commandLine, error);
    if (!tokens) {
        return std::nullopt;
    }
    CurlImport result;
    std::vector<Token> words = firstCommand(*tokens, result.warnings);
    // "$ curl …" is how documentation shows a command; the prompt is not part of it.
    if (!words.empty() && words.front().text == "$") {
        words.erase(words.begin());
    }
    if (words.empty()) {
        return failWith<CurlImport>(error, "the command line is empty");
    }
    if (!isCurlProgram(words.front().text)) {
        return failWith<CurlImport>(error,
                                    "not a curl command: it starts with '" + excerpt(words.front().text, 40) + "'");
    }
    words.erase(words.begin());
    warnAboutExpansions(words, result.warnings);

    Collected collected;
    OptionScanner scanner(words, collected, result.warnings);
    if (!scanner.run()) {
        return failWith<CurlImport>(error, scanner.error());
    }
    auto request = buildRequest(collected, result.warnings, error);
    if (!request) {
        return std::nullopt;
    }
    result.request = std::move(*request);
    return result;
}

} // namespace benchdeck::io
