// SPDX-License-Identifier: Apache-2.0
#include "scenario_runner.h"

#include "connection_support.h"

#include <algorithm>

namespace benchdeck::engine {
namespace {

using scenario::CheckKind;
using scenario::ExtractFrom;

bool stepSetsHeader(const scenario::CompiledStep& step, std::string_view name)
{
    return std::any_of(step.headers.begin(), step.headers.end(),
                       [&](const auto& header) { return equalsIgnoringCase(header.first, name); });
}

// Bytes that would end the request line or a header early: a value holding them would smuggle
// text into the request instead of being part of it.
bool breaksFraming(std::string_view text, bool spaceToo)
{
    return std::any_of(text.begin(), text.end(), [&](char c) {
        return c == '\r' || c == '\n' || c == '\0' || (spaceToo && (c == ' ' || c == '\t'));
    });
}

void describe(ScenarioUser& user, std::string_view stepName, std::string_view what)
{
    user.problem.assign("step \"").append(stepName).append("\": ").append(what);
}

} // namespace

ScenarioShared::ScenarioShared(const RunConfig& config, const ScenarioPlan& plan, const std::string& hostHeader)
    : plan_(plan)
{
    for (const auto& compiled : plan.program->scenarios()) {
        offsets_.push_back(flatSteps_);
        flatSteps_ += compiled.steps.size();
        for (const auto& step : compiled.steps) {
            std::string fixed;
            const auto add = [&](std::string_view name, const std::string& value) {
                if (!stepSetsHeader(step, name) && !hasHeader(config, name)) {
                    fixed.append(name).append(": ").append(value).append("\r\n");
                }
            };
            add("Host", hostHeader);
            add("User-Agent", "benchdeck/" BENCHDECK_VERSION);
            add("Accept", "*/*");
            for (const auto& header : config.headers) {
                fixed.append(header.name).append(": ").append(header.value).append("\r\n");
            }
            fixedHeaders_.push_back(std::move(fixed));
            bool headers = false;
            bool body = false;
            for (const auto& extractor : step.extractors) {
                headers = headers || extractor.from() == ExtractFrom::Header;
                body = body || extractor.from() == ExtractFrom::JsonPointer || extractor.from() == ExtractFrom::Regex;
            }
            for (const auto& check : step.checks) {
                body = body || check.kind() != CheckKind::StatusIn;
            }
            captureHeaders_.push_back(headers ? 1 : 0);
            captureBody_.push_back(body ? 1 : 0);
        }
    }
    for (const auto& feeder : plan.program->feeders()) {
        cursors_.push_back(std::make_unique<scenario::FeederCursor>(feeder.mode, feeder.table.rows.size()));
    }
}

std::string ScenarioShared::exhaustedMessage() const
{
    const int index = exhaustedFeeder_.load(std::memory_order_relaxed);
    if (index < 0) {
        return {};
    }
    const auto& feeder = plan_.program->feeders()[size_t(index)];
    return "data feeder \"" + feeder.name + "\" ran out of unique rows after " +
           std::to_string(feeder.table.rows.size()) + " iterations";
}

ScenarioRunner::ScenarioRunner(ScenarioShared& shared, size_t users, uint64_t seed)
    : shared_(shared)
    , users_(users)
    , mix_(*scenario::WeightedMix::create(shared.program().weights(), nullptr))
    , random_(seed)
{
    for (auto& user : users_) {
        user.values = scenario::VariableValues(shared.program().variables());
    }
}

const scenario::CompiledStep& ScenarioRunner::current(const ScenarioUser& user) const
{
    return shared_.program().scenarios()[user.scenario].steps[user.step];
}

bool ScenarioRunner::beginIteration(ScenarioUser& user, std::chrono::steady_clock::time_point start)
{
    if (shared_.exhausted()) {
        return false;
    }
    const auto& program = shared_.program();
    program.startIteration(user.values);
    for (size_t f = 0; f < shared_.cursors_.size(); ++f) {
        const auto row = shared_.cursors_[f]->next(random_);
        if (!row) {
            int none = -1;
            shared_.exhaustedFeeder_.compare_exchange_strong(none, int(f), std::memory_order_relaxed);
            return false;
        }
        program.applyFeederRow(user.values, f, *row);
    }
    user.scenario = mix_.next();
    user.step = 0;
    user.iteration = shared_.iterations_.fetch_add(1, std::memory_order_relaxed) + 1;
    user.iterationStart = start;
    user.active = true;
    return true;
}

bool ScenarioRunner::render(ScenarioUser& user)
{
    const auto& step = current(user);
    scenario::RenderContext context{random_, user.iteration};
    std::string missing;
    const auto lacks = [&](std::string_view where) {
        describe(user, step.name, where);
        user.problem.append(" uses {{").append(missing).append("}}, which has no value in this iteration");
        return false;
    };
    if (!step.url.render(user.values, context, user.scratch, &missing)) {
        return lacks("the URL");
    }
    const std::string& origin = shared_.plan_.origin;
    const std::string_view url = user.scratch;
    if (!isOnOrigin(url, origin)) {
        describe(user, step.name, "the URL ");
        user.problem.append(url).append(" is not on the run's server, ").append(origin);
        return false;
    }
    std::string_view path = url.substr(origin.size());
    path = path.substr(0, path.find('#'));
    if (breaksFraming(path, true)) {
        describe(user, step.name, "the URL holds a space or a line break; encode it (%20)");
        return false;
    }
    auto& request = user.request;
    request.clear();
    request.append(step.method).append(" ");
    if (path.empty() || path.front() == '?') {
        request.push_back('/');
    }
    request.append(path).append(" HTTP/1.1\r\n");
    const size_t flat = flatStep(user);
    request.append(shared_.fixedHeaders(flat));
    for (const auto& [name, value] : step.headers) {
        if (!value.render(user.values, context, user.scratch, &missing)) {
            return lacks("the header " + name);
        }
        if (breaksFraming(user.scratch, false)) {
            describe(user, step.name, "the header ");
            user.problem.append(name).append(" would hold a line break (header injection refused)");
            return false;
        }
        request.append(name).append(": ").append(user.scratch).append("\r\n");
    }
    if (!step.body.render(user.values, context, user.body, &missing)) {
        return lacks("the body");
    }
    const bool bodyExpected = step.method == "POST" || step.method == "PUT" || step.method == "PATCH";
    if (!user.body.empty() || bodyExpected) {
        char length[24];
        const int n = std::snprintf(length, sizeof length, "%zu", user.body.size());
        request.append("Content-Length: ").append(length, size_t(n)).append("\r\n");
    }
    request.append("\r\n").append(user.body);

    user.captureHeaders = shared_.captureHeaders_[flat] != 0;
    user.captureBody = shared_.captureBody_[flat] != 0;
    user.bodyTruncated = false;
    user.inHeaderValue = false;
    user.headerText.clear();
    user.headerSpans.clear();
    user.responseBody.clear();
    return true;
}

StepOutcome ScenarioRunner::answered(ScenarioUser& user, int status)
{
    const auto& step = current(user);
    StepOutcome outcome;
    outcome.flatStep = flatStep(user);
    user.headerViews.clear();
    for (const auto& span : user.headerSpans) {
        const std::string_view text = user.headerText;
        user.headerViews.emplace_back(text.substr(span[0], span[1]), text.substr(span[2], span[3]));
    }
    const scenario::ResponseView view{status, user.headerViews, user.responseBody};
    for (size_t i = 0; i < step.extractors.size(); ++i) {
        if (step.extractors[i].apply(view, user.scratch)) {
            user.values.set(step.extractorVariables[i], user.scratch);
        }
    }
    for (const auto& check : step.checks) {
        ++outcome.checks;
        if (!check.passes(view)) {
            ++outcome.checksFailed;
        }
    }
    if (step.think.max.count() > 0) {
        outcome.think = step.think.min;
        if (step.think.max > step.think.min) {
            std::uniform_int_distribution<int64_t> pause(step.think.min.count(), step.think.max.count());
            outcome.think = std::chrono::microseconds(pause(random_));
        }
    }
    const auto& steps = shared_.program().scenarios()[user.scenario].steps;
    if (++user.step == steps.size()) {
        user.active = false;
        outcome.iterationDone = true;
    }
    return outcome;
}

void ScenarioRunner::onHeaderField(ScenarioUser& user, const char* at, size_t length)
{
    if (!user.captureHeaders) {
        return;
    }
    if (user.inHeaderValue || user.headerSpans.empty()) {
        user.headerSpans.push_back({user.headerText.size(), 0, user.headerText.size(), 0});
        user.inHeaderValue = false;
    }
    user.headerText.append(at, length);
    user.headerSpans.back()[1] += length;
    user.headerSpans.back()[2] = user.headerText.size();
}

void ScenarioRunner::onHeaderValue(ScenarioUser& user, const char* at, size_t length)
{
    if (!user.captureHeaders || user.headerSpans.empty()) {
        return;
    }
    user.inHeaderValue = true;
    user.headerText.append(at, length);
    user.headerSpans.back()[3] += length;
}

void ScenarioRunner::onBody(ScenarioUser& user, const char* at, size_t length)
{
    if (!user.captureBody) {
        return;
    }
    const size_t room = kMaxCapturedBody - std::min(kMaxCapturedBody, user.responseBody.size());
    user.bodyTruncated = user.bodyTruncated || length > room;
    user.responseBody.append(at, std::min(length, room));
}

} // namespace benchdeck::engine
