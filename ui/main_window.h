// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "comparison/report_files.h"
#include "models/run_history_model.h"
#include "store/session_file.h"
#include "workflow/command_approval.h"
#include "workflow/demo.h"
#include "workflow/load_runner.h"

#include <QMainWindow>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

class QMenu;
class QStandardItemModel;
class QStackedWidget;
class QTabWidget;
class QUndoStack;

namespace benchdeck::ui {

class CompareView;
class DecisionView;
class LiveRunView;
class RecentFiles;
class RunDetailsDialog;
class SessionSidebar;
class WelcomePage;

// The session window: wires the sidebar, the live, compare and decision views and the load runner
// together. It keeps no figures and makes no decisions of its own: what it shows comes from the
// session file or the runner's signals, and what it does is a call into core (workflow/, comparison/).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Tab { LiveTab, CompareTab, DecisionTab };
    // Who approves launch commands from a session before they run (workflow/command_approval.h):
    // the app's consent dialog, set by main(); a test's scripted answer. Unset, nothing is approved.
    using CommandApprover = std::function<bool(const QStringList& commands)>;

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Also the steps the end-to-end test and the demo drive, without dialogs.
    bool openSession(const QString& path, bool create = false);
    int64_t addCandidate(store::Candidate candidate);
    // Credential header values go into the session file only with keepSecrets.
    int64_t addTarget(store::Target target, bool keepSecrets = false);
    int64_t addProfile(store::Profile profile);
    // File > Import without its dialogs: a HAR, OpenAPI, Postman or scenario file as a target of the
    // candidate (0: none). Returns the target's id, 0 (with the problem shown) when it could not;
    // `skipped` receives what the import left out.
    int64_t importScenario(const QString& path, int64_t candidateId, QStringList* skipped = nullptr);
    bool runTargets(const std::vector<int64_t>& targetIds, int64_t profileId, int repeats = 1);
    void compareRuns(const std::vector<int64_t>& runIds);
    // Writes a comparison report (comparison/report_export.h); false with a message shown when it could not.
    bool exportReport(const comparison::ReportRequest& request, comparison::ReportFormat format, const QString& path);
    RunDetailsDialog* showRunDetails(int64_t runId);
    void startDemo(const QString& sessionPath);
    // The seed's comparison on real servers (workflow/go_vs_python_example.h), each started through
    // its launch command once approved; ends on the comparison like the demo. False, with the reason
    // shown, when the examples or their servers are missing.
    bool startGoVsPythonExample(const QString& sessionPath, std::chrono::seconds duration = std::chrono::seconds(5));
    // Serves live figures for Prometheus at ADDRESS (HOST:PORT), or stops with an empty one; the
    // choice is remembered. False, with the reason shown, when the address cannot be listened on.
    bool setMetricsListen(const QString& address);
    void setCommandApprover(CommandApprover approver);
    void showTab(Tab tab);

    store::SessionFile* session() const { return session_.get(); }
    workflow::LoadRunner* runner() { return &runner_; }
    LiveRunView* liveView() const { return live_; }
    CompareView* compareView() const { return compare_; }
    DecisionView* decisionView() const { return decision_; }
    SessionSidebar* sidebar() const { return sidebar_; }
    QUndoStack* undoStack() const { return undo_; }
    RunHistoryModel* historyModel();
    QStandardItemModel* candidatesModel();
    QStandardItemModel* profilesModel();

signals:
    void demoFinished();
    void problemShown(const QString& title, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void connectRunner();
    void refreshDecision();
    void setDecisionRuns(std::vector<int64_t> runIds);
    void persistDecision();
    void updateTitleAndActions();
    void showError(const QString& title, const QString& message);
    bool startFreshSession(const QString& sessionPath);
    static QString sessionsFile(const QString& name); // in the app's data folder

    void newSession();
    void openSessionDialog();
    void save();
    void saveAs();
    void runCampaign();
    void compareSelected();
    void exportDialog();
    void importScenarioDialog();
    void calibrateMachine();
    void about();

    std::unique_ptr<store::SessionFile> session_;
    bool untitled_ = false;
    workflow::LoadRunner runner_;
    workflow::DemoServers demoServers_;
    workflow::CommandApproval approval_;
    bool demoRunning_ = false; // the demo or an example: compare its runs when they end
    bool closeAfterRun_ = false;
    std::jthread calibration_;
    QStringList problems_;
    std::vector<int64_t> decisionRuns_; // the runs the decision table weighs
    std::vector<workflow::RunJob> campaign_; // the jobs of the campaign in progress, in the runner's order
    std::vector<int64_t> campaignRuns_;      // the runs of the campaign in progress

    QUndoStack* undo_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    WelcomePage* welcome_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    SessionSidebar* sidebar_ = nullptr;
    LiveRunView* live_ = nullptr;
    CompareView* compare_ = nullptr;
    DecisionView* decision_ = nullptr;
    RecentFiles* recent_ = nullptr;
    QList<QAction*> sessionActions_;
    QList<QAction*> exportActions_;
    QAction* startAction_ = nullptr;
    QAction* campaignAction_ = nullptr;
    QAction* stopAction_ = nullptr;
    QAction* metricsAction_ = nullptr;
    QAction* removeAction_ = nullptr;
};

} // namespace benchdeck::ui
