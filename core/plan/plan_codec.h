// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one stored form of a run's plan (request + load shape, as run). Session files, shard files,
// `run --json` and reports all write and read this form, so a figure can always be traced to the
// plan that produced it, and two runs are repeats exactly when their plans encode equally.
#include "engine/run_config.h"

#include <QJsonObject>
#include <QJsonValue>
#include <memory>
#include <optional>
#include <string>

namespace benchdeck::plan {

// Written as "plan_format" in every plan. Schema-1 session files stored plans without it, and
// without their load shape (rate, stages, open model): those plans are "not recorded".
inline constexpr int kPlanFormat = 2;

enum class Secrets { Withhold, Keep };

// The plan as run: threads and engine resolved to what actually ran. With Secrets::Withhold,
// credential header values and a URL password are left out (the header says "withheld").
QJsonObject toJson(const engine::RunConfig& config, Secrets secrets, bool* secretsWithheld = nullptr);

// Reads a plan back, checking every field as a fresh plan is checked (types, bounds, URL scheme,
// header syntax); nothing, with a one-line reason, otherwise. Withheld headers come back with
// `withheld` set and an empty value.
std::optional<engine::RunConfig> fromJson(const QJsonObject& json, std::string* error);

// A scenario's stored form ({"file", "data_files", "origin", "workload"}), as plans and targets keep
// it. With Secrets::Withhold a credential written literally into a step's header is replaced by
// {{withheld}} (and *withheld set), so that a rerun refuses it rather than sending a stand-in.
QJsonObject scenarioToJson(const engine::ScenarioPlan& plan, Secrets secrets, bool* withheld);
// Reads it back: the workload and its files, without its rows (ScenarioPlan::program is empty).
std::shared_ptr<const engine::ScenarioPlan> scenarioFromJson(const QJsonValue& value, std::string* error);

// Whether this stored plan carries its whole load shape (written by plan format 2 or later).
bool isRecorded(const QJsonObject& json);

// What two servers' runs must share to be weighed against each other: the load shape (model, users,
// rate, stages, threads, duration, count, warm-up) and the request's method and HTTP version, but not
// the address, headers, body or engine, which belong to each server. Empty when not recorded.
std::string loadShapeKey(const QJsonObject& json);

// A line a person reads in a run list: "closed model, 50 users, 30s", "open model, 1,000 req/s, 30s",
// "ramp users 0→100 over 10s, hold 30s, 100→0 over 10s".
std::string describe(const engine::RunConfig& config);
// The same from a stored plan; "plan not recorded" when it cannot be read back.
std::string describe(const QJsonObject& json);

// Whether a header's value is a credential: kept out of files unless asked, masked in every output.
bool isCredentialHeader(std::string_view name);

} // namespace benchdeck::plan
