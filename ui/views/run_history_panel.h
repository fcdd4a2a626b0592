// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "models/run_history_filter.h"
#include "models/run_history_model.h"
#include "store/session_file.h"

#include <QWidget>

#include <functional>
#include <string>
#include <vector>

class QComboBox;
class QLineEdit;
class QTableView;
class QUndoStack;

namespace benchdeck::ui {

// The session's run history: filter, select, open a run's details, and manage runs (rename, note,
// baseline, delete). Deleting goes through the window's undo stack: a deleted run can be brought back
// until the session is closed (store/session_file.h).
class RunHistoryPanel : public QWidget {
    Q_OBJECT
public:
    RunHistoryPanel(QUndoStack* undo, QWidget* parent);

    void setSession(store::SessionFile* session);
    void refresh();

    std::vector<int64_t> selectedRunIds() const;
    bool hasFocusedTable() const;
    // What Del would delete, in words ("run #4 'steady'", "3 runs"); empty when nothing is selected.
    QString selectionDescription() const;

    // The steps the actions take, also for tests. False (with problem() emitted) when refused.
    bool deleteRuns(const std::vector<int64_t>& ids);
    bool renameRun(int64_t id, const QString& label);
    bool setNote(int64_t id, const QString& note);
    bool setBaseline(int64_t id);

    RunHistoryModel* model() { return &model_; }
    RunHistoryFilter* filter() { return &filter_; }
    QTableView* table() const { return table_; }

public slots:
    void deleteSelected();
    void renameSelected();
    void editNoteOfSelected();
    void toggleBaselineOfSelected();

signals:
    void detailsRequested(int64_t runId);
    void compareRequested();
    void runsChanged(); // deleted, restored or annotated: views showing runs reload
    void problem(const QString& title, const QString& message);
    void message(const QString& text);

private:
    bool writable() const;
    // One change to the session's runs: refused on a read-only session, reported when it fails.
    bool annotate(const QString& title, const std::function<bool(std::string*)>& write);
    const store::RunListing* singleSelection() const; // the one selected run, or none

    store::SessionFile* session_ = nullptr;
    QUndoStack* undo_;
    RunHistoryModel model_;
    RunHistoryFilter filter_;
    QLineEdit* search_;
    QComboBox* status_;
    QTableView* table_;
};

} // namespace benchdeck::ui
