// SPDX-License-Identifier: Apache-2.0
#pragma once

// A step's extractors and checks, compiled once per run from what the user wrote and then applied
// to every response in the engine's workers: nothing is parsed per response, and apply()/passes()
// are const, so one compiled rule serves all workers at once. No Qt.

#include "json_scan.h"
#include "scenario.h"

#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace benchdeck::scenario {

// What the rules see of a response. The views point into the worker's buffers for the call.
struct ResponseView {
    int status = 0;
    std::span<const std::pair<std::string_view, std::string_view>> headers; // as received, in order
    std::string_view body;
};

class CompiledExtractor {
public:
    // nullopt with *error set when the expression cannot work: a regular expression that does not
    // compile, a JSON path outside the supported subset, an empty or malformed header name.
    static std::optional<CompiledExtractor> compile(const Extractor& extractor, std::string* error);

    // Sets `value` and returns true when the response holds what the extractor takes; false, with
    // `value` untouched, when it does not: no such header, nothing at the pointer (or a body that
    // is not JSON), no regex match, or a match whose group 1 did not take part.
    bool apply(const ResponseView& response, std::string& value) const;

    const std::string& variable() const { return variable_; }
    ExtractFrom from() const { return from_; }

private:
    CompiledExtractor() = default;

    std::string variable_;
    ExtractFrom from_ = ExtractFrom::JsonPointer;
    std::string pointerOrHeader_; // the RFC 6901 pointer (paths converted) or the header name
    // The slow path, kept to extractors: std::regex allocates on every search and backtracks.
    // Users who can should prefer JSON pointers.
    std::optional<std::regex> regex_;
    bool takesGroupOne_ = false;
};

class CompiledCheck {
public:
    // nullopt with *error set for a check that could never mean anything: a status list that is
    // empty or holds a number outside 100..599, empty text to look for, a JSON path outside the
    // supported subset, an expected value that is not JSON.
    static std::optional<CompiledCheck> compile(const Check& check, std::string* error);

    bool passes(const ResponseView& response) const;

    // The check as reports show it: `status in {200, 201}`, `body contains "ok"`, `/id == 42`.
    std::string describe() const;

    CheckKind kind() const { return kind_; }

private:
    CompiledCheck() = default;

    CheckKind kind_ = CheckKind::StatusIn;
    std::vector<int> statuses_;
    std::string text_;           // BodyContains
    std::string pointer_;        // JsonEquals, as an RFC 6901 pointer
    std::string writtenPointer_; // JsonEquals, as the user wrote it: what describe() shows
    std::string expected_;       // JsonEquals, without the whitespace around it
    JsonValueView::Type expectedType_ = JsonValueView::Type::Null;
};

} // namespace benchdeck::scenario
