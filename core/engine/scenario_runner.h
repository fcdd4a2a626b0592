// SPDX-License-Identifier: Apache-2.0
#pragma once

// The engine's side of a scenario run: what each user (a connection of the HTTP/1.1 path) is doing
// in its iteration, rendering its next request, and judging each answer with the step's extractors
// and checks. The worker owns the sockets and the clock; this owns the scenario.
//
// Nothing here allocates once a user's buffers have grown to the largest request and answer it has
// seen; picking a scenario takes no lock (one WeightedMix per worker), and feeders are shared
// through lock-free cursors.

#include "run_config.h"
#include "scenario_plan.h"

#include "scenario/request_template.h"
#include "scenario/response_rules.h"
#include "scenario/weighted_mix.h"

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace benchdeck::engine {

// What every worker of a scenario run shares: written before the workers start, except the atomics.
class ScenarioShared {
public:
    ScenarioShared(const RunConfig& config, const ScenarioPlan& plan, const std::string& hostHeader);

    const ScenarioPlan& plan() const { return plan_; }
    const scenario::ScenarioProgram& program() const { return *plan_.program; }
    size_t stepCount() const { return flatSteps_; }
    // The flat index of step `step` of scenario `scenario`: where its metrics go.
    size_t flatIndex(size_t scenario, size_t step) const { return offsets_[scenario] + step; }
    // Host, User-Agent, Accept (unless the step or -H sets them) and the run's -H headers: the part
    // of each step's request that never changes, serialised once.
    const std::string& fixedHeaders(size_t flat) const { return fixedHeaders_[flat]; }

    // A unique feeder gave out its last row: no iteration starts any more.
    bool exhausted() const { return exhaustedFeeder_.load(std::memory_order_relaxed) >= 0; }
    // "feeder "users" ran out of unique rows after 1000 iterations"; empty unless exhausted().
    std::string exhaustedMessage() const;

private:
    friend class ScenarioRunner;

    const ScenarioPlan& plan_;
    std::vector<size_t> offsets_;
    size_t flatSteps_ = 0;
    std::vector<std::string> fixedHeaders_;
    std::vector<char> captureHeaders_; // per flat step: some extractor reads a header
    std::vector<char> captureBody_;    // ...or the body
    std::vector<std::unique_ptr<scenario::FeederCursor>> cursors_;
    std::atomic<uint64_t> iterations_{0};
    std::atomic<int> exhaustedFeeder_{-1};
};

// One user's place in its scenario, and the buffers its requests and answers go through.
struct ScenarioUser {
    scenario::VariableValues values;
    bool active = false; // inside an iteration
    size_t scenario = 0;
    size_t step = 0;
    uint64_t iteration = 0;
    std::chrono::steady_clock::time_point iterationStart;
    std::string request; // the current step's request, as sent
    std::string scratch; // one template at a time
    std::string body;
    std::string problem; // why the last render failed, for the run's message
    // The answer, captured only as far as the step's rules read it.
    bool captureHeaders = false;
    bool captureBody = false;
    bool bodyTruncated = false;
    std::string headerText; // names and values back to back
    std::vector<std::array<size_t, 4>> headerSpans; // name offset, length, value offset, length
    bool inHeaderValue = false;
    std::vector<std::pair<std::string_view, std::string_view>> headerViews;
    std::string responseBody;
};

// What became of an answered step.
struct StepOutcome {
    size_t flatStep = 0;
    uint32_t checks = 0;
    uint32_t checksFailed = 0;
    bool iterationDone = false;        // that was the scenario's last step
    std::chrono::microseconds think{0}; // pause before the user's next request
};

// One per worker thread.
class ScenarioRunner {
public:
    // A response body is kept for extractors and checks up to this size; past it, the rest is read
    // and counted but not kept (a regular expression over megabytes would dominate the run).
    static constexpr size_t kMaxCapturedBody = 1 << 20;

    ScenarioRunner(ScenarioShared& shared, size_t users, uint64_t seed);

    ScenarioUser& user(size_t index) { return users_[index]; }
    size_t flatStep(const ScenarioUser& user) const { return shared_.flatIndex(user.scenario, user.step); }

    // Starts the user's next iteration: picks its scenario, takes its feeder rows. False when a
    // unique feeder has run out (the run is then over for every user).
    bool beginIteration(ScenarioUser& user, std::chrono::steady_clock::time_point start);
    // Renders the current step into user.request. False when a variable it uses has no value, or the
    // URL leaves the run's server, or a value would break the request's framing (a line break in a
    // header): then nothing may be sent, and user.problem says why, naming the step.
    bool render(ScenarioUser& user);
    // Applies the current step's extractors and checks to the captured answer and moves to the next
    // step (or ends the iteration).
    StepOutcome answered(ScenarioUser& user, int status);
    // The iteration ends here, unfinished.
    void abandon(ScenarioUser& user) { user.active = false; }

    // http_parser callbacks' work, for the worker's parser.
    static void onHeaderField(ScenarioUser& user, const char* at, size_t length);
    static void onHeaderValue(ScenarioUser& user, const char* at, size_t length);
    static void onBody(ScenarioUser& user, const char* at, size_t length);

private:
    const scenario::CompiledStep& current(const ScenarioUser& user) const;

    ScenarioShared& shared_;
    std::vector<ScenarioUser> users_;
    scenario::WeightedMix mix_;
    std::mt19937_64 random_;
};

} // namespace benchdeck::engine
