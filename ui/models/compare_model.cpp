#include "compare_model.h"

#include "format.h"

#include <QColor>
#include <QFont>

namespace benchdeck::ui {

void CompareModel::setRuns(std::vector<store::StoredRun> runs)
{
    beginResetModel();
    runs_ = std::move(runs);
    baseline_ = runs_.empty() ? 0 : std::min(baseline_, int(runs_.size()) - 1);
    endResetModel();
}

void CompareModel::setBaseline(int row)
{
    if (row < 0 || row >= int(runs_.size()) || row == baseline_) {
        return;
    }
    baseline_ = row;
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QString CompareModel::runName(const store::StoredRun& run)
{
    const QString label = QString::fromStdString(run.listing.label);
    return (label.isEmpty() ? QString::fromStdString(run.listing.url) : label) +
           QStringLiteral(" #%1").arg(run.listing.id);
}

int CompareModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(runs_.size());
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
    const auto& run = runs_[size_t(index.row())];
    const auto& base = runs_[size_t(baseline_)];
    const auto& latency = run.result.total.latency;
    const double rps = run.result.rps();
    const double p99 = double(latency.valueAtPercentile(99));
    const double baseRps = base.result.rps();
    const double baseP99 = double(base.result.total.latency.valueAtPercentile(99));
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
    case Run: return runName(run) + (index.row() == baseline_ ? tr(" (baseline)") : QString());
    case Rps: return formatRate(rps);
    case Mean: return formatLatency(latency.mean());
    case P50: return formatLatency(double(latency.valueAtPercentile(50)));
    case P99: return formatLatency(p99);
    case Memory: return tr("not measured");
    case Errors: {
        const auto& total = run.result.total;
        const double percent = total.requests ? 100.0 * double(total.errors) / double(total.requests) : 0.0;
        return QStringLiteral("%1 (%2)").arg(total.errors).arg(formatPercent(percent));
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

} // namespace benchdeck::ui
