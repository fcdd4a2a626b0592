// SPDX-License-Identifier: Apache-2.0
#include "scenario_plan.h"

#include "target_url.h"

#include <random>

namespace benchdeck::engine {
namespace {

// The scheme and authority of a URL parseTargetUrl accepted: everything before its path.
std::string originOf(std::string_view url)
{
    const size_t authority = url.find("://") + 3;
    const size_t path = url.find_first_of("/?#", authority);
    return std::string(url.substr(0, path == std::string_view::npos ? url.size() : path));
}

std::string quoted(std::string_view text)
{
    std::string out = "\"";
    out.append(text);
    out.push_back('"');
    return out;
}

} // namespace

std::shared_ptr<const ScenarioPlan> makeScenarioPlan(scenario::Workload workload, std::string file,
                                                     std::vector<std::string> dataFiles,
                                                     std::vector<scenario::CsvTable> data, std::string* error)
{
    const auto validate = [](std::string_view url, std::string* why) { return parseTargetUrl(url, why).has_value(); };
    auto program = scenario::ScenarioProgram::compile(workload, std::move(data), validate, error);
    if (!program) {
        return nullptr;
    }
    // Every scenario's first step names the server: its scheme, host and port rendered with the
    // constants alone (a run resolves one address before any iteration has data). The rest of the
    // URL may use anything; variables without a value yet render as a marker that must not reach
    // the origin.
    constexpr char kNoValueYet = '\x1f';
    scenario::VariableValues values(program->variables());
    program->startIteration(values);
    for (size_t i = 0; i < program->variables().size(); ++i) {
        if (!values.isSet(int(i))) {
            values.set(int(i), std::string_view(&kNoValueYet, 1));
        }
    }
    std::mt19937_64 random(1);
    scenario::RenderContext context{random, 1};
    std::string origin;
    std::string firstScenario;
    for (const auto& compiled : program->scenarios()) {
        const auto& step = compiled.steps.front();
        std::string url;
        step.url.render(values, context, url, nullptr);
        const bool schemeKnown = url.find("://") != std::string::npos;
        if (!schemeKnown || originOf(url).find(kNoValueYet) != std::string::npos) {
            *error = "scenario " + quoted(compiled.name) + ", step " + quoted(step.name) + ": the URL of a " +
                     "scenario's first step must name its server (scheme, host and port) with text or constants, " +
                     "since a run connects before any data or extracted value exists";
            return nullptr;
        }
        std::string why;
        if (!parseTargetUrl(originOf(url) + "/", &why)) {
            *error = "scenario " + quoted(compiled.name) + ", step " + quoted(step.name) + ": " + why;
            return nullptr;
        }
        const std::string here = originOf(url);
        if (origin.empty()) {
            origin = here;
            firstScenario = compiled.name;
        } else if (here != origin) {
            *error = "scenario " + quoted(compiled.name) + " starts at " + here + " but scenario " +
                     quoted(firstScenario) + " at " + origin + ": a run talks to one server";
            return nullptr;
        }
    }
    return std::make_shared<const ScenarioPlan>(ScenarioPlan{std::move(workload), std::move(file), std::move(dataFiles),
                                                             std::move(*program), std::move(origin)});
}

std::shared_ptr<const ScenarioPlan> storedScenarioPlan(scenario::Workload workload, std::string file,
                                                       std::vector<std::string> dataFiles, std::string origin)
{
    return std::make_shared<const ScenarioPlan>(ScenarioPlan{std::move(workload), std::move(file), std::move(dataFiles),
                                                             std::nullopt, std::move(origin)});
}

bool isOnOrigin(std::string_view url, std::string_view origin)
{
    return url.starts_with(origin) &&
           (url.size() == origin.size() || url[origin.size()] == '/' || url[origin.size()] == '?');
}

size_t ScenarioPlan::stepCount() const
{
    size_t steps = 0;
    for (const auto& s : workload.scenarios) {
        steps += s.steps.size();
    }
    return steps;
}

} // namespace benchdeck::engine
