// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "decision/decision_model.h"
#include "metrics/bootstrap.h"
#include "store/session_file.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

// Repeated runs and noise: which runs repeat one another, and the decision table's rule that a
// difference within noise does not decide a verdict on its own. docs/noise.md has the reasoning.
namespace benchdeck::workflow {

// --- Repeats ---------------------------------------------------------------------------------------

// Runs are repeats of one another when they come from the same target (the session's runTarget()), or,
// for runs not made from a target, have the same URL and label; and when their plans as stored are
// identical (same request, load, duration, engine...). A campaign's A B A B ... runs of one target
// therefore form one group per target.
std::string repeatKey(const store::StoredRun& run, int64_t targetId);

// Groups of repeats in the order of each group's first run; each group holds indices into `runs`, in
// the order of `runs`. `targetIds` holds runTarget() of each run, or is empty (or 0 for a run) when not
// known: then URL and label stand in for the target.
std::vector<std::vector<size_t>> groupRepeats(const std::vector<store::StoredRun>& runs,
                                              const std::vector<int64_t>& targetIds);

// A run's figure as the decision table measures it; nullopt when the run does not have it (memory and
// CPU per request need server sampling).
std::optional<double> measuredValue(const metrics::RunResult& result, decision::Metric metric);

// --- The decision table ----------------------------------------------------------------------------

// One candidate's measured figures over every repeat of its selected run, one value per run.
struct RepeatSamples {
    std::vector<int64_t> runIds; // the repeats, oldest first; empty when the candidate has no run
    std::map<decision::Metric, std::vector<double>> values;
};

// The figures of exactly these runs (repeats of one plan), one value per run.
RepeatSamples samplesOfRuns(const std::vector<store::StoredRun>& runs);

// For each run id (0: none): the figures of every completed or stopped run of the session that repeats
// it, the run itself included.
std::vector<RepeatSamples> loadRepeatSamples(const store::SessionFile& session, const std::vector<int64_t>& runIds);

// What settleWithinNoise() decided for one candidate's figure against the best candidate's.
struct NoiseNote {
    size_t candidate = 0; // index into the facts
    size_t best = 0;      // the candidate with the best median of this figure
    decision::Metric metric = decision::Metric::Throughput;
    metrics::RatioInterval vsBest; // candidate / best
    bool tied = false;             // the candidate's figure was set to the best's
    std::string text;              // one line for a tooltip or report
};

// "A difference within noise does not decide a verdict on its own", applied to the facts the decision
// model scores (facts[i] belongs with samples[i]):
//  1. A measured figure the facts already hold is replaced by the median over the candidate's repeats
//     when it has 2 or more (so the table shows what the reports show).
//  2. For each figure, the candidate with the best median is found; every other candidate whose ratio
//     to it is WithinNoise (both have >= metrics::kMinSamplesForVerdict runs and the 95 % interval
//     contains 1) gets the best's value, so that figure scores the same for both and cannot separate
//     them. Significant and Unknown (too few runs on either side: today's behaviour) differences are
//     left as measured.
//     An error rate above decision::kMaxUsableErrorPercent is never tied: that gate is an absolute
//     limit, not a comparison.
// Returns a note per candidate and figure compared. Facts without a value, and 0 memory / CPU figures
// ("not sampled"), are left alone, as the model leaves them out.
std::vector<NoiseNote> settleWithinNoise(std::vector<decision::CandidateFacts>& facts,
                                         const std::vector<RepeatSamples>& samples);

} // namespace benchdeck::workflow
