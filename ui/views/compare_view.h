#pragma once

#include "models/compare_model.h"

#include <QWidget>

class QChartView;
class QComboBox;
class QTableView;

namespace benchdeck::ui {

// Several runs side by side: req/s bars, the latency percentile distribution on a "nines" axis as
// HdrHistogram plots it, throughput over time, and the summary table against a baseline.
class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);
    void setRuns(std::vector<store::StoredRun> runs);
    CompareModel* model() { return &model_; }

private:
    void rebuildCharts();

    CompareModel model_;
    QComboBox* baseline_;
    QTableView* table_;
    QChartView* bars_;
    QChartView* percentiles_;
    QChartView* overTime_;
};

} // namespace benchdeck::ui
