// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "decision/decision_model.h"
#include "metrics/bootstrap.h"
#include "report/thresholds.h"
#include "store/session_file.h"

#include <QJsonObject>

#include <array>
#include <map>
#include <string>
#include <vector>

namespace benchdeck::comparison {

// --- Repeated runs (docs/noise.md) -------------------------------------------------------------------

// The figures summarised over a group of repeated runs.
enum class GroupMetric { Rps, MeanMs, P50Ms, P99Ms, ErrorPercent };
inline constexpr size_t kGroupMetricCount = 5;

// One figure of a group: the median over its runs with a 95 % bootstrap interval, and the ratio of that
// median to the baseline group's with its own interval and noise verdict.
struct GroupFigure {
    metrics::Interval value;
    metrics::RatioInterval vsBaseline; // the baseline group's own: ratio 1, verdict Unknown
};

// Runs that repeat one another (workflow::groupRepeats(): same target, or URL + label, and same plan).
struct RunGroup {
    std::string name;         // the runs' label, or URL; the profile is added when two groups would share it
    std::string url;
    int64_t targetId = 0;     // 0: not made from a target (or not known)
    std::vector<size_t> runs; // indices into the runs the groups were built from, in their order
    bool baseline = false;    // holds the baseline run
    std::array<GroupFigure, kGroupMetricCount> figures;

    const GroupFigure& figure(GroupMetric metric) const { return figures[size_t(metric)]; }
};

// Groups `runs` into repeats and summarises each group against the group holding runs[baselineRun].
// `targetIds` holds the session's runTarget() of each run, or is empty when not known.
std::vector<RunGroup> repeatGroups(const std::vector<store::StoredRun>& runs, const std::vector<int64_t>& targetIds,
                                   size_t baselineRun);
// Whether any group holds more than one run (only then do reports show the "Repeated runs" table).
bool hasRepeats(const std::vector<RunGroup>& groups);
// A run's figure as the group tables summarise it.
double groupMetricValue(const metrics::RunResult& result, GroupMetric metric);
// "req/s", "Avg latency", ...; "rps", "mean_ms", ... for JSON.
std::string_view groupMetricLabel(GroupMetric metric);
std::string_view groupMetricKey(GroupMetric metric);

// Everything a comparison report says, gathered once from a session and then written out in any
// format. Writers only format; they compute nothing that the report does not already hold.
struct ComparisonReport {
    std::string title;
    std::string generatedAt; // ISO 8601 UTC
    std::string sessionName;
    QJsonObject environment; // of the first run: host, CPU, cores, OS, versions
    std::vector<store::StoredRun> runs;
    // Per run, the verdicts of the thresholds its plan carried (none for most runs).
    std::vector<std::vector<report::ThresholdVerdict>> thresholds;
    size_t baseline = 0;
    // Runs grouped into repeats, with medians and intervals; one group per run when nothing repeats.
    std::vector<RunGroup> groups;
    // The decision table: needs x candidates, with the weights behind it.
    std::vector<std::string> candidates;
    std::vector<std::string> candidateRuns; // per candidate: the runs its measured cells come from
    std::string decisionRefusal;            // why measured criteria were not weighed, when they were not
    std::vector<std::string> decisionNotes; // reported runs the decision left out, and why
    std::vector<std::string> needs;
    std::vector<std::vector<decision::Cell>> cells; // [need][candidate]
    std::vector<std::string> criteria;
    std::vector<std::vector<double>> weights; // [criterion][need]
    std::string notes;
};

struct ReportRequest {
    std::vector<int64_t> runIds; // empty: every run of the session, oldest first
    int64_t baselineRunId = 0;   // 0: the run marked as the session's baseline if reported, else the first
    std::string title;
    std::string notes;
    std::string generatedAt; // empty: now; set by tests for byte-stable output
};

// The verdicts of the thresholds a stored run's plan carried; none when it carried none or its plan
// cannot be read back.
std::vector<report::ThresholdVerdict> thresholdVerdicts(const store::StoredRun& run);

std::optional<ComparisonReport> buildReport(const store::SessionFile& session, const ReportRequest& request,
                                            std::string* error);

// One row of the summary table, as every format shows it.
struct SummaryRow {
    std::string name;
    std::string url;
    double rps = 0;
    double meanMs = 0;
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double p999Ms = 0;
    double maxMs = 0;
    uint64_t requests = 0;
    uint64_t errors = 0;
    double errorPercent = 0;
    double rpsRatio = 1;  // against the baseline
    double p99Ratio = 1;
    bool saturated = false;
    std::string status;        // completed, stopped, interrupted, failed
    std::string failureReason; // why a failed run failed
    std::string plan;          // the stored plan in words, or "plan not recorded"

    // Flagged in every format: figures that do not describe the whole plan, or describe the generator.
    bool flagged() const { return status != "completed" || saturated; }
};
std::vector<SummaryRow> summaryRows(const ComparisonReport& report);
std::string runName(const store::StoredRun& run);

// Plans as run, with every credential header value masked whatever the session kept.
std::vector<std::pair<std::string, std::string>> maskedHeaders(const QJsonObject& plan);

} // namespace benchdeck::comparison
