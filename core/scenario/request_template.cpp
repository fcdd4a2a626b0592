// SPDX-License-Identifier: Apache-2.0
#include "request_template.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <initializer_list>
#include <iterator>
#include <system_error>

namespace benchdeck::scenario {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";
constexpr std::string_view kKnownBuiltIns = "$uuid, $randomInt A B, $iteration, $timestamp";
constexpr size_t kSnippetLength = 32; // enough to recognise the place in a long body

// Messages are built by append: GCC 12 misreads operator+ chains on std::string (-Wrestrict).
std::string concat(std::initializer_list<std::string_view> parts)
{
    std::string joined;
    for (const std::string_view part : parts) {
        joined.append(part);
    }
    return joined;
}

// The source from `offset`, cut short so that a message stays one readable line.
std::string snippet(std::string_view text, size_t offset)
{
    std::string shown(text.substr(offset, kSnippetLength));
    if (text.size() - offset > kSnippetLength) {
        shown.append("...");
    }
    return shown;
}

std::string_view trim(std::string_view text)
{
    const size_t first = text.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos) {
        return {};
    }
    const size_t last = text.find_last_not_of(kWhitespace);
    return text.substr(first, last - first + 1);
}

std::vector<std::string_view> words(std::string_view text)
{
    std::vector<std::string_view> found;
    size_t at = text.find_first_not_of(kWhitespace);
    while (at != std::string_view::npos) {
        const size_t end = std::min(text.find_first_of(kWhitespace, at), text.size());
        found.push_back(text.substr(at, end - at));
        at = text.find_first_not_of(kWhitespace, end);
    }
    return found;
}

bool isNameStart(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool isNameCharacter(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}


std::optional<int64_t> parseInt64(std::string_view text)
{
    int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, status] = std::from_chars(text.data(), end, value);
    if (status != std::errc{} || stop != end) {
        return std::nullopt;
    }
    return value;
}

// Through a stack buffer: std::to_string would allocate on every request.
template <typename Integer> void appendInteger(std::string& out, Integer value)
{
    char buffer[24]; // 20 digits and a sign at most, for any 64-bit integer
    const auto result = std::to_chars(std::begin(buffer), std::end(buffer), value);
    out.append(buffer, static_cast<size_t>(result.ptr - buffer));
}

// RFC 4122 section 4.4: 122 random bits, the version nibble 4 and the variant bits 10.
void appendUuid(std::string& out, std::mt19937_64& random)
{
    constexpr char kHex[] = "0123456789abcdef";
    uint64_t high = random();
    uint64_t low = random();
    high = (high & ~uint64_t{0xf000}) | uint64_t{0x4000};         // byte 6, high nibble: version
    low = (low & ~(uint64_t{0xc} << 60)) | (uint64_t{0x8} << 60); // byte 8, top two bits: variant
    char buffer[36];
    size_t at = 0;
    for (int digit = 0; digit < 32; ++digit) {
        if (digit == 8 || digit == 12 || digit == 16 || digit == 20) {
            buffer[at++] = '-';
        }
        const uint64_t half = digit < 16 ? high : low;
        const int shift = 60 - 4 * (digit % 16);
        buffer[at++] = kHex[(half >> shift) & 0xf];
    }
    out.append(buffer, sizeof buffer);
}

int64_t unixSeconds()
{
    // Since C++20 system_clock's epoch is the Unix epoch.
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

bool isVariableName(std::string_view name)
{
    return !name.empty() && isNameStart(name.front()) && std::all_of(name.begin() + 1, name.end(), isNameCharacter);
}

int VariableIndex::indexOf(std::string_view name) const
{
    const auto found = byName_.find(name);
    return found == byName_.end() ? -1 : found->second;
}

int VariableIndex::add(std::string_view name)
{
    if (const int existing = indexOf(name); existing >= 0) {
        return existing;
    }
    const int index = static_cast<int>(names_.size());
    names_.emplace_back(name);
    byName_.emplace(std::string(name), index);
    return index;
}

VariableValues::VariableValues(size_t count)
    : values_(count)
    , set_(count, 0)
{
}

void VariableValues::set(int index, std::string_view value)
{
    if (index < 0) {
        return;
    }
    const auto at = static_cast<size_t>(index);
    if (at >= values_.size()) {
        values_.resize(at + 1);
        set_.resize(at + 1, 0);
    }
    values_[at].assign(value); // within capacity: no allocation
    set_[at] = 1;
}

std::string_view VariableValues::get(int index) const noexcept
{
    return isSet(index) ? std::string_view(values_[static_cast<size_t>(index)]) : std::string_view();
}

bool VariableValues::isSet(int index) const noexcept
{
    return index >= 0 && static_cast<size_t>(index) < set_.size() && set_[static_cast<size_t>(index)] != 0;
}

void VariableValues::clearAll() noexcept
{
    std::fill(set_.begin(), set_.end(), char{0});
}

std::optional<RequestTemplate> RequestTemplate::compile(std::string_view text, VariableIndex& variables,
                                                        std::string* error)
{
    auto fail = [&](std::string message) -> std::optional<RequestTemplate> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };

    RequestTemplate compiled;
    compiled.text_.assign(text);
    auto addLiteral = [&](size_t from, size_t to) {
        if (to > from) {
            Segment literal;
            literal.offset = from;
            literal.length = to - from;
            compiled.segments_.push_back(literal);
        }
    };

    size_t literalStart = 0;
    for (size_t open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", literalStart)) {
        // In a run of braces the last two open the placeholder, so "{{{id}}}" is "{", id, "}" as JSON
        // bodies need, not an error.
        while (open + 2 < text.size() && text[open + 2] == '{') {
            ++open;
        }
        const std::string offset = std::to_string(open);
        const size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            return fail(concat({"unterminated {{ at offset ", offset, ": ", snippet(text, open)}));
        }
        addLiteral(literalStart, open);
        literalStart = close + 2;

        const std::string_view placeholder = text.substr(open, close + 2 - open);
        const std::string_view inside = trim(text.substr(open + 2, close - open - 2));
        if (inside.empty()) {
            return fail(concat({"empty ", placeholder, " at offset ", offset,
                                ": a placeholder holds a variable name or a built-in such as $uuid"}));
        }

        Segment segment;
        if (inside.front() != '$') {
            if (!isVariableName(inside)) {
                return fail(concat({"invalid variable name '", inside, "' at offset ", offset,
                                    ": a name is letters, digits, _, . and -, and starts with a letter or _"}));
            }
            // Resolved to an index once the whole text has compiled, so a failure adds no names.
            segment.kind = SegmentKind::Variable;
            segment.offset = static_cast<size_t>(inside.data() - text.data());
            segment.length = inside.size();
            compiled.segments_.push_back(segment);
            continue;
        }

        const std::vector<std::string_view> parts = words(inside);
        const std::string_view builtIn = parts.front();
        const size_t arguments = parts.size() - 1;
        if (builtIn == "$uuid" || builtIn == "$iteration" || builtIn == "$timestamp") {
            if (arguments != 0) {
                return fail(concat({builtIn, " takes no arguments, at offset ", offset, ": ", placeholder}));
            }
            segment.kind = builtIn == "$uuid"        ? SegmentKind::Uuid
                           : builtIn == "$iteration" ? SegmentKind::Iteration
                                                     : SegmentKind::Timestamp;
        } else if (builtIn == "$randomInt") {
            if (arguments != 2) {
                return fail(
                    concat({"$randomInt needs two integers A B with A <= B, at offset ", offset, ": ", placeholder}));
            }
            const std::optional<int64_t> low = parseInt64(parts[1]);
            const std::optional<int64_t> high = parseInt64(parts[2]);
            if (!low || !high) {
                return fail(concat({"$randomInt argument '", low ? parts[2] : parts[1],
                                    "' is not a 64-bit integer, at offset ", offset, ": ", placeholder}));
            }
            segment.kind = SegmentKind::RandomInt;
            segment.low = *low;
            segment.high = *high;
            if (segment.low > segment.high) {
                return fail(concat({"$randomInt A B needs A <= B, but ", parts[1], " > ", parts[2], ", at offset ",
                                    offset, ": ", placeholder}));
            }
        } else {
            return fail(concat({"unknown built-in ", builtIn, "; known: ", kKnownBuiltIns}));
        }
        compiled.segments_.push_back(segment);
    }
    addLiteral(literalStart, text.size());

    const std::string_view source = compiled.text_;
    for (Segment& segment : compiled.segments_) {
        if (segment.kind != SegmentKind::Variable) {
            continue;
        }
        segment.variable = variables.add(source.substr(segment.offset, segment.length));
        auto& used = compiled.variablesUsed_;
        if (std::find(used.begin(), used.end(), segment.variable) == used.end()) {
            used.push_back(segment.variable);
        }
    }
    return compiled;
}

bool RequestTemplate::render(const VariableValues& values, RenderContext& context, std::string& out,
                             std::string* missing) const
{
    out.clear();
    for (const Segment& segment : segments_) {
        switch (segment.kind) {
        case SegmentKind::Literal: out.append(text_, segment.offset, segment.length); break;
        case SegmentKind::Variable:
            if (!values.isSet(segment.variable)) {
                if (missing) {
                    missing->assign(text_, segment.offset, segment.length);
                }
                return false;
            }
            out.append(values.get(segment.variable));
            break;
        case SegmentKind::Uuid: appendUuid(out, context.random); break;
        case SegmentKind::RandomInt: {
            // Constructing the distribution is a few integer stores: nothing worth caching per segment.
            std::uniform_int_distribution<int64_t> distribution(segment.low, segment.high);
            appendInteger(out, distribution(context.random));
            break;
        }
        case SegmentKind::Iteration: appendInteger(out, context.iteration); break;
        case SegmentKind::Timestamp: appendInteger(out, unixSeconds()); break;
        }
    }
    return true;
}

bool RequestTemplate::isConstant() const noexcept
{
    return std::all_of(segments_.begin(), segments_.end(),
                       [](const Segment& segment) { return segment.kind == SegmentKind::Literal; });
}

} // namespace benchdeck::scenario
