// SPDX-License-Identifier: Apache-2.0
#include "noise.h"

#include "metrics/units.h"

#include <QJsonDocument>

#include <array>
#include <cmath>

namespace benchdeck::workflow {
namespace {

constexpr std::array kMetrics = {decision::Metric::Throughput, decision::Metric::P99Latency,
                                 decision::Metric::ErrorRate, decision::Metric::ServerMemory,
                                 decision::Metric::CpuPerRequest, decision::Metric::ColdStart,
                                 decision::Metric::ArtifactSize};

std::string planKey(QJsonObject plan)
{
    // Thresholds judge a run; they do not change what was measured, so repeats may differ in them.
    plan.remove(QStringLiteral("thresholds"));
    // QJsonObject keeps its keys sorted, so equal plans serialise equally.
    return QJsonDocument(plan).toJson(QJsonDocument::Compact).toStdString();
}

// As the decision model reads figures: 0 ms / MB / µs means "not sampled"; 0 req/s and 0 % are real.
bool usable(decision::Metric metric, double value)
{
    if (!std::isfinite(value)) {
        return false;
    }
    switch (metric) {
    case decision::Metric::Throughput: return value >= 0;
    case decision::Metric::ErrorRate: return value >= 0 && value <= 100;
    case decision::Metric::P99Latency:
    case decision::Metric::ServerMemory:
    case decision::Metric::CpuPerRequest:
    case decision::Metric::ColdStart:
    case decision::Metric::ArtifactSize: return value > 0;
    }
    return false;
}

bool higherIsBetter(decision::Metric metric)
{
    return metric == decision::Metric::Throughput;
}

std::optional<double>& slot(decision::CandidateFacts& facts, decision::Metric metric)
{
    switch (metric) {
    case decision::Metric::Throughput: return facts.throughput;
    case decision::Metric::P99Latency: return facts.p99Ms;
    case decision::Metric::ErrorRate: return facts.errorPercent;
    case decision::Metric::ServerMemory: return facts.memoryMb;
    case decision::Metric::CpuPerRequest: return facts.cpuMicrosPerRequest;
    case decision::Metric::ColdStart: return facts.coldStartMs;
    case decision::Metric::ArtifactSize: break;
    }
    return facts.artifactMb;
}

std::string ratioText(double value)
{
    if (!std::isfinite(value)) {
        return "–";
    }
    return "×" + units::fixed(value, 2);
}

std::string metricName(decision::Metric metric)
{
    switch (metric) {
    case decision::Metric::Throughput: return "Throughput";
    case decision::Metric::P99Latency: return "p99 latency";
    case decision::Metric::ErrorRate: return "Error rate";
    case decision::Metric::ServerMemory: return "Server memory";
    case decision::Metric::CpuPerRequest: return "CPU per request";
    case decision::Metric::ColdStart: return "Cold start";
    case decision::Metric::ArtifactSize: return "Artifact size";
    }
    return "";
}

std::string noteText(const NoiseNote& note, const std::vector<decision::CandidateFacts>& facts)
{
    const auto& r = note.vsBest;
    std::string text = metricName(note.metric) + " vs " + facts[note.best].name + ": " + ratioText(r.ratio);
    if (r.verdict == metrics::NoiseVerdict::Unknown) {
        return text + " (" + std::string(metrics::noiseLabel(r)) + ": the measured values decide)";
    }
    text += " [" + ratioText(r.low) + "–" + ratioText(r.high) + "] over " + std::to_string(r.samples) + " and " +
            std::to_string(r.baselineSamples) + " runs, ";
    if (note.tied) {
        return text + "within noise: scored as equal";
    }
    if (r.verdict == metrics::NoiseVerdict::WithinNoise) {
        return text + "within noise, but above the usable error rate: left as measured";
    }
    return text + "significant";
}

} // namespace

std::string repeatKey(const store::StoredRun& run, int64_t targetId)
{
    // A run whose plan is not recorded, or whose figures cover less than its plan (failed, stopped,
    // interrupted), repeats nothing: it stands alone rather than bend a median.
    if (!run.planRecorded || run.listing.status != "completed") {
        return "run " + std::to_string(run.listing.id);
    }
    const std::string who =
        targetId != 0 ? "target " + std::to_string(targetId) : "url " + run.listing.url + '\x1f' + run.listing.label;
    return who + '\x1e' + planKey(run.plan);
}

std::vector<std::vector<size_t>> groupRepeats(const std::vector<store::StoredRun>& runs,
                                              const std::vector<int64_t>& targetIds)
{
    std::vector<std::vector<size_t>> groups;
    std::map<std::string, size_t> groupOfKey;
    for (size_t i = 0; i < runs.size(); ++i) {
        const int64_t target = i < targetIds.size() ? targetIds[i] : 0;
        const auto [it, added] = groupOfKey.try_emplace(repeatKey(runs[i], target), groups.size());
        if (added) {
            groups.emplace_back();
        }
        groups[it->second].push_back(i);
    }
    return groups;
}

std::optional<double> measuredValue(const metrics::RunResult& result, decision::Metric metric)
{
    switch (metric) {
    case decision::Metric::Throughput: return result.summary.rps;
    case decision::Metric::P99Latency:
        return result.summary.latency.empty() ? std::nullopt
                                              : std::optional(double(result.summary.latency.p99) / 1000.0);
    case decision::Metric::ErrorRate: return result.summary.errorPercent;
    case decision::Metric::ServerMemory:
        return result.server.measured && result.server.peakRssMb > 0 ? std::optional(result.server.peakRssMb)
                                                                     : std::nullopt;
    case decision::Metric::CpuPerRequest:
        return result.server.measured && result.server.cpuMicrosPerRequest > 0
                   ? std::optional(result.server.cpuMicrosPerRequest)
                   : std::nullopt;
    case decision::Metric::ColdStart:
        return result.server.coldStartMs > 0 ? std::optional(result.server.coldStartMs) : std::nullopt;
    case decision::Metric::ArtifactSize:
        return result.server.artifactMb > 0 ? std::optional(result.server.artifactMb) : std::nullopt;
    }
    return std::nullopt;
}

RepeatSamples samplesOfRuns(const std::vector<store::StoredRun>& runs)
{
    RepeatSamples samples;
    for (const auto& run : runs) {
        samples.runIds.push_back(run.listing.id);
        for (const auto metric : kMetrics) {
            if (const auto value = measuredValue(run.result, metric); value && usable(metric, *value)) {
                samples.values[metric].push_back(*value);
            }
        }
    }
    return samples;
}

std::vector<RepeatSamples> loadRepeatSamples(const store::SessionFile& session, const std::vector<int64_t>& runIds)
{
    std::string error;
    const auto listing = session.listRuns(&error);
    std::vector<RepeatSamples> all;
    for (const int64_t runId : runIds) {
        RepeatSamples samples;
        const auto selected = runId != 0 ? session.loadRun(runId, &error) : std::nullopt;
        if (!selected) {
            all.push_back(std::move(samples));
            continue;
        }
        const int64_t target = session.runTarget(runId);
        const std::string key = repeatKey(*selected, target);
        for (const auto& run : listing) {
            if (run.status != "completed" && run.status != "stopped") {
                continue;
            }
            // Cheap checks first: only candidates that could share the key are loaded in full.
            const int64_t runTarget = session.runTarget(run.id);
            if (runTarget != target ||
                (target == 0 && (run.url != selected->listing.url || run.label != selected->listing.label))) {
                continue;
            }
            const auto stored = run.id == runId ? selected : session.loadRun(run.id, &error);
            if (!stored || repeatKey(*stored, runTarget) != key) {
                continue;
            }
            samples.runIds.push_back(run.id);
            for (const auto metric : kMetrics) {
                if (const auto value = measuredValue(stored->result, metric); value && usable(metric, *value)) {
                    samples.values[metric].push_back(*value);
                }
            }
        }
        all.push_back(std::move(samples));
    }
    return all;
}

std::vector<NoiseNote> settleWithinNoise(std::vector<decision::CandidateFacts>& facts,
                                         const std::vector<RepeatSamples>& samples)
{
    static const std::vector<double> kNone;
    const auto samplesOf = [&](size_t candidate, decision::Metric metric) -> const std::vector<double>& {
        if (candidate >= samples.size()) {
            return kNone;
        }
        const auto it = samples[candidate].values.find(metric);
        return it == samples[candidate].values.end() ? kNone : it->second;
    };
    // 1. Medians over the repeats.
    for (size_t i = 0; i < facts.size(); ++i) {
        for (const auto metric : kMetrics) {
            auto& value = slot(facts[i], metric);
            const auto& values = samplesOf(i, metric);
            if (value && values.size() >= 2) {
                value = metrics::median(values);
            }
            if (value) {
                facts[i].measured[metric] = *value; // what its tooltip quotes, whatever a tie scores
            }
        }
    }
    // 2. Ties with the best where the difference is within noise.
    std::vector<NoiseNote> notes;
    for (const auto metric : kMetrics) {
        std::optional<size_t> best;
        for (size_t i = 0; i < facts.size(); ++i) {
            const auto& value = slot(facts[i], metric);
            if (!value || !usable(metric, *value)) {
                continue;
            }
            const double reference = best ? *slot(facts[*best], metric) : 0.0;
            if (!best || (higherIsBetter(metric) ? *value > reference : *value < reference)) {
                best = i;
            }
        }
        if (!best) {
            continue;
        }
        const double bestValue = *slot(facts[*best], metric);
        for (size_t i = 0; i < facts.size(); ++i) {
            auto& value = slot(facts[i], metric);
            if (i == *best || !value || !usable(metric, *value) || samplesOf(i, metric).empty()) {
                continue;
            }
            NoiseNote note;
            note.candidate = i;
            note.best = *best;
            note.metric = metric;
            note.vsBest = metrics::ratioInterval(samplesOf(i, metric), samplesOf(*best, metric));
            const bool gated = metric == decision::Metric::ErrorRate && *value > decision::kMaxUsableErrorPercent;
            if (note.vsBest.verdict == metrics::NoiseVerdict::WithinNoise && !gated) {
                value = bestValue;
                note.tied = true;
            }
            note.text = noteText(note, facts);
            notes.push_back(std::move(note));
        }
    }
    return notes;
}

} // namespace benchdeck::workflow
