// SPDX-License-Identifier: Apache-2.0
#include "run_text.h"

#include "engine/duration.h"
#include "engine/engine.h"
#include "engine/target_url.h"
#include "metrics/units.h"
#include "plan/plan_codec.h"

#include <algorithm>
#include <cctype>

namespace benchdeck::report {
namespace {

std::string padded(std::string text, size_t width)
{
    if (text.size() < width) {
        text.append(width - text.size(), ' ');
    }
    return text;
}

std::string count(uint64_t n)
{
    return std::to_string(n);
}

// How many columns a cell takes on a terminal: UTF-8 continuation bytes take none ("→", "µs").
size_t displayWidth(std::string_view text)
{
    return size_t(std::count_if(text.begin(), text.end(),
                                [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

} // namespace

std::string formatMicros(double micros)
{
    return units::latency(micros);
}

std::string formatFixed(double value, int decimals)
{
    return units::fixed(value, decimals);
}

std::string formatBytes(double bytes)
{
    static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    size_t unit = 0;
    while (bytes >= 1024 && unit + 1 < std::size(kUnits)) {
        bytes /= 1024;
        ++unit;
    }
    return units::fixed(bytes, unit == 0 ? 0 : 2) + kUnits[unit];
}

std::string printable(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            c = '?';
        }
    }
    return out;
}


std::string formatTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows)
{
    std::vector<size_t> widths(header.size(), 0);
    for (size_t i = 0; i < header.size(); ++i) {
        widths[i] = displayWidth(header[i]);
    }
    for (const auto& row : rows) {
        for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            widths[i] = std::max(widths[i], displayWidth(row[i]));
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
            const std::string pad(widths[i] - std::min(widths[i], displayWidth(cell)), ' ');
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
    std::string out = "Running " +
                      (config.duration.count() ? engine::formatDuration(config.duration) : std::string("by count")) +
                      " test @ " + engine::maskUrlCredentials(config.url) + "\n";
    out += "  " + std::to_string(engine::effectiveThreads(config)) + " threads and " +
           std::to_string(config.connections) + " connections, engine " +
           std::string(engine::engineKindName(engine::chooseEngine(config)));
    out += "\n  Plan: " + plan::describe(config);
    if (config.rate > 0) {
        out += " (latency from intended send times)";
    }
    return out + "\n";
}

std::string scenarioText(const metrics::RunResult& result)
{
    const auto& summary = result.summary;
    std::vector<std::vector<std::string>> rows;
    bool manyScenarios = false;
    for (const auto& step : summary.steps) {
        manyScenarios = manyScenarios || step.scenario != summary.steps.front().scenario;
    }
    for (const auto& step : summary.steps) {
        const std::string checks = step.checks == 0 ? std::string("-")
                                                    : count(step.checksFailed) + " of " + count(step.checks) + " failed";
        rows.push_back({printable(manyScenarios ? step.scenario + "/" + step.step : step.step), count(step.requests),
                        units::fixed(step.rps, 1), step.latency.empty() ? "-" : formatMicros(double(step.latency.p50)),
                        step.latency.empty() ? "-" : formatMicros(double(step.latency.p99)), count(step.errors), checks,
                        step.notSent ? count(step.notSent) : std::string("-")});
    }
    std::string table = formatTable({"Step", "Requests", "Req/s", "p50", "p99", "Errors", "Checks", "Not sent"}, rows);
    std::string out = "\n  Steps\n";
    for (size_t start = 0; start < table.size();) {
        const size_t end = table.find('\n', start);
        out += "    " + table.substr(start, end - start + 1);
        start = end + 1;
    }
    const auto& iterations = summary.iterations;
    out += "  Iterations:   " + count(iterations.completed) + " completed (" + units::fixed(iterations.perSecond, 2) +
           "/s), " + count(iterations.failed) + " ended early";
    if (!iterations.duration.empty()) {
        out += "; duration p50 " + formatMicros(double(iterations.duration.p50)) + ", p99 " +
               formatMicros(double(iterations.duration.p99));
    }
    out += "\n  Checks:       " + count(summary.checks - summary.checksFailed) + " of " + count(summary.checks) +
           " passed (" + units::percent(summary.checksPassedPercent(), 2) + ")\n";
    if (result.total.scenario && !result.total.scenario->problem().empty()) {
        out += "    first unsent: " + printable(result.total.scenario->problem()) + "\n";
    }
    return out;
}

std::string runToText(const engine::RunConfig& config, const metrics::RunResult& result)
{
    const auto& total = result.total;
    const auto& summary = result.summary;
    const auto& latency = summary.latency;
    std::string out;
    if (!config.label.empty()) {
        out += "  Label: " + config.label + "\n";
    }
    if (summary.status == metrics::RunStatus::Failed) {
        out += "  FAILED: " + summary.failureReason + "\n";
    }
    out += "\n  Latency     min       mean      stdev     p50       p90       p99       p99.9     max\n";
    out += "             " + padded(formatMicros(double(latency.min)), 10) + padded(formatMicros(latency.mean), 10) +
           padded(formatMicros(latency.stdev), 10) + padded(formatMicros(double(latency.p50)), 10) +
           padded(formatMicros(double(latency.p90)), 10) + padded(formatMicros(double(latency.p99)), 10) +
           padded(formatMicros(double(latency.p999)), 10) + formatMicros(double(latency.max)) + "\n";
    if (!summary.connect.empty() || !summary.ttfb.empty()) {
        out += "  Phases      connect p50 " + formatMicros(double(summary.connect.p50)) + " p99 " +
               formatMicros(double(summary.connect.p99)) + "   time to first byte p50 " +
               formatMicros(double(summary.ttfb.p50)) + " p99 " + formatMicros(double(summary.ttfb.p99));
        if (!summary.tls.empty()) {
            out += "   TLS p50 " + formatMicros(double(summary.tls.p50));
        }
        out += "\n";
    }
    out += "\n  " + count(summary.requests) + " requests in " + units::fixed(summary.durationSeconds, 2) + "s, " +
           formatBytes(double(total.bytesReceived)) + " read, " + count(total.connectionsOpened) +
           " connections opened";
    if (total.warmupRequests) {
        out += " (+" + count(total.warmupRequests) + " in warm-up, not counted)";
    }
    out += "\n";
    if (summary.unansweredAtEnd) {
        out += "  " + count(summary.unansweredAtEnd) + " requests were still waiting for an answer when the run "
               "ended (neither responses nor errors)\n";
    }
    out += "  Requests/sec: " + units::fixed(summary.rps, 2) + "\n";
    out += "  Transfer/sec: " +
           formatBytes(summary.durationSeconds > 0 ? double(total.bytesReceived) / summary.durationSeconds : 0) + "\n";
    out += "  Status codes:";
    bool any = false;
    for (size_t code = 0; code < total.statusCounts.size(); ++code) {
        if (total.statusCounts[code]) {
            out += " " + std::to_string(code) + ": " + count(total.statusCounts[code]);
            any = true;
        }
    }
    out += any ? "\n" : " none\n";
    out += "  Errors:       " + count(summary.errors) + " (" + units::percent(summary.errorPercent, 2) + ")";
    for (size_t i = 0; i < metrics::kErrorKindCount; ++i) {
        if (total.errorKinds[i]) {
            out += "  " + std::string(metrics::errorKindLabel(metrics::errorKindAt(i))) + ": " +
                   count(total.errorKinds[i]);
        }
    }
    out += "\n";
    for (size_t i = 0; i < metrics::kErrorKindCount; ++i) {
        const auto message = total.firstErrorMessage(metrics::errorKindAt(i));
        if (total.errorKinds[i] && !message.empty()) {
            out += "    first " + std::string(metrics::errorKindLabel(metrics::errorKindAt(i))) + ": " +
                   std::string(message) + "\n";
        }
    }
    if (result.schedule.openModel) {
        out += "  Schedule:     " + units::fixed(result.schedule.targetRate, 1) + " req/s intended, " +
               units::fixed(result.schedule.achievedRate, 1) + " sent; " + count(result.schedule.lateSends) +
               " sends late (mean " + units::fixed(result.schedule.meanLateMs, 2) + "ms, max " +
               units::fixed(result.schedule.maxLateMs, 2) + "ms)\n";
    }
    out += "  Generator:    CPU " + units::fixed(result.generator.cpuPercent, 0) + "% per worker thread";
    if (result.generator.saturated) {
        out += "  WARNING: " + result.generator.advice;
    }
    out += "\n";
    if (const auto& server = result.server; server.measured) {
        out += "  Server:       peak RSS " + units::fixed(server.peakRssMb, 1) + " MB, mean " +
               units::fixed(server.meanRssMb, 1) + " MB, CPU " + units::fixed(server.cpuPercent, 0) + "% of a core";
        if (total.requests) {
            out += ", " + units::fixed(server.cpuMicrosPerRequest, 0) + " µs/request";
        }
        if (server.coldStartMs > 0) {
            out += ", first answer " + units::fixed(server.coldStartMs, 0) + " ms after launch";
        }
        if (server.artifactMb > 0) {
            out += ", artifact " + units::fixed(server.artifactMb, 1) + " MB";
        }
        out += " (" + server.source + ")\n";
    }
    if (summary.isScenario()) {
        out += scenarioText(result);
    }
    if (!result.stopMessage.empty()) {
        out += "  Ended: " + result.stopMessage + "\n";
    }
    if (summary.status == metrics::RunStatus::Stopped) {
        out += "  (stopped early; the figures cover the time that ran)\n";
    }
    return out;
}

} // namespace benchdeck::report
