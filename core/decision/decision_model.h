// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The decision table: rows are needs ("High-traffic API"), columns are candidates ("Go (Gin)"). Each
// need weighs criteria 0..5; a criterion is either measured (taken from the candidate's selected run)
// or qualitative (scored 1..5 by the user). Pure values and functions: the UI's table model, the
// session store and the report writers all evaluate the same model the same way.
//
// Scoring (docs/decision-table.md has the worked details):
//  - Measured criteria are normalised across the candidates in the table, so the best candidate gets
//    1.0: throughput by value / best; p99 (the run's or one scenario step's), memory, CPU per request,
//    cold start and artifact size by best / value; the error rate by
//    (best + 1) / (value + 1) in percentage points, because 0 % is common and plain best / value would
//    score any error at all as 0. A missing value (or a 0 ms / 0 MB / 0 µs one, which means "not
//    sampled", not "free") contributes nothing and its weight leaves that candidate's denominator.
//  - Qualitative scores s in 1..5 normalise to (s - 1) / 4; a candidate without a score is "not scored"
//    and, like an unmeasured figure, left out.
//  - A cell's score = 100 × Σ(weight × normalised) / Σ(weights considered), in 0..100.
//
// Verdicts per need (verdictsFor() in the .cpp):
//  - Unknown when no criterion the need weighs has a figure for the candidate.
//  - Limited, whatever the score, when the need weighs the error rate and the candidate's measured
//    error rate exceeds kMaxUsableErrorPercent: its req/s and latencies are mostly those of failures.
//  - Best choice: every remaining candidate within kBestChoiceMargin points of the best remaining score,
//    provided its score is at least kBestChoiceMinScore (a "best" of poor options is not a choice).
//  - Workable: any other remaining candidate scoring at least kWorkableMinScore; Limited below.
//
// Template default scores per stack tag (1..5, higher is better; learning curve 5 = easy, deployment
// size 5 = small). Any other stack, and any criterion a user adds, defaults to kNeutralScore (3).
//
//   criterion            go  python  node  why (short)
//   AI/ML ecosystem       2     5     3    Python is where models are built and served; Go calls them
//   MVP speed             3     5     5    batteries-included Django/FastAPI, Express + npm; Go is more code
//   Learning curve        4     5     4    Python is the most widely taught; Go is small but explicit
//   Deployment size       5     2     3    Go: one static binary; Python/Node ship a runtime + packages
//   Concurrency model     5     3     4    goroutines on all cores; event loop; GIL limits CPU work
//   Ecosystem maturity    4     5     5    PyPI and npm are vast; Go's stdlib is strong, fewer frameworks
//
// So with qualitative scores only, AI/ML integration, Fast MVP build and Team learning curve go to
// Python, Microservices and Cloud-native deployment to Go; High-traffic API weighs measured figures
// only and goes to whichever candidate measured faster.
namespace benchdeck::decision {

enum class CriterionKind { Measured, Qualitative };

// A figure of a candidate's selected run.
enum class Metric {
    Throughput,    // req/s, higher is better
    P99Latency,    // ms, lower is better
    ErrorRate,     // % of requests, lower is better
    ServerMemory,  // MB (peak RSS), lower is better
    CpuPerRequest, // µs of server CPU per request, lower is better
    ColdStart,     // ms from launching the server to its first answer, lower is better
    ArtifactSize,  // MB the server is deployed as (binary, or app and packages), lower is better
};

// Verdict thresholds, on the 0..100 cell score.
inline constexpr double kBestChoiceMargin = 5.0;
inline constexpr double kBestChoiceMinScore = 60.0;
inline constexpr double kWorkableMinScore = 50.0;
// Above this measured error rate (%) a candidate is at most Limited for needs that weigh the error rate.
inline constexpr double kMaxUsableErrorPercent = 5.0;
// Added to both sides of best / value for the error rate, in percentage points (why: see above).
inline constexpr double kErrorRateFloorPercent = 1.0;

inline constexpr double kMinWeight = 0.0;
inline constexpr double kMaxWeight = 5.0;
inline constexpr double kMinScore = 1.0;
inline constexpr double kMaxScore = 5.0;
inline constexpr double kNeutralScore = 3.0;

// A template's suggested score of a qualitative criterion for one stack, with the reason shown to the user.
struct DefaultScore {
    double score = kNeutralScore;
    std::string rationale;

    bool operator==(const DefaultScore&) const = default;
};

struct Criterion {
    std::string id; // stable key of weights and of the session's stored scores
    std::string name;
    // Set: measured from the candidate's run. Empty: qualitative, scored by the user. One field, so a
    // criterion can never be both.
    std::optional<Metric> metric;
    std::string description;
    // Qualitative only: stack tag ("go", "python", "node") -> default score. Kept in the model (and its
    // JSON) so that a saved session's template travels with it.
    std::map<std::string, DefaultScore> defaults;
    // P99Latency only: weigh this scenario step's p99 instead of the run's, the step named as
    // RunSummary::findStep() finds it ("login", or "browse/login" when scenarios share the name). A step
    // criterion is P99Latency plus a step, not a Metric of its own, so that it is normalised, judged
    // for noise and shown exactly like the run's p99. Its JSON metric is "step_p99_latency".
    std::string step;

    CriterionKind kind() const { return metric ? CriterionKind::Measured : CriterionKind::Qualitative; }
    // The default for a stack tag, matched case-insensitively and trimmed; nullptr when there is none.
    const DefaultScore* defaultFor(const std::string& stack) const;
    bool operator==(const Criterion&) const = default;
};

struct Need {
    std::string id;
    std::string name;
    std::map<std::string, double> weights; // criterion id -> kMinWeight..kMaxWeight; absent = 0

    bool operator==(const Need&) const = default;
};

// What the table knows of one candidate: its selected run's figures and the user's scores.
struct CandidateFacts {
    int64_t candidateId = 0;
    std::string name;
    std::string stack;                         // "go", "python", "node", ...
    std::optional<double> throughput;          // req/s
    std::optional<double> p99Ms;               // ms
    std::optional<double> errorPercent;        // 0..100
    std::optional<double> memoryMb;            // server peak RSS
    std::optional<double> cpuMicrosPerRequest; // server CPU time per request
    std::optional<double> coldStartMs;         // launch to first answer, for servers Benchdeck launched
    std::optional<double> artifactMb;          // size of what the server is deployed as
    std::map<std::string, double> qualitative; // criterion id -> kMinScore..kMaxScore
    // Where the measured figures came from (oldest first; several: their median), and the candidate's
    // own figures as measured, kept when a within-noise tie scores it with the best's value.
    std::vector<int64_t> runIds;
    std::map<Metric, double> measured;
    // Scenario runs: each step's p99 in ms under every name findStep() resolves ("login" and
    // "browse/login"), not only the names criteria use, so that a step criterion added in the app is
    // scored before the runs are read again. A name missing while runIds is not empty: no such step.
    std::map<std::string, double> stepP99Ms;
    std::map<std::string, double> measuredStepP99Ms; // as `measured`, for stepP99Ms
    // The steps its runs measured, each under the shortest name that finds it, in program order.
    std::vector<std::string> steps;

    std::optional<double> value(Metric metric) const;
    // The figure a measured criterion weighs: its step's p99 when it names a step, else value(metric).
    std::optional<double> value(const Criterion& criterion) const;
};

// A measured criterion weighing one scenario step's p99, named "p99 of step <step>"; no need weighs it yet.
Criterion stepLatencyCriterion(const std::string& step);

// The steps any of the candidates' runs measured (CandidateFacts::steps), first seen first, once each.
std::vector<std::string> measuredSteps(const std::vector<CandidateFacts>& candidates);

// "run #12", "runs #12, #14 (median)", "no run".
std::string runsText(const CandidateFacts& facts);

enum class Verdict { BestChoice, Workable, Limited, Unknown };

struct Cell {
    double score = 0; // 0..100; 0 when the verdict is Unknown
    Verdict verdict = Verdict::Unknown;
    // Multi-line, for the tooltip: each weighed criterion with its weight, the candidate's value and its
    // normalised score (or why it was left out), then the sum behind the score.
    std::string explanation;
    std::vector<int64_t> runIds; // the runs behind its measured figures; empty when none was weighed
};

class DecisionModel {
public:
    // The built-in "Go vs Python for web backends" template (docs/decision-table.md lists its weights).
    static DecisionModel goVsPythonTemplate();

    const std::vector<Criterion>& criteria() const { return criteria_; }
    const std::vector<Need>& needs() const { return needs_; }
    const Criterion* criterion(const std::string& id) const;
    const Need* need(const std::string& id) const;
    double weight(const std::string& needId, const std::string& criterionId) const;

    // Adding never fails: an empty id is derived from the name, a taken one gets a "-2", "-3"... suffix.
    // Returns the id the item was stored under. Weights on unknown criteria are dropped and weights are
    // clamped to kMinWeight..kMaxWeight, so every need only ever weighs criteria the model has.
    std::string addNeed(Need need);
    std::string addCriterion(Criterion criterion);
    // False when no such id. Removing a criterion removes its weight from every need.
    bool removeNeed(const std::string& id);
    bool removeCriterion(const std::string& id);
    bool renameNeed(const std::string& id, std::string name);
    bool renameCriterion(const std::string& id, std::string name);
    // Clamped to kMinWeight..kMaxWeight (a weight of 0 is stored as absent). False when either id is unknown.
    bool setWeight(const std::string& needId, const std::string& criterionId, double weight);

    // [need][candidate], in the order of needs() and of `candidates`.
    std::vector<std::vector<Cell>> evaluate(const std::vector<CandidateFacts>& candidates) const;

    // Qualitative criterion id -> the template's default score for a stack tag (case-insensitive), to
    // seed a new candidate's scores; kNeutralScore where the template says nothing.
    std::map<std::string, double> defaultScores(const std::string& stack) const;

    QJsonObject toJson() const;
    // Refuses, with a one-line reason naming the offending field: another format version, missing or
    // mistyped fields, empty or duplicate ids, unknown metrics, a "step_p99_latency" criterion without a
    // step or a step on any other, weights on unknown criteria, weights or default scores out of range.
    // Only "description", "defaults" and a qualitative criterion's "metric" (null) may be left out.
    static std::optional<DecisionModel> fromJson(const QJsonObject& json, std::string* error);

    bool operator==(const DecisionModel&) const = default;

private:
    std::vector<Criterion> criteria_;
    std::vector<Need> needs_;
};

// "Best choice", "Workable", "Limited", "—".
std::string_view verdictLabel(Verdict verdict);
std::string_view metricKey(Metric metric); // the JSON name: "throughput", "p99_latency", ...
// The criterion's JSON metric: metricKey(), or "step_p99_latency" for a step's p99; empty when qualitative.
std::string_view metricKey(const Criterion& criterion);

} // namespace benchdeck::decision
