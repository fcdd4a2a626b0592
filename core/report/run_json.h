// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"
#include "metrics/run_result.h"

#include <QJsonObject>

namespace benchdeck::report {

// The CLI's `--json` object (design.md's contract): stable keys, latencies in milliseconds.
QJsonObject runToJson(const engine::RunConfig& config, const metrics::RunResult& result);

// A scenario run's "steps", "checks" and "iterations", as runToJson and the JSON report both give
// them, so one script reads either. Nothing for a single-URL run.
void addScenarioFigures(QJsonObject& object, const metrics::RunSummary& summary);

} // namespace benchdeck::report
