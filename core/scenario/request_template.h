// SPDX-License-Identifier: Apache-2.0
#pragma once

// Request templates: the URL, header values and body of a step, with {{variables}} and built-ins
// ({{$uuid}}, {{$randomInt A B}}, {{$iteration}}, {{$timestamp}}). A template is compiled once per
// run, before traffic; workers then render it for every request, so rendering appends into buffers
// the caller keeps and allocates nothing once they have grown.
//
// Values are inserted verbatim: nothing is percent-encoded or JSON-escaped, because only the user
// knows whether a value lands in a path, a query, a header or a JSON string. A value that needs
// encoding is written encoded in the CSV (or wherever it comes from).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace benchdeck::scenario {

// A name templates can use: [A-Za-z_][A-Za-z0-9_.-]*. Dots and dashes are allowed because CSV
// headers and JSON field names use them ("user.id", "order-no"). CSV columns follow the same rule.
bool isVariableName(std::string_view name);

// Variable names to small dense indices, so that a user's values are a vector, not a map. Built
// once per run from templates, feeders, extractors and constants; read-only while traffic runs.
class VariableIndex {
public:
    // -1 when the name is unknown.
    int indexOf(std::string_view name) const;
    // The existing index when the name is known already.
    int add(std::string_view name);
    size_t size() const noexcept { return names_.size(); }
    std::string_view name(int index) const { return names_.at(static_cast<size_t>(index)); }

private:
    std::vector<std::string> names_;                 // by index
    std::map<std::string, int, std::less<>> byName_; // std::less<>: looked up by string_view, no copy
};

// One user's current values, by VariableIndex index. Kept for the user's life and refilled every
// iteration: strings are assigned in place so their capacity carries over.
class VariableValues {
public:
    VariableValues() = default;
    explicit VariableValues(size_t count);
    explicit VariableValues(const VariableIndex& index)
        : VariableValues(index.size())
    {
    }

    // Grows when `index` is past the end (values sized before the last add): never in steady state.
    // A negative index, a name VariableIndex::indexOf did not know, is no template's: ignored.
    void set(int index, std::string_view value);
    // Empty when unset: a value from an earlier iteration is never seen after clearAll().
    std::string_view get(int index) const noexcept;
    bool isSet(int index) const noexcept;
    // Everything unset; the strings keep their capacity for the next iteration.
    void clearAll() noexcept;
    size_t size() const noexcept { return values_.size(); }

private:
    std::vector<std::string> values_;
    std::vector<char> set_; // not vector<bool>: a plain byte per flag
};

// What built-ins draw on while rendering. One per worker thread: the random engine is used without
// locks.
struct RenderContext {
    std::mt19937_64& random; // $uuid, $randomInt
    // $iteration: the user's iteration number, counted across the whole run (all users, all
    // workers) from 1, so the first iteration of a run is 1. The engine sets it; render prints it.
    uint64_t iteration = 0;
};

class RequestTemplate {
public:
    // An empty template: constant, renders "".
    RequestTemplate() = default;

    // Names of variables seen for the first time are added to `variables`, but only when the whole
    // text compiles: a failed compile leaves the index as it was. On failure `error` (if given) says
    // what is wrong and where (0-based offset into `text`).
    static std::optional<RequestTemplate> compile(std::string_view text, VariableIndex& variables, std::string* error);

    // Replaces `out` with the rendering. `out` is cleared, not shrunk, so a buffer kept across calls
    // stops allocating once it has grown. When a variable used here is unset, returns false with its
    // name in `missing` (if given) and `out` partial: the step fails as a check would, no request
    // goes out.
    bool render(const VariableValues& values, RenderContext& context, std::string& out, std::string* missing) const;

    // No variables and no built-ins: the text renders as itself, so it can be serialised once.
    bool isConstant() const noexcept;
    // The indices of the variables used, each once, in order of first use.
    const std::vector<int>& variablesUsed() const noexcept { return variablesUsed_; }
    // The source, as compiled.
    std::string_view text() const noexcept { return text_; }

private:
    enum class SegmentKind : uint8_t { Literal, Variable, Uuid, RandomInt, Iteration, Timestamp };

    // Text is referred to by offset into text_, not by string_view: moving a short std::string
    // moves its characters (small-string buffer), which would leave views dangling.
    struct Segment {
        SegmentKind kind = SegmentKind::Literal;
        size_t offset = 0; // Literal: the text; Variable: the name (for `missing`)
        size_t length = 0;
        int variable = -1; // Variable
        int64_t low = 0;   // RandomInt, inclusive
        int64_t high = 0;  // RandomInt, inclusive
    };

    std::string text_;
    std::vector<Segment> segments_;
    std::vector<int> variablesUsed_;
};

} // namespace benchdeck::scenario
