// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "models/run_details_models.h"
#include "store/run_record.h"

#include <QDialog>

class QPushButton;
class QTabWidget;

namespace benchdeck::ui {

// Everything one stored run holds, read-only: the plan as run, environment, summary, status codes, error
// kinds, phase timings, the open model's schedule, saturation, thresholds, server resources and the
// per-second series (copyable as CSV). It only reads the run it is given, so it works on read-only sessions.
class RunDetailsDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunDetailsDialog(store::StoredRun run, QWidget* parent = nullptr);

    const store::StoredRun& run() const { return run_; }
    RunFactsModel* facts() const { return facts_; }
    StatusCodesModel* statusCodes() const { return statusCodes_; }
    ErrorKindsModel* errorKinds() const { return errorKinds_; }
    ThresholdsModel* thresholds() const { return thresholds_; }
    SeriesModel* series() const { return series_; }
    QTabWidget* tabs() const { return tabs_; }

public slots:
    // Puts the per-second table on the clipboard as CSV.
    void copySeriesCsv() const;

private:
    QWidget* makeOverviewTab();
    QWidget* makeResponsesTab();
    QWidget* makeThresholdsTab();
    QWidget* makeServerTab();
    QWidget* makeSeriesTab();

    store::StoredRun run_;
    RunFactsModel* facts_;
    StatusCodesModel* statusCodes_;
    ErrorKindsModel* errorKinds_;
    ThresholdsModel* thresholds_;
    SeriesModel* series_;
    QTabWidget* tabs_;
};

} // namespace benchdeck::ui
