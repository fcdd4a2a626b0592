// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "models/session_tree_model.h"
#include "store/session_file.h"
#include "workflow/run_jobs.h"

#include <QWidget>

class QListView;
class QTreeView;
class QUndoStack;

namespace benchdeck::ui {

class RunHistoryPanel;

// The session's content beside the views: candidates with their targets, load profiles and the run
// history, and the dialogs that add, edit and remove them. Credential header values a user chose not
// to keep in the file stay here, in memory, so their targets still run in this window.
class SessionSidebar : public QWidget {
    Q_OBJECT
public:
    SessionSidebar(QUndoStack* undo, QWidget* parent);

    void setSession(store::SessionFile* session);
    void reload();

    // The steps the dialogs take, also for tests and the demo; 0 (with problem()) when refused.
    int64_t addCandidate(store::Candidate candidate);
    int64_t addTarget(store::Target target, bool keepSecrets);
    int64_t addProfile(store::Profile profile);

    int64_t selectedTargetId() const;
    int64_t selectedProfileId() const;
    void selectTarget(int64_t id);
    // What the window's Delete would act on now (the focused list's selection), in words.
    QString deletionDescription() const;

    const workflow::SecretHeaders& secretHeaders() const { return secretHeaders_; }
    SessionTreeModel* tree() { return &tree_; }
    ProfileListModel* profiles() { return &profiles_; }
    RunHistoryPanel* history() const { return history_; }

public slots:
    void addCandidateDialog();
    void addTargetDialog();
    void addProfileDialog();
    // On what has focus: a run is renamed, a profile, target or candidate edited.
    void editSelected();
    // On what has focus: runs are deleted (with undo), a profile, target or candidate removed (asked first).
    void removeSelected();

signals:
    void contentChanged(); // candidates, targets or profiles: the decision table re-reads them
    void problem(const QString& title, const QString& message);

private:
    void editTarget(int64_t id);

    store::SessionFile* session_ = nullptr;
    workflow::SecretHeaders secretHeaders_;
    SessionTreeModel tree_;
    ProfileListModel profiles_;
    QTreeView* treeView_;
    QListView* profileView_;
    RunHistoryPanel* history_;
};

} // namespace benchdeck::ui
