// SPDX-License-Identifier: Apache-2.0
#pragma once

// A workload as a user writes it: scenarios of steps, each step a request template with extractors
// that set variables for later steps and checks that judge the answer; a weighted mix of scenarios;
// data feeders. Plain values, no Qt: the engine's workers read these, the plan codec stores them
// (plan/scenario_codec.h), the CLI and the app build them. Text in templates is as written
// ("{{token}}"); request_template.h compiles it once per run.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace benchdeck::scenario {

using Micros = std::chrono::microseconds;

// Where an extractor takes its value from.
enum class ExtractFrom {
    JsonPointer, // RFC 6901 pointer into a JSON body, "/items/0/id"; "$.items[0].id" is accepted as well
    Regex,       // the first match's group 1 (or the whole match when the expression has no group)
    Header,      // a response header's value, by case-insensitive name
    Status,      // the status code, as text
};

struct Extractor {
    std::string variable;   // the name later templates use: {{variable}}
    ExtractFrom from = ExtractFrom::JsonPointer;
    std::string expression; // the pointer, the regular expression or the header name; unused for Status
};

enum class CheckKind {
    StatusIn,     // the status is one of `statuses`
    BodyContains, // the body contains `text`
    JsonEquals,   // the JSON value at `pointer` equals `expected` (JSON text: 42, "abc", true, null)
};

struct Check {
    CheckKind kind = CheckKind::StatusIn;
    std::vector<int> statuses;
    std::string text;     // BodyContains
    std::string pointer;  // JsonEquals
    std::string expected; // JsonEquals
};

// A pause after the step's answer, before the user's next step: `min` when min == max, else uniform.
struct ThinkTime {
    Micros min{0};
    Micros max{0};
};

struct Header {
    std::string name;
    std::string value; // a template
};

struct Step {
    std::string name;            // unique within its scenario; thresholds and reports name steps by it
    std::string method = "GET";
    std::string url;             // a template; after rendering it must be an absolute http(s) URL
    std::vector<Header> headers;
    std::string body;            // a template
    std::vector<Extractor> extractors;
    std::vector<Check> checks;
    ThinkTime think;
};

struct Scenario {
    std::string name;
    double weight = 1; // its share of the mix: iterations start scenarios in proportion to weights
    std::vector<Step> steps;
};

enum class FeederMode {
    Sequential, // rows in file order, each iteration the next; after the last, from the first again
    Random,     // a uniformly random row per iteration
    Unique,     // each row used by exactly one iteration across all workers; after the last, the run ends
};

// A CSV file whose header row names variables; each iteration takes one row.
struct Feeder {
    std::string name; // what `--data name=FILE.csv` refers to
    std::string file; // the CSV's path as given (relative to the scenario file)
    FeederMode mode = FeederMode::Sequential;
};

struct Workload {
    std::vector<Scenario> scenarios; // one or more; more than one is a weighted mix
    std::vector<Feeder> feeders;
    std::vector<std::pair<std::string, std::string>> variables; // constants every template can use
};

} // namespace benchdeck::scenario
