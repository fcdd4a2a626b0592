// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "models/compare_model.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace benchdeck::ui {

class InteractiveChartView;

// Several runs side by side: req/s bars, the latency percentile distribution on a "nines" axis as
// HdrHistogram plots it, throughput over time, and the summary table against a baseline; for scenario
// runs, each step's figures side by side beneath it.
class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);
    // `targetIds`: the session's runTarget() of each run, when known (see CompareModel::setRuns()).
    void setRuns(std::vector<store::StoredRun> runs, std::vector<int64_t> targetIds = {});
    CompareModel* model() { return &model_; }
    StepCompareModel* stepModel() { return &stepModel_; }

private:
    void rebuildCharts();

    CompareModel model_;
    StepCompareModel stepModel_; // scenario runs' steps, beneath the summary table
    QComboBox* baseline_;
    QLabel* noiseNote_; // shown when the rows are groups of repeated runs
    QLabel* saturation_; // which runs may have measured the client rather than the server
    QTableView* table_;
    QTableView* stepTable_; // shown only when a compared run is a scenario run
    InteractiveChartView* bars_;
    InteractiveChartView* percentiles_;
    InteractiveChartView* overTime_;
};

} // namespace benchdeck::ui
