// SPDX-License-Identifier: Apache-2.0
#include "scenario_metrics.h"

#include <algorithm>

namespace benchdeck::metrics {

void StepSlice::merge(const StepSlice& other) noexcept
{
    latency.merge(other.latency);
    requests += other.requests;
    errors += other.errors;
    transportErrors += other.transportErrors;
    checks += other.checks;
    checksFailed += other.checksFailed;
    failed += other.failed;
    notSent += other.notSent;
}

void StepSlice::reset() noexcept
{
    latency.reset();
    requests = errors = transportErrors = checks = checksFailed = failed = notSent = 0;
}

void ScenarioSlice::merge(const ScenarioSlice& other)
{
    if (steps.size() < other.steps.size()) {
        steps.resize(other.steps.size());
    }
    for (size_t i = 0; i < other.steps.size(); ++i) {
        steps[i].merge(other.steps[i]);
    }
    iterations.merge(other.iterations);
    iterationsFailed += other.iterationsFailed;
    iterationsStarted += other.iterationsStarted;
    if (firstProblem[0] == '\0') {
        firstProblem = other.firstProblem;
    }
}

void ScenarioSlice::setFirstProblem(std::string_view text) noexcept
{
    if (firstProblem[0] != '\0') {
        return;
    }
    const size_t length = std::min(text.size(), firstProblem.size() - 1);
    std::copy_n(text.data(), length, firstProblem.data());
    firstProblem[length] = '\0';
}

void ScenarioSlice::reset() noexcept
{
    for (auto& step : steps) {
        step.reset();
    }
    iterations.reset();
    iterationsFailed = iterationsStarted = 0;
    firstProblem[0] = '\0';
}

uint64_t ScenarioSlice::checks() const noexcept
{
    uint64_t n = 0;
    for (const auto& step : steps) {
        n += step.checks;
    }
    return n;
}

uint64_t ScenarioSlice::checksFailed() const noexcept
{
    uint64_t n = 0;
    for (const auto& step : steps) {
        n += step.checksFailed;
    }
    return n;
}

} // namespace benchdeck::metrics
