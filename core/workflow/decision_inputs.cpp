// SPDX-License-Identifier: Apache-2.0
#include "decision_inputs.h"

#include "plan/plan_codec.h"

#include <QJsonArray>

#include <algorithm>
#include <map>
#include <set>

namespace benchdeck::workflow {
namespace {

// A step's p99 in ms; 0, which the model reads as "not measured", for a step that never got an answer.
std::optional<double> stepP99Ms(const metrics::RunSummary& summary, const std::string& name)
{
    const auto* step = summary.findStep(name);
    if (!step) {
        return std::nullopt;
    }
    return step->latency.empty() ? 0.0 : metrics::LatencySummary::ms(double(step->latency.p99));
}

// Every name findStep() resolves in these runs, added to `names` (those the step criteria use): a step
// criterion added in the app is then scored from the facts at hand, before the runs are read again.
std::set<std::string> stepNames(std::set<std::string> names,
                                const std::map<int64_t, std::vector<store::StoredRun>>& chosen)
{
    for (const auto& [candidateId, runs] : chosen) {
        for (const auto& run : runs) {
            for (const auto& step : run.result.summary.steps) {
                names.insert(step.scenario + "/" + step.step);
                names.insert(step.step); // when two scenarios share it, findStep() finds nothing: no figure
            }
        }
    }
    return names;
}

// The steps of these runs, each under the shortest name findStep() finds it by, in program order.
std::vector<std::string> shortStepNames(const std::vector<store::StoredRun>& runs)
{
    std::vector<std::string> names;
    for (const auto& run : runs) {
        const auto& summary = run.result.summary;
        for (const auto& step : summary.steps) {
            auto name = summary.findStep(step.step) == &step ? step.step : step.scenario + "/" + step.step;
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                names.push_back(std::move(name));
            }
        }
    }
    return names;
}

// A step criterion naming a step that two scenarios of a run share finds nothing; its cells would only
// say "no step", so the note says why and what to write instead.
std::optional<std::string> ambiguityNote(const std::string& name, const store::StoredRun& run)
{
    const auto& summary = run.result.summary;
    if (summary.findStep(name)) {
        return std::nullopt;
    }
    std::string candidates;
    int count = 0;
    for (const auto& step : summary.steps) {
        if (step.step == name) {
            candidates += (count++ == 0 ? "" : ", ") + step.scenario + "/" + step.step;
        }
    }
    if (count < 2) {
        return std::nullopt;
    }
    return "Step \"" + name + "\" is in more than one scenario of run #" + std::to_string(run.listing.id) + " (" +
           candidates + "): name one of these in the criterion";
}

} // namespace

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
    for (const auto& [step, note] : stepNoiseNotes) {
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
    std::set<std::string> weighedSteps;
    for (const auto& criterion : model.criteria()) {
        if (!criterion.step.empty()) {
            weighedSteps.insert(criterion.step);
        }
    }
    const auto stepsToFill = inputs.refusal.empty() ? stepNames(weighedSteps, chosen) : std::set<std::string>{};
    if (inputs.refusal.empty()) {
        for (const auto& name : weighedSteps) {
            // A candidate's runs repeat one plan, so its last run has the steps of all of them.
            for (const auto& [candidateId, runs] : chosen) {
                if (auto note = ambiguityNote(name, runs.back())) {
                    inputs.notes.push_back(std::move(*note));
                    break;
                }
            }
        }
    }
    std::vector<RepeatSamples> samples;
    std::vector<std::map<std::string, std::vector<double>>> stepSamples; // [candidate][step]: one p99 per run
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
        std::map<std::string, std::vector<double>> ownSteps;
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
            facts.steps = shortStepNames(runs->second);
            for (const auto& name : stepsToFill) {
                if (const auto p99 = stepP99Ms(last.summary, name)) {
                    facts.stepP99Ms[name] = *p99;
                }
                for (const auto& run : runs->second) {
                    // As samplesOfRuns() keeps a p99: only a real one.
                    if (const auto p99 = stepP99Ms(run.result.summary, name); p99 && *p99 > 0) {
                        ownSteps[name].push_back(*p99);
                    }
                }
            }
        }
        inputs.candidateIds.push_back(candidate.id);
        inputs.facts.push_back(std::move(facts));
        samples.push_back(std::move(own));
        stepSamples.push_back(std::move(ownSteps));
    }
    // A difference within run-to-run noise must not decide a verdict on its own (docs/noise.md).
    inputs.noiseNotes = settleWithinNoise(inputs.facts, samples);
    // Each step's p99 in turn stands in for the run's p99, so that the one rule settles both.
    for (const auto& name : stepsToFill) {
        std::vector<decision::CandidateFacts> standIns(inputs.facts.size());
        std::vector<RepeatSamples> standInSamples(inputs.facts.size());
        for (size_t i = 0; i < inputs.facts.size(); ++i) {
            standIns[i].name = inputs.facts[i].name;
            if (const auto it = inputs.facts[i].stepP99Ms.find(name); it != inputs.facts[i].stepP99Ms.end()) {
                standIns[i].p99Ms = it->second;
            }
            standInSamples[i].runIds = samples[i].runIds;
            if (const auto it = stepSamples[i].find(name); it != stepSamples[i].end()) {
                standInSamples[i].values[decision::Metric::P99Latency] = it->second;
            }
        }
        auto notes = settleWithinNoise(standIns, standInSamples);
        for (size_t i = 0; i < standIns.size(); ++i) {
            if (standIns[i].p99Ms) {
                inputs.facts[i].stepP99Ms[name] = *standIns[i].p99Ms;
                inputs.facts[i].measuredStepP99Ms[name] = standIns[i].measured.at(decision::Metric::P99Latency);
            }
        }
        if (weighedSteps.contains(name)) {
            for (auto& note : notes) {
                note.text = "step \"" + name + "\" " + note.text;
                inputs.stepNoiseNotes.push_back({name, std::move(note)});
            }
        }
    }
    return inputs;
}

} // namespace benchdeck::workflow
