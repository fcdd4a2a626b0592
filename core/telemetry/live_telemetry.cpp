// SPDX-License-Identifier: Apache-2.0
#include "live_telemetry.h"

#include "metrics/units.h"


#include <algorithm>
#include <charconv>
#include <cmath>

namespace benchdeck::telemetry {
namespace {

constexpr std::array<double, 4> kQuantiles = {0.5, 0.9, 0.99, 0.999};

// Label values escape backslash, double quote and newline (OpenMetrics 1.0, "ABNF").
std::string escapeLabel(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

// units::shortest, with the exposition formats' spelling of the non-finite values.
std::string number(double value)
{
    if (!std::isfinite(value)) {
        return std::isnan(value) ? "NaN" : (value > 0 ? "+Inf" : "-Inf");
    }
    return units::shortest(value);
}

// Bucket bounds and quantiles as floats ("1.0", not "1"), as OpenMetrics asks for label values.
std::string floatLabel(double value)
{
    char buffer[64];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed).ptr;
    std::string text(buffer, end);
    if (text.find_first_of(".eE") == std::string::npos) {
        text += ".0";
    }
    return text;
}

class Writer {
public:
    Writer(ExpositionFormat format, std::string labels)
        : openMetrics_(format == ExpositionFormat::OpenMetrics)
        , labels_(std::move(labels))
    {
    }

    // `name` without the _total suffix, which counters get in samples (and, in the 0.0.4 format, in
    // their TYPE line too).
    void family(std::string_view name, std::string_view type, std::string_view help, std::string_view unit = {})
    {
        const bool counter = type == "counter";
        const std::string declared = std::string(name) + (counter && !openMetrics_ ? "_total" : "");
        out_ += "# TYPE " + declared + " " + std::string(type) + "\n";
        if (openMetrics_ && !unit.empty()) {
            out_ += "# UNIT " + declared + " " + std::string(unit) + "\n";
        }
        out_ += "# HELP " + declared + " " + std::string(help) + "\n";
    }

    void sample(std::string_view name, std::string_view extraLabels, const std::string& value)
    {
        out_ += std::string(name) + "{" + labels_;
        if (!extraLabels.empty()) {
            out_ += ",";
            out_ += extraLabels;
        }
        out_ += "} " + value + "\n";
    }

    std::string finish()
    {
        if (openMetrics_) {
            out_ += "# EOF\n";
        }
        return std::move(out_);
    }

private:
    bool openMetrics_;
    std::string labels_;
    std::string out_;
};

} // namespace

LiveTelemetry::LiveTelemetry(TelemetryLabels labels, const engine::RunConfig& plan)
    : labels_(std::move(labels))
    , openModel_(plan.rate > 0 || plan.openModel)
{
    figures_.intendedLevel = openModel_ ? plan.rate : double(plan.connections);
}

void LiveTelemetry::takeTotals(const metrics::MetricsSlice& total)
{
    auto& f = figures_;
    f.requests = total.requests;
    f.bytesReceived = total.bytesReceived;
    f.bytesSent = total.bytesSent;
    f.statuses.clear();
    for (size_t code = 0; code < total.statusCounts.size(); ++code) {
        if (total.statusCounts[code]) {
            f.statuses.emplace_back(int(code), total.statusCounts[code]);
        }
    }
    f.errorKinds = total.errorKinds;
    const auto& latency = total.latency;
    f.buckets.fill(0);
    const auto counts = latency.counts();
    size_t bucket = 0;
    uint64_t below = 0;
    for (size_t i = 0; i < counts.size() && bucket < f.buckets.size(); ++i) {
        // To the histogram's own precision (3 significant digits): a counter belongs below a bound
        // when its lowest value does, so that a value of exactly 10 ms is under le="0.01".
        while (bucket < f.buckets.size() &&
               double(metrics::LatencyHistogram::lowestValueAt(i)) > kLatencyBucketsSeconds[bucket] * 1e6) {
            f.buckets[bucket++] = below;
        }
        below += counts[i];
    }
    while (bucket < f.buckets.size()) {
        f.buckets[bucket++] = below;
    }
    f.latencyCount = latency.count();
    f.latencySumSeconds = latency.sum() / 1e6;
    for (size_t q = 0; q < kQuantiles.size(); ++q) {
        f.quantileSeconds[q] = double(latency.valueAtPercentile(kQuantiles[q] * 100)) / 1e6;
    }
}

void LiveTelemetry::update(const engine::LiveSnapshot& snapshot)
{
    std::lock_guard lock(mutex_);
    figures_.inFlight = snapshot.inFlight;
    figures_.achievedRate = snapshot.tickRps;
    figures_.warmupRequests = snapshot.warmupRequests;
    if (!snapshot.final) {
        figures_.intendedLevel = snapshot.level;
    }
    if (snapshot.completedInterval) {
        figures_.generatorCpuRatio = snapshot.completedInterval->cpuPercent / 100.0;
    }
    // Whole intervals only: the counters then grow in steps that the session file and the per-second
    // series agree with.
    if (snapshot.measuredTotal && (snapshot.completedInterval || snapshot.final)) {
        takeTotals(*snapshot.measuredTotal);
    }
}

void LiveTelemetry::finish(const metrics::RunResult& result)
{
    std::lock_guard lock(mutex_);
    takeTotals(result.total);
    figures_.warmupRequests = result.total.warmupRequests;
    figures_.inFlight = 0;
    figures_.achievedRate = result.summary.computed ? result.summary.rps : result.rps();
    figures_.generatorCpuRatio = result.generator.cpuPercent / 100.0;
    figures_.saturated = result.generator.saturated;
    figures_.running = false;
}

std::string LiveTelemetry::render(ExpositionFormat format) const
{
    std::lock_guard lock(mutex_);
    const auto& f = figures_;
    const std::string labels = "run=\"" + escapeLabel(labels_.run) + "\",target=\"" + escapeLabel(labels_.target) +
                               "\",candidate=\"" + escapeLabel(labels_.candidate) + "\",shard=\"" +
                               escapeLabel(labels_.shard) + "\"";
    Writer w(format, labels);
    const auto count = [](uint64_t n) { return std::to_string(n); };

    w.family("benchdeck_requests", "counter",
             "Finished requests in the measured window: responses of any status plus transport failures.");
    w.sample("benchdeck_requests_total", {}, count(f.requests));
    w.family("benchdeck_responses", "counter", "Responses by HTTP status.");
    for (const auto& [status, n] : f.statuses) {
        w.sample("benchdeck_responses_total", "status=\"" + std::to_string(status) + "\"", count(n));
    }
    w.family("benchdeck_errors", "counter",
             "Errors by kind: transport failures (dns, connect_refused, ..., protocol) and HTTP 4xx/5xx.");
    for (size_t i = 0; i < metrics::kErrorKindCount; ++i) {
        const auto name = metrics::errorKindName(metrics::errorKindAt(i));
        w.sample("benchdeck_errors_total", "kind=\"" + std::string(name) + "\"", count(f.errorKinds[i]));
    }
    w.family("benchdeck_warmup_requests", "counter", "Requests finished during the warm-up, never measured.");
    w.sample("benchdeck_warmup_requests_total", {}, count(f.warmupRequests));
    w.family("benchdeck_received_bytes", "counter", "Response bytes, headers included.", "bytes");
    w.sample("benchdeck_received_bytes_total", {}, count(f.bytesReceived));
    w.family("benchdeck_sent_bytes", "counter", "Request bytes sent.", "bytes");
    w.sample("benchdeck_sent_bytes_total", {}, count(f.bytesSent));

    w.family("benchdeck_latency_seconds", "histogram",
             "Latency from the (intended) start of a request to its last byte, every response.", "seconds");
    for (size_t b = 0; b < kLatencyBucketsSeconds.size(); ++b) {
        w.sample("benchdeck_latency_seconds_bucket", "le=\"" + floatLabel(kLatencyBucketsSeconds[b]) + "\"",
                 count(f.buckets[b]));
    }
    w.sample("benchdeck_latency_seconds_bucket", "le=\"+Inf\"", count(f.latencyCount));
    w.sample("benchdeck_latency_seconds_count", {}, count(f.latencyCount));
    w.sample("benchdeck_latency_seconds_sum", {}, number(f.latencySumSeconds));
    w.family("benchdeck_latency_quantiles_seconds", "summary",
             "Latency percentiles of the whole run so far, from Benchdeck's HDR histogram (3 significant digits).",
             "seconds");
    for (size_t q = 0; q < kQuantiles.size(); ++q) {
        w.sample("benchdeck_latency_quantiles_seconds", "quantile=\"" + floatLabel(kQuantiles[q]) + "\"",
                 number(f.quantileSeconds[q]));
    }
    w.sample("benchdeck_latency_quantiles_seconds_count", {}, count(f.latencyCount));
    w.sample("benchdeck_latency_quantiles_seconds_sum", {}, number(f.latencySumSeconds));

    w.family("benchdeck_in_flight", "gauge", "Requests waiting for an answer.");
    w.sample("benchdeck_in_flight", {}, std::to_string(f.inFlight));
    if (openModel_) {
        w.family("benchdeck_intended_rate", "gauge", "Requests per second the open model's schedule asks for now.");
        w.sample("benchdeck_intended_rate", {}, number(f.running ? f.intendedLevel : 0));
    } else {
        w.family("benchdeck_users", "gauge", "Concurrent users the closed model runs now.");
        w.sample("benchdeck_users", {}, number(f.running ? f.intendedLevel : 0));
    }
    w.family("benchdeck_achieved_rate", "gauge",
             "Requests finished per second: over the last tick while running, over the run once it ended.");
    w.sample("benchdeck_achieved_rate", {}, number(f.achievedRate));
    w.family("benchdeck_generator_cpu_ratio", "gauge", "How busy the load threads were (1 = every thread all the time).");
    w.sample("benchdeck_generator_cpu_ratio", {}, number(f.generatorCpuRatio));
    w.family("benchdeck_generator_saturated", "gauge",
             "1 when the load generator itself may have been the bottleneck (set when the run ends).");
    w.sample("benchdeck_generator_saturated", {}, f.saturated ? "1" : "0");
    w.family("benchdeck_running", "gauge", "1 while the run lasts, 0 once it ended (the figures are then final).");
    w.sample("benchdeck_running", {}, f.running ? "1" : "0");
    return w.finish();
}

} // namespace benchdeck::telemetry
