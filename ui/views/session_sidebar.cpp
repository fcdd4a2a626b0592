// SPDX-License-Identifier: Apache-2.0
#include "session_sidebar.h"

#include "dialogs/profile_dialog.h"
#include "dialogs/target_dialog.h"
#include "run_history_panel.h"

#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

namespace benchdeck::ui {

SessionSidebar::SessionSidebar(QUndoStack* undo, QWidget* parent)
    : QWidget(parent)
    , treeView_(new QTreeView(this))
    , profileView_(new QListView(this))
    , history_(new RunHistoryPanel(undo, this))
{
    treeView_->setModel(&tree_);
    treeView_->setHeaderHidden(true);
    treeView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    treeView_->setTextElideMode(Qt::ElideMiddle); // long URLs keep their host and their path's end
    treeView_->setAccessibleName(tr("Candidates and targets"));
    treeView_->setToolTip(tr("Candidates and their targets. Double-click or F2 to edit, F5 to run the selected "
                             "target with the selected profile."));
    connect(treeView_, &QTreeView::doubleClicked, this, &SessionSidebar::editSelected);
    profileView_->setModel(&profiles_);
    profileView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    profileView_->setAccessibleName(tr("Load profiles"));
    connect(profileView_, &QListView::doubleClicked, this, &SessionSidebar::editSelected);
    connect(history_, &RunHistoryPanel::problem, this, &SessionSidebar::problem);

    auto* side = new QSplitter(Qt::Vertical, this);
    const auto section = [&](const QString& title, QWidget* content) {
        auto* box = new QWidget(side);
        auto* layout = new QVBoxLayout(box);
        layout->setContentsMargins(4, 4, 4, 4);
        auto* label = new QLabel(title, box);
        QFont bold = label->font();
        bold.setBold(true);
        label->setFont(bold);
        label->setBuddy(content); // Alt+letter moves the keyboard focus there
        layout->addWidget(label);
        layout->addWidget(content, 1);
        side->addWidget(box);
    };
    section(tr("C&andidates and targets"), treeView_);
    section(tr("Load &profiles"), profileView_);
    section(tr("Run h&istory"), history_);
    side->setStretchFactor(2, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(side);
}

void SessionSidebar::setSession(store::SessionFile* session)
{
    session_ = session;
    secretHeaders_.clear();
    history_->setSession(session);
    reload();
}

void SessionSidebar::reload()
{
    std::string error;
    const int64_t selectedTarget = selectedTargetId();
    const int64_t selectedProfile = selectedProfileId();
    tree_.setContent(session_ ? session_->candidates(&error) : std::vector<store::Candidate>{},
                     session_ ? session_->targets(&error) : std::vector<store::Target>{});
    profiles_.setProfiles(session_ ? session_->profiles(&error) : std::vector<store::Profile>{});
    treeView_->expandAll();
    // Reloading must not change what F5 would run.
    const QModelIndex profile = profiles_.indexOfProfile(selectedProfile);
    profileView_->setCurrentIndex(profile.isValid() ? profile : profiles_.index(0, 0));
    if (selectedTarget) {
        selectTarget(selectedTarget);
    }
}

int64_t SessionSidebar::addCandidate(store::Candidate candidate)
{
    std::string error;
    if (!session_ || !session_->saveCandidate(candidate, &error)) {
        emit problem(tr("Cannot add the candidate"), QString::fromStdString(error));
        return 0;
    }
    reload();
    emit contentChanged();
    return candidate.id;
}

int64_t SessionSidebar::addTarget(store::Target target, bool keepSecrets)
{
    std::string error;
    if (!session_ || !session_->saveTarget(target, keepSecrets, &error)) {
        emit problem(tr("Cannot add the target"), QString::fromStdString(error));
        return 0;
    }
    // Withheld credentials stay in memory for this session only, so the target still runs.
    workflow::rememberWithheldSecrets(secretHeaders_, target, keepSecrets);
    reload();
    selectTarget(target.id);
    emit contentChanged();
    return target.id;
}

int64_t SessionSidebar::addProfile(store::Profile profile)
{
    std::string error;
    if (!session_ || !session_->saveProfile(profile, &error)) {
        emit problem(tr("Cannot add the profile"), QString::fromStdString(error));
        return 0;
    }
    reload();
    profileView_->setCurrentIndex(profiles_.indexOfProfile(profile.id));
    return profile.id;
}

int64_t SessionSidebar::selectedTargetId() const
{
    return SessionTreeModel::targetAt(treeView_->currentIndex());
}

int64_t SessionSidebar::selectedProfileId() const
{
    return ProfileListModel::profileAt(profileView_->currentIndex());
}

void SessionSidebar::selectTarget(int64_t id)
{
    const QModelIndex index = tree_.indexOfTarget(id);
    if (index.isValid()) {
        treeView_->setCurrentIndex(index);
    }
}

QString SessionSidebar::deletionDescription() const
{
    if (history_->hasFocusedTable()) {
        return history_->selectionDescription();
    }
    if (profileView_->hasFocus() && profileView_->currentIndex().isValid()) {
        return tr("profile '%1'").arg(profileView_->currentIndex().data().toString());
    }
    const QModelIndex current = treeView_->currentIndex();
    if (!treeView_->hasFocus() || !current.isValid()) {
        return {};
    }
    return current.data(SessionTreeModel::KindRole).toInt() == SessionTreeModel::TargetItem
               ? tr("target '%1'").arg(current.data().toString())
               : tr("candidate '%1'").arg(current.data().toString());
}

void SessionSidebar::addCandidateDialog()
{
    CandidateDialog dialog({}, this);
    if (dialog.exec() == QDialog::Accepted) {
        addCandidate(dialog.candidate());
    }
}

void SessionSidebar::addTargetDialog()
{
    if (!session_) {
        return;
    }
    std::string error;
    store::Target target;
    target.candidateId = SessionTreeModel::candidateAt(treeView_->currentIndex());
    TargetDialog dialog(target, session_->candidates(&error), this);
    if (dialog.exec() == QDialog::Accepted) {
        addTarget(dialog.target(), dialog.keepSecrets());
    }
}

void SessionSidebar::addProfileDialog()
{
    store::Profile profile;
    profile.name = "10 users, 10 s";
    profile.load.duration = std::chrono::seconds(10);
    ProfileDialog dialog(profile, this);
    if (dialog.exec() == QDialog::Accepted) {
        addProfile(dialog.profile());
    }
}

void SessionSidebar::editSelected()
{
    if (!session_) {
        return;
    }
    if (history_->hasFocusedTable()) {
        history_->renameSelected();
        return;
    }
    std::string error;
    if (profileView_->hasFocus() && profileView_->currentIndex().isValid()) {
        for (const auto& profile : session_->profiles(&error)) {
            if (profile.id == selectedProfileId()) {
                ProfileDialog dialog(profile, this);
                if (dialog.exec() == QDialog::Accepted) {
                    addProfile(dialog.profile());
                }
            }
        }
        return;
    }
    const QModelIndex current = treeView_->currentIndex();
    if (!treeView_->hasFocus() || !current.isValid()) {
        return; // F2 acts on the list that has the focus, never on one out of sight
    }
    const int64_t id = current.data(SessionTreeModel::IdRole).toLongLong();
    if (current.data(SessionTreeModel::KindRole).toInt() == SessionTreeModel::TargetItem) {
        editTarget(id);
        return;
    }
    for (const auto& candidate : session_->candidates(&error)) {
        if (candidate.id == id) {
            CandidateDialog dialog(candidate, this);
            if (dialog.exec() == QDialog::Accepted) {
                addCandidate(dialog.candidate());
            }
        }
    }
}

void SessionSidebar::editTarget(int64_t id)
{
    std::string error;
    for (auto target : session_->targets(&error)) {
        if (target.id != id) {
            continue;
        }
        const bool keptInFile = workflow::restoreRememberedSecrets(secretHeaders_, target);
        TargetDialog dialog(target, session_->candidates(&error), this);
        // The box shows what the file holds: ticked when a secret is kept there, and unticking it
        // takes the secret out of the file (this run of the app still knows it).
        dialog.setKeepSecrets(keptInFile);
        if (dialog.exec() == QDialog::Accepted) {
            addTarget(dialog.target(), dialog.keepSecrets());
        }
    }
}

void SessionSidebar::removeSelected()
{
    if (!session_) {
        return;
    }
    if (history_->hasFocusedTable()) {
        history_->deleteSelected(); // undoable, so not asked
        return;
    }
    const QString what = deletionDescription();
    if (what.isEmpty()) {
        return;
    }
    const bool profile = profileView_->hasFocus() && profileView_->currentIndex().isValid();
    if (QMessageBox::question(this, tr("Remove"),
                              profile ? tr("Remove the load %1?").arg(what)
                                      : tr("Remove the %1? Its recorded runs stay in the history.").arg(what)) !=
        QMessageBox::Yes) {
        return;
    }
    std::string error;
    bool ok = true;
    if (profile) {
        ok = session_->removeProfile(selectedProfileId(), &error);
    } else {
        const QModelIndex current = treeView_->currentIndex();
        const int64_t id = current.data(SessionTreeModel::IdRole).toLongLong();
        ok = current.data(SessionTreeModel::KindRole).toInt() == SessionTreeModel::TargetItem
                 ? session_->removeTarget(id, &error)
                 : session_->removeCandidate(id, &error);
    }
    if (!ok) {
        emit problem(tr("Cannot remove"), QString::fromStdString(error));
    }
    reload();
    emit contentChanged();
}

} // namespace benchdeck::ui
