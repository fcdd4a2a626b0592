// SPDX-License-Identifier: Apache-2.0
#pragma once

// A scenario run's per-step figures in a shard result file, so that `merge` adds up each step's
// histogram and counts over the shards as it does the run's own.

#include "metrics/run_result.h"

#include <QJsonObject>
#include <optional>
#include <string>

namespace benchdeck::scaleout {

// Empty for a single-URL run.
QJsonObject scenarioResultToJson(const metrics::RunResult& result);

// Sets result.total.scenario, stepLabels and stopMessage from a file's "scenario" object (absent:
// nothing to do). False, with *error saying what is wrong, when it is damaged.
bool scenarioResultFromJson(const QJsonObject& json, metrics::RunResult& result, std::string* error);

} // namespace benchdeck::scaleout
