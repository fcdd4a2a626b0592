// SPDX-License-Identifier: Apache-2.0
#include "scenario_try.h"

#include "cli_support.h"

#include "engine/scenario_probe.h"
#include "plan/plan_codec.h"
#include "report/run_text.h"

#include <cstdio>
#include <string>

namespace benchdeck::cli {
namespace {

constexpr size_t kShownBody = 2048;

void printBody(const std::string& body, bool truncated)
{
    if (body.empty()) {
        return;
    }
    std::string shown = report::printable(body.substr(0, kShownBody));
    for (size_t at = shown.find('\n'); at != std::string::npos; at = shown.find('\n', at + 7)) {
        shown.replace(at, 1, "\n       ");
    }
    std::printf("       %s\n", shown.c_str());
    if (body.size() > kShownBody || truncated) {
        std::printf("       … (%zu bytes shown of %s)\n", std::min(body.size(), kShownBody),
                    truncated ? "more" : std::to_string(body.size()).c_str());
    }
}

// Credential values are masked on the terminal as in every other output; so are extracted values
// whose variable is named like one ({{token}}, {{session_id}}), since they end up in such headers.
std::string shownValue(const std::string& name, const std::string& value)
{
    return plan::isCredentialHeader(name) && !value.empty() ? value.substr(0, std::min<size_t>(4, value.size() / 4)) + "…"
                                                            : value;
}

} // namespace

int tryScenario(const engine::RunConfig& config)
{
    bool allPassed = true;
    const auto& plan = *config.scenario;
    const auto scenarios = plan.program->scenarios();
    for (size_t s = 0; s < scenarios.size(); ++s) {
        std::printf("Scenario \"%s\", one iteration against %s\n", report::printable(scenarios[s].name).c_str(),
                    plan.origin.c_str());
        const auto steps = engine::tryOnce(plan, config, s);
        for (size_t i = 0; i < steps.size(); ++i) {
            const auto& step = steps[i];
            std::printf("  %zu. %s\n     > %s %s\n", i + 1, report::printable(step.step).c_str(), step.method.c_str(),
                        report::printable(step.url).c_str());
            for (const auto& [name, value] : step.requestHeaders) {
                std::printf("     > %s: %s\n", report::printable(name).c_str(),
                            report::printable(shownValue(name, value)).c_str());
            }
            printBody(step.requestBody, false);
            if (!step.problem.empty()) {
                std::printf("     ! %s: %s\n", step.sent ? "no answer" : "not sent",
                            report::printable(step.problem).c_str());
                allPassed = false;
                continue;
            }
            std::printf("     < %d in %.1f ms\n", step.status, step.milliseconds);
            for (const auto& [name, value] : step.responseHeaders) {
                std::printf("     < %s: %s\n", report::printable(name).c_str(),
                            report::printable(shownValue(name, value)).c_str());
            }
            printBody(step.responseBody, step.bodyTruncated);
            for (const auto& extraction : step.extracted) {
                if (extraction.found) {
                    std::printf("     = {{%s}} = %s\n", extraction.variable.c_str(),
                                report::printable(shownValue(extraction.variable, extraction.value)).c_str());
                } else {
                    std::printf("     = {{%s}}: nothing found in the answer\n", extraction.variable.c_str());
                }
            }
            for (const auto& [check, passed] : step.checks) {
                std::printf("     %s %s\n", passed ? "PASS" : "FAIL", report::printable(check).c_str());
            }
            allPassed = allPassed && step.passed();
        }
        std::printf("\n");
    }
    std::printf(allPassed ? "Every step was answered and passed its checks.\n"
                          : "Some steps failed: see above. A load run would count them as check failures or errors.\n");
    return allPassed ? ExitOk : ExitThresholdCrossed;
}

} // namespace benchdeck::cli
