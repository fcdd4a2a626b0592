// SPDX-License-Identifier: Apache-2.0
#include "report_writers.h"
#include "metrics/units.h"

#include "report/run_json.h"
#include "report/svg_chart.h"

#include <QJsonArray>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace benchdeck::comparison {
namespace {

constexpr int kSchemaVersion = 1;

std::string fixed(double value, int decimals)
{
    return units::fixed(value, decimals);
}

// Milliseconds with the decimals that suit their size: "0.07", "12.3", "250".
std::string msFigure(double value)
{
    return fixed(value, value >= 100 ? 0 : value >= 10 ? 1 : 2);
}

std::string ms(double value)
{
    return msFigure(value) + " ms";
}

std::string ratio(double value)
{
    return "×" + fixed(value, 2);
}

// A ratio's bound: +inf (x / 0) as "∞".
std::string ratioBound(double value)
{
    return std::isinf(value) ? (value > 0 ? "∞" : "-∞") : fixed(value, 2);
}

// Decimals for a figure and its interval, chosen by the median so the three line up.
int figureDecimals(GroupMetric metric, double median)
{
    switch (metric) {
    case GroupMetric::Rps: return 0;
    case GroupMetric::ErrorPercent: return 2;
    case GroupMetric::MeanMs:
    case GroupMetric::P50Ms:
    case GroupMetric::P99Ms: break;
    }
    return median >= 100 ? 0 : median >= 10 ? 1 : 2;
}

// "12345 [12100–12600]", "8.19 ms [8.10–8.40]", "0.50% [0.20–0.90]"; a single run: the value alone.
std::string figureText(GroupMetric metric, const metrics::Interval& interval)
{
    if (interval.samples == 0) {
        return "–";
    }
    const int decimals = figureDecimals(metric, interval.median);
    const std::string unit = metric == GroupMetric::Rps ? "" : metric == GroupMetric::ErrorPercent ? "%" : " ms";
    std::string text = fixed(interval.median, decimals) + unit;
    if (interval.samples > 1) {
        text += " [" + fixed(interval.low, decimals) + "–" + fixed(interval.high, decimals) + "]";
    }
    return text;
}

// "×1.25 [1.19–1.31] significant", "×1.02 [0.98–1.06] within noise", "×1.25 single run, noise unknown"
// (2 runs: "×1.25 [1.02–1.51] too few runs, noise unknown").
std::string ratioIntervalText(const metrics::RatioInterval& r)
{
    if (std::isnan(r.ratio)) {
        return "–";
    }
    std::string text = "×" + ratioBound(r.ratio);
    if (r.samples > 1 && r.baselineSamples > 1) {
        text += " [" + ratioBound(r.low) + "–" + ratioBound(r.high) + "]";
    }
    return text + " " + std::string(metrics::noiseLabel(r));
}

constexpr std::array kGroupTableMetrics = {GroupMetric::Rps, GroupMetric::MeanMs, GroupMetric::P50Ms,
                                           GroupMetric::P99Ms, GroupMetric::ErrorPercent};

const char* kRepeatsExplanation =
    "Medians over each target's repeated runs; brackets hold the 95% confidence interval (percentile "
    "bootstrap, 2000 resamples). A ratio whose interval contains ×1.00 is within noise: these runs cannot "
    "tell the two apart, and the difference does not decide a verdict on its own. A target measured fewer "
    "than 3 times has too little measured spread for either verdict: noise unknown.";

QJsonValue jsonNumber(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue();
}

std::string envText(const QJsonObject& environment, const char* key)
{
    const auto value = environment.value(QLatin1String(key));
    return value.isDouble() ? fixed(value.toDouble(), 0) : value.toString().toStdString();
}

// The Memory column: the server's peak RSS when the run measured it.
std::string memoryText(const metrics::ServerStats& server)
{
    return server.measured ? fixed(server.peakRssMb, 1) + " MB" : "not measured";
}

std::string verdictClass(decision::Verdict verdict)
{
    switch (verdict) {
    case decision::Verdict::BestChoice: return "best";
    case decision::Verdict::Workable: return "workable";
    case decision::Verdict::Limited: return "limited";
    case decision::Verdict::Unknown: return "unknown";
    }
    return "unknown";
}

std::string cellText(const decision::Cell& cell)
{
    const std::string verdict(decision::verdictLabel(cell.verdict));
    return cell.verdict == decision::Verdict::Unknown ? verdict : fixed(cell.score, 0) + " · " + verdict;
}

// Every text cell is quoted, and one that a spreadsheet would run as a formula (= + - @, tab, CR)
// gets a leading apostrophe, as OWASP advises: labels, URLs and step names come from whoever made the
// session or the scenario file.
std::string csvText(const std::string& text)
{
    std::string out = "\"";
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
        out += '\'';
    }
    for (const char c : text) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

const char* kCss = R"(body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ccc;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}th,td{border:1px solid #bbb;padding:.3em .6em;text-align:right}
th{background:#f0f0f0}td.name,th.name{text-align:left}.meta{color:#555}.warn{color:#a04000;font-weight:bold}
td.noise{color:#666}td.best{background:#c8e6c9}td.workable{background:#ffecb3}td.limited{background:#ffcdd2}td.unknown{background:#eee}
.charts svg,.charts img{max-width:100%;height:auto;margin:.6em 0;display:block}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}table,svg,img{page-break-inside:avoid}}
)";

} // namespace

std::string escapeHtml(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string escapeMarkdown(std::string_view text)
{
    // Table cells and inline text: pipes would split cells, the rest would format or link.
    std::string out;
    for (const char c : text) {
        if (c == '\n' || c == '\r') {
            out += ' ';
            continue;
        }
        if (std::string_view("|\\`*_[]<>#!").find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

namespace {

// Why a run's figures do not describe its whole plan, for the line under the summary table.
const std::vector<report::ThresholdVerdict> kNoVerdicts;

bool hasThresholds(const ComparisonReport& report)
{
    return std::any_of(report.thresholds.begin(), report.thresholds.end(), [](const auto& v) { return !v.empty(); });
}

std::string statusSentence(const SummaryRow& row)
{
    if (row.status == "failed") {
        return "failed: " + (row.failureReason.empty() ? std::string("no response from the server") : row.failureReason) +
               ". Its figures describe no server response.";
    }
    if (row.status == "stopped") {
        return "was stopped early: its figures cover only the time that ran.";
    }
    if (row.status == "interrupted") {
        return "was interrupted (its recorder died): its figures cover the seconds that reached the file.";
    }
    return "is " + row.status + ".";
}

// --- Scenario runs: their steps, iterations and checks, as the run's summary holds them -------------

bool hasScenarioRuns(const ComparisonReport& report)
{
    return std::any_of(report.runs.begin(), report.runs.end(),
                       [](const auto& run) { return run.result.summary.isScenario(); });
}

// Latencies carry their unit in the header, not in each cell: eleven columns must fit an A4 page.
constexpr std::array<const char*, 11> kStepHeaders = {"Scenario", "Step", "Requests", "req/s", "p50 (ms)", "p90 (ms)",
                                                      "p99 (ms)", "Max (ms)", "Errors", "Checks failed", "Not sent"};

// A step's latency in milliseconds; "–" for a step that never got an answer, where 0 would read as fast.
std::string stepLatency(const metrics::LatencySummary& latency, int64_t micros)
{
    return latency.empty() ? std::string("–") : msFigure(double(micros) / 1000.0);
}

// "10 / 200": failed of evaluated; "–" for a step without checks, which "0 / 0" would make look judged.
std::string stepChecks(const metrics::StepSummary& step)
{
    return step.checks == 0 ? std::string("–")
                            : std::to_string(step.checksFailed) + " / " + std::to_string(step.checks);
}

// The figure cells of a step's row, after its scenario and step names (which each format escapes its
// own way). Step rates are low next to a run's, so they keep one decimal, as the CLI's step table does.
std::vector<std::string> stepFigureCells(const metrics::StepSummary& step)
{
    const auto& latency = step.latency;
    return {std::to_string(step.requests),
            fixed(step.rps, 1),
            stepLatency(latency, latency.p50),
            stepLatency(latency, latency.p90),
            stepLatency(latency, latency.p99),
            stepLatency(latency, latency.max),
            std::to_string(step.errors),
            stepChecks(step),
            std::to_string(step.notSent)};
}

// The line under a scenario run's step table: "Iterations: 95 completed (47.50/s), 5 ended early;
// duration p50 60.0 ms, p99 60.0 ms. Checks: 290 of 300 passed (96.67%)." Plain text: no user string.
std::string scenarioFooter(const metrics::RunSummary& summary)
{
    const auto& iterations = summary.iterations;
    std::string text = "Iterations: " + std::to_string(iterations.completed) + " completed (" +
                       fixed(iterations.perSecond, 2) + "/s), " + std::to_string(iterations.failed) + " ended early";
    if (!iterations.duration.empty()) {
        text += "; duration p50 " + ms(double(iterations.duration.p50) / 1000.0) + ", p99 " +
                ms(double(iterations.duration.p99) / 1000.0);
    }
    if (summary.checks == 0) {
        return text + ". Checks: none evaluated.";
    }
    return text + ". Checks: " + std::to_string(summary.checks - summary.checksFailed) + " of " +
           std::to_string(summary.checks) + " passed (" + units::percent(summary.checksPassedPercent(), 2) + ").";
}

// After the summary table: one sub-table per scenario run, headed by the run's name as the summary
// names it. Nothing at all when no run is a scenario run, so such reports read as before.
std::string htmlSteps(const ComparisonReport& report)
{
    if (!hasScenarioRuns(report)) {
        return {};
    }
    std::string h = "<h2>Steps</h2>\n";
    for (const auto& run : report.runs) {
        const auto& summary = run.result.summary;
        if (!summary.isScenario()) {
            continue;
        }
        h += "<h3>" + escapeHtml(runName(run)) + "</h3>\n<table width=\"100%\">\n<tr>";
        for (size_t c = 0; c < kStepHeaders.size(); ++c) {
            h += std::string(c < 2 ? "<th class=\"name\">" : "<th>") + kStepHeaders[c] + "</th>";
        }
        h += "</tr>\n";
        for (const auto& step : summary.steps) {
            h += "<tr><td class=\"name\">" + escapeHtml(step.scenario) + "</td><td class=\"name\">" +
                 escapeHtml(step.step) + "</td>";
            for (const auto& cell : stepFigureCells(step)) {
                h += "<td>" + cell + "</td>";
            }
            h += "</tr>\n";
        }
        h += "</table>\n<p class=\"meta\">" + escapeHtml(scenarioFooter(summary)) + "</p>\n";
    }
    return h;
}

// As htmlSteps(), in Markdown: starts with its own blank line, as the sections after it do.
std::string markdownSteps(const ComparisonReport& report)
{
    if (!hasScenarioRuns(report)) {
        return {};
    }
    std::string m = "\n## Steps\n";
    for (const auto& run : report.runs) {
        const auto& summary = run.result.summary;
        if (!summary.isScenario()) {
            continue;
        }
        m += "\n### " + escapeMarkdown(runName(run)) + "\n\n|";
        for (const char* header : kStepHeaders) {
            m += std::string(" ") + header + " |";
        }
        m += "\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        for (const auto& step : summary.steps) {
            m += "| " + escapeMarkdown(step.scenario) + " | " + escapeMarkdown(step.step) + " |";
            for (const auto& cell : stepFigureCells(step)) {
                m += " " + cell + " |";
            }
            m += "\n";
        }
        m += "\n" + scenarioFooter(summary) + "\n";
    }
    return m;
}

// The CSV's run table stays exactly as it was: one row of figures per run (README), so every
// consumer of it keeps working, and a report without scenario runs is byte for byte the same. Scenario
// runs add two more tables below it, each after an empty line and under its own header row: their
// steps (one row per step) and their iterations and checks (one row per run), joined to the run table
// by run_id. A second table rather than a `step` column, which would change the run table's header
// and put rows of another kind among the runs.
std::string csvScenarioBlocks(const ComparisonReport& report)
{
    if (!hasScenarioRuns(report)) {
        return {};
    }
    std::string steps = "\r\nrun_id,scenario,step,requests,rps,p50_ms,p90_ms,p99_ms,max_ms,errors,checks_failed,"
                        "checks,not_sent\r\n";
    std::string iterations = "\r\nrun_id,iterations_started,iterations_completed,iterations_failed,"
                             "iterations_per_second,iteration_p50_ms,iteration_p99_ms,checks,checks_failed,"
                             "checks_passed_percent\r\n";
    const auto msCell = [](int64_t micros) { return fixed(double(micros) / 1000.0, 3); };
    for (const auto& run : report.runs) {
        const auto& summary = run.result.summary;
        if (!summary.isScenario()) {
            continue;
        }
        const std::string id = std::to_string(run.listing.id);
        for (const auto& step : summary.steps) {
            const auto& latency = step.latency;
            steps += id + "," + csvText(step.scenario) + "," + csvText(step.step) + "," +
                     std::to_string(step.requests) + "," + fixed(step.rps, 2) + "," + msCell(latency.p50) + "," +
                     msCell(latency.p90) + "," + msCell(latency.p99) + "," + msCell(latency.max) + "," +
                     std::to_string(step.errors) + "," + std::to_string(step.checksFailed) + "," +
                     std::to_string(step.checks) + "," + std::to_string(step.notSent) + "\r\n";
        }
        const auto& it = summary.iterations;
        iterations += id + "," + std::to_string(it.started) + "," + std::to_string(it.completed) + "," +
                      std::to_string(it.failed) + "," + fixed(it.perSecond, 2) + "," + msCell(it.duration.p50) + "," +
                      msCell(it.duration.p99) + "," + std::to_string(summary.checks) + "," +
                      std::to_string(summary.checksFailed) + "," + fixed(summary.checksPassedPercent(), 3) + "\r\n";
    }
    return steps + iterations;
}

} // namespace

std::vector<NamedChart> reportCharts(const ComparisonReport& report)
{
    std::vector<NamedChart> charts;
    std::vector<report::BarItem> bars;
    std::vector<report::ChartSeries> percentiles, throughput, p99;
    for (const auto& run : report.runs) {
        const std::string name = runName(run);
        bars.push_back({name, run.result.rps()});
        const auto& histogram = run.result.total.latency;
        percentiles.push_back({name, histogram.percentileCurve()});
        report::ChartSeries rps{name, {}};
        report::ChartSeries tail{name, {}};
        for (const auto& point : run.result.series) {
            rps.points.emplace_back(point.t, point.rps());
            tail.points.emplace_back(point.t, double(point.p99) / 1000.0);
        }
        throughput.push_back(std::move(rps));
        p99.push_back(std::move(tail));
    }
    charts.push_back({"throughput", "Throughput (requests per second)",
                      report::barChartSvg("Throughput", bars, "requests per second")});
    charts.push_back({"latency-percentiles", "Latency by percentile",
                      report::percentileChartSvg("Latency by percentile", percentiles, "latency (ms)")});
    charts.push_back({"throughput-over-time", "Throughput over time",
                      report::lineChartSvg("Throughput over time", throughput, "time (s)", "requests per second")});
    charts.push_back({"p99-over-time", "p99 latency over time",
                      report::lineChartSvg("p99 latency over time", p99, "time (s)", "p99 latency (ms)")});
    return charts;
}

std::string toHtml(const ComparisonReport& report, HtmlCharts chartMode)
{
    const auto rows = summaryRows(report);
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" + escapeHtml(report.title) +
         "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n";
    h += "<h1>" + escapeHtml(report.title) + "</h1>\n";
    h += "<p class=\"meta\">Generated " + escapeHtml(report.generatedAt) + " from " + escapeHtml(report.sessionName) +
         " by Benchdeck " + escapeHtml(envText(report.environment, "benchdeck")) + ".</p>\n";
    h += "<h2>Environment</h2>\n<table>\n";
    for (const auto& [label, key] : std::vector<std::pair<const char*, const char*>>{
             {"Machine", "host"}, {"CPU", "cpu"}, {"Cores", "cores"}, {"OS", "os"}, {"Benchdeck", "benchdeck"},
             {"libcurl", "libcurl"}, {"SQLite", "sqlite"}}) {
        h += "<tr><th class=\"name\">" + std::string(label) + "</th><td class=\"name\">" +
             escapeHtml(envText(report.environment, key)) + "</td></tr>\n";
    }
    h += "</table>\n";

    h += "<h2>Summary</h2>\n<table width=\"100%\">\n<tr><th class=\"name\">Target</th><th>req/s</th><th>Avg latency</th><th>p50</th>"
         "<th>p99</th><th>Memory</th><th>Errors</th><th>req/s vs baseline</th><th>p99 vs baseline</th></tr>\n";
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const bool base = i == report.baseline;
        h += "<tr><td class=\"name\">" + escapeHtml(r.name) + (base ? " <em>(baseline)</em>" : "") +
             (r.saturated ? " <span class=\"warn\">⚠ generator saturated</span>" : "") +
             (r.status != "completed" ? " <span class=\"warn\">⚠ " + escapeHtml(r.status) + "</span>" : "") +
             "</td><td>" +
             fixed(r.rps, 0) + "</td><td>" + ms(r.meanMs) + "</td><td>" + ms(r.p50Ms) + "</td><td>" + ms(r.p99Ms) +
             "</td><td>" + memoryText(report.runs[i].result.server) + "</td><td>" + std::to_string(r.errors) +
             " (" + fixed(r.errorPercent, 2) +
             "%)</td><td>" + (base ? "–" : ratio(r.rpsRatio)) + "</td><td>" + (base ? "–" : ratio(r.p99Ratio)) +
             "</td></tr>\n";
    }
    h += "</table>\n";
    for (size_t i = 0; i < report.runs.size(); ++i) {
        const auto& run = report.runs[i];
        if (run.result.generator.saturated) {
            h += "<p class=\"warn\">" + escapeHtml(runName(run)) + ": " +
                 escapeHtml(run.result.generator.advice) + "</p>\n";
        }
        if (!rows[i].flagged() || rows[i].status == "completed") {
            continue;
        }
        h += "<p class=\"warn\">" + escapeHtml(runName(run)) + " " + escapeHtml(statusSentence(rows[i])) + "</p>\n";
    }
    h += htmlSteps(report);

    if (hasRepeats(report.groups)) {
        h += "<h2>Repeated runs</h2>\n<p class=\"meta\">" + escapeHtml(kRepeatsExplanation) +
             "</p>\n<table width=\"100%\">\n<tr><th class=\"name\">Target</th><th>Runs</th>";
        for (const auto metric : kGroupTableMetrics) {
            h += "<th>" + std::string(groupMetricLabel(metric)) + "</th>";
        }
        h += "<th>req/s vs baseline</th><th>p99 vs baseline</th></tr>\n";
        for (const auto& group : report.groups) {
            h += "<tr><td class=\"name\">" + escapeHtml(group.name) + (group.baseline ? " <em>(baseline)</em>" : "") +
                 "</td><td>" + std::to_string(group.runs.size()) + "</td>";
            for (const auto metric : kGroupTableMetrics) {
                h += "<td>" + figureText(metric, group.figure(metric).value) + "</td>";
            }
            for (const auto metric : {GroupMetric::Rps, GroupMetric::P99Ms}) {
                const auto& r = group.figure(metric).vsBaseline;
                if (group.baseline) {
                    h += "<td>–</td>";
                } else if (r.verdict == metrics::NoiseVerdict::WithinNoise) {
                    h += "<td class=\"noise\" title=\"The 95% interval contains ×1.00: no larger than run-to-run "
                         "variation\">" + ratioIntervalText(r) + "</td>";
                } else {
                    h += "<td>" + ratioIntervalText(r) + "</td>";
                }
            }
            h += "</tr>\n";
        }
        h += "</table>\n";
    }

    h += "<h2>Charts</h2>\n<div class=\"charts\">\n";
    for (const auto& chart : reportCharts(report)) {
        h += chartMode == HtmlCharts::Inline
                 ? chart.svg + "\n"
                 : "<p><img src=\"" + chart.stem + ".svg\" width=\"640\" alt=\"" + escapeHtml(chart.title) +
                       "\"/></p>\n"; // 640 px: the printable width of A4 at 96 dpi
    }
    h += "</div>\n";

    if (!report.cells.empty()) {
        h += "<h2>Decision table</h2>\n";
        if (!report.decisionRefusal.empty()) {
            h += "<p class=\"warn\">" + escapeHtml(report.decisionRefusal) + "</p>\n";
        }
        for (const auto& note : report.decisionNotes) {
            h += "<p class=\"meta\">" + escapeHtml(note) + "</p>\n";
        }
        h += "<table width=\"100%\">\n<tr><th class=\"name\">Need</th>";
        for (size_t c = 0; c < report.candidates.size(); ++c) {
            h += "<th>" + escapeHtml(report.candidates[c]) + "<br/><small>" +
                 escapeHtml(c < report.candidateRuns.size() ? report.candidateRuns[c] : std::string()) +
                 "</small></th>";
        }
        h += "</tr>\n";
        for (size_t n = 0; n < report.needs.size(); ++n) {
            h += "<tr><td class=\"name\">" + escapeHtml(report.needs[n]) + "</td>";
            for (const auto& cell : report.cells[n]) {
                h += "<td class=\"" + verdictClass(cell.verdict) + "\" title=\"" + escapeHtml(cell.explanation) +
                     "\">" + escapeHtml(cellText(cell)) + "</td>";
            }
            h += "</tr>\n";
        }
        h += "</table>\n<h3>Weights (0–5) behind it</h3>\n<table width=\"100%\">\n<tr><th class=\"name\">Criterion</th>";
        for (const auto& need : report.needs) {
            h += "<th>" + escapeHtml(need) + "</th>";
        }
        h += "</tr>\n";
        for (size_t c = 0; c < report.criteria.size(); ++c) {
            h += "<tr><td class=\"name\">" + escapeHtml(report.criteria[c]) + "</td>";
            for (const double weight : report.weights[c]) {
                h += "<td>" + fixed(weight, 0) + "</td>";
            }
            h += "</tr>\n";
        }
        h += "</table>\n<h3>The numbers behind each verdict</h3>\n";
        for (size_t n = 0; n < report.needs.size(); ++n) {
            for (size_t c = 0; c < report.candidates.size(); ++c) {
                h += "<details><summary>" + escapeHtml(report.needs[n]) + " — " + escapeHtml(report.candidates[c]) +
                     ": " + escapeHtml(cellText(report.cells[n][c])) + "</summary><pre>" +
                     escapeHtml(report.cells[n][c].explanation) + "</pre></details>\n";
            }
        }
    }

    h += "<h2>Plans as run</h2>\n<table width=\"100%\">\n<tr><th class=\"name\">Run</th><th class=\"name\">Request</th>"
         "<th class=\"name\">Headers</th><th class=\"name\">Profile</th><th class=\"name\">Started</th>"
         "<th class=\"name\">Status</th></tr>\n";
    for (const auto& run : report.runs) {
        std::string headers;
        for (const auto& [name, value] : maskedHeaders(run.plan)) {
            headers += escapeHtml(name + ": " + value) + "<br/>";
        }
        h += "<tr><td class=\"name\">" + escapeHtml(runName(run)) + "</td><td class=\"name\">" +
             escapeHtml(run.plan.value(QStringLiteral("method")).toString().toStdString() + " " + run.listing.url) +
             "</td><td class=\"name\">" + headers + "</td><td class=\"name\">" + escapeHtml(run.listing.profile) +
             "</td><td class=\"name\">" + escapeHtml(run.listing.startedAt) + "</td><td class=\"name\">" +
             escapeHtml(run.listing.status) + "</td></tr>\n";
    }
    h += "</table>\n";
    if (hasThresholds(report)) {
        h += "<h2>Thresholds</h2>\n<table>\n<tr><th class=\"name\">Run</th><th class=\"name\">Verdict</th></tr>\n";
        for (size_t i = 0; i < report.runs.size(); ++i) {
            for (const auto& verdict : i < report.thresholds.size() ? report.thresholds[i] : kNoVerdicts) {
                h += "<tr><td class=\"name\">" + escapeHtml(runName(report.runs[i])) + "</td><td class=\"name\">" + escapeHtml(verdict.line) + "</td></tr>\n";
            }
        }
        h += "</table>\n";
    }
    if (!report.notes.empty()) {
        h += "<h2>Notes</h2>\n<p>" + escapeHtml(report.notes) + "</p>\n";
    }
    h += "</body>\n</html>\n";
    return h;
}

std::string toMarkdown(const ComparisonReport& report, const std::string& chartPrefix)
{
    const auto rows = summaryRows(report);
    std::string m = "# " + escapeMarkdown(report.title) + "\n\n";
    m += "Generated " + report.generatedAt + " from " + escapeMarkdown(report.sessionName) + " by Benchdeck " +
         envText(report.environment, "benchdeck") + ".\n\n";
    m += "Machine: " + escapeMarkdown(envText(report.environment, "host")) + ", " +
         escapeMarkdown(envText(report.environment, "cpu")) + ", " + envText(report.environment, "cores") +
         " cores, " + escapeMarkdown(envText(report.environment, "os")) + "; libcurl " +
         envText(report.environment, "libcurl") + ", SQLite " + envText(report.environment, "sqlite") + ".\n\n";
    m += "## Summary\n\n| Target | req/s | Avg latency | p50 | p99 | Memory | Errors | req/s vs baseline | p99 vs "
         "baseline |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const bool base = i == report.baseline;
        m += "| " + escapeMarkdown(r.name) + (base ? " (baseline)" : "") + (r.saturated ? " ⚠ saturated" : "") +
             (r.status != "completed" ? " ⚠ " + escapeMarkdown(r.status) : std::string()) +
             " | " + fixed(r.rps, 0) + " | " + ms(r.meanMs) + " | " + ms(r.p50Ms) + " | " + ms(r.p99Ms) +
             " | " + memoryText(report.runs[i].result.server) + " | " + std::to_string(r.errors) + " (" +
             fixed(r.errorPercent, 2) + "%) | " +
             (base ? "–" : ratio(r.rpsRatio)) + " | " + (base ? "–" : ratio(r.p99Ratio)) + " |\n";
    }
    for (const auto& r : rows) {
        if (r.status != "completed") {
            m += "\n⚠ " + escapeMarkdown(r.name) + " " + escapeMarkdown(statusSentence(r)) + "\n";
        }
    }
    m += markdownSteps(report);
    if (hasRepeats(report.groups)) {
        m += "\n## Repeated runs\n\n" + std::string(kRepeatsExplanation) + "\n\n| Target | Runs |";
        for (const auto metric : kGroupTableMetrics) {
            m += " " + std::string(groupMetricLabel(metric)) + " |";
        }
        m += " req/s vs baseline | p99 vs baseline |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        for (const auto& group : report.groups) {
            m += "| " + escapeMarkdown(group.name) + (group.baseline ? " (baseline)" : "") + " | " +
                 std::to_string(group.runs.size()) + " |";
            for (const auto metric : kGroupTableMetrics) {
                m += " " + figureText(metric, group.figure(metric).value) + " |";
            }
            for (const auto metric : {GroupMetric::Rps, GroupMetric::P99Ms}) {
                m += " " + (group.baseline ? std::string("–") : ratioIntervalText(group.figure(metric).vsBaseline)) +
                     " |";
            }
            m += "\n";
        }
    }
    m += "\n## Charts\n\n";
    for (const auto& chart : reportCharts(report)) {
        m += "![" + chart.title + "](" + chartPrefix + chart.stem + ".svg)\n\n";
    }
    if (!report.cells.empty()) {
        m += "## Decision table\n\n";
        if (!report.decisionRefusal.empty()) {
            m += "**" + escapeMarkdown(report.decisionRefusal) + "**\n\n";
        }
        for (const auto& note : report.decisionNotes) {
            m += "- " + escapeMarkdown(note) + "\n";
        }
        m += std::string(report.decisionNotes.empty() ? "" : "\n") + "| Need |";
        std::string rule = "|---|";
        for (size_t c = 0; c < report.candidates.size(); ++c) {
            m += " " + escapeMarkdown(report.candidates[c]) +
                 (c < report.candidateRuns.size() ? " (" + escapeMarkdown(report.candidateRuns[c]) + ")" : "") + " |";
            rule += "---|";
        }
        m += "\n" + rule + "\n";
        for (size_t n = 0; n < report.needs.size(); ++n) {
            m += "| " + escapeMarkdown(report.needs[n]) + " |";
            for (const auto& cell : report.cells[n]) {
                m += " " + escapeMarkdown(cellText(cell)) + " |";
            }
            m += "\n";
        }
        m += "\n";
    }
    m += "## Plans as run\n\n";
    for (const auto& run : report.runs) {
        m += "- **" + escapeMarkdown(runName(run)) + "**: " +
             escapeMarkdown(run.plan.value(QStringLiteral("method")).toString().toStdString() + " " +
                            run.listing.url) +
             ", " + escapeMarkdown(run.listing.profile) + ", " + run.listing.status;
        for (const auto& [name, value] : maskedHeaders(run.plan)) {
            m += "; `" + name + ": " + value + "`";
        }
        m += "\n";
    }
    if (hasThresholds(report)) {
        m += "\n## Thresholds\n\n";
        for (size_t i = 0; i < report.runs.size(); ++i) {
            for (const auto& verdict : i < report.thresholds.size() ? report.thresholds[i] : kNoVerdicts) {
                m += "- **" + escapeMarkdown(runName(report.runs[i])) + "**: " + escapeMarkdown(verdict.line) + "\n";
            }
        }
    }
    if (!report.notes.empty()) {
        m += "\n## Notes\n\n" + escapeMarkdown(report.notes) + "\n";
    }
    return m;
}

std::string toCsv(const ComparisonReport& report)
{
    std::string csv = "run_id,label,url,method,profile,status,started_at,duration_s,requests,responses,errors,"
                      "error_percent,rps,mean_ms,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,bytes_received,"
                      "connections_opened,generator_cpu_percent,generator_saturated,rps_vs_baseline,"
                      "p99_vs_baseline\r\n";
    const auto rows = summaryRows(report);
    for (size_t i = 0; i < report.runs.size(); ++i) {
        const auto& run = report.runs[i];
        const auto& r = rows[i];
        const auto& total = run.result.total;
        csv += std::to_string(run.listing.id) + "," + csvText(run.listing.label) + "," + csvText(run.listing.url) +
               "," + csvText(run.plan.value(QStringLiteral("method")).toString().toStdString()) + "," +
               csvText(run.listing.profile) + "," + csvText(run.listing.status) + "," +
               csvText(run.listing.startedAt) + "," +
               fixed(run.result.durationSeconds, 3) + "," + std::to_string(total.requests) + "," +
               std::to_string(total.responses()) + "," + std::to_string(total.errors) + "," +
               fixed(r.errorPercent, 3) + "," + fixed(r.rps, 2) + "," + fixed(r.meanMs, 3) + "," +
               fixed(r.p50Ms, 3) + "," + fixed(r.p90Ms, 3) + "," + fixed(r.p99Ms, 3) + "," + fixed(r.p999Ms, 3) +
               "," + fixed(r.maxMs, 3) + "," + std::to_string(total.bytesReceived) + "," +
               std::to_string(total.connectionsOpened) + "," + fixed(run.result.generator.cpuPercent, 1) + "," +
               (r.saturated ? "true" : "false") + "," + fixed(r.rpsRatio, 4) + "," + fixed(r.p99Ratio, 4) + "\r\n";
    }
    return csv + csvScenarioBlocks(report);
}

QJsonObject toJson(const ComparisonReport& report)
{
    const auto rows = summaryRows(report);
    QJsonArray runs;
    for (size_t i = 0; i < report.runs.size(); ++i) {
        const auto& run = report.runs[i];
        const auto& r = rows[i];
        const auto& total = run.result.total;
        QJsonObject plan = run.plan;
        QJsonArray headers;
        for (const auto& [name, value] : maskedHeaders(run.plan)) {
            headers.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(name)},
                                       {QStringLiteral("value"), QString::fromStdString(value)}});
        }
        plan.insert(QStringLiteral("headers"), headers);
        QJsonArray series;
        for (const auto& point : run.result.series) {
            series.append(QJsonObject{{QStringLiteral("t"), point.t},
                                      {QStringLiteral("requests"), double(point.requests)},
                                      {QStringLiteral("errors"), double(point.errors)},
                                      {QStringLiteral("p50_ms"), double(point.p50) / 1000.0},
                                      {QStringLiteral("p99_ms"), double(point.p99) / 1000.0}});
        }
        QJsonObject statusCodes;
        for (size_t code = 0; code < total.statusCounts.size(); ++code) {
            if (total.statusCounts[code]) {
                statusCodes.insert(QString::number(code), double(total.statusCounts[code]));
            }
        }
        QJsonObject errorKinds;
        for (size_t k = 0; k < metrics::kErrorKindCount; ++k) {
            if (total.errorKinds[k]) {
                const auto name = metrics::errorKindName(metrics::errorKindAt(k));
                errorKinds.insert(QString::fromLatin1(name.data(), qsizetype(name.size())),
                                  double(total.errorKinds[k]));
            }
        }
        QJsonArray percentiles;
        for (const double p : {50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
            percentiles.append(QJsonObject{{QStringLiteral("percentile"), p},
                                           {QStringLiteral("ms"), double(total.latency.valueAtPercentile(p)) / 1000.0}});
        }
        QJsonObject entry{
            {QStringLiteral("id"), double(run.listing.id)},
            {QStringLiteral("name"), QString::fromStdString(r.name)},
            {QStringLiteral("status"), QString::fromStdString(run.listing.status)},
            {QStringLiteral("failure_reason"), QString::fromStdString(run.listing.failureReason)},
            {QStringLiteral("started_at"), QString::fromStdString(run.listing.startedAt)},
            {QStringLiteral("profile"), QString::fromStdString(run.listing.profile)},
            {QStringLiteral("plan"), plan},
            {QStringLiteral("environment"), run.environment},
            {QStringLiteral("summary"),
             QJsonObject{{QStringLiteral("requests"), double(r.requests)},
                         {QStringLiteral("errors"), double(r.errors)},
                         {QStringLiteral("error_percent"), r.errorPercent},
                         {QStringLiteral("duration_s"), run.result.durationSeconds},
                         {QStringLiteral("rps"), r.rps},
                         {QStringLiteral("mean_ms"), r.meanMs},
                         {QStringLiteral("p50_ms"), r.p50Ms},
                         {QStringLiteral("p90_ms"), r.p90Ms},
                         {QStringLiteral("p99_ms"), r.p99Ms},
                         {QStringLiteral("p999_ms"), r.p999Ms},
                         {QStringLiteral("max_ms"), r.maxMs},
                         {QStringLiteral("memory_mb"),
                          run.result.server.measured ? QJsonValue(run.result.server.peakRssMb) : QJsonValue()},
                         {QStringLiteral("rps_vs_baseline"), r.rpsRatio},
                         {QStringLiteral("p99_vs_baseline"), r.p99Ratio},
                         {QStringLiteral("generator_saturated"), r.saturated}}},
            {QStringLiteral("latency_percentiles"), percentiles},
            {QStringLiteral("status_codes"), statusCodes},
            {QStringLiteral("error_kinds"), errorKinds},
            {QStringLiteral("series"), series},
        };
        if (i < report.thresholds.size() && !report.thresholds[i].empty()) { // absent, not empty, so reports without thresholds read as before
            QJsonArray verdicts;
            for (const auto& verdict : report.thresholds[i]) {
                verdicts.append(QJsonObject{
                    {QStringLiteral("expression"), QString::fromStdString(verdict.expression)},
                    {QStringLiteral("passed"), verdict.passed},
                    {QStringLiteral("measured"), verdict.measured ? QJsonValue(*verdict.measured) : QJsonValue()},
                    {QStringLiteral("unit"), QString::fromStdString(verdict.unit)},
                });
            }
            entry.insert(QStringLiteral("thresholds"), verdicts);
        }
        if (run.result.summary.isScenario()) {
            report::addScenarioFigures(entry, run.result.summary); // as run --json gives them
        }
        runs.append(entry);
    }
    QJsonArray needs;
    for (size_t n = 0; n < report.needs.size(); ++n) {
        QJsonArray cells;
        for (const auto& cell : report.cells[n]) {
            cells.append(QJsonObject{{QStringLiteral("score"), cell.score},
                                     {QStringLiteral("verdict"),
                                      QString::fromUtf8(decision::verdictLabel(cell.verdict).data())},
                                     {QStringLiteral("explanation"), QString::fromStdString(cell.explanation)}});
        }
        needs.append(QJsonObject{{QStringLiteral("need"), QString::fromStdString(report.needs[n])},
                                 {QStringLiteral("cells"), cells}});
    }
    QJsonArray groups;
    for (const auto& group : report.groups) {
        QJsonArray runIds;
        for (const size_t run : group.runs) {
            runIds.append(double(report.runs[run].listing.id));
        }
        QJsonObject figures;
        for (size_t m = 0; m < kGroupMetricCount; ++m) {
            const auto& figure = group.figures[m];
            const auto& r = figure.vsBaseline;
            const auto key = groupMetricKey(GroupMetric(m));
            figures.insert(
                QString::fromLatin1(key.data(), qsizetype(key.size())),
                QJsonObject{{QStringLiteral("median"), jsonNumber(figure.value.median)},
                            {QStringLiteral("low"), jsonNumber(figure.value.low)},
                            {QStringLiteral("high"), jsonNumber(figure.value.high)},
                            {QStringLiteral("samples"), double(figure.value.samples)},
                            {QStringLiteral("vs_baseline"),
                             group.baseline
                                 ? QJsonValue()
                                 : QJsonObject{{QStringLiteral("ratio"), jsonNumber(r.ratio)},
                                               {QStringLiteral("low"), jsonNumber(r.low)},
                                               {QStringLiteral("high"), jsonNumber(r.high)},
                                               {QStringLiteral("verdict"),
                                                QString::fromLatin1(metrics::noiseVerdictName(r.verdict).data())}}}});
        }
        groups.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(group.name)},
                                  {QStringLiteral("url"), QString::fromStdString(group.url)},
                                  {QStringLiteral("target_id"), group.targetId ? QJsonValue(double(group.targetId))
                                                                               : QJsonValue()},
                                  {QStringLiteral("run_ids"), runIds},
                                  {QStringLiteral("baseline"), group.baseline},
                                  {QStringLiteral("figures"), figures}});
    }
    QJsonArray candidates;
    for (const auto& candidate : report.candidates) {
        candidates.append(QString::fromStdString(candidate));
    }
    QJsonArray candidateRuns;
    for (const auto& runs : report.candidateRuns) {
        candidateRuns.append(QString::fromStdString(runs));
    }
    QJsonArray decisionNotes;
    for (const auto& note : report.decisionNotes) {
        decisionNotes.append(QString::fromStdString(note));
    }
    return QJsonObject{
        {QStringLiteral("schema_version"), kSchemaVersion},
        {QStringLiteral("title"), QString::fromStdString(report.title)},
        {QStringLiteral("generated_at"), QString::fromStdString(report.generatedAt)},
        {QStringLiteral("session"), QString::fromStdString(report.sessionName)},
        {QStringLiteral("environment"), report.environment},
        {QStringLiteral("baseline_run"), double(report.runs[report.baseline].listing.id)},
        {QStringLiteral("runs"), runs},
        // Repeats of one target and plan, with medians and 95 % bootstrap intervals (docs/noise.md).
        {QStringLiteral("groups"), groups},
        {QStringLiteral("group_interval"),
         QJsonObject{{QStringLiteral("method"), QStringLiteral("percentile bootstrap of the median")},
                     {QStringLiteral("confidence"), metrics::kDefaultConfidence},
                     {QStringLiteral("resamples"), metrics::kDefaultResamples}}},
        {QStringLiteral("decision"),
         QJsonObject{{QStringLiteral("candidates"), candidates},
                     {QStringLiteral("candidate_runs"), candidateRuns},
                     {QStringLiteral("refusal"), QString::fromStdString(report.decisionRefusal)},
                     {QStringLiteral("notes"), decisionNotes},
                     {QStringLiteral("needs"), needs}}},
        {QStringLiteral("notes"), QString::fromStdString(report.notes)},
    };
}

} // namespace benchdeck::comparison
