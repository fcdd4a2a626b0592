// SPDX-License-Identifier: Apache-2.0
#pragma once

// The scenario file: a workload (scenario/scenario.h) as users keep it in git and as a plan stores it.
// docs/scenarios.md is its reference. Reading is strict, as for plans: an unknown key, a missing
// name or a wrong type is refused with the place it was found ("scenarios[0].steps[1]: unknown key
// \"hedaers\""), because a typo that is silently ignored makes a load test measure something else.
// Templates and where their variables come from are checked when a run compiles them, not here.
#include "scenario/scenario.h"

#include <QByteArray>
#include <QJsonObject>
#include <optional>
#include <string>

namespace benchdeck::plan {

// Written as "benchdeck_scenario" at the top of every scenario file.
inline constexpr int kScenarioFormat = 1;

// The workload as a JSON object, e.g. to embed in a stored plan. Headers are an object when their
// names are unique and read back in the same order, a list of {"name", "value"} otherwise; a think
// time is "500ms" or "1s-3s"; keys at their defaults are left out.
QJsonObject toJson(const scenario::Workload& workload);

// Reads a workload back from its JSON object, checking every key; nothing, with a one-line reason that
// names the place, otherwise. Variables and object-form headers come back in alphabetical order,
// since JSON objects keep none.
std::optional<scenario::Workload> workloadFromJson(const QJsonObject& json, std::string* error);

// Reads a scenario file's text. A JSON syntax error is reported with its line and column (1-based,
// columns in characters) as an editor shows them.
std::optional<scenario::Workload> parseScenarioText(const QByteArray& text, std::string* error);

// The file's text: indented, keys in a fixed, documented order (benchdeck_scenario, variables, data,
// scenarios; a step's name, method, url, headers, body, extract, check, think) rather than
// QJsonDocument's alphabetical one, so a file reads top-down like a request and a change shows up in
// `git diff` as the lines that changed. Small entries that fit on a line ({"var": "token", "json":
// "/token"}, {"status": [200, 201]}) are written on one. Ends with a newline.
QByteArray scenarioText(const scenario::Workload& workload);

} // namespace benchdeck::plan
