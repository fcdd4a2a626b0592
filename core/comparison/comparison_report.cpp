// SPDX-License-Identifier: Apache-2.0
#include "comparison_report.h"
#include "plan/plan_codec.h"

#include "store/run_record.h"
#include "workflow/decision_inputs.h"
#include "workflow/noise.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace benchdeck::comparison {

std::string runName(const store::StoredRun& run)
{
    return (run.listing.label.empty() ? run.listing.url : run.listing.label) + " #" + std::to_string(run.listing.id);
}

std::vector<std::pair<std::string, std::string>> maskedHeaders(const QJsonObject& plan)
{
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& value : plan.value(QStringLiteral("headers")).toArray()) {
        const auto header = value.toObject();
        const std::string name = header.value(QStringLiteral("name")).toString().toStdString();
        const bool secret = plan::isCredentialHeader(name) || header.value(QStringLiteral("withheld")).toBool();
        headers.emplace_back(name, secret ? "••••••" : header.value(QStringLiteral("value")).toString().toStdString());
    }
    return headers;
}

std::vector<report::ThresholdVerdict> thresholdVerdicts(const store::StoredRun& run)
{
    std::string ignored; // a plan that cannot be read back carries no thresholds to judge
    const auto plan = plan::fromJson(run.plan, &ignored);
    return plan ? report::evaluatePlanThresholds(plan->thresholds, run.result) : std::vector<report::ThresholdVerdict>{};
}

std::optional<ComparisonReport> buildReport(const store::SessionFile& session, const ReportRequest& request,
                                            std::string* error)
{
    ComparisonReport report;
    std::vector<int64_t> ids = request.runIds;
    if (ids.empty()) {
        for (const auto& run : session.listRuns(error)) {
            ids.push_back(run.id);
        }
    }
    if (ids.empty()) {
        *error = "the session holds no runs to report on";
        return std::nullopt;
    }
    for (const int64_t id : ids) {
        auto run = session.loadRun(id, error);
        if (!run) {
            return std::nullopt;
        }
        report.runs.push_back(std::move(*run));
    }
    if (request.baselineRunId != 0) {
        const auto found = std::find_if(report.runs.begin(), report.runs.end(),
                                        [&](const auto& run) { return run.listing.id == request.baselineRunId; });
        if (found == report.runs.end()) {
            *error = "baseline run " + std::to_string(request.baselineRunId) + " is not among the reported runs";
            return std::nullopt;
        }
        report.baseline = size_t(found - report.runs.begin());
    } else {
        const auto marked = std::find_if(report.runs.begin(), report.runs.end(),
                                         [](const auto& run) { return run.listing.baseline; });
        report.baseline = marked != report.runs.end() ? size_t(marked - report.runs.begin()) : 0;
    }
    for (const auto& run : report.runs) {
        report.thresholds.push_back(thresholdVerdicts(run));
    }
    const auto path = QString::fromStdString(session.path());
    report.sessionName = path.mid(path.lastIndexOf(QLatin1Char('/')) + 1).toStdString();
    report.title = request.title.empty() ? "Benchdeck comparison: " + report.sessionName : request.title;
    report.generatedAt = request.generatedAt.empty()
                             ? QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()
                             : request.generatedAt;
    report.environment = report.runs.front().environment;
    report.notes = request.notes;
    std::vector<int64_t> targetIds;
    for (const auto& run : report.runs) {
        targetIds.push_back(session.runTarget(run.listing.id));
    }
    report.groups = repeatGroups(report.runs, targetIds, report.baseline);

    std::string problem;
    const auto model = workflow::loadDecisionModel(session, &problem);
    // The decision is made from the reported runs only, never from whatever else the session holds.
    const auto inputs = workflow::decisionInputs(session, model, ids);
    report.decisionRefusal = inputs.refusal;
    report.decisionNotes = inputs.notes;
    if (!inputs.facts.empty()) {
        report.cells = model.evaluate(inputs.facts);
        for (const auto& facts : inputs.facts) {
            report.candidates.push_back(facts.name);
            report.candidateRuns.push_back(decision::runsText(facts));
        }
        for (const auto& need : model.needs()) {
            report.needs.push_back(need.name);
        }
        for (const auto& criterion : model.criteria()) {
            report.criteria.push_back(criterion.name);
            std::vector<double> row;
            for (const auto& need : model.needs()) {
                row.push_back(model.weight(need.id, criterion.id));
            }
            report.weights.push_back(std::move(row));
        }
    }
    return report;
}

std::vector<SummaryRow> summaryRows(const ComparisonReport& report)
{
    std::vector<SummaryRow> rows;
    const auto& base = report.runs[report.baseline].result;
    const double baseRps = base.summary.rps;
    const double baseP99 = double(base.summary.latency.p99) / 1000.0;
    for (const auto& run : report.runs) {
        const auto& summary = run.result.summary;
        const auto& result = run.result;
        const auto& latency = summary.latency;
        SummaryRow row;
        row.name = runName(run);
        row.url = run.listing.url;
        row.rps = summary.rps;
        row.meanMs = latency.mean / 1000.0;
        row.p50Ms = double(latency.p50) / 1000.0;
        row.p90Ms = double(latency.p90) / 1000.0;
        row.p99Ms = double(latency.p99) / 1000.0;
        row.p999Ms = double(latency.p999) / 1000.0;
        row.maxMs = double(latency.max) / 1000.0;
        row.requests = summary.requests;
        row.errors = summary.errors;
        row.errorPercent = summary.errorPercent;
        row.status = run.listing.status;
        row.failureReason = run.listing.failureReason;
        row.plan = run.listing.profile;
        row.rpsRatio = baseRps > 0 ? row.rps / baseRps : 0.0;
        row.p99Ratio = baseP99 > 0 ? row.p99Ms / baseP99 : 0.0;
        row.saturated = result.generator.saturated;
        rows.push_back(std::move(row));
    }
    return rows;
}

double groupMetricValue(const metrics::RunResult& result, GroupMetric metric)
{
    const auto& summary = result.summary;
    switch (metric) {
    case GroupMetric::Rps: return summary.rps;
    case GroupMetric::MeanMs: return summary.latency.mean / 1000.0;
    case GroupMetric::P50Ms: return double(summary.latency.p50) / 1000.0;
    case GroupMetric::P99Ms: return double(summary.latency.p99) / 1000.0;
    case GroupMetric::ErrorPercent: return summary.errorPercent;
    }
    return 0;
}

std::string_view groupMetricLabel(GroupMetric metric)
{
    switch (metric) {
    case GroupMetric::Rps: return "req/s";
    case GroupMetric::MeanMs: return "Avg latency";
    case GroupMetric::P50Ms: return "p50";
    case GroupMetric::P99Ms: return "p99";
    case GroupMetric::ErrorPercent: return "Errors";
    }
    return "";
}

std::string_view groupMetricKey(GroupMetric metric)
{
    switch (metric) {
    case GroupMetric::Rps: return "rps";
    case GroupMetric::MeanMs: return "mean_ms";
    case GroupMetric::P50Ms: return "p50_ms";
    case GroupMetric::P99Ms: return "p99_ms";
    case GroupMetric::ErrorPercent: return "error_percent";
    }
    return "";
}

std::vector<RunGroup> repeatGroups(const std::vector<store::StoredRun>& runs, const std::vector<int64_t>& targetIds,
                                   size_t baselineRun)
{
    std::vector<RunGroup> groups;
    for (auto& members : workflow::groupRepeats(runs, targetIds)) {
        RunGroup group;
        const auto& first = runs[members.front()];
        group.name = first.listing.label.empty() ? first.listing.url : first.listing.label;
        group.url = first.listing.url;
        group.targetId = members.front() < targetIds.size() ? targetIds[members.front()] : 0;
        group.baseline = std::find(members.begin(), members.end(), baselineRun) != members.end();
        group.runs = std::move(members);
        groups.push_back(std::move(group));
    }
    // Two groups under one name (one target run with two profiles, say): tell them apart by profile,
    // then by their first run.
    for (int pass = 0; pass < 2; ++pass) {
        std::map<std::string, int> uses;
        for (const auto& group : groups) {
            ++uses[group.name];
        }
        for (auto& group : groups) {
            if (uses[group.name] > 1) {
                const auto& first = runs[group.runs.front()].listing;
                group.name += pass == 0 ? " · " + first.profile : " #" + std::to_string(first.id);
            }
        }
    }
    std::array<std::vector<std::vector<double>>, kGroupMetricCount> values;
    for (size_t m = 0; m < kGroupMetricCount; ++m) {
        for (const auto& group : groups) {
            std::vector<double> samples;
            for (const size_t run : group.runs) {
                samples.push_back(groupMetricValue(runs[run].result, GroupMetric(m)));
            }
            values[m].push_back(std::move(samples));
        }
    }
    const auto base = std::find_if(groups.begin(), groups.end(), [](const auto& group) { return group.baseline; });
    for (size_t g = 0; g < groups.size(); ++g) {
        for (size_t m = 0; m < kGroupMetricCount; ++m) {
            auto& figure = groups[g].figures[m];
            figure.value = metrics::medianInterval(values[m][g]);
            if (base == groups.end()) {
                continue;
            }
            if (groups[g].baseline) {
                figure.vsBaseline.ratio = figure.vsBaseline.low = figure.vsBaseline.high = 1.0;
                figure.vsBaseline.samples = figure.vsBaseline.baselineSamples = groups[g].runs.size();
            } else {
                figure.vsBaseline = metrics::ratioInterval(values[m][g], values[m][size_t(base - groups.begin())]);
            }
        }
    }
    return groups;
}

bool hasRepeats(const std::vector<RunGroup>& groups)
{
    return std::any_of(groups.begin(), groups.end(), [](const auto& group) { return group.runs.size() > 1; });
}

} // namespace benchdeck::comparison
