// SPDX-License-Identifier: Apache-2.0
#pragma once

// A scenario as a run carries it (RunConfig::scenario): the workload as written, the rows of its
// data feeders, and the program compiled from both, checked once before any traffic. Immutable
// once made, so a RunConfig that holds one copies cheaply and every worker reads the same program.

#include "scenario/csv_data.h"
#include "scenario/scenario.h"
#include "scenario/scenario_program.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace benchdeck::engine {

struct ScenarioPlan {
    scenario::Workload workload;
    std::string file;                     // the scenario file it was read from, as given; empty if none
    std::vector<std::string> dataFiles;   // per feeder: the CSV file its rows came from
    // Compiled with the feeders' rows: what runs. Absent in a plan read back from a session or
    // result file, which stores the workload and where its data came from, not the rows; such a
    // plan describes a run but cannot start one until its files are read again.
    std::optional<scenario::ScenarioProgram> program;
    // Scheme, host and port every step talks to, as written in the first step's URL:
    // "http://127.0.0.1:8080". The run's connections go there; a step whose URL renders to
    // another server fails rather than being sent to the wrong one.
    std::string origin;

    size_t stepCount() const;
};

// Compiles `workload` with its feeders' rows (one table per workload.feeders entry) and finds its
// origin. Errors name the scenario and step as the file does.
std::shared_ptr<const ScenarioPlan> makeScenarioPlan(scenario::Workload workload, std::string file,
                                                     std::vector<std::string> dataFiles,
                                                     std::vector<scenario::CsvTable> data, std::string* error);

// Whether a rendered URL is on `origin` (scheme://host:port, as ScenarioPlan::origin): the origin
// followed by nothing, a path or a query.
bool isOnOrigin(std::string_view url, std::string_view origin);

// A plan read back from its stored form: the workload and its files, no program (see above).
std::shared_ptr<const ScenarioPlan> storedScenarioPlan(scenario::Workload workload, std::string file,
                                                       std::vector<std::string> dataFiles, std::string origin);

} // namespace benchdeck::engine
