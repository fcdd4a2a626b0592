#include "run_text.h"

#include "engine/duration.h"
#include "engine/engine.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace benchdeck::report {
namespace {

template <typename... Args>
std::string format(const char* pattern, Args... args)
{
    char buffer[512];
    std::snprintf(buffer, sizeof buffer, pattern, args...);
    return buffer;
}

} // namespace

std::string formatMicros(double micros)
{
    if (micros >= 1e6) {
        return format("%.2fs", micros / 1e6);
    }
    if (micros >= 1e3) {
        return format("%.2fms", micros / 1e3);
    }
    return format("%.0fus", micros);
}

std::string formatFixed(double value, int decimals)
{
    return format("%.*f", decimals, value);
}

std::string formatBytes(double bytes)
{
    static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    size_t unit = 0;
    while (bytes >= 1024 && unit + 1 < std::size(kUnits)) {
        bytes /= 1024;
        ++unit;
    }
    return format(unit == 0 ? "%.0f%s" : "%.2f%s", bytes, kUnits[unit]);
}

std::string formatTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows)
{
    std::vector<size_t> widths(header.size(), 0);
    for (size_t i = 0; i < header.size(); ++i) {
        widths[i] = header[i].size();
    }
    for (const auto& row : rows) {
        for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    // Numbers read best right-aligned, words left-aligned: a column is numeric when every cell is a
    // number with at most a short unit ("1.2ms", "5.02%", "12000") or a dash.
    const auto looksNumeric = [](std::string_view cell) {
        size_t end = cell.size();
        while (end > 0 && cell.size() - end < 3 && std::isalpha(static_cast<unsigned char>(cell[end - 1]))) {
            --end;
        }
        const auto digits = cell.substr(0, end);
        return cell == "-" || (!digits.empty() && std::isdigit(static_cast<unsigned char>(digits[0])) &&
                               digits.find_first_not_of("0123456789.,%") == std::string_view::npos);
    };
    std::vector<bool> numeric(header.size(), true);
    for (const auto& row : rows) {
        for (size_t i = 0; i < row.size() && i < numeric.size(); ++i) {
            numeric[i] = numeric[i] && looksNumeric(row[i]);
        }
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = i < cells.size() ? cells[i] : std::string();
            const std::string pad(widths[i] - std::min(widths[i], cell.size()), ' ');
            out += (i == 0 ? "" : "  ") + (numeric[i] ? pad + cell : cell + pad);
        }
        while (!out.empty() && out.back() == ' ') {
            out.pop_back();
        }
        return out + "\n";
    };
    std::string out = line(header);
    size_t totalWidth = 0;
    for (const size_t w : widths) {
        totalWidth += w + 2;
    }
    out += std::string(totalWidth - 2, '-') + "\n";
    for (const auto& row : rows) {
        out += line(row);
    }
    return out;
}

std::string runHeader(const engine::RunConfig& config)
{
    std::string out = format("Running %s test @ %s\n",
                             config.duration.count() ? engine::formatDuration(config.duration).c_str() : "by count",
                             config.url.c_str());
    out += format("  %d threads and %d connections, engine %s", engine::effectiveThreads(config), config.connections,
                  std::string(engine::engineKindName(engine::chooseEngine(config))).c_str());
    if (config.rate > 0) {
        out += format(", open model at %.0f req/s (latency from intended send times)", config.rate);
    }
    if (!config.stages.empty()) {
        out += format(", %zu ramp stages of %s", config.stages.size(), config.openModel ? "req/s" : "users");
    }
    if (config.requests) {
        out += format(", %llu requests", static_cast<unsigned long long>(config.requests));
    }
    if (config.warmup.count()) {
        out += ", warm-up " + engine::formatDuration(config.warmup);
    }
    return out + "\n";
}

std::string runToText(const engine::RunConfig& config, const metrics::RunResult& result)
{
    const auto& total = result.total;
    const auto& latency = total.latency;
    std::string out;
    if (!config.label.empty()) {
        out += "  Label: " + config.label + "\n";
    }
    out += "\n  Latency     min       mean      stdev     p50       p90       p99       p99.9     max\n";
    out += format("             %-9s %-9s %-9s %-9s %-9s %-9s %-9s %s\n", formatMicros(double(latency.min())).c_str(),
                  formatMicros(latency.mean()).c_str(), formatMicros(latency.stdev()).c_str(),
                  formatMicros(double(latency.valueAtPercentile(50))).c_str(),
                  formatMicros(double(latency.valueAtPercentile(90))).c_str(),
                  formatMicros(double(latency.valueAtPercentile(99))).c_str(),
                  formatMicros(double(latency.valueAtPercentile(99.9))).c_str(),
                  formatMicros(double(latency.max())).c_str());
    if (!total.connect.empty() || !total.ttfb.empty()) {
        out += format("  Phases      connect p50 %s p99 %s   time to first byte p50 %s p99 %s",
                      formatMicros(double(total.connect.valueAtPercentile(50))).c_str(),
                      formatMicros(double(total.connect.valueAtPercentile(99))).c_str(),
                      formatMicros(double(total.ttfb.valueAtPercentile(50))).c_str(),
                      formatMicros(double(total.ttfb.valueAtPercentile(99))).c_str());
        if (!total.tls.empty()) {
            out += format("   TLS p50 %s", formatMicros(double(total.tls.valueAtPercentile(50))).c_str());
        }
        out += "\n";
    }
    out += format("\n  %llu requests in %.2fs, %s read, %llu connections opened",
                  static_cast<unsigned long long>(total.requests), result.durationSeconds,
                  formatBytes(double(total.bytesReceived)).c_str(),
                  static_cast<unsigned long long>(total.connectionsOpened));
    if (total.warmupRequests) {
        out += format(" (+%llu in warm-up, not counted)", static_cast<unsigned long long>(total.warmupRequests));
    }
    out += "\n";
    out += format("  Requests/sec: %.2f\n", result.rps());
    out += format("  Transfer/sec: %s\n",
                  formatBytes(result.durationSeconds > 0 ? double(total.bytesReceived) / result.durationSeconds : 0)
                      .c_str());
    out += "  Status codes:";
    bool any = false;
    for (size_t code = 0; code < total.statusCounts.size(); ++code) {
        if (total.statusCounts[code]) {
            out += format(" %zu: %llu", code, static_cast<unsigned long long>(total.statusCounts[code]));
            any = true;
        }
    }
    out += any ? "\n" : " none\n";
    const double errorPercent = total.requests ? 100.0 * double(total.errors) / double(total.requests) : 0.0;
    out += format("  Errors:       %llu (%.2f%%)", static_cast<unsigned long long>(total.errors), errorPercent);
    for (size_t i = 0; i < metrics::kErrorKindCount; ++i) {
        if (total.errorKinds[i]) {
            out += format("  %s: %llu", std::string(metrics::errorKindLabel(metrics::errorKindAt(i))).c_str(),
                          static_cast<unsigned long long>(total.errorKinds[i]));
        }
    }
    out += "\n";
    if (result.schedule.openModel) {
        out += format("  Schedule:     %.1f req/s intended, %.1f sent; %llu sends late (mean %.2fms, max %.2fms)\n",
                      result.schedule.targetRate, result.schedule.achievedRate,
                      static_cast<unsigned long long>(result.schedule.lateSends), result.schedule.meanLateMs,
                      result.schedule.maxLateMs);
    }
    out += format("  Generator:    CPU %.0f%% per worker thread", result.generator.cpuPercent);
    if (result.generator.saturated) {
        out += "  WARNING: " + result.generator.advice;
    }
    out += "\n";
    if (const auto& server = result.server; server.measured) {
        out += format("  Server:       peak RSS %.1f MB, mean %.1f MB, CPU %.0f%% of a core", server.peakRssMb,
                      server.meanRssMb, server.cpuPercent);
        if (total.requests) {
            out += format(", %.0f µs/request", server.cpuMicrosPerRequest);
        }
        out += " (" + server.source + ")\n";
    }
    if (result.stopReason == metrics::StopReason::UserStopped) {
        out += "  (stopped early; the figures cover the time that ran)\n";
    }
    return out;
}

} // namespace benchdeck::report
