// SPDX-License-Identifier: Apache-2.0
#pragma once

// A scenario file read from disk with its data feeders' CSV files, made into the plan a run carries.

#include "engine/scenario_plan.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace benchdeck::plan {

// What a command line may change in a scenario file without editing it.
struct ScenarioOverrides {
    // Feeder name -> CSV path as given (relative to the working folder), instead of the file's.
    std::vector<std::pair<std::string, std::string>> dataFiles;
    // Constant name -> value, replacing the file's (or added): the same scenario against another
    // candidate's server is `--var base=http://...`.
    std::vector<std::pair<std::string, std::string>> variables;
};

// Reads `file` (docs/scenarios.md) and each feeder's CSV: the path in the file, relative to the
// scenario file's folder, unless overridden. Errors say which file and where; a --data name that no
// feeder has, or a --var name that is no variable name, is an error, not ignored.
std::shared_ptr<const engine::ScenarioPlan> loadScenarioPlan(const std::string& file, const ScenarioOverrides& overrides,
                                                             std::string* error);

// A scenario read back from a session (a target's, a run's plan) made runnable again: its data
// files are read from where they were when it was saved. Errors name the file that is gone.
std::shared_ptr<const engine::ScenarioPlan> reloadScenarioData(const engine::ScenarioPlan& stored, std::string* error);

} // namespace benchdeck::plan
