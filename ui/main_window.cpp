// SPDX-License-Identifier: Apache-2.0
#include "main_window.h"

#include "comparison/pdf_layout.h"
#include "comparison/report_export.h"
#include "dialogs/run_details_dialog.h"
#include "recent_files.h"
#include "views/compare_view.h"
#include "views/decision_view.h"
#include "views/live_run_view.h"
#include "views/run_history_panel.h"
#include "views/session_sidebar.h"
#include "welcome_page.h"
#include "workflow/decision_inputs.h"
#include "workflow/go_vs_python_example.h"
#include "workflow/run_jobs.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoStack>

namespace benchdeck::ui {
MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , undo_(new QUndoStack(this))
{
    setWindowTitle(tr("Benchdeck"));
    pages_ = new QStackedWidget(this);
    welcome_ = new WelcomePage(pages_);
    tabs_ = new QTabWidget(pages_);
    live_ = new LiveRunView(tabs_);
    compare_ = new CompareView(tabs_);
    decision_ = new DecisionView(tabs_);
    tabs_->addTab(live_, tr("&Live run"));
    tabs_->addTab(compare_, tr("&Compare"));
    tabs_->addTab(decision_, tr("&Decision table"));
    pages_->addWidget(welcome_);
    pages_->addWidget(tabs_);
    setCentralWidget(pages_);

    sidebar_ = new SessionSidebar(undo_, this);
    auto* dock = new QDockWidget(tr("Session"), this);
    dock->setObjectName(QStringLiteral("sessionDock"));
    dock->setWidget(sidebar_);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setMinimumWidth(300);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    buildActions();

    connect(sidebar_, &SessionSidebar::problem, this, &MainWindow::showError);
    connect(sidebar_, &SessionSidebar::contentChanged, this, &MainWindow::refreshDecision);
    auto* history = sidebar_->history();
    connect(history, &RunHistoryPanel::detailsRequested, this, &MainWindow::showRunDetails);
    connect(history, &RunHistoryPanel::compareRequested, this, &MainWindow::compareSelected);
    connect(history, &RunHistoryPanel::runsChanged, this, &MainWindow::refreshDecision);
    connect(history, &RunHistoryPanel::message, this, [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(welcome_, &WelcomePage::demoRequested, this, [this] { startDemo(sessionsFile(QStringLiteral("demo.benchdeck"))); });
    connect(welcome_, &WelcomePage::exampleRequested, this,
            [this] { startGoVsPythonExample(sessionsFile(QStringLiteral("go-vs-python.benchdeck"))); });
    connect(welcome_, &WelcomePage::newRequested, this, &MainWindow::newSession);
    connect(welcome_, &WelcomePage::openRequested, this, &MainWindow::openSessionDialog);
    connect(welcome_, &WelcomePage::recentRequested, this, [this](const QString& path) { openSession(path); });
    connect(live_, &LiveRunView::stopRequested, &runner_, &workflow::LoadRunner::stop);
    connect(decision_, &DecisionView::changed, this, &MainWindow::persistDecision);
    connectRunner();

    QSettings settings;
    if (settings.value(QStringLiteral("metrics/enabled")).toBool()) {
        setMetricsListen(settings.value(QStringLiteral("metrics/listen"), QStringLiteral("127.0.0.1:9464")).toString());
    }
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry"))) {
        resize(1400, 880);
    }
    updateTitleAndActions();
}

MainWindow::~MainWindow()
{
    runner_.stop();
}

RunHistoryModel* MainWindow::historyModel() { return sidebar_->history()->model(); }
QStandardItemModel* MainWindow::candidatesModel() { return sidebar_->tree(); }
QStandardItemModel* MainWindow::profilesModel() { return sidebar_->profiles(); }

void MainWindow::setCommandApprover(CommandApprover approver)
{
    approval_.setPrompter([approver = std::move(approver)](const std::vector<std::string>& commands) {
        QStringList list;
        for (const auto& command : commands) {
            list << QString::fromStdString(command);
        }
        return approver && approver(list);
    });
}

void MainWindow::connectRunner()
{
    connect(&runner_, &workflow::LoadRunner::jobStarted, this, [this](int index, int count, const QString& label) {
        if (index == 0) {
            campaignRuns_.clear();
        }
        live_->startJob(index, count, label);
        showTab(LiveTab);
        statusBar()->showMessage(tr("Running %1…").arg(label));
    });
    connect(&runner_, &workflow::LoadRunner::progress, live_, &LiveRunView::update);
    connect(&runner_, &workflow::LoadRunner::jobFinished, this,
            [this](int index, qint64 runId, const metrics::RunResult& result) {
                campaignRuns_.push_back(runId);
                // Judged by the thresholds the job ran with (the ones stored in its plan), from the result
                // in hand: no read of the whole run back on the UI thread.
                const bool known = index >= 0 && size_t(index) < campaign_.size();
                live_->finishJob(result, known ? report::evaluatePlanThresholds(campaign_[size_t(index)].config.thresholds,
                                                                                result)
                                               : std::vector<report::ThresholdVerdict>{});
                sidebar_->history()->refresh();
            });
    // Problems during a campaign are collected and shown once at the end, not as a dialog per run.
    connect(&runner_, &workflow::LoadRunner::failed, this, [this](const QString& message) {
        problems_ << message;
        live_->addProblem(message);
        statusBar()->showMessage(message, 10000);
    });
    connect(&runner_, &workflow::LoadRunner::allFinished, this, [this](bool stopped) {
        updateTitleAndActions();
        sidebar_->history()->refresh();
        if (campaignRuns_.size() > 1) {
            setDecisionRuns(campaignRuns_); // a campaign's runs are the comparison it was made for
        } else {
            refreshDecision();
        }
        statusBar()->showMessage(stopped ? tr("Stopped; what was measured is kept") : tr("All runs finished"), 8000);
        if (closeAfterRun_) {
            close();
            return;
        }
        if (!problems_.isEmpty()) {
            showError(tr("Some runs had problems"), problems_.join(QLatin1Char('\n')));
            problems_.clear();
        }
        if (demoRunning_) {
            demoRunning_ = false;
            std::string error;
            std::vector<int64_t> ids;
            for (const auto& run : session_->listRuns(&error)) {
                ids.push_back(run.id);
            }
            compareRuns(ids);
            emit demoFinished();
        }
    });
}

bool MainWindow::openSession(const QString& path, bool create)
{
    if (runner_.isRunning()) {
        showError(tr("Run in progress"), tr("Stop the current run before switching sessions."));
        return false;
    }
    if (session_ && QFileInfo(path) == QFileInfo(QString::fromStdString(session_->path()))) {
        // Reopening: closed first, so that its runs deleted here are removed for good.
        sidebar_->setSession(nullptr);
        session_.reset();
    }
    std::string error;
    auto session = store::SessionFile::open(path.toStdString(),
                                            create ? store::OpenMode::CreateOrOpen : store::OpenMode::ReadWrite, &error);
    if (!session && !create) {
        // A read-only session can still be looked at.
        session = store::SessionFile::open(path.toStdString(), store::OpenMode::ReadOnly, &error);
    }
    if (!session) {
        showError(tr("Cannot open session"), QString::fromStdString(error));
        updateTitleAndActions(); // the session that was open may have been closed to reopen it
        return false;
    }
    sidebar_->setSession(nullptr); // the old session's undo history ends with it
    approval_.forget();
    session_ = std::move(session);
    untitled_ = QFileInfo(path).fileName().startsWith(QStringLiteral("untitled-"));
    if (!untitled_) {
        recent_->remember(QFileInfo(path).absoluteFilePath());
    }
    if (session_->interruptedOnOpen() > 0) {
        statusBar()->showMessage(tr("%n run(s) had been cut short by a crash and are marked interrupted; their "
                                    "data up to the last second is kept.",
                                    nullptr, session_->interruptedOnOpen()),
                                 15000);
    }
    if (!session_->migrationBackup().empty()) {
        statusBar()->showMessage(tr("The session was upgraded to the current format; the original is kept as %1.")
                                     .arg(QString::fromStdString(session_->migrationBackup())),
                                 15000);
    }
    sidebar_->setSession(session_.get());
    // The decision table weighs the runs it weighed when the session was last open.
    decisionRuns_ = workflow::loadDecisionRuns(*session_);
    refreshDecision();
    compare_->setRuns({});
    live_->setIdle(tr("No run in progress. Select a target and a profile, then Run ▸ Start (F5)."));
    pages_->setCurrentWidget(tabs_);
    updateTitleAndActions();
    return true;
}

int64_t MainWindow::addCandidate(store::Candidate candidate) { return sidebar_->addCandidate(std::move(candidate)); }
int64_t MainWindow::addTarget(store::Target target, bool keepSecrets) { return sidebar_->addTarget(std::move(target), keepSecrets); }
int64_t MainWindow::addProfile(store::Profile profile) { return sidebar_->addProfile(std::move(profile)); }

void MainWindow::refreshDecision()
{
    if (!session_) {
        return;
    }
    std::string problem;
    DecisionState state;
    state.model = workflow::loadDecisionModel(*session_, &problem);
    const auto inputs = workflow::decisionInputs(*session_, state.model, decisionRuns_);
    state.candidateIds = inputs.candidateIds;
    state.facts = inputs.facts;
    state.refusal = inputs.refusal;
    state.notes = inputs.shownNotes();
    decision_->setState(std::move(state));
    if (!problem.empty()) {
        statusBar()->showMessage(tr("The stored decision table could not be read (%1); showing the template.")
                                     .arg(QString::fromStdString(problem)));
    }
}

void MainWindow::persistDecision()
{
    std::string error;
    const auto& state = decision_->state();
    if (session_ && !session_->readOnly() &&
        !workflow::saveDecision(*session_, state.model, state.candidateIds, state.facts, &error)) {
        showError(tr("Cannot save the decision table"), QString::fromStdString(error));
    }
}

void MainWindow::setDecisionRuns(std::vector<int64_t> runIds)
{
    decisionRuns_ = std::move(runIds);
    std::string error;
    if (session_ && !session_->readOnly()) {
        workflow::saveDecisionRuns(*session_, decisionRuns_, &error);
    }
    refreshDecision();
}

bool MainWindow::runTargets(const std::vector<int64_t>& targetIds, int64_t profileId, int repeats)
{
    if (!session_) {
        return false;
    }
    std::string error;
    const auto jobs = workflow::buildJobs(*session_, targetIds, profileId, sidebar_->secretHeaders(), &error);
    if (!jobs) {
        showError(tr("Cannot run"), QString::fromStdString(error));
        return false;
    }
    // A launch command may come from a session file someone sent: it runs only once the person at
    // this machine has seen it and said yes.
    if (const auto refused = approval_.approve(*jobs)) {
        showError(tr("Not run"), QString::fromStdString(*refused));
        return false;
    }
    closeAfterRun_ = false;
    problems_.clear();
    campaign_ = workflow::LoadRunner::campaign(*jobs, repeats, true);
    if (!runner_.start(QString::fromStdString(session_->path()), campaign_)) {
        return false;
    }
    updateTitleAndActions();
    return true;
}

void MainWindow::compareRuns(const std::vector<int64_t>& runIds)
{
    if (!session_) {
        return;
    }
    std::string error;
    std::vector<store::StoredRun> runs;
    std::vector<int64_t> targetIds;
    for (const int64_t id : runIds) {
        if (auto run = session_->loadRun(id, &error)) {
            runs.push_back(std::move(*run));
            targetIds.push_back(session_->runTarget(id));
        }
    }
    compare_->setRuns(std::move(runs), std::move(targetIds));
    setDecisionRuns(runIds);
    showTab(CompareTab);
}

RunDetailsDialog* MainWindow::showRunDetails(int64_t runId)
{
    std::string error;
    auto run = session_ ? session_->loadRun(runId, &error) : std::nullopt;
    if (!run) {
        showError(tr("Run details"), QString::fromStdString(error));
        return nullptr;
    }
    auto* dialog = new RunDetailsDialog(std::move(*run), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show(); // not modal: several runs' details can be open beside the charts
    return dialog;
}

void MainWindow::showTab(Tab tab)
{
    pages_->setCurrentWidget(tabs_);
    tabs_->setCurrentIndex(int(tab));
}

bool MainWindow::startFreshSession(const QString& sessionPath)
{
    sidebar_->setSession(nullptr);
    session_.reset(); // the session may be the one open: close it before removing its files
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile::remove(sessionPath + suffix);
    }
    return openSession(sessionPath, true);
}

void MainWindow::startDemo(const QString& sessionPath)
{
    std::string error;
    if (runner_.isRunning() || !startFreshSession(sessionPath)) {
        return;
    }
    statusBar()->showMessage(tr("Demo: three local calibration servers with known behaviour (steady, jittery, "
                                "flaky) stand in for three backends."),
                             30000);
    const bool started = demoServers_.start(&error);
    const auto demo = started ? workflow::seedDemoSession(*session_, demoServers_, &error) : std::nullopt;
    if (!demo) {
        showError(tr("Cannot start the demo"), QString::fromStdString(error));
        return;
    }
    sidebar_->reload();
    refreshDecision();
    demoRunning_ = runTargets(demo->targetIds, demo->profileId);
}

bool MainWindow::startGoVsPythonExample(const QString& sessionPath, std::chrono::seconds duration)
{
    if (runner_.isRunning()) {
        return false;
    }
    const auto folder = workflow::findExamplesFolder();
    std::string error;
    const auto example = folder ? workflow::goVsPythonExample(*folder, &error) : std::nullopt;
    const auto servers = example ? example->availableServers() : std::vector<workflow::ExampleServer>{};
    if (servers.empty()) {
        showError(tr("Go vs Python example"),
                  !folder    ? tr("The example servers were not found. They are in the examples/ folder of Benchdeck's "
                                  "source; set BENCHDECK_EXAMPLES to that folder.")
                  : !example ? QString::fromStdString(error)
                             : QString::fromStdString(example->missingAdvice));
        return false;
    }
    if (!startFreshSession(sessionPath)) {
        return false;
    }
    const auto seeded = example->seed(*session_, duration, &error);
    if (!seeded) {
        showError(tr("Go vs Python example"), QString::fromStdString(error));
        return false;
    }
    sidebar_->reload();
    refreshDecision();
    statusBar()->showMessage(example->missingAdvice.empty()
                                 ? tr("Go vs Python: real servers, started one at a time through their launch commands.")
                                 : QString::fromStdString(example->missingAdvice),
                             30000);
    demoRunning_ = runTargets(seeded->targetIds, seeded->profileId);
    return demoRunning_;
}

void MainWindow::compareSelected()
{
    const auto ids = sidebar_->history()->selectedRunIds();
    if (ids.empty()) {
        statusBar()->showMessage(tr("Select one or more runs in the history first"), 5000);
        return;
    }
    compareRuns(ids);
}

bool MainWindow::exportReport(const comparison::ReportRequest& request, comparison::ReportFormat format,
                              const QString& path)
{
    if (!session_) {
        return false;
    }
    comparison::ExportOptions options;
    options.replace = true; // the user agreed; a session or the session open here is still never replaced
    options.pdfLayout = comparison::writePdf;
    options.outputName = tr("Export").toStdString();
    comparison::ExportError failure;
    if (!comparison::exportReport(*session_, request, format, path, options, &failure)) {
        showError(tr("Cannot export the report"), QString::fromStdString(failure.message));
        return false;
    }
    statusBar()->showMessage(tr("Report written to %1").arg(path), 8000);
    return true;
}

void MainWindow::updateTitleAndActions()
{
    const bool haveSession = session_ != nullptr;
    const bool writable = haveSession && !session_->readOnly();
    const bool running = runner_.isRunning();
    setWindowTitle(haveSession ? tr("%1%2 — Benchdeck")
                                     .arg(QFileInfo(QString::fromStdString(session_->path())).fileName(),
                                          session_->readOnly() ? tr(" (read-only)") : QString())
                               : tr("Benchdeck"));
    for (auto* action : sessionActions_) {
        action->setEnabled(writable);
    }
    for (auto* action : exportActions_) {
        action->setEnabled(haveSession); // a read-only session can still be reported on
    }
    startAction_->setEnabled(writable && !running);
    campaignAction_->setEnabled(writable && !running);
    stopAction_->setEnabled(running);
    if (!haveSession) {
        pages_->setCurrentWidget(welcome_);
    }
}

void MainWindow::showError(const QString& title, const QString& message)
{
    statusBar()->showMessage(message, 10000);
    qWarning("%s: %s", qPrintable(title), qPrintable(message)); // also in the log, for bug reports
    emit problemShown(title, message);
    // Not modal: the window stays usable, and a test or a script is never stuck behind it. Messages
    // quote labels, URLs and reasons from session files: shown as text, never as markup.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->show();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (runner_.isRunning()) {
        if (!closeAfterRun_ &&
            QMessageBox::question(this, tr("A run is in progress"),
                                  tr("Stop the run and quit? What was measured so far is kept in the session.")) !=
                QMessageBox::Yes) {
            event->ignore();
            return;
        }
        if (runner_.isRunning()) { // it may have finished while the question was open
            // Close once the runner has stopped and written its last interval.
            closeAfterRun_ = true;
            statusBar()->showMessage(tr("Stopping the run…"));
            runner_.stop();
            event->ignore();
            return;
        }
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace benchdeck::ui
