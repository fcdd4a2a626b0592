// SPDX-License-Identifier: Apache-2.0
#pragma once

// A scenario run's own figures in a session file (schema 6): one row per step, one for its
// iterations. Written in the transaction that stores the rest of the run, read back with it.

#include "metrics/run_result.h"

#include <cstdint>
#include <string>

struct sqlite3;

namespace benchdeck::store {

// Nothing to do for a single-URL run. False when a statement failed (the caller rolls back).
bool storeScenarioResults(sqlite3* db, int64_t runId, const metrics::RunResult& result);

// Fills result.total.scenario, stepLabels and stopMessage from the file; nothing when the run has
// no steps. False, with *error, when a stored histogram is damaged.
bool loadScenarioResults(sqlite3* db, int64_t runId, metrics::RunResult& result, std::string* error);

} // namespace benchdeck::store
