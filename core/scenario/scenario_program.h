// SPDX-License-Identifier: Apache-2.0
#pragma once

// A Workload compiled into what the engine runs: every template, extractor and check compiled once,
// every variable name turned into a VariableIndex index, and every {{variable}} checked to have a
// source by the time its step runs. A misspelt name is then one error before the run, not a failed
// step on every iteration of it.
//
// How the engine uses a program (engine/scenario_runner.cpp):
//   - per user: a VariableValues sized to variables().size(), kept for the user's life, and
//     per-connection buffers for the URL, the header values and the body;
//   - per iteration: pick a scenario (WeightedMix::create(weights()), one mix per worker), call
//     startIteration(), then for each feeder take a row from its FeederCursor and applyFeederRow();
//   - per step: render url, headers and body into the buffers and send; on the response apply each
//     extractor and set its value at extractorVariables[i]; evaluate the checks; pause for `think`.
// A program is read-only once compiled, so every worker shares one.

#include "csv_data.h"
#include "request_template.h"
#include "response_rules.h"
#include "scenario.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace benchdeck::scenario {

struct CompiledStep {
    std::string name;
    std::string method;
    RequestTemplate url;
    std::vector<std::pair<std::string, RequestTemplate>> headers; // name as written, value template
    RequestTemplate body;
    std::vector<CompiledExtractor> extractors;
    std::vector<int> extractorVariables; // the VariableIndex index each extractor sets, in order
    std::vector<CompiledCheck> checks;
    ThinkTime think;
};

struct CompiledScenario {
    std::string name;
    std::vector<CompiledStep> steps;
};

// A feeder with its rows: columnVariables[c] is the index that column c of every row sets.
struct LoadedFeeder {
    std::string name;
    FeederMode mode = FeederMode::Sequential;
    CsvTable table;
    std::vector<int> columnVariables;
};

class ScenarioProgram {
public:
    // Checks a URL the way the engine will request it: engine::parseTargetUrl in the CLI and the app.
    // Passed in rather than called because benchdeck_scenario does not link the engine (and libcurl);
    // the engine links this library, not the other way round.
    using UrlValidator = std::function<bool(std::string_view url, std::string* error)>;

    // `feederTables` holds one table per workload.feeders entry, in that order: the caller reads the
    // CSV files (relative to the scenario file), so compiling touches no files. `validateUrl` checks
    // URLs that hold no placeholder; when empty, only their scheme is checked. On failure *error (if
    // given) names the scenario and step in the file's words:
    //   scenario "shop", step "item", url uses {{id}}, which no constant, data column or earlier
    //   step's extractor sets
    static std::optional<ScenarioProgram> compile(const Workload& workload, std::vector<CsvTable> feederTables,
                                                  const UrlValidator& validateUrl, std::string* error);

    const VariableIndex& variables() const noexcept { return variables_; }
    std::span<const CompiledScenario> scenarios() const noexcept { return scenarios_; }
    std::span<const LoadedFeeder> feeders() const noexcept { return feeders_; }
    // (index, value) for each of workload.variables, in the workload's order.
    std::span<const std::pair<int, std::string>> constants() const noexcept { return constants_; }
    // Scenario weights in scenarios() order, for WeightedMix::create.
    std::vector<double> weights() const { return weights_; }

    // Unsets everything the last iteration left (extracted values, feeder rows) and sets the
    // constants, so that no iteration sees another's values.
    void startIteration(VariableValues& values) const;
    // Sets the columns of row `row` of feeder `feeder`. Both must be in range (a FeederCursor over
    // the feeder's rows gives only such rows): this sits on the request path and does not check.
    void applyFeederRow(VariableValues& values, size_t feeder, size_t row) const;

private:
    ScenarioProgram() = default;

    VariableIndex variables_;
    std::vector<std::pair<int, std::string>> constants_;
    std::vector<LoadedFeeder> feeders_;
    std::vector<CompiledScenario> scenarios_;
    std::vector<double> weights_;
};

} // namespace benchdeck::scenario
