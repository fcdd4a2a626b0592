// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "comparison/report_files.h"
#include "models/run_history_model.h"
#include "store/session_file.h"
#include "workflow/load_runner.h"
#include "workflow/run_jobs.h"

#include <QMainWindow>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

class QLabel;
class QListView;
class QMenu;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTreeView;

namespace benchdeck::target {
class TargetServer;
}

namespace benchdeck::ui {

class CompareView;
class DecisionView;
class LiveRunView;
class WelcomePage;

// The session window: sidebar (candidates and targets, profiles, run history) and the live, compare
// and decision views. It wires models, views and the load runner together and keeps no figures of
// its own: everything it shows comes from the session file or the runner's signals.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum ItemRole { IdRole = Qt::UserRole + 1, KindRole };
    enum ItemKind { CandidateItem = 1, TargetItem };
    enum Tab { LiveTab, CompareTab, DecisionTab };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Also the steps the end-to-end test and the demo drive, without dialogs.
    bool openSession(const QString& path, bool create = false);
    int64_t addCandidate(store::Candidate candidate);
    // Credential header values go into the session file only with keepSecrets.
    int64_t addTarget(store::Target target, bool keepSecrets = false);
    int64_t addProfile(store::Profile profile);
    bool runTargets(const std::vector<int64_t>& targetIds, int64_t profileId, int repeats = 1);
    void compareRuns(const std::vector<int64_t>& runIds);
    // Writes a comparison report; false with a message shown when it could not be written.
    bool exportReport(const comparison::ReportRequest& request, comparison::ReportFormat format, const QString& path);
    void startDemo(const QString& sessionPath);
    // The seed's comparison on real servers (workflow/go_vs_python_example.h), each started through
    // its launch command once the user approves; ends on the comparison like the demo. False, with the
    // reason shown, when the examples or their servers are missing.
    bool startGoVsPythonExample(const QString& sessionPath, std::chrono::seconds duration = std::chrono::seconds(5));
    // Who approves launch commands from a session before they run: by default the consent dialog
    // (and nobody, so no command runs, where no one can answer it: the offscreen platform). Tests
    // put their own answer here.
    using CommandApprover = std::function<bool(const QStringList& commands)>;
    // Serves live figures for Prometheus at ADDRESS (HOST:PORT), or stops with an empty one; the
    // choice is remembered. False, with the reason shown, when the address cannot be listened on.
    bool setMetricsListen(const QString& address);
    void setCommandApprover(CommandApprover approver) { approveCommands_ = std::move(approver); }
    void showTab(Tab tab);

    store::SessionFile* session() const { return session_.get(); }
    workflow::LoadRunner* runner() { return &runner_; }
    LiveRunView* liveView() const { return live_; }
    CompareView* compareView() const { return compare_; }
    DecisionView* decisionView() const { return decision_; }
    RunHistoryModel* historyModel() { return &history_; }
    QStandardItemModel* candidatesModel() { return &candidates_; }
    QStandardItemModel* profilesModel() { return &profiles_; }

signals:
    void demoFinished();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildSidebar();
    void reloadSidebar();
    void refreshHistory();
    void refreshDecision();
    // What the decision table weighs: the compared runs, or the last campaign's.
    void setDecisionRuns(std::vector<int64_t> runIds);
    void persistDecision();
    void updateTitleAndActions();
    void rememberRecent(const QString& path);
    void rebuildRecentMenu();
    void showError(const QString& title, const QString& message);

    void newSession();
    void openSessionDialog();
    void save();
    void saveAs();
    void addCandidateDialog();
    void addTargetDialog();
    void addProfileDialog();
    void editSelected();
    void removeSelected();
    void startSelected();
    void runCampaign();
    void compareSelected();
    void exportDialog();
    void calibrateMachine();
    void about();

    int64_t selectedTargetId() const;
    void selectTarget(int64_t id);
    int64_t selectedProfileId() const;

    std::unique_ptr<store::SessionFile> session_;
    bool untitled_ = false;
    workflow::LoadRunner runner_;
    std::vector<std::unique_ptr<target::TargetServer>> demoTargets_;
    bool demoRunning_ = false; // the demo or an example: compare its runs when they end
    CommandApprover approveCommands_;
    bool closeAfterRun_ = false;
    workflow::SecretHeaders secretHeaders_;
    std::jthread calibration_;
    QStringList approvedCommands_; // server launch commands the user agreed to run in this window
    QStringList problems_;
    std::vector<int64_t> decisionRuns_; // the runs the decision table weighs
    std::vector<int64_t> campaignRuns_; // the runs of the campaign in progress

    QStandardItemModel candidates_;
    QStandardItemModel profiles_;
    RunHistoryModel history_;
    QSortFilterProxyModel historyProxy_;

    QStackedWidget* pages_ = nullptr;
    WelcomePage* welcome_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QTreeView* candidateTree_ = nullptr;
    QListView* profileList_ = nullptr;
    QTableView* historyTable_ = nullptr;
    LiveRunView* live_ = nullptr;
    CompareView* compare_ = nullptr;
    DecisionView* decision_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QList<QAction*> sessionActions_;
    QList<QAction*> exportActions_;
    QAction* startAction_ = nullptr;
    QAction* campaignAction_ = nullptr;
    QAction* stopAction_ = nullptr;
    QAction* metricsAction_ = nullptr;
};

} // namespace benchdeck::ui
