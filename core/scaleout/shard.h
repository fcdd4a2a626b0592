// SPDX-License-Identifier: Apache-2.0
#pragma once

// Scale-out (docs/scale-out.md): one load plan split over N agents ("shards"), each writing a result
// file with mergeable histograms, and the merge of those files into one run.
#include "engine/run_config.h"
#include "metrics/latency_histogram.h"
#include "metrics/run_result.h"

#include <QJsonObject>
#include <QString>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace benchdeck::scaleout {

inline constexpr int kMaxShards = 10000;
inline constexpr qint64 kMaxShardFileBytes = qint64(1) << 30; // a 7-day shard's series is about 300 MB

struct ShardSpec {
    int index = 1; // 1-based
    int count = 1;
};

// "I/N" with 1 <= I <= N; nothing (and a one-line reason) otherwise.
std::optional<ShardSpec> parseShardSpec(const std::string& text, std::string* error);

// Shard `spec.index` of `plan` split `spec.count` ways: connections and the request count divided with the
// remainder going to the first shards (so the shards add up exactly), the rate and ramp levels divided
// evenly; everything else (URL, duration, schedule) unchanged. Nothing when the plan cannot be split.
std::optional<engine::RunConfig> splitPlan(const engine::RunConfig& plan, ShardSpec spec, std::string* error);

// The part of a count `total` split `count` ways that shard `index` (1-based) takes: ceil for the first
// `total % count` shards, floor for the rest.
uint64_t shareOf(uint64_t total, int index, int count);

// A hash of everything that defines the whole plan (URL, method, header names, body, model, rate or
// stages, duration, request count, connections, warm-up, shard count) but not the shard index: equal
// for every shard of one plan, different for any other plan. 16 hex digits.
std::string planFingerprint(const engine::RunConfig& plan, int shardCount);

// The one-second series entry of a shard, keyed by wall-clock second (epoch seconds).
struct ShardSecond {
    int64_t second = 0;
    metrics::IntervalRecord interval;
    metrics::LatencyHistogram latency;
};

// Collects a shard's per-interval histograms from the engine's snapshot callback.
class ShardSeries {
public:
    void add(const metrics::IntervalRecord& interval, const metrics::LatencyHistogram& latency);
    // Keys the intervals by wall-clock second: measurement starts at startedAt + warm-up.
    std::vector<ShardSecond> bySecond(std::chrono::system_clock::time_point measureStart) const;

private:
    struct Entry {
        metrics::IntervalRecord interval;
        std::string latencyBlob; // encoded: a histogram in memory is 184 KiB
    };
    std::vector<Entry> entries_;
};

// A shard's result as read back from its file.
struct ShardResult {
    QString path;
    std::string fingerprint;
    ShardSpec spec;
    engine::RunConfig plan; // the whole (unsplit) plan; credential header values withheld unless kept
    metrics::RunResult result;
    std::vector<ShardSecond> series;
};

// The result file of one shard (format "benchdeck-shard/1").
QJsonObject shardResultToJson(const engine::RunConfig& plan, ShardSpec spec, const engine::RunConfig& shardPlan,
                              const metrics::RunResult& result, const std::vector<ShardSecond>& series,
                              bool keepSecrets);
bool writeShardResult(const QString& path, const QJsonObject& object, std::string* error);
std::optional<ShardResult> readShardResult(const QString& path, std::string* error);

struct MergedRun {
    engine::RunConfig plan;
    metrics::RunResult result;
    std::vector<ShardSecond> series; // merged per wall-clock second, `interval.t` since the merged start
};

// Checks that the shards are all of one plan and each index 1..N appears once, then merges: counts summed,
// histograms merged, series aligned by wall-clock second, duration the longest. Nothing (and a one-line
// reason) when the shards do not belong together.
std::optional<MergedRun> mergeShards(const std::vector<ShardResult>& shards, std::string* error);

// When --start-at is given: milliseconds since the epoch at which every shard starts.
void waitUntilEpochMs(int64_t epochMs);

} // namespace benchdeck::scaleout
