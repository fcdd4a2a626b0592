// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "report/thresholds.h"
#include "workflow/load_runner.h"

#include <QWidget>

class QLabel;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QChartView;

namespace benchdeck::ui {

// The run as it happens: progress with ETA, running totals and three charts fed by the engine's
// snapshots (four a second). It only draws what it is given.
class LiveRunView : public QWidget {
    Q_OBJECT
public:
    explicit LiveRunView(QWidget* parent = nullptr);

    void startJob(int jobIndex, int jobCount, const QString& label);
    void update(const workflow::LiveUpdate& update);
    // The run's summary, and the verdicts of its plan's thresholds (none when it had none).
    void finishJob(const metrics::RunResult& result, const std::vector<report::ThresholdVerdict>& verdicts = {});
    QString thresholdText() const;
    void setIdle(const QString& message);
    // A problem of the current campaign (unreachable target, invalid plan), shown without a dialog.
    void addProblem(const QString& message);
    int throughputPoints() const;

signals:
    void stopRequested();

private:
    QLabel* title_;
    QLabel* totals_;
    QLabel* warning_;
    QLabel* thresholds_;
    QLabel* problems_;
    QProgressBar* progress_;
    QPushButton* stop_;
    QChartView* throughputView_;
    QChartView* latencyView_;
    QChartView* errorsView_;
    QLineSeries* throughput_;
    QLineSeries* p50_;
    QLineSeries* p90_;
    QLineSeries* p99_;
    QLineSeries* errors_;
};

} // namespace benchdeck::ui
