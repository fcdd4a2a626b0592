#pragma once

#include "decision/decision_model.h"
#include "noise.h"
#include "store/session_file.h"

#include <vector>

namespace benchdeck::workflow {

// The decision table's columns as read from a session: each candidate with the measurements of its
// most recent completed run (over any of its targets) and its qualitative scores, the user's where
// given and the template's defaults for its stack elsewhere.
struct DecisionInputs {
    std::vector<int64_t> candidateIds;
    std::vector<int64_t> runIds; // the run measured for each candidate, 0 when none
    std::vector<decision::CandidateFacts> facts;
    // Where repeated runs showed a difference to be within noise, and the figure was evened out.
    std::vector<NoiseNote> noiseNotes;
};

DecisionInputs loadDecisionInputs(const store::SessionFile& session, const decision::DecisionModel& model);

// The decision model stored in the session, or the built-in template when there is none (or it is
// unreadable, which is reported in `problem`).
decision::DecisionModel loadDecisionModel(const store::SessionFile& session, std::string* problem);

} // namespace benchdeck::workflow
