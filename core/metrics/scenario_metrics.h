// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a scenario run measures beyond a single-URL run: each step on its own (latency, answers,
// errors, checks) and each iteration from its first request to its last answer. Kept in the same
// slices as everything else (MetricsSlice::scenario), so it flips at ticks, merges over workers and
// shards, and is stored like the rest.

#include "error_kind.h"
#include "latency_histogram.h"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace benchdeck::metrics {

struct StepSlice {
    LatencyHistogram latency; // request start to last byte, as the run's own latency
    uint64_t requests = 0;    // finished attempts: responses plus transport failures
    uint64_t errors = 0;      // transport failures plus 4xx/5xx answers, as the run counts them
    uint64_t transportErrors = 0;
    uint64_t checks = 0;       // checks evaluated on this step's answers
    uint64_t checksFailed = 0; // ...of which failed
    uint64_t failed = 0;       // answers with at least one failed check
    // Not sent because a variable it uses had no value (an extractor found nothing): the iteration
    // ends there. Counted apart from requests, since nothing went out.
    uint64_t notSent = 0;

    void merge(const StepSlice& other) noexcept;
    void reset() noexcept;
};

struct ScenarioSlice {
    std::vector<StepSlice> steps; // every scenario's steps in program order (ScenarioProgram)
    LatencyHistogram iterations;  // completed iterations: first request's start to the last answer, pauses included
    uint64_t iterationsFailed = 0; // ended early: a transport failure or a variable with no value
    uint64_t iterationsStarted = 0;
    // The first step that could not be sent, in words ("step \"item\": the URL uses {{id}}, which has
    // no value in this iteration"); written in place, cut to fit.
    std::array<char, 200> firstProblem{};

    explicit ScenarioSlice(size_t stepCount = 0)
        : steps(stepCount)
    {
    }
    // Grows to the other's step count first: only the aggregator's slices ever grow.
    void merge(const ScenarioSlice& other);
    void reset() noexcept;
    void setFirstProblem(std::string_view text) noexcept;
    std::string_view problem() const noexcept { return firstProblem.data(); }
    uint64_t checks() const noexcept;
    uint64_t checksFailed() const noexcept;
};

} // namespace benchdeck::metrics
