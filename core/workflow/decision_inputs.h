// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "decision/decision_model.h"
#include "noise.h"
#include "store/session_file.h"

#include <span>
#include <string>
#include <vector>

namespace benchdeck::workflow {

// A noise note on one scenario step's p99: note.metric is P99Latency, and note.text names the step.
struct StepNoiseNote {
    std::string step; // as the step criterion names it
    NoiseNote note;
};

// The decision table's columns: every candidate of the session with its qualitative scores (the
// user's where given, the template's defaults for its stack elsewhere), and measured figures taken
// from a chosen set of runs only (the runs being compared, a campaign's, a report's).
struct DecisionInputs {
    std::vector<int64_t> candidateIds;
    std::vector<decision::CandidateFacts> facts; // facts[i].runIds: where candidate i's figures came from
    // Where repeated runs showed a difference to be within noise, and the figure was evened out.
    std::vector<NoiseNote> noiseNotes;
    // The same for the steps the model's step criteria weigh, kept apart so that no reader of
    // noiseNotes takes a step's p99 for the run's.
    std::vector<StepNoiseNote> stepNoiseNotes;
    // Set when measured figures are not weighed at all, with the reason (candidates measured with
    // different plans, or a plan that was not recorded); shown as it is above the table.
    std::string refusal;
    // Chosen runs left out, and why: one line each ("run #7 failed: not used"); and step criteria
    // whose step name more than one scenario of a run uses, so that it finds no step.
    std::vector<std::string> notes;

    // What the table shows under itself: the notes, and the noise notes that changed a score (ties;
    // the others are in the cells' tooltips).
    std::vector<std::string> shownNotes() const;
};

// Per candidate, its completed runs among `runIds` (from its targets) must repeat one plan: their
// median is weighed, each step's p99 (CandidateFacts::stepP99Ms) as the run's p99 is, noise included.
// Across candidates, the plans' load shapes must be equal (plan::loadShapeKey), or `refusal` says which
// differ and no measured figure is filled. Failed, stopped, interrupted and running runs, and runs
// whose plan was not recorded, are never weighed; each is named in `notes`.
DecisionInputs decisionInputs(const store::SessionFile& session, const decision::DecisionModel& model,
                              std::span<const int64_t> runIds);

// The decision model stored in the session, or the built-in template when there is none (or it is
// unreadable, which is reported in `problem`).
decision::DecisionModel loadDecisionModel(const store::SessionFile& session, std::string* problem);

// Stores the model and the qualitative scores the user set: a score equal to the template's default
// for the candidate's stack is not stored, so it keeps following the stack if that changes.
bool saveDecision(store::SessionFile& session, const decision::DecisionModel& model,
                  std::span<const int64_t> candidateIds, std::span<const decision::CandidateFacts> facts,
                  std::string* error);

// The runs the decision table weighs, kept in the session so that a reopened session decides from
// the same runs as when it was closed.
std::vector<int64_t> loadDecisionRuns(const store::SessionFile& session);
bool saveDecisionRuns(store::SessionFile& session, std::span<const int64_t> runIds, std::string* error);

} // namespace benchdeck::workflow
