// SPDX-License-Identifier: Apache-2.0
#include "run_history_model.h"

#include "format.h"

#include <QColor>
#include <QDateTime>
#include <QFont>

namespace benchdeck::ui {

void RunHistoryModel::setRuns(std::vector<store::RunListing> runs)
{
    beginResetModel();
    runs_ = std::move(runs);
    endResetModel();
}

const store::RunListing* RunHistoryModel::runAt(int row) const
{
    return row >= 0 && row < int(runs_.size()) ? &runs_[size_t(row)] : nullptr;
}

int RunHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(runs_.size());
}

int RunHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto& run = runs_[size_t(index.row())];
    if (role == RunIdRole) {
        return qint64(run.id);
    }
    if (role == BaselineRole) {
        return run.baseline;
    }
    if (role == Qt::FontRole && run.baseline) {
        QFont bold;
        bold.setBold(true); // the run the others are read against
        return bold;
    }
    if (role == SortRole) {
        switch (index.column()) {
        case Rps: return run.rps;
        case P50: return qint64(run.p50Micros);
        case P99: return qint64(run.p99Micros);
        case Errors: return qint64(run.errors);
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole) {
        return index.column() >= Rps && index.column() <= Errors ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                  : QVariant();
    }
    if (role == Qt::ForegroundRole && index.column() == Status && run.status != "completed") {
        return QColor(run.status == "running" ? Qt::darkCyan : Qt::darkYellow);
    }
    if (role == Qt::ToolTipRole && index.column() == Label) {
        QString tip = run.baseline ? tr("Baseline run #%1").arg(run.id) : tr("Run #%1").arg(run.id);
        if (!run.note.empty()) {
            tip += QLatin1Char('\n') + QString::fromStdString(run.note);
        }
        return tip;
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (index.column()) {
    case When:
        return QDateTime::fromString(QString::fromStdString(run.startedAt), Qt::ISODateWithMs)
            .toLocalTime()
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Label: return (run.baseline ? QStringLiteral("★ ") : QString()) + QString::fromStdString(run.label);
    case Candidate: return QString::fromStdString(run.candidateName);
    case Target:
        return run.targetName.empty() ? QString::fromStdString(run.url)
                                      : QStringLiteral("%1 (%2)").arg(QString::fromStdString(run.targetName),
                                                                      QString::fromStdString(run.url));
    case Note: return QString::fromStdString(run.note);
    case Profile: return QString::fromStdString(run.profile);
    case Rps: return formatRate(run.rps);
    case P50: return formatLatency(double(run.p50Micros));
    case P99: return formatLatency(double(run.p99Micros));
    case Errors: return QString::number(run.errors);
    case Status: return QString::fromStdString(run.status);
    default: return {};
    }
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case When: return tr("When");
    case Label: return tr("Label");
    case Candidate: return tr("Candidate");
    case Target: return tr("Target");
    case Note: return tr("Note");
    case Profile: return tr("Profile");
    case Rps: return tr("req/s");
    case P50: return tr("p50");
    case P99: return tr("p99");
    case Errors: return tr("Errors");
    case Status: return tr("Status");
    default: return {};
    }
}

} // namespace benchdeck::ui
