// SPDX-License-Identifier: Apache-2.0
#pragma once

// JSON read the way extractors and checks need it, in the engine's workers after every response:
// one forward pass over the raw bytes to the value an RFC 6901 pointer names. No DOM, no Qt, no
// allocation while scanning, no recursion, and no read past the end of the text, whatever it holds.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace benchdeck::scenario {

// Containers nested deeper than this make a document count as malformed: the scanner keeps its
// nesting in a fixed bitset, so no body can make it grow the stack or the heap.
inline constexpr std::size_t kMaxJsonNesting = 1024;

// A value found in a document; `raw` points into that document's text.
struct JsonValueView {
    enum class Type { String, Number, True, False, Null, Object, Array };
    Type type = Type::Null;
    std::string_view raw; // the exact source text; a string's includes its quotes
};

// What users write as a JSON path, "$.a.b[0].c" or "$['a b'][2]" (members by name, array elements
// by index, nothing else), as an RFC 6901 pointer: "/a/b/0/c", "/a b/2". Text that is already a
// pointer (empty, or starting with '/') comes back unchanged when it is a valid one. nullopt with
// *error set for wildcards, filters, recursive descent, slices and the like: each would name many
// values, and an extractor takes one.
std::optional<std::string> jsonPathToPointer(std::string_view path, std::string* error);

// "" (the whole document) or '/'-separated tokens in which every '~' is "~0" or "~1".
bool isValidJsonPointer(std::string_view pointer);

// The value `pointer` names in `json`. nullopt when there is none, when the pointer is invalid and
// when `json` is not exactly one JSON value (surrounding whitespace aside): the whole document is
// checked, so a truncated or broken body finds nothing even where its first bytes would have.
// Object members match on their decoded names; with duplicate names the first wins. Array tokens
// are decimal without leading zeros; "-" never names an element.
std::optional<JsonValueView> findJsonPointer(std::string_view json, std::string_view pointer);

// `text` as one JSON value (whitespace around it allowed), or nullopt when it is not JSON.
std::optional<JsonValueView> parseJsonValue(std::string_view text);

// The content of a JSON string literal, quotes included in `rawWithQuotes`, with its escapes
// decoded to UTF-8 into `out` (cleared first). A \u escape that is half of a surrogate pair
// without its other half decodes as U+FFFD. False, with `out` empty, when it is not a string.
bool decodeJsonString(std::string_view rawWithQuotes, std::string& out);

// A value as an extractor hands it to later steps: a string's decoded content, any other value's
// source text (42, true, null, {"a": 1}).
void jsonValueText(const JsonValueView& value, std::string& out);

// Whether two JSON texts hold the same value: strings by decoded content ("a" equals "\u0061"),
// numbers by their value as doubles (1 equals 1.0 and 1e0), true/false/null exactly, values of
// different types never. Objects and arrays compare as text with the whitespace between tokens
// ignored, so member order matters and nested strings and numbers compare as written. False when
// either text is not JSON.
bool jsonValuesEqual(std::string_view a, std::string_view b);
bool jsonValuesEqual(const JsonValueView& a, const JsonValueView& b);

} // namespace benchdeck::scenario
