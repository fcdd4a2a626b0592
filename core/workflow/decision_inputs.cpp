#include "decision_inputs.h"

#include <map>

namespace benchdeck::workflow {

decision::DecisionModel loadDecisionModel(const store::SessionFile& session, std::string* problem)
{
    const QJsonObject stored = session.decisionModel();
    if (!stored.isEmpty()) {
        if (auto model = decision::DecisionModel::fromJson(stored, problem)) {
            return *model;
        }
    }
    return decision::DecisionModel::goVsPythonTemplate();
}

DecisionInputs loadDecisionInputs(const store::SessionFile& session, const decision::DecisionModel& model)
{
    std::string error;
    DecisionInputs inputs;
    std::map<int64_t, int64_t> candidateOfTarget;
    for (const auto& target : session.targets(&error)) {
        candidateOfTarget[target.id] = target.candidateId;
    }
    // Runs are listed oldest first, so the last completed one of a candidate wins.
    std::map<int64_t, int64_t> latestRun;
    for (const auto& run : session.listRuns(&error)) {
        if (run.status != "completed" && run.status != "stopped") {
            continue;
        }
        const auto target = candidateOfTarget.find(session.runTarget(run.id));
        if (target != candidateOfTarget.end() && target->second != 0) {
            latestRun[target->second] = run.id;
        }
    }
    std::map<std::pair<int64_t, std::string>, double> userScores;
    for (const auto& score : session.scores(&error)) {
        userScores[{score.candidateId, score.criterion}] = score.value;
    }
    for (const auto& candidate : session.candidates(&error)) {
        decision::CandidateFacts facts;
        facts.name = candidate.name;
        facts.stack = candidate.stack;
        facts.qualitative = model.defaultScores(candidate.stack);
        for (auto& [criterion, value] : facts.qualitative) {
            const auto user = userScores.find({candidate.id, criterion});
            if (user != userScores.end()) {
                value = user->second;
            }
        }
        int64_t runId = 0;
        if (const auto latest = latestRun.find(candidate.id); latest != latestRun.end()) {
            if (const auto run = session.loadRun(latest->second, &error)) {
                runId = latest->second;
                const auto& total = run->result.total;
                facts.throughput = run->result.rps();
                facts.p99Ms = double(total.latency.valueAtPercentile(99)) / 1000.0;
                facts.errorPercent = run->result.errorPercent();
                if (const auto& server = run->result.server; server.measured) {
                    facts.memoryMb = server.peakRssMb;
                    if (total.requests > 0) {
                        facts.cpuMicrosPerRequest = server.cpuMicrosPerRequest;
                    }
                }
            }
        }
        inputs.candidateIds.push_back(candidate.id);
        inputs.runIds.push_back(runId);
        inputs.facts.push_back(std::move(facts));
    }
    // A difference within run-to-run noise must not decide a verdict on its own (docs/noise.md).
    inputs.noiseNotes = settleWithinNoise(inputs.facts, loadRepeatSamples(session, inputs.runIds));
    return inputs;
}

} // namespace benchdeck::workflow
