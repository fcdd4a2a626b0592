#pragma once

#include "store/run_record.h"

#include <QAbstractTableModel>

#include <vector>

namespace benchdeck::ui {

// The seed's comparison table: target | req/s | avg latency | p50 | p99 | memory | errors, with each
// run's difference against a chosen baseline run.
class CompareModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Run, Rps, Mean, P50, P99, Memory, Errors, RpsVsBaseline, P99VsBaseline, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setRuns(std::vector<store::StoredRun> runs);
    void setBaseline(int row);
    int baseline() const { return baseline_; }
    const std::vector<store::StoredRun>& runs() const { return runs_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString runName(const store::StoredRun& run);

private:
    std::vector<store::StoredRun> runs_;
    int baseline_ = 0;
};

} // namespace benchdeck::ui
