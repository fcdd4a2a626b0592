// SPDX-License-Identifier: Apache-2.0
// The window's menus, toolbar and shortcuts, with the keys a user would expect (F5 run, Shift+F5
// stop, Ctrl+D compare, Del, F2, Ctrl+Z), and the dialogs the menus open before calling core.
#include "main_window.h"

#include "comparison/comparison_report.h"
#include "dialogs/export_dialog.h"
#include "engine/engine.h"
#include "recent_files.h"
#include "views/compare_view.h"
#include "workflow/calibration.h"
#include "views/run_history_panel.h"
#include "views/session_sidebar.h"
#include "welcome_page.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QStatusBar>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QToolBar>
#include <QUndoStack>

#include <sqlite3.h>

namespace benchdeck::ui {
namespace {

const QString kFileFilter = QStringLiteral("Benchdeck sessions (*.benchdeck);;All files (*)");

} // namespace

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New session"), QKeySequence::New, this, &MainWindow::newSession);
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openSessionDialog);
    recent_ = new RecentFiles(file->addMenu(tr("Open &Recent")), this);
    connect(recent_, &RecentFiles::openRequested, this, [this](const QString& path) { openSession(path); });
    connect(recent_, &RecentFiles::changed, welcome_, &WelcomePage::setRecentFiles);
    auto* save = file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::save);
    auto* saveAs = file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, &MainWindow::saveAs);
    auto* exportReport = file->addAction(tr("&Export report…"), QKeySequence(tr("Ctrl+E")), this,
                                         &MainWindow::exportDialog);
    auto* importScenario = file->addAction(tr("&Import scenario (HAR, OpenAPI, Postman)…"),
                                           QKeySequence(tr("Ctrl+Shift+I")), this, &MainWindow::importScenarioDialog);
    file->addSeparator();
    file->addAction(tr("Run the &demo"), this, [this] { startDemo(sessionsFile(QStringLiteral("demo.benchdeck"))); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    auto* undo = undo_->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    auto* redo = undo_->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addActions({undo, redo});
    edit->addSeparator();
    auto* addCandidate = edit->addAction(tr("Add &candidate…"), QKeySequence(tr("Ctrl+Shift+C")), sidebar_,
                                         &SessionSidebar::addCandidateDialog);
    auto* addTarget = edit->addAction(tr("Add &target…"), QKeySequence(tr("Ctrl+T")), sidebar_,
                                      &SessionSidebar::addTargetDialog);
    auto* addProfile = edit->addAction(tr("Add load &profile…"), QKeySequence(tr("Ctrl+Shift+P")), sidebar_,
                                       &SessionSidebar::addProfileDialog);
    auto* editItem = edit->addAction(tr("&Edit or rename selected…"), QKeySequence(Qt::Key_F2), sidebar_,
                                     &SessionSidebar::editSelected);
    removeAction_ = edit->addAction(tr("&Delete selected"), QKeySequence::Delete, sidebar_, &SessionSidebar::removeSelected);
    // The action says what it would delete: the focused list decides.
    connect(edit, &QMenu::aboutToShow, this, [this] {
        const QString what = sidebar_->deletionDescription();
        removeAction_->setText(what.isEmpty() ? tr("&Delete selected") : tr("&Delete %1").arg(QString(what).replace(QLatin1Char('&'), QStringLiteral("&&"))));
    });
    auto* history = sidebar_->history();
    auto* note = edit->addAction(tr("Edit run &note…"), history, &RunHistoryPanel::editNoteOfSelected);
    auto* baseline = edit->addAction(tr("Mark run as &baseline"), QKeySequence(tr("Ctrl+B")), history,
                                     &RunHistoryPanel::toggleBaselineOfSelected);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    startAction_ = run->addAction(tr("&Start selected target"), QKeySequence(Qt::Key_F5), this,
                                  [this] { runTargets({sidebar_->selectedTargetId()}, sidebar_->selectedProfileId()); });
    campaignAction_ = run->addAction(tr("Run &campaign (all targets)…"), QKeySequence(tr("Ctrl+F5")), this,
                                     &MainWindow::runCampaign);
    stopAction_ = run->addAction(tr("S&top"), QKeySequence(tr("Shift+F5")), &runner_, &workflow::LoadRunner::stop);
    run->addAction(tr("Ca&librate this machine…"), this, &MainWindow::calibrateMachine);
    // Live export for Prometheus (docs/prometheus.md): off by default, remembered between sessions.
    metricsAction_ = run->addAction(tr("Serve live &metrics for Prometheus…"));
    metricsAction_->setCheckable(true);
    connect(metricsAction_, &QAction::triggered, this, [this](bool on) {
        bool ok = !on;
        const QString address =
            on ? QInputDialog::getText(this, tr("Live metrics"),
                                       tr("Serve OpenMetrics at http://ADDRESS/metrics while runs last (and the last "
                                          "run's figures after it). HOST:PORT:"),
                                       QLineEdit::Normal,
                                       QSettings().value(QStringLiteral("metrics/listen"), QStringLiteral("127.0.0.1:9464")).toString(),
                                       &ok)
               : QString();
        if (!ok || (on && address.trimmed().isEmpty())) {
            metricsAction_->setChecked(false);
            return;
        }
        setMetricsListen(address.trimmed());
    });
    run->addSeparator();
    auto* compare = run->addAction(tr("C&ompare selected runs"), QKeySequence(tr("Ctrl+D")), this,
                                   &MainWindow::compareSelected);
    auto* details = run->addAction(tr("Run &details…"), QKeySequence(tr("Ctrl+I")), this, [this] {
        const auto ids = sidebar_->history()->selectedRunIds();
        if (!ids.empty()) {
            showRunDetails(ids.front());
        }
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QMenu* examples = help->addMenu(tr("&Examples"));
    examples->addAction(tr("&Go vs Python (real servers)…"), this,
                        [this] { startGoVsPythonExample(sessionsFile(QStringLiteral("go-vs-python.benchdeck"))); });
    help->addAction(tr("&About Benchdeck"), this, &MainWindow::about);

    auto* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->addActions({addCandidate, addTarget, addProfile});
    toolbar->addSeparator();
    toolbar->addActions({startAction_, campaignAction_, stopAction_, compare});
    sessionActions_ = {save, addCandidate, addTarget, addProfile, editItem, removeAction_, note, baseline, importScenario};
    exportActions_ = {exportReport, saveAs, compare, details}; // reading a read-only session is fine
}

void MainWindow::newSession()
{
    openSession(sessionsFile(QStringLiteral("untitled-%1.benchdeck")
                                 .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))),
                true);
}

void MainWindow::openSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QString(), kFileFilter);
    if (!path.isEmpty()) {
        openSession(path);
    }
}

void MainWindow::save()
{
    if (untitled_) {
        saveAs();
        return;
    }
    statusBar()->showMessage(tr("Saved. Benchdeck stores every change as you make it."), 5000);
}

void MainWindow::saveAs()
{
    QFileDialog dialog(this, tr("Save session as"), QString(), kFileFilter);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(QStringLiteral("benchdeck")); // so the overwrite question sees the real name
    if (!session_ || dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty()) {
        return;
    }
    std::string error;
    const QString path = dialog.selectedFiles().first();
    if (!store::saveCopyReplacing(*session_, path.toStdString(), &error)) {
        showError(tr("Cannot save"), QString::fromStdString(error));
        return;
    }
    openSession(path);
}

void MainWindow::runCampaign()
{
    std::string error;
    std::vector<int64_t> ids;
    for (const auto& target : session_ ? session_->targets(&error) : std::vector<store::Target>{}) {
        ids.push_back(target.id);
    }
    bool ok = false;
    const int repeats = QInputDialog::getInt(this, tr("Run campaign"),
                                             tr("Run every target this many times, interleaved (A B A B …) so that "
                                                "drift hits all alike:"),
                                             1, 1, 20, 1, &ok);
    if (ok) {
        runTargets(ids, sidebar_->selectedProfileId(), repeats);
    }
}

void MainWindow::exportDialog()
{
    if (!session_) {
        return;
    }
    std::string error;
    std::vector<int64_t> shown;
    for (const auto& run : compare_->model()->runs()) {
        shown.push_back(run.listing.id);
    }
    ExportDialog dialog(session_->listRuns(&error), shown, this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    if (QFileInfo(dialog.path()).isFile() &&
        QMessageBox::question(this, tr("Replace file?"),
                              tr("%1 already exists. Replace it with the report?").arg(dialog.path()),
                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes) {
        return;
    }
    if (exportReport(dialog.request(), dialog.format(), dialog.path()) && dialog.openWhenWritten()) {
        QDesktopServices::openUrl(QUrl::fromLocalFile(dialog.path()));
    }
}

void MainWindow::calibrateMachine()
{
    if (runner_.isRunning() || calibration_.joinable()) {
        statusBar()->showMessage(tr("Wait for the current run to finish before calibrating"), 5000);
        return;
    }
    statusBar()->showMessage(tr("Calibrating: measuring the generator's ceiling and latency error (about 7 s)…"));
    // Off the UI thread; the answer comes back through the event loop.
    calibration_ = std::jthread([this] {
        const auto result = workflow::calibrate(std::chrono::seconds(3), 0);
        const QString text = QString::fromStdString(result.error.empty() ? workflow::describe(result)
                                                                         : "Calibration failed: " + result.error);
        QMetaObject::invokeMethod(this, [this, text] {
            calibration_.join();
            statusBar()->showMessage(tr("Calibration finished"), 5000);
            auto* box = new QMessageBox(QMessageBox::Information, tr("This machine's limits"), text, QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->show();
        });
    });
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About Benchdeck"),
                       tr("<h3>Benchdeck %1</h3><p>Load-test HTTP backends side by side and decide which one "
                          "fits.</p><p>Qt %2 · libcurl %3 · SQLite %4</p>")
                           .arg(QStringLiteral(BENCHDECK_VERSION), QString::fromLatin1(qVersion()),
                                QString::fromStdString(engine::libcurlVersion()),
                                QString::fromLatin1(sqlite3_libversion())));
}

QString MainWindow::sessionsFile(const QString& name)
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return QDir(folder).filePath(name);
}

bool MainWindow::setMetricsListen(const QString& address)
{
    std::string error;
    QSettings settings;
    if (!runner_.serveMetrics(address.toStdString(), &error)) {
        metricsAction_->setChecked(false);
        settings.remove(QStringLiteral("metrics/enabled"));
        showError(tr("Live metrics"), QString::fromStdString(error));
        return false;
    }
    metricsAction_->setChecked(!address.isEmpty());
    settings.setValue(QStringLiteral("metrics/enabled"), !address.isEmpty());
    if (!address.isEmpty()) {
        settings.setValue(QStringLiteral("metrics/listen"), address);
        statusBar()->showMessage(tr("Serving live metrics at %1").arg(QString::fromStdString(runner_.metricsUrl())), 10000);
    }
    return true;
}

} // namespace benchdeck::ui
