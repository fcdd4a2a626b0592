// SPDX-License-Identifier: Apache-2.0
#include "compare_model.h"

#include "format.h"

#include <QColor>
#include <QFont>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace benchdeck::ui {

void CompareModel::setRuns(std::vector<store::StoredRun> runs, std::vector<int64_t> targetIds)
{
    beginResetModel();
    runs_ = std::move(runs);
    targetIds_ = std::move(targetIds);
    // Which runs repeat does not depend on the baseline; the ratios do.
    groups_ = comparison::repeatGroups(runs_, targetIds_, 0);
    grouped_ = comparison::hasRepeats(groups_);
    const int rows = grouped_ ? int(groups_.size()) : int(runs_.size());
    baseline_ = rows == 0 ? 0 : std::min(baseline_, rows - 1);
    // The run the user marked as the session's baseline (Ctrl+B), when it is among these.
    for (size_t i = 0; i < runs_.size(); ++i) {
        if (runs_[i].listing.baseline) {
            for (int row = 0; row < rows; ++row) {
                const auto& members = grouped_ ? groups_[size_t(row)].runs : std::vector<size_t>{size_t(row)};
                if (std::find(members.begin(), members.end(), i) != members.end()) {
                    baseline_ = row;
                }
            }
        }
    }
    regroup();
    endResetModel();
}

void CompareModel::setBaseline(int row)
{
    if (row < 0 || row >= rowCount() || row == baseline_) {
        return;
    }
    baseline_ = row;
    regroup();
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

size_t CompareModel::baselineRun() const
{
    return grouped_ ? groups_[size_t(baseline_)].runs.front() : size_t(baseline_);
}

void CompareModel::regroup()
{
    if (!runs_.empty()) {
        groups_ = comparison::repeatGroups(runs_, targetIds_, baselineRun());
    }
}

QString CompareModel::rowName(int row) const
{
    if (row < 0 || row >= rowCount()) {
        return {};
    }
    if (!grouped_) {
        return runName(runs_[size_t(row)]);
    }
    const auto& group = groups_[size_t(row)];
    const QString name = QString::fromStdString(group.name);
    return group.runs.size() == 1 ? tr("%1 (1 run)").arg(name) : tr("%1 (%2 runs)").arg(name).arg(group.runs.size());
}

QString CompareModel::runName(const store::StoredRun& run)
{
    const QString label = QString::fromStdString(run.listing.label);
    return (label.isEmpty() ? QString::fromStdString(run.listing.url) : label) +
           QStringLiteral(" #%1").arg(run.listing.id);
}

int CompareModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : grouped_ ? int(groups_.size()) : int(runs_.size());
}

int CompareModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CompareModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    if (grouped_) {
        return groupData(index, role);
    }
    const bool ratioColumn = index.column() == RpsVsBaseline || index.column() == P99VsBaseline;
    if (ratioColumn && index.row() != baseline_) {
        if (role == NoiseRole) {
            return QStringLiteral("unknown");
        }
        if (role == Qt::ToolTipRole) {
            return tr("One run each: whether this difference is larger than run-to-run noise is unknown. "
                      "Run a campaign (several interleaved runs per target) to see medians with 95% "
                      "intervals.");
        }
    }
    const auto& run = runs_[size_t(index.row())];
    const auto& base = runs_[size_t(baseline_)];
    const auto& summary = run.result.summary;
    const auto& latency = summary.latency;
    const double rps = summary.rps;
    const double p99 = double(latency.p99);
    // A run that is not complete (failed, stopped, interrupted) is shown, flagged, and never a ratio's
    // side: "p99 ×0.00" against a dead port would read as a triumph.
    const bool incomplete = run.listing.status != "completed" || base.listing.status != "completed";
    const double baseRps = incomplete ? 0.0 : base.result.summary.rps;
    const double baseP99 = incomplete ? 0.0 : double(base.result.summary.latency.p99);
    if (index.column() == Run && run.listing.status != "completed") {
        if (role == Qt::ForegroundRole) {
            return QColor(0xc6, 0x28, 0x28);
        }
        if (role == Qt::ToolTipRole) {
            return run.listing.status == "failed"
                       ? tr("Failed: %1. No figure of this run describes the server.")
                             .arg(QString::fromStdString(run.listing.failureReason))
                       : tr("This run is %1: its figures cover only part of its plan.")
                             .arg(QString::fromStdString(run.listing.status));
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != Run) {
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ForegroundRole && index.row() != baseline_) {
        // Green when better than the baseline, red when worse: higher req/s, lower p99.
        if (index.column() == RpsVsBaseline && baseRps > 0) {
            return QColor(rps >= baseRps ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
        }
        if (index.column() == P99VsBaseline && baseP99 > 0) {
            return QColor(p99 <= baseP99 ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
        }
    }
    if (role == Qt::FontRole && index.row() == baseline_ && index.column() == Run) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    const auto ratio = [](double value, double reference) {
        return reference > 0 ? QStringLiteral("×%1").arg(value / reference, 0, 'f', 2) : QStringLiteral("–");
    };
    switch (index.column()) {
    case Run:
        return runName(run) + (index.row() == baseline_ ? tr(" (baseline)") : QString()) +
               (run.listing.status != "completed" ? tr(" ⚠ %1").arg(QString::fromStdString(run.listing.status))
                                                  : QString());
    case Rps: return formatRate(rps);
    case Mean: return latency.empty() ? QStringLiteral("–") : formatLatency(latency.mean);
    case P50: return latency.empty() ? QStringLiteral("–") : formatLatency(double(latency.p50));
    case P99: return latency.empty() ? QStringLiteral("–") : formatLatency(p99);
    case Memory:
        return run.result.server.measured ? QStringLiteral("%1 MB").arg(run.result.server.peakRssMb, 0, 'f', 1)
                                          : tr("not measured");
    case Errors: {
        return QStringLiteral("%1 (%2)").arg(summary.errors).arg(formatPercent(summary.errorPercent));
    }
    case RpsVsBaseline: return index.row() == baseline_ ? QStringLiteral("–") : ratio(rps, baseRps);
    case P99VsBaseline: return index.row() == baseline_ ? QStringLiteral("–") : ratio(p99, baseP99);
    default: return {};
    }
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Run: return tr("Target");
    case Rps: return tr("req/s");
    case Mean: return tr("Avg latency");
    case P50: return tr("p50");
    case P99: return tr("p99");
    case Memory: return tr("Memory");
    case Errors: return tr("Errors");
    case RpsVsBaseline: return tr("req/s vs baseline");
    case P99VsBaseline: return tr("p99 vs baseline");
    default: return {};
    }
}

namespace {

// "1,305 [1,274–1,326]": a median and, over two runs or more, its 95 % interval.
QString rateInterval(const metrics::Interval& interval)
{
    QString text = formatRate(interval.median);
    if (interval.samples > 1) {
        text += QStringLiteral(" [%1–%2]").arg(formatRate(interval.low), formatRate(interval.high));
    }
    return text;
}

// "10.04 ms [9.80–10.20]": the bounds in the median's unit and decimals. Figures in milliseconds.
QString latencyInterval(const metrics::Interval& intervalMs)
{
    const double micros = intervalMs.median * 1000.0;
    QString text = formatLatency(micros);
    if (intervalMs.samples > 1 && micros > 0) {
        const double scale = micros >= 1e6 ? 1e6 : micros >= 1e3 ? 1e3 : 1.0;
        const int decimals = micros >= 1e6 ? 2 : micros >= 1e5 ? 0 : micros >= 1e3 ? 2 : 0;
        text += QStringLiteral(" [%1–%2]")
                    .arg(intervalMs.low * 1000.0 / scale, 0, 'f', decimals)
                    .arg(intervalMs.high * 1000.0 / scale, 0, 'f', decimals);
    }
    return text;
}

QString percentInterval(const metrics::Interval& interval)
{
    QString text = formatPercent(interval.median);
    if (interval.samples > 1) {
        text += QStringLiteral(" [%1–%2]").arg(formatPercent(interval.low), formatPercent(interval.high));
    }
    return text;
}

QString ratioBound(double value)
{
    return std::isinf(value) ? QStringLiteral("∞") : QString::number(value, 'f', 2);
}

} // namespace

QVariant CompareModel::groupData(const QModelIndex& index, int role) const
{
    const auto& group = groups_[size_t(index.row())];
    const bool isBaseline = index.row() == baseline_;
    const bool ratioColumn = index.column() == RpsVsBaseline || index.column() == P99VsBaseline;
    const auto& ratio = group.figure(index.column() == RpsVsBaseline ? comparison::GroupMetric::Rps
                                                                     : comparison::GroupMetric::P99Ms)
                            .vsBaseline;
    if (role == Qt::TextAlignmentRole && index.column() != Run) {
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::FontRole && isBaseline && index.column() == Run) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == NoiseRole) {
        return ratioColumn && !isBaseline ? QString::fromLatin1(metrics::noiseVerdictName(ratio.verdict).data())
                                          : QVariant();
    }
    if (role == Qt::ForegroundRole && ratioColumn && !isBaseline) {
        switch (ratio.verdict) {
        case metrics::NoiseVerdict::WithinNoise: return QColor(0x75, 0x75, 0x75);
        case metrics::NoiseVerdict::Unknown: return {};
        case metrics::NoiseVerdict::Significant: break;
        }
        // Green when better than the baseline, red when worse: higher req/s, lower p99.
        const bool better = index.column() == RpsVsBaseline ? ratio.ratio >= 1.0 : ratio.ratio <= 1.0;
        return better ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Run) {
            QStringList names;
            for (const size_t run : group.runs) {
                names << runName(runs_[run]);
            }
            return tr("Repeats of one target and plan: %1").arg(names.join(QStringLiteral(", ")));
        }
        if (!ratioColumn) {
            return group.runs.size() > 1 ? tr("Median over %1 runs; the 95% confidence interval in brackets "
                                              "(percentile bootstrap).")
                                               .arg(group.runs.size())
                                         : QVariant();
        }
        if (isBaseline) {
            return {};
        }
        switch (ratio.verdict) {
        case metrics::NoiseVerdict::WithinNoise:
            return tr("Within noise: the 95% interval of this ratio, %1–%2, contains ×1.00. These runs cannot tell "
                      "the two apart, and the difference does not decide a verdict on its own.")
                .arg(ratioBound(ratio.low), ratioBound(ratio.high));
        case metrics::NoiseVerdict::Significant:
            return tr("Significant: the 95% interval of this ratio, %1–%2, excludes ×1.00. The difference is larger "
                      "than run-to-run variation.")
                .arg(ratioBound(ratio.low), ratioBound(ratio.high));
        case metrics::NoiseVerdict::Unknown: break;
        }
        return tr("Noise unknown: %1 against %2 baseline runs; at least %3 on each side are needed to tell a "
                  "difference from run-to-run variation.")
            .arg(ratio.samples)
            .arg(ratio.baselineSamples)
            .arg(metrics::kMinSamplesForVerdict);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    using comparison::GroupMetric;
    switch (index.column()) {
    case Run: return rowName(index.row()) + (isBaseline ? tr(" (baseline)") : QString());
    case Rps: return rateInterval(group.figure(GroupMetric::Rps).value);
    case Mean: return latencyInterval(group.figure(GroupMetric::MeanMs).value);
    case P50: return latencyInterval(group.figure(GroupMetric::P50Ms).value);
    case P99: return latencyInterval(group.figure(GroupMetric::P99Ms).value);
    case Memory: {
        std::vector<double> peaks;
        for (const size_t run : group.runs) {
            if (runs_[run].result.server.measured) {
                peaks.push_back(runs_[run].result.server.peakRssMb);
            }
        }
        return peaks.size() == group.runs.size() ? QStringLiteral("%1 MB").arg(metrics::median(peaks), 0, 'f', 1)
                                                 : tr("not measured");
    }
    case Errors: return percentInterval(group.figure(GroupMetric::ErrorPercent).value);
    case RpsVsBaseline:
    case P99VsBaseline: {
        if (isBaseline || std::isnan(ratio.ratio)) {
            return QStringLiteral("–");
        }
        QString text = QStringLiteral("×") + ratioBound(ratio.ratio);
        if (ratio.samples > 1 && ratio.baselineSamples > 1) {
            text += QStringLiteral(" [%1–%2]").arg(ratioBound(ratio.low), ratioBound(ratio.high));
        }
        if (ratio.verdict != metrics::NoiseVerdict::Significant) {
            text += QStringLiteral(" · ") + QString::fromLatin1(metrics::noiseLabel(ratio).data());
        }
        return text;
    }
    default: return {};
    }
}

void StepCompareModel::setRuns(const std::vector<store::StoredRun>& runs)
{
    beginResetModel();
    runNames_.clear();
    scenarioRuns_.clear();
    lines_.clear();
    for (const auto& run : runs) {
        runNames_.push_back(CompareModel::runName(run));
        scenarioRuns_.push_back(run.result.summary.isScenario());
    }
    for (size_t r = 0; r < runs.size(); ++r) {
        for (const auto& step : runs[r].result.summary.steps) {
            lineFor(step).perRun[r] = step;
        }
    }
    qualified_ = std::any_of(lines_.begin(), lines_.end(),
                             [this](const StepLine& line) { return line.scenario != lines_.front().scenario; });
    endResetModel();
}

StepCompareModel::StepLine& StepCompareModel::lineFor(const metrics::StepSummary& step)
{
    // Step names are unique within their scenario (docs/scenarios.md), so the pair names one step.
    const auto found = std::find_if(lines_.begin(), lines_.end(), [&](const StepLine& line) {
        return line.scenario == step.scenario && line.step == step.step;
    });
    if (found != lines_.end()) {
        return *found;
    }
    lines_.push_back({step.scenario, step.step, std::vector<std::optional<metrics::StepSummary>>(runNames_.size())});
    return lines_.back();
}

QString StepCompareModel::stepName(const StepLine& line) const
{
    return QString::fromStdString(qualified_ ? line.scenario + "/" + line.step : line.step);
}

QString StepCompareModel::rowLabel(int row) const
{
    const QString name = stepName(lineAt(row));
    switch (figureAt(row)) {
    case Figure::P99: return tr("step %1 p99").arg(name);
    case Figure::Rps: return tr("step %1 req/s").arg(name);
    case Figure::ChecksFailed: return tr("step %1 checks failed").arg(name);
    }
    return {};
}

QString StepCompareModel::missingTip(int row, size_t run) const
{
    if (!scenarioRuns_[run]) {
        return tr("%1 is not a scenario run: it has no steps.").arg(runNames_[run]);
    }
    return tr("%1 has no step \"%2\".").arg(runNames_[run], stepName(lineAt(row)));
}

QString StepCompareModel::cellText(const std::optional<metrics::StepSummary>& step, Figure figure)
{
    if (!step) {
        return QStringLiteral("–");
    }
    switch (figure) {
    case Figure::P99: return step->latency.empty() ? QStringLiteral("–") : formatLatency(double(step->latency.p99));
    case Figure::Rps: return formatRate(step->rps);
    case Figure::ChecksFailed:
        // "–" rather than "0 of 0" for a step without checks, which would read as passed.
        return step->checks == 0 ? QStringLiteral("–") : tr("%1 of %2").arg(step->checksFailed).arg(step->checks);
    }
    return {};
}

QVariant StepCompareModel::cellValue(const std::optional<metrics::StepSummary>& step, Figure figure)
{
    if (!step) {
        return {};
    }
    switch (figure) {
    case Figure::P99: return step->latency.empty() ? QVariant() : QVariant(qlonglong(step->latency.p99));
    case Figure::Rps: return step->rps;
    case Figure::ChecksFailed: return qulonglong(step->checksFailed);
    }
    return {};
}

int StepCompareModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(lines_.size()) * kFigureCount;
}

int StepCompareModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kFirstRunColumn + int(runNames_.size());
}

QVariant StepCompareModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const int row = index.row();
    if (index.column() < kFirstRunColumn) {
        return role == Qt::DisplayRole ? QVariant(rowLabel(row)) : QVariant();
    }
    const auto run = size_t(index.column() - kFirstRunColumn);
    const auto& step = lineAt(row).perRun[run];
    switch (role) {
    case Qt::DisplayRole: return cellText(step, figureAt(row));
    case ValueRole: return cellValue(step, figureAt(row));
    case Qt::TextAlignmentRole: return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole: return step ? QVariant() : QVariant(missingTip(row, run));
    default: return {};
    }
}

QVariant StepCompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount()) {
        return {};
    }
    return section < kFirstRunColumn ? tr("Step figure") : runNames_[size_t(section - kFirstRunColumn)];
}

} // namespace benchdeck::ui
