// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/run_record.h"

#include <QAbstractTableModel>

#include <vector>

namespace benchdeck::ui {

// The session's run history, one row per run, sortable through a QSortFilterProxyModel on SortRole.
class RunHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Figures come before the long texts so that they show in a narrow sidebar.
    enum Column { When, Label, Rps, P50, P99, Errors, Status, Candidate, Target, Profile, Note, ColumnCount };
    enum Role { RunIdRole = Qt::UserRole + 1, SortRole, BaselineRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setRuns(std::vector<store::RunListing> runs);
    const store::RunListing* runAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<store::RunListing> runs_;
};

} // namespace benchdeck::ui
