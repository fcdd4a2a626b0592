// SPDX-License-Identifier: Apache-2.0
#include "run_history_panel.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>

namespace benchdeck::ui {
namespace {

// Deleting runs, undone by restoring them; both refresh the panel.
class DeleteRunsCommand : public QUndoCommand {
public:
    DeleteRunsCommand(RunHistoryPanel* panel, store::SessionFile* session, std::vector<int64_t> ids, const QString& text)
        : QUndoCommand(text)
        , panel_(panel)
        , session_(session)
        , ids_(std::move(ids))
    {
    }
    void redo() override { apply(&store::SessionFile::deleteRun); }
    void undo() override { apply(&store::SessionFile::restoreRun); }

private:
    void apply(bool (store::SessionFile::*step)(int64_t, std::string*))
    {
        std::string error;
        for (const int64_t id : ids_) {
            if (!(session_->*step)(id, &error)) {
                emit panel_->problem(QObject::tr("Run history"), QString::fromStdString(error));
            }
        }
        panel_->refresh();
        emit panel_->runsChanged();
    }

    RunHistoryPanel* panel_;
    store::SessionFile* session_;
    std::vector<int64_t> ids_;
};

} // namespace

RunHistoryPanel::RunHistoryPanel(QUndoStack* undo, QWidget* parent)
    : QWidget(parent)
    , undo_(undo)
    , search_(new QLineEdit(this))
    , status_(new QComboBox(this))
    , table_(new QTableView(this))
{
    filter_.setSourceModel(&model_);
    search_->setPlaceholderText(tr("Filter: label, candidate, target, plan, note"));
    search_->setClearButtonEnabled(true);
    search_->setAccessibleName(tr("Filter runs"));
    status_->addItem(tr("Any status"), QString());
    for (const char* status : {"completed", "stopped", "failed", "interrupted", "running"}) {
        status_->addItem(QString::fromLatin1(status), QString::fromLatin1(status));
    }
    status_->setAccessibleName(tr("Filter runs by status"));
    connect(search_, &QLineEdit::textChanged, &filter_, &RunHistoryFilter::setText);
    connect(status_, &QComboBox::currentIndexChanged, this,
            [this] { filter_.setStatus(status_->currentData().toString()); });

    table_->setModel(&filter_);
    table_->setObjectName(QStringLiteral("runHistory"));
    table_->setAccessibleName(tr("Run history"));
    table_->setSortingEnabled(true);
    table_->sortByColumn(RunHistoryModel::When, Qt::DescendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setToolTip(tr("Enter or double-click: the run's details. Ctrl+D: compare the selected runs. "
                          "Del: delete (Ctrl+Z brings it back). F2: rename."));
    connect(table_, &QTableView::activated, this, [this](const QModelIndex& index) {
        emit detailsRequested(index.data(RunHistoryModel::RunIdRole).toLongLong());
    });

    // The menu's shortcuts are the window's (Del, F2, Ctrl+D): listed here so they can be found.
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        const auto ids = selectedRunIds();
        if (ids.empty()) {
            return;
        }
        QMenu menu(this);
        menu.addAction(tr("&Details…"), this, [this, ids] { emit detailsRequested(ids.front()); });
        menu.addAction(tr("C&ompare selected"), this, &RunHistoryPanel::compareRequested);
        menu.addSeparator();
        const bool canWrite = writable();
        menu.addAction(tr("&Rename…"), this, &RunHistoryPanel::renameSelected)->setEnabled(canWrite && ids.size() == 1);
        menu.addAction(tr("Edit &note…"), this, &RunHistoryPanel::editNoteOfSelected)->setEnabled(canWrite && ids.size() == 1);
        menu.addAction(tr("Mark as &baseline"), this, &RunHistoryPanel::toggleBaselineOfSelected)
            ->setEnabled(canWrite && ids.size() == 1);
        menu.addSeparator();
        // A label's own "&" must not become a mnemonic.
        menu.addAction(tr("&Delete %1").arg(QString(selectionDescription()).replace(QLatin1Char('&'), QStringLiteral("&&"))), this, &RunHistoryPanel::deleteSelected)
            ->setEnabled(canWrite);
        menu.exec(table_->viewport()->mapToGlobal(at));
    });

    auto* filters = new QHBoxLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->addWidget(search_, 1);
    filters->addWidget(status_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(table_, 1);
}

void RunHistoryPanel::setSession(store::SessionFile* session)
{
    session_ = session;
    undo_->clear(); // a closed session's deletions are final
    refresh();
}

void RunHistoryPanel::refresh()
{
    std::string error;
    model_.setRuns(session_ ? session_->listRuns(&error) : std::vector<store::RunListing>{});
}

std::vector<int64_t> RunHistoryPanel::selectedRunIds() const
{
    std::vector<int64_t> ids;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows()) {
        ids.push_back(index.data(RunHistoryModel::RunIdRole).toLongLong());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

bool RunHistoryPanel::hasFocusedTable() const
{
    return table_->hasFocus();
}

QString RunHistoryPanel::selectionDescription() const
{
    const auto ids = selectedRunIds();
    if (ids.size() != 1) {
        return ids.empty() ? QString() : tr("%n run(s)", nullptr, int(ids.size()));
    }
    for (int row = 0; row < model_.rowCount(); ++row) {
        if (model_.runAt(row)->id == ids.front()) {
            return tr("run #%1 '%2'").arg(ids.front()).arg(QString::fromStdString(model_.runAt(row)->label));
        }
    }
    return tr("run #%1").arg(ids.front());
}

const store::RunListing* RunHistoryPanel::singleSelection() const
{
    // By id, not by the current row: after Ctrl+click the two can differ.
    const auto ids = selectedRunIds();
    for (int row = 0; ids.size() == 1 && row < model_.rowCount(); ++row) {
        if (model_.runAt(row)->id == ids.front()) {
            return model_.runAt(row);
        }
    }
    return nullptr;
}

bool RunHistoryPanel::writable() const
{
    return session_ && !session_->readOnly();
}

bool RunHistoryPanel::deleteRuns(const std::vector<int64_t>& ids)
{
    if (!writable() || ids.empty()) {
        emit problem(tr("Delete runs"), session_ ? tr("This session is read-only.") : tr("No session is open."));
        return false;
    }
    for (int row = 0; row < model_.rowCount(); ++row) {
        const auto* run = model_.runAt(row);
        if (run->status == "running" && std::find(ids.begin(), ids.end(), run->id) != ids.end()) {
            emit problem(tr("Delete runs"), tr("Run #%1 is still running: stop it first.").arg(run->id));
            return false;
        }
    }
    const QString what = ids.size() == 1 ? tr("run #%1").arg(ids.front()) : tr("%n run(s)", nullptr, int(ids.size()));
    undo_->push(new DeleteRunsCommand(this, session_, ids, tr("Delete %1").arg(what)));
    emit message(tr("Deleted %1. Edit ▸ Undo (Ctrl+Z) brings it back until the session is closed.").arg(what));
    return true;
}

bool RunHistoryPanel::annotate(const QString& title, const std::function<bool(std::string*)>& write)
{
    std::string error;
    if (!writable() || !write(&error)) {
        emit problem(title, error.empty() ? tr("This session is read-only.") : QString::fromStdString(error));
        return false;
    }
    refresh();
    emit runsChanged();
    return true;
}

bool RunHistoryPanel::renameRun(int64_t id, const QString& label)
{
    return annotate(tr("Rename run"), [&](std::string* error) {
        return session_->setRunLabel(id, label.trimmed().toStdString(), error);
    });
}

bool RunHistoryPanel::setNote(int64_t id, const QString& note)
{
    return annotate(tr("Run note"), [&](std::string* error) {
        return session_->setRunNote(id, note.trimmed().toStdString(), error);
    });
}

bool RunHistoryPanel::setBaseline(int64_t id)
{
    return annotate(tr("Baseline"), [&](std::string* error) { return session_->setBaselineRun(id, error); });
}

void RunHistoryPanel::deleteSelected()
{
    deleteRuns(selectedRunIds());
}

void RunHistoryPanel::renameSelected()
{
    const auto* run = singleSelection();
    if (!run) {
        return;
    }
    const auto ids = std::vector<int64_t>{run->id};
    bool ok = false;
    const QString label = QInputDialog::getText(this, tr("Rename run"), tr("Label of run #%1:").arg(ids.front()),
                                                QLineEdit::Normal, QString::fromStdString(run->label), &ok);
    if (ok) {
        renameRun(ids.front(), label);
    }
}

void RunHistoryPanel::editNoteOfSelected()
{
    const auto* run = singleSelection();
    if (!run) {
        return;
    }
    const auto ids = std::vector<int64_t>{run->id};
    bool ok = false;
    const QString note = QInputDialog::getMultiLineText(this, tr("Run note"), tr("Note on run #%1:").arg(ids.front()),
                                                        QString::fromStdString(run->note), &ok);
    if (ok) {
        setNote(ids.front(), note);
    }
}

void RunHistoryPanel::toggleBaselineOfSelected()
{
    if (const auto* run = singleSelection()) {
        setBaseline(run->baseline ? 0 : run->id);
    }
}

} // namespace benchdeck::ui
