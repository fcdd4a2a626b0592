// SPDX-License-Identifier: Apache-2.0
#include "decision_model.h"
#include "metrics/units.h"

#include <QJsonArray>
#include <QJsonValue>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <utility>

namespace benchdeck::decision {
namespace {

constexpr int kFormatVersion = 1;

constexpr std::array kMetrics = {Metric::Throughput, Metric::P99Latency, Metric::ErrorRate, Metric::ServerMemory,
                                 Metric::CpuPerRequest, Metric::ColdStart, Metric::ArtifactSize};

// A step criterion is P99Latency in memory; in JSON it has a key of its own, so that a Benchdeck that
// knows no steps refuses the model rather than weigh the whole run's p99 under the step's name.
constexpr std::string_view kStepP99LatencyKey = "step_p99_latency";

std::string_view unit(Metric metric)
{
    switch (metric) {
    case Metric::Throughput:
        return "req/s";
    case Metric::P99Latency:
        return "ms";
    case Metric::ErrorRate:
        return "%";
    case Metric::ServerMemory:
        return "MB";
    case Metric::CpuPerRequest:
        return "µs/request";
    case Metric::ColdStart:
        return "ms";
    case Metric::ArtifactSize:
        return "MB";
    }
    return {};
}

std::optional<Metric> metricFromKey(std::string_view key)
{
    for (const auto metric : kMetrics) {
        if (metricKey(metric) == key) {
            return metric;
        }
    }
    return std::nullopt;
}

// Three significant digits, at least the units: "52000", "4.2", "0.125", "0.0012". Trailing zeros are
// dropped so that the explanation quotes the figure as the user would write it.
std::string formatNumber(double value)
{
    const double magnitude = std::fabs(value);
    int decimals = 0;
    if (magnitude > 0 && magnitude < 100) {
        decimals = std::clamp(2 - int(std::floor(std::log10(magnitude))), 0, 6);
    }
    return units::trimmed(value, decimals);
}

std::string formatFixed(double value, int decimals)
{
    return units::fixed(value, decimals);
}

// A 0 ms p99, 0 MB or 0 µs per request is what a missing server sample or an empty run looks like, not a
// real figure; 0 req/s and 0 % errors are real. Non-finite values are never figures.
bool isUsable(Metric metric, double value)
{
    if (!std::isfinite(value)) {
        return false;
    }
    switch (metric) {
    case Metric::Throughput:
        return value >= 0;
    case Metric::ErrorRate:
        return value >= 0 && value <= 100;
    case Metric::P99Latency:
    case Metric::ServerMemory:
    case Metric::CpuPerRequest:
    case Metric::ColdStart:
    case Metric::ArtifactSize:
        return value > 0;
    }
    return false;
}

std::optional<double> usableValue(const CandidateFacts& candidate, const Criterion& criterion)
{
    const auto value = candidate.value(criterion);
    return value && isUsable(*criterion.metric, *value) ? value : std::nullopt;
}

std::optional<double> usableValue(const CandidateFacts& candidate, Metric metric)
{
    const auto value = candidate.value(metric);
    return value && isUsable(metric, *value) ? value : std::nullopt;
}

// The candidate's figure before a within-noise tie evened it out, when it was.
std::optional<double> ownValue(const CandidateFacts& candidate, const Criterion& criterion)
{
    if (!criterion.step.empty()) {
        const auto it = candidate.measuredStepP99Ms.find(criterion.step);
        return it == candidate.measuredStepP99Ms.end() ? std::nullopt : std::optional(it->second);
    }
    const auto it = candidate.measured.find(*criterion.metric);
    return it == candidate.measured.end() ? std::nullopt : std::optional(it->second);
}

std::optional<double> qualitativeScore(const CandidateFacts& candidate, const std::string& criterionId)
{
    const auto it = candidate.qualitative.find(criterionId);
    if (it == candidate.qualitative.end() || !std::isfinite(it->second)) {
        return std::nullopt;
    }
    return std::clamp(it->second, kMinScore, kMaxScore);
}

// The best usable value of a measured criterion across the table: the reference every candidate is
// scored against. Per criterion, not per metric, since two step criteria are both P99Latency.
std::optional<double> bestValue(const Criterion& criterion, const std::vector<CandidateFacts>& candidates)
{
    std::optional<double> best;
    for (const auto& candidate : candidates) {
        const auto value = usableValue(candidate, criterion);
        if (!value) {
            continue;
        }
        if (!best) {
            best = value;
        } else {
            best = criterion.metric == Metric::Throughput ? std::max(*best, *value) : std::min(*best, *value);
        }
    }
    return best;
}

double normalise(Metric metric, double value, double best)
{
    double normalised = 0;
    switch (metric) {
    case Metric::Throughput:
        // Everyone at 0 req/s: nobody served anything, so nobody earns the criterion.
        normalised = best > 0 ? value / best : 0.0;
        break;
    case Metric::ErrorRate:
        normalised = (best + kErrorRateFloorPercent) / (value + kErrorRateFloorPercent);
        break;
    case Metric::P99Latency:
    case Metric::ServerMemory:
    case Metric::CpuPerRequest:
    case Metric::ColdStart:
    case Metric::ArtifactSize:
        normalised = best / value;
        break;
    }
    return std::clamp(normalised, 0.0, 1.0);
}

std::string toLowerAscii(std::string_view text)
{
    std::string lower;
    lower.reserve(text.size());
    for (const char c : text) {
        lower.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    }
    return lower;
}

std::string trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

// "Team learning curve" -> "team_learning_curve": readable in the session file and stable across renames.
std::string slug(std::string_view name, std::string_view fallback)
{
    std::string id;
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) && u < 0x80) {
            id.push_back(char(std::tolower(u)));
        } else if (!id.empty() && id.back() != '_') {
            id.push_back('_');
        }
    }
    while (!id.empty() && id.back() == '_') {
        id.pop_back();
    }
    return id.empty() ? std::string(fallback) : id;
}

template <typename Item>
std::string uniqueId(const std::vector<Item>& items, const std::string& wanted)
{
    const auto taken = [&](const std::string& id) {
        return std::any_of(items.begin(), items.end(), [&](const Item& item) { return item.id == id; });
    };
    if (!taken(wanted)) {
        return wanted;
    }
    for (int suffix = 2;; ++suffix) {
        auto candidate = wanted + "-" + std::to_string(suffix);
        if (!taken(candidate)) {
            return candidate;
        }
    }
}

double clampWeight(double weight)
{
    return std::isfinite(weight) ? std::clamp(weight, kMinWeight, kMaxWeight) : kMinWeight;
}

// The verdict rule of the header, for one need across all candidates. `scores[i]` is empty when candidate
// i has no figure for anything the need weighs; `gated[i]` when its error rate rules it out.
std::vector<Verdict> verdictsFor(const std::vector<std::optional<double>>& scores, const std::vector<bool>& gated)
{
    std::optional<double> best;
    for (size_t i = 0; i < scores.size(); ++i) {
        if (scores[i] && !gated[i]) {
            best = std::max(best.value_or(*scores[i]), *scores[i]);
        }
    }
    std::vector<Verdict> verdicts(scores.size(), Verdict::Unknown);
    for (size_t i = 0; i < scores.size(); ++i) {
        if (!scores[i]) {
            continue;
        }
        const double score = *scores[i];
        if (!gated[i] && score >= *best - kBestChoiceMargin && score >= kBestChoiceMinScore) {
            verdicts[i] = Verdict::BestChoice;
        } else if (!gated[i] && score >= kWorkableMinScore) {
            verdicts[i] = Verdict::Workable;
        } else {
            verdicts[i] = Verdict::Limited;
        }
    }
    return verdicts;
}

DefaultScore byStack(double score, std::string rationale)
{
    return DefaultScore{score, std::move(rationale)};
}

} // namespace

std::string_view verdictLabel(Verdict verdict)
{
    switch (verdict) {
    case Verdict::BestChoice:
        return "Best choice";
    case Verdict::Workable:
        return "Workable";
    case Verdict::Limited:
        return "Limited";
    case Verdict::Unknown:
        return "—";
    }
    return "—";
}

std::string_view metricKey(Metric metric)
{
    switch (metric) {
    case Metric::Throughput:
        return "throughput";
    case Metric::P99Latency:
        return "p99_latency";
    case Metric::ErrorRate:
        return "error_rate";
    case Metric::ServerMemory:
        return "server_memory";
    case Metric::CpuPerRequest:
        return "cpu_per_request";
    case Metric::ColdStart:
        return "cold_start";
    case Metric::ArtifactSize:
        return "artifact_size";
    }
    return {};
}

std::string_view metricKey(const Criterion& criterion)
{
    if (!criterion.metric) {
        return {};
    }
    return criterion.step.empty() ? metricKey(*criterion.metric) : kStepP99LatencyKey;
}

std::optional<double> CandidateFacts::value(const Criterion& criterion) const
{
    if (!criterion.metric) {
        return std::nullopt;
    }
    if (criterion.step.empty()) {
        return value(*criterion.metric);
    }
    const auto it = stepP99Ms.find(criterion.step);
    return it == stepP99Ms.end() ? std::nullopt : std::optional(it->second);
}

Criterion stepLatencyCriterion(const std::string& step)
{
    Criterion criterion;
    criterion.name = "p99 of step " + step;
    criterion.metric = Metric::P99Latency;
    criterion.step = step;
    criterion.description = "99th-percentile latency of the scenario step \"" + step + "\" in ms; lower is better.";
    return criterion;
}

std::vector<std::string> measuredSteps(const std::vector<CandidateFacts>& candidates)
{
    std::vector<std::string> steps;
    for (const auto& candidate : candidates) {
        for (const auto& step : candidate.steps) {
            if (std::find(steps.begin(), steps.end(), step) == steps.end()) {
                steps.push_back(step);
            }
        }
    }
    return steps;
}

std::optional<double> CandidateFacts::value(Metric metric) const
{
    switch (metric) {
    case Metric::Throughput:
        return throughput;
    case Metric::P99Latency:
        return p99Ms;
    case Metric::ErrorRate:
        return errorPercent;
    case Metric::ServerMemory:
        return memoryMb;
    case Metric::CpuPerRequest:
        return cpuMicrosPerRequest;
    case Metric::ColdStart:
        return coldStartMs;
    case Metric::ArtifactSize:
        return artifactMb;
    }
    return std::nullopt;
}

const DefaultScore* Criterion::defaultFor(const std::string& stack) const
{
    const auto it = defaults.find(toLowerAscii(trimmed(stack)));
    return it == defaults.end() ? nullptr : &it->second;
}

DecisionModel DecisionModel::goVsPythonTemplate()
{
    DecisionModel model;
    const auto measured = [&](std::string id, std::string name, Metric metric, std::string description) {
        model.addCriterion({std::move(id), std::move(name), metric, std::move(description), {}, {}});
    };
    const auto qualitative = [&](std::string id, std::string name, std::string description,
                                 std::map<std::string, DefaultScore> defaults) {
        model.addCriterion(
            {std::move(id), std::move(name), std::nullopt, std::move(description), std::move(defaults), {}});
    };

    measured("throughput", "Throughput", Metric::Throughput,
             "Requests per second of the selected run; higher is better.");
    measured("p99_latency", "p99 latency", Metric::P99Latency, "99th-percentile latency in ms; lower is better.");
    measured("error_rate", "Error rate", Metric::ErrorRate, "Share of failed requests in %; lower is better.");
    measured("server_memory", "Server memory", Metric::ServerMemory, "Peak server RSS in MB; lower is better.");
    measured("cpu_per_request", "CPU per request", Metric::CpuPerRequest,
             "Server CPU time per request in µs; lower is better.");
    measured("cold_start", "Cold start", Metric::ColdStart,
             "From launching the server to its first answer, in ms (servers Benchdeck launched); lower is better.");
    measured("artifact_size", "Artifact size", Metric::ArtifactSize,
             "MB the server is deployed as: its binary, or its app and packages (a target's artifact paths); "
             "lower is better.");

    qualitative(
        "ai_ml_ecosystem", "AI/ML ecosystem", "Libraries and tooling to train, call and serve models.",
        {{"go", byStack(2, "Few native ML libraries; models are usually served from Python and called over "
                           "HTTP or gRPC.")},
         {"python", byStack(5, "PyTorch, TensorFlow, scikit-learn, Hugging Face: where models are built "
                               "and served first.")},
         {"node", byStack(3, "TensorFlow.js, ONNX Runtime and the LLM SDKs exist; training stays in Python.")}});
    qualitative(
        "mvp_speed", "Speed of building an MVP", "How quickly a small team ships a first working product.",
        {{"go", byStack(3, "Quick build-run loop, but explicit error handling and fewer batteries-included "
                           "frameworks mean more code per feature.")},
         {"python", byStack(5, "Django or FastAPI with ORM, admin and validation: the least code per feature.")},
         {"node", byStack(5, "Express or NestJS and npm, one language for front and back end.")}});
    qualitative("learning_curve", "Learning curve", "5 = easy for a new team member to become productive.",
                {{"go", byStack(4, "A small language with one obvious way; interfaces and goroutine patterns take "
                                   "some practice.")},
                 {"python", byStack(5, "Readable, the most widely taught language; most developers already know it.")},
                 {"node", byStack(4, "JavaScript is widely known; async patterns and tooling churn take getting used "
                                     "to.")}});
    qualitative("deployment_size", "Deployment size", "5 = small images and artefacts, quick to pull and start.",
                {{"go", byStack(5, "One static binary; scratch or distroless images of 10-20 MB.")},
                 {"python", byStack(2, "Interpreter plus packages: images of 100 MB to over 1 GB with ML libraries.")},
                 {"node", byStack(3, "Runtime plus node_modules: images of 100-200 MB, smaller when bundled.")}});
    qualitative("concurrency_model", "Concurrency model", "How well one process uses many cores and connections.",
                {{"go", byStack(5, "Goroutines are cheap and preemptive and use every core in one process.")},
                 {"python", byStack(3, "asyncio serves I/O well, but the GIL keeps CPU work to one core per process: "
                                       "scale with worker processes.")},
                 {"node", byStack(4, "The event loop handles many connections; CPU-bound work blocks it unless moved "
                                     "to worker threads.")}});
    qualitative("ecosystem_maturity", "Ecosystem maturity",
                "Breadth and stability of libraries, frameworks and tooling.",
                {{"go", byStack(4, "Strong standard library and cloud tooling; fewer third-party frameworks and "
                                   "libraries.")},
                 {"python", byStack(5, "Decades of PyPI packages and long-proven web frameworks.")},
                 {"node", byStack(5, "npm is the largest package registry; Express and its peers are long-proven.")}});

    model.addNeed(
        {"high_traffic_api",
         "High-traffic API",
         {{"throughput", 5}, {"p99_latency", 5}, {"error_rate", 3}, {"server_memory", 2}, {"cpu_per_request", 2}}});
    model.addNeed({"ai_ml_integration", "AI/ML integration", {{"ai_ml_ecosystem", 5}, {"mvp_speed", 1}}});
    model.addNeed(
        {"fast_mvp_build", "Fast MVP build", {{"mvp_speed", 5}, {"learning_curve", 3}, {"ecosystem_maturity", 2}}});
    model.addNeed({"microservices",
                   "Microservices",
                   {{"throughput", 2}, {"server_memory", 3}, {"deployment_size", 3}, {"concurrency_model", 4},
                    {"cold_start", 2}, {"artifact_size", 2}}});
    model.addNeed({"cloud_native_deployment",
                   "Cloud-native deployment",
                   {{"deployment_size", 5}, {"server_memory", 3}, {"concurrency_model", 2}, {"cold_start", 3},
                    {"artifact_size", 3}}});
    model.addNeed({"team_learning_curve", "Team learning curve", {{"learning_curve", 5}}});
    return model;
}

const Criterion* DecisionModel::criterion(const std::string& id) const
{
    const auto it = std::find_if(criteria_.begin(), criteria_.end(), [&](const Criterion& c) { return c.id == id; });
    return it == criteria_.end() ? nullptr : &*it;
}

const Need* DecisionModel::need(const std::string& id) const
{
    const auto it = std::find_if(needs_.begin(), needs_.end(), [&](const Need& n) { return n.id == id; });
    return it == needs_.end() ? nullptr : &*it;
}

double DecisionModel::weight(const std::string& needId, const std::string& criterionId) const
{
    const auto* found = need(needId);
    if (!found) {
        return 0;
    }
    const auto it = found->weights.find(criterionId);
    return it == found->weights.end() ? 0 : it->second;
}

std::string DecisionModel::addNeed(Need need)
{
    need.id = uniqueId(needs_, need.id.empty() ? slug(need.name, "need") : need.id);
    std::map<std::string, double> weights;
    for (const auto& [criterionId, weight] : need.weights) {
        const double clamped = clampWeight(weight);
        if (criterion(criterionId) && clamped > 0) {
            weights.emplace(criterionId, clamped);
        }
    }
    need.weights = std::move(weights);
    needs_.push_back(std::move(need));
    return needs_.back().id;
}

std::string DecisionModel::addCriterion(Criterion criterion)
{
    criterion.id = uniqueId(criteria_, criterion.id.empty() ? slug(criterion.name, "criterion") : criterion.id);
    if (criterion.metric) {
        criterion.defaults.clear(); // a measured figure is never guessed from the stack
    }
    if (criterion.metric != Metric::P99Latency) {
        criterion.step.clear(); // only a p99 is measured per step
    }
    // Stack tags are matched case-insensitively ("Go" and "go" are one stack).
    std::map<std::string, DefaultScore> defaults;
    for (auto& [stack, score] : criterion.defaults) {
        score.score = std::isfinite(score.score) ? std::clamp(score.score, kMinScore, kMaxScore) : kNeutralScore;
        defaults.insert_or_assign(toLowerAscii(trimmed(stack)), std::move(score));
    }
    criterion.defaults = std::move(defaults);
    criteria_.push_back(std::move(criterion));
    return criteria_.back().id;
}

bool DecisionModel::removeNeed(const std::string& id)
{
    return std::erase_if(needs_, [&](const Need& n) { return n.id == id; }) > 0;
}

bool DecisionModel::removeCriterion(const std::string& id)
{
    if (std::erase_if(criteria_, [&](const Criterion& c) { return c.id == id; }) == 0) {
        return false;
    }
    for (auto& need : needs_) {
        need.weights.erase(id);
    }
    return true;
}

bool DecisionModel::renameNeed(const std::string& id, std::string name)
{
    const auto it = std::find_if(needs_.begin(), needs_.end(), [&](const Need& n) { return n.id == id; });
    if (it == needs_.end()) {
        return false;
    }
    it->name = std::move(name);
    return true;
}

bool DecisionModel::renameCriterion(const std::string& id, std::string name)
{
    const auto it = std::find_if(criteria_.begin(), criteria_.end(), [&](const Criterion& c) { return c.id == id; });
    if (it == criteria_.end()) {
        return false;
    }
    it->name = std::move(name);
    return true;
}

bool DecisionModel::setWeight(const std::string& needId, const std::string& criterionId, double weight)
{
    const auto it = std::find_if(needs_.begin(), needs_.end(), [&](const Need& n) { return n.id == needId; });
    if (it == needs_.end() || !criterion(criterionId)) {
        return false;
    }
    // Absent and 0 mean the same; storing only non-zero weights keeps one JSON form per model.
    const double clamped = clampWeight(weight);
    if (clamped > 0) {
        it->weights[criterionId] = clamped;
    } else {
        it->weights.erase(criterionId);
    }
    return true;
}

std::string runsText(const CandidateFacts& facts)
{
    if (facts.runIds.empty()) {
        return "no run";
    }
    std::string text = facts.runIds.size() == 1 ? "run" : "runs";
    for (size_t i = 0; i < facts.runIds.size(); ++i) {
        text += (i == 0 ? " #" : ", #") + std::to_string(facts.runIds[i]);
    }
    return facts.runIds.size() > 1 ? text + " (median)" : text;
}

std::vector<std::vector<Cell>> DecisionModel::evaluate(const std::vector<CandidateFacts>& candidates) const
{
    std::vector<std::optional<double>> best(criteria_.size()); // in the order of criteria_
    for (size_t c = 0; c < criteria_.size(); ++c) {
        if (criteria_[c].metric) {
            best[c] = bestValue(criteria_[c], candidates);
        }
    }

    std::vector<std::vector<Cell>> table;
    table.reserve(needs_.size());
    for (const auto& need : needs_) {
        std::vector<Cell> row(candidates.size());
        std::vector<std::optional<double>> scores(candidates.size());
        std::vector<bool> gated(candidates.size(), false);
        const bool weighsErrors = std::any_of(criteria_.begin(), criteria_.end(), [&](const Criterion& c) {
            return c.metric == Metric::ErrorRate && weight(need.id, c.id) > 0;
        });

        for (size_t i = 0; i < candidates.size(); ++i) {
            const auto& candidate = candidates[i];
            std::string text = need.name + " — " + candidate.name + "\n";
            double weighted = 0;
            double considered = 0;
            for (size_t c = 0; c < criteria_.size(); ++c) {
                const auto& criterion = criteria_[c];
                const double w = weight(need.id, criterion.id);
                if (w <= 0) {
                    continue;
                }
                text += criterion.name + " (weight " + formatNumber(w) + "): ";
                std::optional<double> normalised;
                if (criterion.metric) {
                    const auto value = usableValue(candidate, criterion);
                    if (value) {
                        normalised = normalise(*criterion.metric, *value, *best[c]);
                        // The candidate's own figure, even when a within-noise tie scores it as the best's.
                        const double shown = ownValue(candidate, criterion).value_or(*value);
                        text += formatNumber(shown) + " " + std::string(unit(*criterion.metric));
                        if (!candidate.runIds.empty()) {
                            text += " (" + runsText(candidate) + ")";
                        }
                        if (shown != *value) {
                            text += ", within noise of the best: scored as " + formatNumber(*value);
                        }
                        row[i].runIds = candidate.runIds;
                    } else if (!criterion.step.empty() && !candidate.runIds.empty() &&
                               !candidate.stepP99Ms.contains(criterion.step)) {
                        // Not "not measured": its runs were weighed, they just never ran such a step.
                        text += "no step \"" + criterion.step + "\" in its runs, left out";
                    } else {
                        text += "not measured, left out";
                    }
                } else {
                    const auto score = qualitativeScore(candidate, criterion.id);
                    if (score) {
                        normalised = (*score - kMinScore) / (kMaxScore - kMinScore);
                        text += formatNumber(*score) + "/5";
                    } else {
                        text += "not scored, left out";
                    }
                }
                if (normalised) {
                    text += " → " + formatFixed(*normalised, 2);
                    weighted += w * *normalised;
                    considered += w;
                }
                text += "\n";
            }

            if (considered > 0) {
                scores[i] = std::clamp(100.0 * weighted / considered, 0.0, 100.0);
                text += "Score: 100 × " + formatNumber(weighted) + " / " + formatNumber(considered) + " = " +
                        formatFixed(*scores[i], 1);
                const auto errors = usableValue(candidate, Metric::ErrorRate);
                if (weighsErrors && errors && *errors > kMaxUsableErrorPercent) {
                    gated[i] = true;
                    text += "\nError rate " + formatNumber(*errors) + " % is above " +
                            formatNumber(kMaxUsableErrorPercent) + " %: at most Limited, whatever the score";
                }
            } else {
                text += "No figure or score for anything this need weighs";
            }
            row[i].score = scores[i].value_or(0);
            row[i].explanation = std::move(text);
        }

        const auto verdicts = verdictsFor(scores, gated);
        for (size_t i = 0; i < row.size(); ++i) {
            row[i].verdict = verdicts[i];
        }
        table.push_back(std::move(row));
    }
    return table;
}

std::map<std::string, double> DecisionModel::defaultScores(const std::string& stack) const
{
    std::map<std::string, double> scores;
    for (const auto& criterion : criteria_) {
        if (criterion.metric) {
            continue;
        }
        const auto* found = criterion.defaultFor(stack);
        scores[criterion.id] = found ? found->score : kNeutralScore;
    }
    return scores;
}

// ---- JSON ---------------------------------------------------------------------------------------------

QJsonObject DecisionModel::toJson() const
{
    QJsonArray criteria;
    for (const auto& criterion : criteria_) {
        QJsonObject object{{"id", QString::fromStdString(criterion.id)},
                           {"name", QString::fromStdString(criterion.name)},
                           {"description", QString::fromStdString(criterion.description)}};
        if (criterion.metric) {
            object.insert("metric", QString::fromUtf8(metricKey(criterion)));
            if (!criterion.step.empty()) {
                object.insert("step", QString::fromStdString(criterion.step));
            }
        } else {
            object.insert("metric", QJsonValue::Null);
            QJsonObject defaults;
            for (const auto& [stack, score] : criterion.defaults) {
                defaults.insert(
                    QString::fromStdString(stack),
                    QJsonObject{{"score", score.score}, {"rationale", QString::fromStdString(score.rationale)}});
            }
            object.insert("defaults", defaults);
        }
        criteria.append(object);
    }
    QJsonArray needs;
    for (const auto& need : needs_) {
        QJsonObject weights;
        for (const auto& [criterionId, weight] : need.weights) {
            weights.insert(QString::fromStdString(criterionId), weight);
        }
        needs.append(QJsonObject{{"id", QString::fromStdString(need.id)},
                                 {"name", QString::fromStdString(need.name)},
                                 {"weights", weights}});
    }
    return QJsonObject{{"version", kFormatVersion}, {"criteria", criteria}, {"needs", needs}};
}

namespace {

// Field readers that name what is wrong and where ("needs[2].weights.speed: ..."), so a damaged session
// says which part of its decision table it cannot read.
struct Reader {
    std::string* error;

    [[nodiscard]] bool fail(const std::string& where, const std::string& what) const
    {
        if (error) {
            *error = "decision model: " + where + ": " + what;
        }
        return false;
    }

    bool string(const QJsonObject& object, const char* key, const std::string& where, std::string& out,
                bool required = true) const
    {
        const auto value = object.value(QLatin1String(key));
        if (value.isUndefined() && !required) {
            return true;
        }
        if (!value.isString()) {
            return fail(where + "." + key, value.isUndefined() ? "missing" : "not a string");
        }
        out = value.toString().toStdString();
        return true;
    }

    bool number(const QJsonValue& value, const std::string& where, double min, double max, double& out) const
    {
        if (!value.isDouble()) {
            return fail(where, value.isUndefined() ? "missing" : "not a number");
        }
        out = value.toDouble();
        if (!(out >= min && out <= max)) {
            return fail(where, formatNumber(out) + " is outside " + formatNumber(min) + ".." + formatNumber(max));
        }
        return true;
    }
};

} // namespace

namespace {

bool readModel(const QJsonObject& json, const Reader& read, DecisionModel& model)
{
    const auto version = json.value(QLatin1String("version"));
    if (!version.isDouble()) {
        return read.fail("version", version.isUndefined() ? "missing" : "not a number");
    }
    if (version.toDouble() != kFormatVersion) {
        return read.fail("version", formatNumber(version.toDouble()) +
                                        " is not supported (this Benchdeck reads version " +
                                        std::to_string(kFormatVersion) + ")");
    }

    const auto criteriaValue = json.value(QLatin1String("criteria"));
    if (!criteriaValue.isArray()) {
        return read.fail("criteria", criteriaValue.isUndefined() ? "missing" : "not an array");
    }
    const auto criteria = criteriaValue.toArray();
    for (qsizetype i = 0; i < criteria.size(); ++i) {
        const std::string where = "criteria[" + std::to_string(i) + "]";
        const auto value = criteria.at(i);
        if (!value.isObject()) {
            return read.fail(where, "not an object");
        }
        const auto object = value.toObject();
        Criterion criterion;
        if (!read.string(object, "id", where, criterion.id) || !read.string(object, "name", where, criterion.name) ||
            !read.string(object, "description", where, criterion.description, false)) {
            return false;
        }
        if (criterion.id.empty()) {
            return read.fail(where + ".id", "empty");
        }
        if (model.criterion(criterion.id)) {
            return read.fail(where + ".id", "\"" + criterion.id + "\" is used twice");
        }
        // null (or absent) = qualitative; otherwise one of the metric keys.
        const auto metric = object.value(QLatin1String("metric"));
        const bool stepMetric = metric.isString() && metric.toString().toStdString() == kStepP99LatencyKey;
        if (stepMetric) {
            criterion.metric = Metric::P99Latency;
        } else if (metric.isString()) {
            criterion.metric = metricFromKey(metric.toString().toStdString());
            if (!criterion.metric) {
                return read.fail(where + ".metric", "unknown metric \"" + metric.toString().toStdString() + "\"");
            }
        } else if (!metric.isNull() && !metric.isUndefined()) {
            return read.fail(where + ".metric", "not a string or null");
        }
        if (stepMetric) {
            if (!read.string(object, "step", where, criterion.step)) {
                return false;
            }
            if (criterion.step.empty()) {
                return read.fail(where + ".step", "empty");
            }
        } else if (object.contains(QLatin1String("step"))) {
            return read.fail(where + ".step",
                             "only a \"" + std::string(kStepP99LatencyKey) + "\" criterion names a step");
        }
        const auto defaults = object.value(QLatin1String("defaults"));
        if (!defaults.isUndefined()) {
            if (!defaults.isObject()) {
                return read.fail(where + ".defaults", "not an object");
            }
            if (criterion.metric && !defaults.toObject().isEmpty()) {
                return read.fail(where + ".defaults", "a measured criterion has no default scores");
            }
            const auto stacks = defaults.toObject();
            for (auto it = stacks.begin(); it != stacks.end(); ++it) {
                const std::string stackWhere = where + ".defaults." + it.key().toStdString();
                if (!it.value().isObject()) {
                    return read.fail(stackWhere, "not an object");
                }
                const auto entry = it.value().toObject();
                DefaultScore score;
                if (!read.number(entry.value(QLatin1String("score")), stackWhere + ".score", kMinScore, kMaxScore,
                                 score.score) ||
                    !read.string(entry, "rationale", stackWhere, score.rationale, false)) {
                    return false;
                }
                criterion.defaults.emplace(it.key().toStdString(), std::move(score));
            }
        }
        model.addCriterion(std::move(criterion));
    }

    const auto needsValue = json.value(QLatin1String("needs"));
    if (!needsValue.isArray()) {
        return read.fail("needs", needsValue.isUndefined() ? "missing" : "not an array");
    }
    const auto needs = needsValue.toArray();
    for (qsizetype i = 0; i < needs.size(); ++i) {
        const std::string where = "needs[" + std::to_string(i) + "]";
        const auto value = needs.at(i);
        if (!value.isObject()) {
            return read.fail(where, "not an object");
        }
        const auto object = value.toObject();
        Need need;
        if (!read.string(object, "id", where, need.id) || !read.string(object, "name", where, need.name)) {
            return false;
        }
        if (need.id.empty()) {
            return read.fail(where + ".id", "empty");
        }
        if (model.need(need.id)) {
            return read.fail(where + ".id", "\"" + need.id + "\" is used twice");
        }
        const auto weights = object.value(QLatin1String("weights"));
        if (!weights.isObject()) {
            return read.fail(where + ".weights", weights.isUndefined() ? "missing" : "not an object");
        }
        const auto weightObject = weights.toObject();
        for (auto it = weightObject.begin(); it != weightObject.end(); ++it) {
            const std::string criterionId = it.key().toStdString();
            std::string weightWhere = where;
            weightWhere.append(".weights.").append(criterionId);
            if (!model.criterion(criterionId)) {
                return read.fail(weightWhere, "no such criterion");
            }
            double weight = 0;
            if (!read.number(it.value(), weightWhere, kMinWeight, kMaxWeight, weight)) {
                return false;
            }
            need.weights.emplace(criterionId, weight);
        }
        model.addNeed(std::move(need));
    }
    return true;
}

} // namespace

std::optional<DecisionModel> DecisionModel::fromJson(const QJsonObject& json, std::string* error)
{
    DecisionModel model;
    if (!readModel(json, Reader{error}, model)) {
        return std::nullopt;
    }
    return model;
}

} // namespace benchdeck::decision
