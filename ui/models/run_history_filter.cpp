// SPDX-License-Identifier: Apache-2.0
#include "run_history_filter.h"

#include "run_history_model.h"

namespace benchdeck::ui {

RunHistoryFilter::RunHistoryFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(RunHistoryModel::SortRole);
}

void RunHistoryFilter::setText(const QString& text)
{
    words_ = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

void RunHistoryFilter::setStatus(const QString& status)
{
    status_ = status;
    invalidateFilter();
}

bool RunHistoryFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const auto text = [&](int column) {
        return sourceModel()->index(sourceRow, column, sourceParent).data().toString();
    };
    if (!status_.isEmpty() && text(RunHistoryModel::Status) != status_) {
        return false;
    }
    const QString haystack = QStringList{text(RunHistoryModel::Label), text(RunHistoryModel::Candidate),
                                         text(RunHistoryModel::Target), text(RunHistoryModel::Profile),
                                         text(RunHistoryModel::Note)}
                                 .join(QLatin1Char('\n'));
    for (const QString& word : words_) {
        if (!haystack.contains(word, Qt::CaseInsensitive)) {
            return false;
        }
    }
    return true;
}

} // namespace benchdeck::ui
