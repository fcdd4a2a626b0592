// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/engine.h"

#include <array>
#include <mutex>
#include <string>
#include <vector>

namespace benchdeck::telemetry {

// Who a series belongs to, on every sample, so that Prometheus can sum the shards of one run and keep
// runs, targets and candidates apart.
struct TelemetryLabels {
    std::string run;       // the run's label, or its start time
    std::string target;    // the URL, credentials masked
    std::string candidate; // may be empty
    std::string shard;     // "2/3" for a shard, "1/1" otherwise
};

enum class ExpositionFormat {
    OpenMetrics,    // application/openmetrics-text; version=1.0.0 (what Prometheus asks for first)
    PrometheusText, // text/plain; version=0.0.4 (what the Pushgateway takes)
};

// The latency histogram's bucket bounds in seconds: fixed, so that dashboards and shards agree.
// Documented in docs/prometheus.md.
inline constexpr std::array<double, 16> kLatencyBucketsSeconds = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

// The latest figures of one run, for an exporter. `update` and `finish` run on the engine's
// aggregator thread (never on a worker), `render` on whatever thread serves a scrape; a mutex keeps
// them apart, and the workers' hot path never sees it.
class LiveTelemetry {
public:
    LiveTelemetry(TelemetryLabels labels, const engine::RunConfig& plan);

    void update(const engine::LiveSnapshot& snapshot);
    // The run's own final figures: what Prometheus reads after the run equals what Benchdeck reports.
    void finish(const metrics::RunResult& result);
    std::string render(ExpositionFormat format) const;

private:
    struct Figures {
        uint64_t requests = 0;
        uint64_t warmupRequests = 0;
        uint64_t bytesReceived = 0;
        uint64_t bytesSent = 0;
        std::vector<std::pair<int, uint64_t>> statuses;
        std::array<uint64_t, metrics::kErrorKindCount> errorKinds{};
        std::array<uint64_t, kLatencyBucketsSeconds.size()> buckets{}; // cumulative, as exposed
        uint64_t latencyCount = 0;
        double latencySumSeconds = 0;
        std::array<double, 4> quantileSeconds{}; // 0.5, 0.9, 0.99, 0.999
        int64_t inFlight = 0;
        double intendedLevel = 0;
        double achievedRate = 0;
        double generatorCpuRatio = 0;
        bool saturated = false;
        bool running = true;
    };
    void takeTotals(const metrics::MetricsSlice& total);

    const TelemetryLabels labels_;
    const bool openModel_;
    mutable std::mutex mutex_;
    Figures figures_;
};

} // namespace benchdeck::telemetry
