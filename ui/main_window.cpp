// SPDX-License-Identifier: Apache-2.0
#include "main_window.h"
#include "plan/plan_codec.h"
#include "store/output_path.h"

#include "comparison/pdf_layout.h"
#include "dialogs/command_consent_dialog.h"
#include "dialogs/export_dialog.h"
#include "dialogs/profile_dialog.h"
#include "dialogs/target_dialog.h"
#include "engine/engine.h"
#include "target/target_server.h"
#include "views/compare_view.h"
#include "views/decision_view.h"
#include "views/live_run_view.h"
#include "welcome_page.h"
#include "workflow/calibration.h"
#include "workflow/decision_inputs.h"
#include "workflow/go_vs_python_example.h"
#include "workflow/run_jobs.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDesktopServices>
#include <QTemporaryDir>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QHeaderView>
#include <QInputDialog>
#include <QLineEdit>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <sqlite3.h>

namespace benchdeck::ui {
namespace {

constexpr int kMaxRecent = 8;
const QString kFileFilter = QStringLiteral("Benchdeck sessions (*.benchdeck);;All files (*)");

QString sessionsFolder()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return folder;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    approveCommands_ = [this](const QStringList& commands) {
        if (QApplication::platformName() == QLatin1String("offscreen")) {
            return false; // nobody can answer a dialog here, and silence is not consent
        }
        CommandConsentDialog consent(commands, this);
        return consent.exec() == QDialog::Accepted;
    };
    setWindowTitle(tr("Benchdeck"));
    historyProxy_.setSourceModel(&history_);
    historyProxy_.setSortRole(RunHistoryModel::SortRole);

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

    buildSidebar();
    buildActions();

    connect(welcome_, &WelcomePage::demoRequested, this,
            [this] { startDemo(QDir(sessionsFolder()).filePath(QStringLiteral("demo.benchdeck"))); });
    connect(welcome_, &WelcomePage::newRequested, this, &MainWindow::newSession);
    connect(welcome_, &WelcomePage::openRequested, this, &MainWindow::openSessionDialog);
    connect(welcome_, &WelcomePage::recentRequested, this, [this](const QString& path) { openSession(path); });
    connect(live_, &LiveRunView::stopRequested, &runner_, &workflow::LoadRunner::stop);
    connect(decision_, &DecisionView::changed, this, &MainWindow::persistDecision);

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
            [this](int, qint64 runId, const metrics::RunResult& result) {
                campaignRuns_.push_back(runId);
                live_->finishJob(result);
                refreshHistory();
            });
    // Problems during a campaign are collected and shown once at the end, not as a dialog per run.
    connect(&runner_, &workflow::LoadRunner::failed, this, [this](const QString& message) {
        problems_ << message;
        live_->addProblem(message);
        statusBar()->showMessage(message, 10000);
    });
    connect(&runner_, &workflow::LoadRunner::allFinished, this, [this](bool stopped) {
        updateTitleAndActions();
        refreshHistory();
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
            std::vector<int64_t> ids;
            for (int row = 0; row < history_.rowCount(); ++row) {
                ids.push_back(history_.runAt(row)->id);
            }
            compareRuns(ids);
            emit demoFinished();
        }
    });

    QSettings settings;
    if (settings.value(QStringLiteral("metrics/enabled")).toBool()) {
        setMetricsListen(settings.value(QStringLiteral("metrics/listen"), QStringLiteral("127.0.0.1:9464")).toString());
    }
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry"))) {
        resize(1400, 880);
    }
    rebuildRecentMenu();
    updateTitleAndActions();
}

MainWindow::~MainWindow()
{
    runner_.stop();
}

void MainWindow::buildSidebar()
{
    candidateTree_ = new QTreeView(this);
    candidateTree_->setModel(&candidates_);
    candidateTree_->setHeaderHidden(true);
    candidateTree_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    candidateTree_->setToolTip(tr("Candidates and their targets. Double-click to edit, F5 to run the selected "
                                  "target with the selected profile."));
    connect(candidateTree_, &QTreeView::doubleClicked, this, &MainWindow::editSelected);
    profileList_ = new QListView(this);
    profileList_->setModel(&profiles_);
    profileList_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(profileList_, &QListView::doubleClicked, this, &MainWindow::editSelected);
    historyTable_ = new QTableView(this);
    historyTable_->setModel(&historyProxy_);
    historyTable_->setSortingEnabled(true);
    historyTable_->sortByColumn(RunHistoryModel::When, Qt::DescendingOrder);
    historyTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    historyTable_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    historyTable_->verticalHeader()->hide();
    historyTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    historyTable_->setToolTip(tr("Select runs (Ctrl/Shift-click) and press Ctrl+D to compare them"));
    connect(historyTable_, &QTableView::doubleClicked, this, &MainWindow::compareSelected);

    auto* side = new QSplitter(Qt::Vertical, this);
    const auto section = [&](const QString& title, QWidget* content) {
        auto* box = new QWidget(side);
        auto* layout = new QVBoxLayout(box);
        layout->setContentsMargins(4, 4, 4, 4);
        auto* label = new QLabel(title, box);
        QFont bold = label->font();
        bold.setBold(true);
        label->setFont(bold);
        layout->addWidget(label);
        layout->addWidget(content, 1);
        side->addWidget(box);
    };
    section(tr("Candidates and targets"), candidateTree_);
    section(tr("Load profiles"), profileList_);
    section(tr("Run history"), historyTable_);
    side->setStretchFactor(2, 2);
    auto* dock = new QDockWidget(tr("Session"), this);
    dock->setObjectName(QStringLiteral("sessionDock"));
    dock->setWidget(side);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setMinimumWidth(380);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
}

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New session"), QKeySequence::New, this, &MainWindow::newSession);
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openSessionDialog);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    auto* save = file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::save);
    auto* saveAs = file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, &MainWindow::saveAs);
    auto* exportReport = file->addAction(tr("&Export report…"), QKeySequence(tr("Ctrl+E")), this,
                                         &MainWindow::exportDialog);
    file->addSeparator();
    file->addAction(tr("Run the &demo"), this,
                    [this] { startDemo(QDir(sessionsFolder()).filePath(QStringLiteral("demo.benchdeck"))); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Session"));
    auto* addCandidate = edit->addAction(tr("Add &candidate…"), QKeySequence(tr("Ctrl+Shift+C")), this,
                                         &MainWindow::addCandidateDialog);
    auto* addTarget =
        edit->addAction(tr("Add &target…"), QKeySequence(tr("Ctrl+T")), this, &MainWindow::addTargetDialog);
    auto* addProfile =
        edit->addAction(tr("Add load &profile…"), QKeySequence(tr("Ctrl+Shift+P")), this, &MainWindow::addProfileDialog);
    auto* editItem = edit->addAction(tr("&Edit selected…"), QKeySequence(Qt::Key_F2), this, &MainWindow::editSelected);
    auto* removeItem =
        edit->addAction(tr("&Remove selected"), QKeySequence::Delete, this, &MainWindow::removeSelected);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    startAction_ = run->addAction(tr("&Start selected target"), QKeySequence(Qt::Key_F5), this,
                                  &MainWindow::startSelected);
    campaignAction_ = run->addAction(tr("Run &campaign (all targets)…"), QKeySequence(tr("Ctrl+F5")), this,
                                     &MainWindow::runCampaign);
    stopAction_ = run->addAction(tr("S&top"), QKeySequence(tr("Shift+F5")), &runner_, &workflow::LoadRunner::stop);
    run->addAction(tr("Ca&librate this machine…"), this, &MainWindow::calibrateMachine);
    // Live export for Prometheus (docs/prometheus.md): off by default, remembered between sessions.
    metricsAction_ = run->addAction(tr("Serve live &metrics for Prometheus…"));
    metricsAction_->setCheckable(true);
    connect(metricsAction_, &QAction::triggered, this, [this](bool on) {
        QString address;
        if (on) {
            bool ok = false;
            address = QInputDialog::getText(this, tr("Live metrics"),
                                            tr("Serve OpenMetrics at http://ADDRESS/metrics while runs last (and the last "
                                               "run's figures after it). HOST:PORT:"),
                                            QLineEdit::Normal,
                                            QSettings().value(QStringLiteral("metrics/listen"), QStringLiteral("127.0.0.1:9464")).toString(),
                                            &ok);
            if (!ok || address.trimmed().isEmpty()) {
                metricsAction_->setChecked(false);
                return;
            }
        }
        setMetricsListen(address.trimmed());
    });
    run->addSeparator();
    auto* compare = run->addAction(tr("C&ompare selected runs"), QKeySequence(tr("Ctrl+D")), this,
                                   &MainWindow::compareSelected);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QMenu* examples = help->addMenu(tr("&Examples"));
    examples->addAction(tr("&Go vs Python (real servers)…"), this, [this] {
        startGoVsPythonExample(QDir(sessionsFolder()).filePath(QStringLiteral("go-vs-python.benchdeck")));
    });
    help->addAction(tr("&About Benchdeck"), this, &MainWindow::about);

    auto* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->addActions({addCandidate, addTarget, addProfile});
    toolbar->addSeparator();
    toolbar->addActions({startAction_, campaignAction_, stopAction_, compare});
    sessionActions_ = {save, addCandidate, addTarget, addProfile, editItem, removeItem};
    exportActions_ = {exportReport, saveAs, compare}; // reading a read-only session is fine
}

bool MainWindow::openSession(const QString& path, bool create)
{
    if (runner_.isRunning()) {
        showError(tr("Run in progress"), tr("Stop the current run before switching sessions."));
        return false;
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
        return false;
    }
    session_ = std::move(session);
    untitled_ = QFileInfo(path).fileName().startsWith(QStringLiteral("untitled-"));
    if (!untitled_) {
        rememberRecent(QFileInfo(path).absoluteFilePath());
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
    reloadSidebar();
    refreshHistory();
    // The decision table weighs the runs it weighed when the session was last open, and the compare
    // view shows them again.
    decisionRuns_.clear();
    for (const auto& id : session_->uiState("decision_runs").toArray()) {
        decisionRuns_.push_back(int64_t(id.toDouble()));
    }
    refreshDecision();
    compare_->setRuns({});
    live_->setIdle(tr("No run in progress. Select a target and a profile, then Run ▸ Start (F5)."));
    pages_->setCurrentWidget(tabs_);
    updateTitleAndActions();
    return true;
}

void MainWindow::reloadSidebar()
{
    std::string error;
    const int64_t selectedTarget = selectedTargetId();
    const int64_t selectedProfile = selectedProfileId();
    candidates_.clear();
    profiles_.clear();
    if (!session_) {
        return;
    }
    std::map<int64_t, QStandardItem*> byId;
    for (const auto& candidate : session_->candidates(&error)) {
        auto* item = new QStandardItem(QString::fromStdString(candidate.name) +
                                       (candidate.stack.empty() ? QString()
                                                                : QStringLiteral("  [%1]").arg(
                                                                      QString::fromStdString(candidate.stack))));
        item->setData(qint64(candidate.id), IdRole);
        item->setData(int(CandidateItem), KindRole);
        candidates_.appendRow(item);
        byId[candidate.id] = item;
    }
    auto* unassigned = new QStandardItem(tr("(no candidate)"));
    unassigned->setData(int(CandidateItem), KindRole);
    unassigned->setData(qint64(0), IdRole);
    for (const auto& target : session_->targets(&error)) {
        auto* item = new QStandardItem(QString::fromStdString(target.name.empty() ? target.request.url : target.name));
        item->setToolTip(QStringLiteral("%1 %2").arg(QString::fromStdString(target.request.method),
                                                     QString::fromStdString(target.request.url)));
        item->setData(qint64(target.id), IdRole);
        item->setData(int(TargetItem), KindRole);
        const auto parent = byId.find(target.candidateId);
        (parent != byId.end() ? parent->second : unassigned)->appendRow(item);
    }
    if (unassigned->rowCount() > 0) {
        candidates_.appendRow(unassigned);
    } else {
        delete unassigned;
    }
    candidateTree_->expandAll();
    for (const auto& profile : session_->profiles(&error)) {
        auto* item = new QStandardItem(QString::fromStdString(profile.name));
        item->setData(qint64(profile.id), IdRole);
        profiles_.appendRow(item);
    }
    // Reloading must not change what F5 would run.
    for (int row = 0; row < profiles_.rowCount(); ++row) {
        if (profiles_.item(row)->data(IdRole).toLongLong() == selectedProfile) {
            profileList_->setCurrentIndex(profiles_.index(row, 0));
        }
    }
    if (profiles_.rowCount() > 0 && !profileList_->currentIndex().isValid()) {
        profileList_->setCurrentIndex(profiles_.index(0, 0));
    }
    if (selectedTarget) {
        selectTarget(selectedTarget);
    }
}

void MainWindow::refreshHistory()
{
    std::string error;
    history_.setRuns(session_ ? session_->listRuns(&error) : std::vector<store::RunListing>{});
}

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
    state.notes = inputs.notes;
    for (const auto& note : inputs.noiseNotes) {
        if (note.tied) { // only ties change a score; the tooltips carry the rest
            state.notes.push_back(inputs.facts[note.candidate].name + ": " + note.text);
        }
    }
    decision_->setState(std::move(state));
    if (!problem.empty()) {
        statusBar()->showMessage(tr("The stored decision table could not be read (%1); showing the template.")
                                     .arg(QString::fromStdString(problem)));
    }
}

void MainWindow::persistDecision()
{
    if (!session_ || session_->readOnly()) {
        return;
    }
    std::string error;
    const auto& state = decision_->state();
    std::vector<store::Score> scores;
    for (size_t c = 0; c < state.facts.size() && c < state.candidateIds.size(); ++c) {
        // Only what the user changed: a default follows the candidate's stack if that changes later.
        const auto defaults = state.model.defaultScores(state.facts[c].stack);
        for (const auto& [criterion, value] : state.facts[c].qualitative) {
            const auto fallback = defaults.find(criterion);
            if (fallback == defaults.end() || fallback->second != value) {
                scores.push_back({criterion, state.candidateIds[c], value});
            }
        }
    }
    if (!session_->saveDecisionModel(state.model.toJson(), &error) || !session_->saveScores(scores, &error)) {
        showError(tr("Cannot save the decision table"), QString::fromStdString(error));
    }
}

int64_t MainWindow::addCandidate(store::Candidate candidate)
{
    std::string error;
    if (!session_ || !session_->saveCandidate(candidate, &error)) {
        showError(tr("Cannot add the candidate"), QString::fromStdString(error));
        return 0;
    }
    reloadSidebar();
    refreshDecision();
    return candidate.id;
}

int64_t MainWindow::addTarget(store::Target target, bool keepSecrets)
{
    std::string error;
    if (!session_ || !session_->saveTarget(target, keepSecrets, &error)) {
        showError(tr("Cannot add the target"), QString::fromStdString(error));
        return 0;
    }
    // Withheld credentials stay in memory for this session only, so the target still runs.
    auto& secrets = secretHeaders_[target.id];
    secrets.clear();
    for (const auto& header : target.request.headers) {
        if (!keepSecrets && plan::isCredentialHeader(header.name)) {
            secrets.push_back(header);
        }
    }
    reloadSidebar();
    selectTarget(target.id);
    return target.id;
}

void MainWindow::selectTarget(int64_t id)
{
    for (int row = 0; row < candidates_.rowCount(); ++row) {
        const QStandardItem* candidate = candidates_.item(row);
        for (int child = 0; child < candidate->rowCount(); ++child) {
            if (candidate->child(child)->data(IdRole).toLongLong() == id) {
                candidateTree_->setCurrentIndex(candidate->child(child)->index());
            }
        }
    }
}

int64_t MainWindow::addProfile(store::Profile profile)
{
    std::string error;
    if (!session_ || !session_->saveProfile(profile, &error)) {
        showError(tr("Cannot add the profile"), QString::fromStdString(error));
        return 0;
    }
    reloadSidebar();
    for (int row = 0; row < profiles_.rowCount(); ++row) {
        if (profiles_.item(row)->data(IdRole).toLongLong() == profile.id) {
            profileList_->setCurrentIndex(profiles_.index(row, 0));
        }
    }
    return profile.id;
}

bool MainWindow::runTargets(const std::vector<int64_t>& targetIds, int64_t profileId, int repeats)
{
    if (!session_) {
        return false;
    }
    std::string error;
    const auto jobs = workflow::buildJobs(*session_, targetIds, profileId, secretHeaders_, &error);
    if (!jobs) {
        showError(tr("Cannot run"), QString::fromStdString(error));
        return false;
    }
    // A launch command may come from a session file someone sent: it runs only once the user has
    // seen it and said yes, in this window, this time.
    QStringList unapproved;
    for (const auto& job : *jobs) {
        const QString command = QString::fromStdString(job.serverCommand);
        if (!command.isEmpty() && !approvedCommands_.contains(command) && !unapproved.contains(command)) {
            unapproved << command;
        }
    }
    for (const QString& command : unapproved) {
        const QString refusal = CommandConsentDialog::refusal(command);
        if (!refusal.isEmpty()) {
            showError(tr("Not run"), tr("A server command in this session was refused: %1.").arg(refusal));
            return false;
        }
    }
    if (!unapproved.isEmpty()) {
        if (!approveCommands_(unapproved)) {
            showError(tr("Not run"), tr("The server commands were not approved, so nothing was started."));
            return false;
        }
        approvedCommands_ += unapproved;
    }
    closeAfterRun_ = false;
    problems_.clear();
    if (!runner_.start(QString::fromStdString(session_->path()), workflow::LoadRunner::campaign(*jobs, repeats, true))) {
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

void MainWindow::setDecisionRuns(std::vector<int64_t> runIds)
{
    decisionRuns_ = std::move(runIds);
    if (session_ && !session_->readOnly()) {
        // A reopened session decides from the same runs as when it was closed.
        QJsonArray ids;
        for (const int64_t id : decisionRuns_) {
            ids.append(double(id));
        }
        std::string error;
        session_->saveUiState("decision_runs", ids, &error);
    }
    refreshDecision();
}

void MainWindow::showTab(Tab tab)
{
    pages_->setCurrentWidget(tabs_);
    tabs_->setCurrentIndex(int(tab));
}

void MainWindow::startDemo(const QString& sessionPath)
{
    if (runner_.isRunning()) {
        return;
    }
    // Three local backends whose behaviour is known, standing in for three stacks.
    struct DemoBackend {
        const char* candidate;
        const char* stack;
        target::TargetOptions options;
    };
    std::vector<DemoBackend> backends(3);
    backends[0] = {"Go (Gin) · demo", "go", {}};
    backends[0].options.delay = std::chrono::milliseconds(1);
    backends[1] = {"Node (Express) · demo", "node", {}};
    backends[1].options.delay = std::chrono::milliseconds(3);
    backends[1].options.jitter = std::chrono::milliseconds(1);
    backends[2] = {"Python (FastAPI) · demo", "python", {}};
    backends[2].options.delay = std::chrono::milliseconds(8);
    backends[2].options.jitter = std::chrono::milliseconds(4);
    backends[2].options.errorRate = 0.01;
    demoTargets_.clear();
    session_.reset(); // the demo session may be the one open: close it before removing its files
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile::remove(sessionPath + suffix);
    }
    statusBar()->showMessage(tr("Demo: three local calibration servers stand in for Go, Node and Python. The "
                                "figures describe these stand-ins, not the real frameworks."),
                             30000);
    if (!openSession(sessionPath, true)) {
        return;
    }
    std::vector<int64_t> targetIds;
    for (auto& backend : backends) {
        auto server = std::make_unique<target::TargetServer>(backend.options);
        std::string error;
        if (!server->start(&error)) {
            showError(tr("Cannot start the demo"), QString::fromStdString(error));
            return;
        }
        const int64_t candidate = addCandidate({0, backend.candidate, backend.stack, target::describe(backend.options)});
        store::Target target;
        target.candidateId = candidate;
        target.name = "GET /json";
        target.request.url = "http://127.0.0.1:" + std::to_string(server->port()) + "/json";
        targetIds.push_back(addTarget(target));
        demoTargets_.push_back(std::move(server));
    }
    store::Profile profile;
    profile.name = "Demo: 20 users, 3 s";
    profile.load.connections = 20;
    profile.load.duration = std::chrono::seconds(3);
    profile.load.warmup = std::chrono::milliseconds(500);
    const int64_t profileId = addProfile(profile);
    demoRunning_ = runTargets(targetIds, profileId);
}

bool MainWindow::startGoVsPythonExample(const QString& sessionPath, std::chrono::seconds duration)
{
    if (runner_.isRunning()) {
        return false;
    }
    const auto folder = workflow::findExamplesFolder();
    if (!folder) {
        showError(tr("Go vs Python example"),
                  tr("The example servers were not found. They are in the examples/ folder of Benchdeck's source; "
                     "set BENCHDECK_EXAMPLES to that folder."));
        return false;
    }
    std::string error;
    const auto example = workflow::goVsPythonExample(*folder, &error);
    if (!example) {
        showError(tr("Go vs Python example"), QString::fromStdString(error));
        return false;
    }
    const auto servers = example->availableServers();
    if (servers.empty()) {
        showError(tr("Go vs Python example"), QString::fromStdString(example->missingAdvice));
        return false;
    }
    session_.reset(); // the example session may be the one open: close it before removing its files
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile::remove(sessionPath + suffix);
    }
    if (!openSession(sessionPath, true)) {
        return false;
    }
    std::vector<int64_t> targetIds;
    uint16_t port = 18110;
    for (const auto& server : servers) {
        const int64_t candidate = addCandidate({0, server.candidate, server.stack, "examples/servers.sh run " + server.name});
        auto target = example->target(server, port++);
        target.candidateId = candidate;
        targetIds.push_back(addTarget(target));
    }
    const int64_t profileId = addProfile(example->profile(duration));
    statusBar()->showMessage(example->missingAdvice.empty()
                                 ? tr("Go vs Python: real servers, started one at a time through their launch commands.")
                                 : QString::fromStdString(example->missingAdvice),
                             30000);
    demoRunning_ = runTargets(targetIds, profileId);
    return demoRunning_;
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

void MainWindow::newSession()
{
    const QString path = QDir(sessionsFolder())
                             .filePath(QStringLiteral("untitled-%1.benchdeck")
                                           .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    openSession(path, true);
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
    if (!session_) {
        return;
    }
    QFileDialog dialog(this, tr("Save session as"), QString(), kFileFilter);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(QStringLiteral("benchdeck")); // so the overwrite question sees the real name
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty()) {
        return;
    }
    const QString path = dialog.selectedFiles().first();
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(QString::fromStdString(session_->path())).absoluteFilePath()) {
        statusBar()->showMessage(tr("That is the session's own file: it is already saved."), 5000);
        return;
    }
    // Copy beside the destination first, so a failed copy never costs the file that was there.
    const QString partial = path + QStringLiteral(".partial");
    QFile::remove(partial);
    std::string error;
    if (!session_->saveAs(partial.toStdString(), &error)) {
        QFile::remove(partial);
        showError(tr("Cannot save"), QString::fromStdString(error));
        return;
    }
    QFile::remove(path);
    if (!QFile::rename(partial, path)) {
        showError(tr("Cannot save"), tr("Could not move the copy into place at %1").arg(path));
        return;
    }
    openSession(path);
}

void MainWindow::addCandidateDialog()
{
    CandidateDialog dialog({}, this);
    if (dialog.exec() == QDialog::Accepted) {
        addCandidate(dialog.candidate());
    }
}

void MainWindow::addTargetDialog()
{
    if (!session_) {
        return;
    }
    std::string error;
    store::Target target;
    const QModelIndex current = candidateTree_->currentIndex();
    if (current.isValid()) {
        const QModelIndex candidate = current.data(KindRole).toInt() == TargetItem ? current.parent() : current;
        target.candidateId = candidate.data(IdRole).toLongLong();
    }
    TargetDialog dialog(target, session_->candidates(&error), this);
    if (dialog.exec() == QDialog::Accepted) {
        addTarget(dialog.target(), dialog.keepSecrets());
    }
}

void MainWindow::addProfileDialog()
{
    store::Profile profile;
    profile.name = "10 users, 10 s";
    profile.load.duration = std::chrono::seconds(10);
    ProfileDialog dialog(profile, this);
    if (dialog.exec() == QDialog::Accepted) {
        addProfile(dialog.profile());
    }
}

void MainWindow::editSelected()
{
    if (!session_) {
        return;
    }
    std::string error;
    if (profileList_->hasFocus() && profileList_->currentIndex().isValid()) {
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
    const QModelIndex current = candidateTree_->currentIndex();
    if (!current.isValid()) {
        return;
    }
    const int64_t id = current.data(IdRole).toLongLong();
    if (current.data(KindRole).toInt() == TargetItem) {
        for (auto target : session_->targets(&error)) {
            if (target.id != id) {
                continue;
            }
            bool keptInFile = false;
            for (auto& header : target.request.headers) {
                keptInFile = keptInFile || (plan::isCredentialHeader(header.name) && !header.value.empty());
                for (const auto& secret : secretHeaders_[id]) {
                    if (secret.name == header.name && header.value.empty()) {
                        header.value = secret.value; // known again, from this run of the app
                        header.withheld = false;
                    }
                }
            }
            TargetDialog dialog(target, session_->candidates(&error), this);
            // The box shows what the file holds: ticked when a secret is kept there, and unticking it
            // takes the secret out of the file (this run of the app still knows it).
            dialog.setKeepSecrets(keptInFile);
            if (dialog.exec() == QDialog::Accepted) {
                addTarget(dialog.target(), dialog.keepSecrets());
            }
        }
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

void MainWindow::removeSelected()
{
    if (!session_) {
        return;
    }
    std::string error;
    bool ok = true;
    if (profileList_->hasFocus() && profileList_->currentIndex().isValid()) {
        if (QMessageBox::question(this, tr("Remove"), tr("Remove the load profile \"%1\"?")
                                                          .arg(profileList_->currentIndex().data().toString())) !=
            QMessageBox::Yes) {
            return;
        }
        ok = session_->removeProfile(selectedProfileId(), &error);
    } else if (const QModelIndex current = candidateTree_->currentIndex(); current.isValid()) {
        const int64_t id = current.data(IdRole).toLongLong();
        const bool isTarget = current.data(KindRole).toInt() == TargetItem;
        if (QMessageBox::question(this, tr("Remove"), tr("Remove \"%1\"? Its recorded runs stay in the history.")
                                                          .arg(current.data().toString())) != QMessageBox::Yes) {
            return;
        }
        ok = isTarget ? session_->removeTarget(id, &error) : session_->removeCandidate(id, &error);
    }
    if (!ok) {
        showError(tr("Cannot remove"), QString::fromStdString(error));
    }
    reloadSidebar();
    refreshDecision();
}

int64_t MainWindow::selectedTargetId() const
{
    const QModelIndex current = candidateTree_->currentIndex();
    if (current.isValid() && current.data(KindRole).toInt() == TargetItem) {
        return current.data(IdRole).toLongLong();
    }
    if (current.isValid() && candidates_.itemFromIndex(current) && candidates_.itemFromIndex(current)->rowCount() > 0) {
        return candidates_.itemFromIndex(current)->child(0)->data(IdRole).toLongLong();
    }
    return 0;
}

int64_t MainWindow::selectedProfileId() const
{
    const QModelIndex current = profileList_->currentIndex();
    return current.isValid() ? current.data(IdRole).toLongLong() : 0;
}

void MainWindow::startSelected()
{
    runTargets({selectedTargetId()}, selectedProfileId());
}

void MainWindow::runCampaign()
{
    if (!session_) {
        return;
    }
    std::string error;
    std::vector<int64_t> ids;
    for (const auto& target : session_->targets(&error)) {
        ids.push_back(target.id);
    }
    bool ok = false;
    const int repeats = QInputDialog::getInt(this, tr("Run campaign"),
                                             tr("Run every target this many times, interleaved (A B A B …) so that "
                                                "drift hits all alike:"),
                                             1, 1, 20, 1, &ok);
    if (ok) {
        runTargets(ids, selectedProfileId(), repeats);
    }
}

void MainWindow::compareSelected()
{
    std::vector<int64_t> ids;
    for (const QModelIndex& index : historyTable_->selectionModel()->selectedRows()) {
        ids.push_back(index.data(RunHistoryModel::RunIdRole).toLongLong());
    }
    if (ids.empty()) {
        statusBar()->showMessage(tr("Select one or more runs in the history first"), 5000);
        return;
    }
    std::sort(ids.begin(), ids.end());
    compareRuns(ids);
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
    if (exportReport(dialog.request(), dialog.format(), dialog.path()) &&
        QApplication::platformName() != QLatin1String("offscreen")) {
        QDesktopServices::openUrl(QUrl::fromLocalFile(dialog.path()));
    }
}

bool MainWindow::exportReport(const comparison::ReportRequest& request, comparison::ReportFormat format,
                              const QString& path)
{
    if (!session_) {
        return false;
    }
    std::string error;
    // The user agreed to replace an ordinary file; a session or the session open here is never replaced.
    const std::vector<std::string> inputs{session_->path()};
    if (auto refused = store::checkOutputPath(path.toStdString(), inputs, true, tr("Export").toStdString())) {
        showError(tr("Cannot export the report"), QString::fromStdString(*refused));
        return false;
    }
    const auto report = comparison::buildReport(*session_, request, &error);
    bool ok = report.has_value();
    if (ok && format == comparison::ReportFormat::Pdf) {
        QTemporaryDir folder;
        ok = comparison::writePdfSources(*report, folder.path(), &error) &&
             comparison::writePdf(folder.path(), path, &error);
    } else if (ok) {
        ok = comparison::writeReportFile(*report, format, path, &error);
    }
    if (!ok) {
        showError(tr("Cannot export the report"), QString::fromStdString(error));
        return false;
    }
    statusBar()->showMessage(tr("Report written to %1").arg(path), 8000);
    return true;
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
            if (QApplication::platformName() != QLatin1String("offscreen")) {
                QMessageBox::information(this, tr("This machine's limits"), text);
            }
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

void MainWindow::updateTitleAndActions()
{
    const bool haveSession = session_ != nullptr;
    const bool running = runner_.isRunning();
    setWindowTitle(haveSession ? tr("%1%2 — Benchdeck")
                                     .arg(QFileInfo(QString::fromStdString(session_->path())).fileName(),
                                          session_->readOnly() ? tr(" (read-only)") : QString())
                               : tr("Benchdeck"));
    for (auto* action : sessionActions_) {
        action->setEnabled(haveSession && !session_->readOnly());
    }
    for (auto* action : exportActions_) {
        action->setEnabled(haveSession); // a read-only session can still be reported on
    }
    startAction_->setEnabled(haveSession && !running && !session_->readOnly());
    campaignAction_->setEnabled(haveSession && !running && !session_->readOnly());
    stopAction_->setEnabled(running);
    if (!haveSession) {
        pages_->setCurrentWidget(welcome_);
    }
}

void MainWindow::rememberRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) {
        recent.removeLast();
    }
    settings.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    recentMenu_->clear();
    for (const QString& path : recent) {
        recentMenu_->addAction(path, this, [this, path] { openSession(path); });
    }
    recentMenu_->setEnabled(!recent.isEmpty());
    welcome_->setRecentFiles(recent);
}

void MainWindow::showError(const QString& title, const QString& message)
{
    statusBar()->showMessage(message, 10000);
    if (QApplication::platformName() == QLatin1String("offscreen")) {
        qWarning("%s: %s", qPrintable(title), qPrintable(message)); // no one to click a dialog away
        return;
    }
    // Messages quote labels, URLs and reasons from session files: shown as text, never as markup.
    QMessageBox box(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box.setTextFormat(Qt::PlainText);
    box.exec();
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
