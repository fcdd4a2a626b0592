// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "comparison/comparison_report.h"
#include "store/run_record.h"

#include <QAbstractTableModel>

#include <optional>
#include <string>
#include <vector>

namespace benchdeck::ui {

// The seed's comparison table: target | req/s | avg latency | p50 | p99 | memory | errors, with each
// run's difference against a chosen baseline run.
//
// When the runs hold repeats (a campaign's A B A B ...: same target, or URL + label, and same plan; see
// comparison::repeatGroups()), each row is a group instead: its medians with 95 % bootstrap intervals,
// and ratio cells marked "within noise" where the interval contains 1 (docs/noise.md). Without repeats
// the rows stay one per run, as before.
class CompareModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Run, Rps, Mean, P50, P99, Memory, Errors, RpsVsBaseline, P99VsBaseline, ColumnCount };
    enum Role {
        // On the ratio columns of rows other than the baseline: "significant", "within_noise" or "unknown"
        // (metrics::noiseVerdictName(); always "unknown" when the rows are single runs).
        NoiseRole = Qt::UserRole + 1,
    };

    using QAbstractTableModel::QAbstractTableModel;

    // `targetIds`: the session's runTarget() of each run, when known; otherwise URL and label stand in.
    void setRuns(std::vector<store::StoredRun> runs, std::vector<int64_t> targetIds = {});
    // The baseline as a row: a run, or a group when grouped().
    void setBaseline(int row);
    int baseline() const { return baseline_; }
    const std::vector<store::StoredRun>& runs() const { return runs_; }
    // Whether rows are groups of repeated runs rather than single runs.
    bool grouped() const { return grouped_; }
    // Every run's group (one per run when nothing repeats), summarised against the baseline.
    const std::vector<comparison::RunGroup>& groups() const { return groups_; }
    // The row's name as the baseline chooser lists it.
    QString rowName(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString runName(const store::StoredRun& run);

private:
    QVariant groupData(const QModelIndex& index, int role) const;
    size_t baselineRun() const;
    void regroup();

    std::vector<store::StoredRun> runs_;
    std::vector<int64_t> targetIds_;
    std::vector<comparison::RunGroup> groups_;
    bool grouped_ = false;
    int baseline_ = 0;
};

// Beneath the comparison table when any compared run is a scenario run: each step's p99, req/s and
// failed checks, one row per step and figure ("step login p99") and one column per run, so a step that
// got slower stands out although the run's overall figures hide it. Steps are matched across runs by
// scenario and step name; a run without that step, or a single-URL run, shows "–". Reads each run's
// summary.steps only. No rows when no run is a scenario run.
class StepCompareModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Figure { P99, Rps, ChecksFailed };
    static constexpr int kFigureCount = 3;
    // Column 0 names the row; column 1 + i shows runs[i].
    static constexpr int kFirstRunColumn = 1;
    enum Role {
        // The figure as a number: p99 in microseconds, req/s, failed checks. Invalid where the run has
        // no such step, or (p99) where the step never got an answer.
        ValueRole = Qt::UserRole + 1,
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setRuns(const std::vector<store::StoredRun>& runs);
    // Which figure a row shows: rows go step by step, each step's figures in Figure order.
    static Figure figureAt(int row) { return Figure(row % kFigureCount); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    // One step of any compared run, with its figures in each run (none where the run lacks it).
    struct StepLine {
        std::string scenario;
        std::string step;
        std::vector<std::optional<metrics::StepSummary>> perRun;
    };
    StepLine& lineFor(const metrics::StepSummary& step);
    const StepLine& lineAt(int row) const { return lines_[size_t(row / kFigureCount)]; }
    QString stepName(const StepLine& line) const;
    QString rowLabel(int row) const;
    QString missingTip(int row, size_t run) const;
    static QString cellText(const std::optional<metrics::StepSummary>& step, Figure figure);
    static QVariant cellValue(const std::optional<metrics::StepSummary>& step, Figure figure);

    std::vector<QString> runNames_;
    std::vector<bool> scenarioRuns_; // per run: whether it has steps at all
    std::vector<StepLine> lines_;    // in the order steps first appear across the runs
    bool qualified_ = false;         // steps of more than one scenario: named "scenario/step"
};

} // namespace benchdeck::ui
