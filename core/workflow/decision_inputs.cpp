// SPDX-License-Identifier: Apache-2.0
#include "decision_inputs.h"

#include "plan/plan_codec.h"

#include <QJsonArray>

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

std::vector<std::string> DecisionInputs::shownNotes() const
{
    std::vector<std::string> shown = notes;
    for (const auto& note : noiseNotes) {
        if (note.tied) {
            shown.push_back(facts[note.candidate].name + ": " + note.text);
        }
    }
    return shown;
}

bool saveDecision(store::SessionFile& session, const decision::DecisionModel& model,
                  std::span<const int64_t> candidateIds, std::span<const decision::CandidateFacts> facts,
                  std::string* error)
{
    std::vector<store::Score> scores;
    for (size_t c = 0; c < facts.size() && c < candidateIds.size(); ++c) {
        const auto defaults = model.defaultScores(facts[c].stack);
        for (const auto& [criterion, value] : facts[c].qualitative) {
            const auto fallback = defaults.find(criterion);
            if (fallback == defaults.end() || fallback->second != value) {
                scores.push_back({criterion, candidateIds[c], value});
            }
        }
    }
    return session.saveDecisionModel(model.toJson(), error) && session.saveScores(scores, error);
}

std::vector<int64_t> loadDecisionRuns(const store::SessionFile& session)
{
    std::vector<int64_t> ids;
    for (const auto& id : session.uiState("decision_runs").toArray()) {
        ids.push_back(int64_t(id.toDouble()));
    }
    return ids;
}

bool saveDecisionRuns(store::SessionFile& session, std::span<const int64_t> runIds, std::string* error)
{
    QJsonArray ids;
    for (const int64_t id : runIds) {
        ids.append(double(id));
    }
    return session.saveUiState("decision_runs", ids, error);
}

DecisionInputs decisionInputs(const store::SessionFile& session, const decision::DecisionModel& model,
                              std::span<const int64_t> runIds)
{
    std::string error;
    DecisionInputs inputs;
    const auto tag = [](int64_t id) { return "run #" + std::to_string(id); };
    std::map<int64_t, int64_t> candidateOfTarget;
    for (const auto& target : session.targets(&error)) {
        candidateOfTarget[target.id] = target.candidateId;
    }
    const auto candidates = session.candidates(&error);
    std::map<int64_t, std::string> nameOf;
    for (const auto& candidate : candidates) {
        nameOf[candidate.id] = candidate.name;
    }

    // 1. The chosen runs, by candidate; what is left out is said, never dropped silently.
    std::map<int64_t, std::vector<store::StoredRun>> chosen;
    for (const int64_t id : runIds) {
        auto run = session.loadRun(id, &error);
        if (!run) {
            inputs.notes.push_back(tag(id) + ": " + error);
            continue;
        }
        const auto& listing = run->listing;
        if (listing.status != "completed") {
            inputs.notes.push_back(
                tag(id) + " " +
                (listing.status == "failed" ? "failed (" + listing.failureReason + ")" : "is " + listing.status) +
                ": not weighed");
            continue;
        }
        if (!run->planRecorded) {
            inputs.notes.push_back(tag(id) + " has no recorded plan (an older session): not weighed");
            continue;
        }
        const auto target = candidateOfTarget.find(session.runTarget(id));
        if (target == candidateOfTarget.end() || target->second == 0) {
            inputs.notes.push_back(tag(id) + " belongs to no candidate: not weighed");
            continue;
        }
        chosen[target->second].push_back(std::move(*run));
    }

    // 2. One plan per candidate (its runs repeat one another), one load shape across candidates.
    std::string firstShape;
    std::string firstWho;
    for (const auto& [candidateId, runs] : chosen) {
        const auto& first = runs.front();
        const std::string shape = plan::loadShapeKey(first.plan);
        if (shape.empty()) {
            inputs.refusal = "Measured criteria are not weighed: " + tag(first.listing.id) + " of " +
                             nameOf[candidateId] + " has no recorded plan (an older session); run it again";
            break;
        }
        const std::string key = repeatKey(first, session.runTarget(first.listing.id));
        for (const auto& run : runs) {
            if (repeatKey(run, session.runTarget(run.listing.id)) != key) {
                inputs.refusal = "Measured criteria are not weighed: " + nameOf[candidateId] + " has runs of " +
                                 "different targets or plans among those chosen (" + tag(first.listing.id) + ": " +
                                 first.listing.profile + "; " + tag(run.listing.id) + ": " + run.listing.profile +
                                 "). Compare one target and plan per candidate";
                break;
            }
        }
        if (!inputs.refusal.empty()) {
            break;
        }
        const std::string who = nameOf[candidateId] + " (" + tag(first.listing.id) + ": " + first.listing.profile + ")";
        if (firstShape.empty()) {
            firstShape = shape;
            firstWho = who;
        } else if (shape != firstShape) {
            inputs.refusal = "Measured criteria are not weighed: candidates were measured with different plans, " +
                             firstWho + " and " + who + ". Compare runs of one plan";
            break;
        }
    }

    // 3. Every candidate is a column; measured figures only from its chosen runs, and only when not refused.
    std::map<std::pair<int64_t, std::string>, double> userScores;
    for (const auto& score : session.scores(&error)) {
        userScores[{score.candidateId, score.criterion}] = score.value;
    }
    std::vector<RepeatSamples> samples;
    for (const auto& candidate : candidates) {
        decision::CandidateFacts facts;
        facts.candidateId = candidate.id;
        facts.name = candidate.name;
        facts.stack = candidate.stack;
        facts.qualitative = model.defaultScores(candidate.stack);
        for (auto& [criterion, value] : facts.qualitative) {
            if (const auto user = userScores.find({candidate.id, criterion}); user != userScores.end()) {
                value = user->second;
            }
        }
        RepeatSamples own;
        if (const auto runs = chosen.find(candidate.id); inputs.refusal.empty() && runs != chosen.end()) {
            own = samplesOfRuns(runs->second);
            facts.runIds = own.runIds;
            const auto& last = runs->second.back().result; // replaced by the median when there are repeats
            facts.throughput = measuredValue(last, decision::Metric::Throughput);
            facts.p99Ms = measuredValue(last, decision::Metric::P99Latency);
            facts.errorPercent = measuredValue(last, decision::Metric::ErrorRate);
            facts.memoryMb = measuredValue(last, decision::Metric::ServerMemory);
            facts.cpuMicrosPerRequest = measuredValue(last, decision::Metric::CpuPerRequest);
            facts.coldStartMs = measuredValue(last, decision::Metric::ColdStart);
            facts.artifactMb = measuredValue(last, decision::Metric::ArtifactSize);
        }
        inputs.candidateIds.push_back(candidate.id);
        inputs.facts.push_back(std::move(facts));
        samples.push_back(std::move(own));
    }
    // A difference within run-to-run noise must not decide a verdict on its own (docs/noise.md).
    inputs.noiseNotes = settleWithinNoise(inputs.facts, samples);
    return inputs;
}

} // namespace benchdeck::workflow
