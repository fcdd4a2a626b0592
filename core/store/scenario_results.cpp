// SPDX-License-Identifier: Apache-2.0
#include "scenario_results.h"

#include "sqlite_handle.h"

#include "metrics/histogram_codec.h"

#include <sqlite3.h>

#include <algorithm>

namespace benchdeck::store {
namespace {

uint64_t count(const Statement& query, int column)
{
    return uint64_t(std::max<int64_t>(0, query.integer(column)));
}

} // namespace

bool storeScenarioResults(sqlite3* db, int64_t runId, const metrics::RunResult& result)
{
    if (!result.total.scenario) {
        return true;
    }
    const auto& scenario = *result.total.scenario;
    Statement step(db, "INSERT OR REPLACE INTO run_steps(run_id, ordinal, scenario, step, requests, errors, "
                       "transport_errors, checks, checks_failed, failed, not_sent, latency) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    bool ok = true;
    for (size_t i = 0; i < scenario.steps.size() && ok; ++i) {
        const auto& slice = scenario.steps[i];
        const metrics::StepLabel label = i < result.stepLabels.size() ? result.stepLabels[i] : metrics::StepLabel{};
        step.reset();
        ok = step.bind(1, runId)
                 .bind(2, int64_t(i))
                 .bind(3, label.scenario)
                 .bind(4, label.step)
                 .bind(5, int64_t(slice.requests))
                 .bind(6, int64_t(slice.errors))
                 .bind(7, int64_t(slice.transportErrors))
                 .bind(8, int64_t(slice.checks))
                 .bind(9, int64_t(slice.checksFailed))
                 .bind(10, int64_t(slice.failed))
                 .bind(11, int64_t(slice.notSent))
                 .bindBlob(12, metrics::encodeHistogram(slice.latency))
                 .run();
    }
    Statement iterations(db, "INSERT OR REPLACE INTO run_scenarios(run_id, iterations_started, iterations_failed, "
                             "iterations, first_problem, stop_message) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    return ok && iterations.bind(1, runId)
                     .bind(2, int64_t(scenario.iterationsStarted))
                     .bind(3, int64_t(scenario.iterationsFailed))
                     .bindBlob(4, metrics::encodeHistogram(scenario.iterations))
                     .bind(5, scenario.problem())
                     .bind(6, result.stopMessage)
                     .run();
}

bool loadScenarioResults(sqlite3* db, int64_t runId, metrics::RunResult& result, std::string* error)
{
    metrics::ScenarioSlice scenario;
    std::vector<metrics::StepLabel> labels;
    Statement step(db, "SELECT scenario, step, requests, errors, transport_errors, checks, checks_failed, failed, "
                       "not_sent, latency FROM run_steps WHERE run_id = ?1 ORDER BY ordinal");
    step.bind(1, runId);
    while (step.step() == SQLITE_ROW) {
        auto latency = metrics::decodeHistogram(step.blob(9));
        if (!latency) {
            *error = "run " + std::to_string(runId) + " has a damaged step histogram";
            return false;
        }
        metrics::StepSlice slice;
        slice.latency = std::move(*latency);
        slice.requests = count(step, 2);
        slice.errors = count(step, 3);
        slice.transportErrors = count(step, 4);
        slice.checks = count(step, 5);
        slice.checksFailed = count(step, 6);
        slice.failed = count(step, 7);
        slice.notSent = count(step, 8);
        scenario.steps.push_back(std::move(slice));
        labels.push_back({step.text(0), step.text(1)});
    }
    if (scenario.steps.empty()) {
        return true;
    }
    Statement iterations(db, "SELECT iterations_started, iterations_failed, iterations, first_problem, stop_message "
                             "FROM run_scenarios WHERE run_id = ?1");
    iterations.bind(1, runId);
    if (iterations.step() == SQLITE_ROW) {
        auto durations = metrics::decodeHistogram(iterations.blob(2));
        if (!durations) {
            *error = "run " + std::to_string(runId) + " has a damaged iteration histogram";
            return false;
        }
        scenario.iterationsStarted = count(iterations, 0);
        scenario.iterationsFailed = count(iterations, 1);
        scenario.iterations = std::move(*durations);
        scenario.setFirstProblem(iterations.text(3));
        result.stopMessage = iterations.text(4);
    }
    result.total.scenario = std::move(scenario);
    result.stepLabels = std::move(labels);
    return true;
}

} // namespace benchdeck::store
