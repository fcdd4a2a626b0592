// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"
#include "engine/scenario_plan.h"
#include "engine/scenario_probe.h"
#include "scenario/csv_data.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QJsonObject>

#include <atomic>
#include <memory>
#include <vector>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace benchdeck::ui {

// Edits a target's scenario (docs/scenarios.md): its steps, each step's request, extractors and
// checks, and runs one iteration against the server ("Try once") to show each step's request,
// answer and extracted values. The form edits the scenario file's own JSON, which the core reads
// and compiles as it would a file: the dialog parses and checks nothing itself.
class ScenarioEditorDialog : public QDialog {
    Q_OBJECT
public:
    // `scenario` may be null: a new scenario of one step on `settings.url`. `settings` gives what a
    // try sends besides the steps: the target's headers, timeouts and TLS settings.
    ScenarioEditorDialog(std::shared_ptr<const engine::ScenarioPlan> scenario, engine::RunConfig settings,
                         QWidget* parent);
    ~ScenarioEditorDialog() override;

    // The edited scenario, compiled with its data; null while the form does not compile.
    std::shared_ptr<const engine::ScenarioPlan> scenario() const { return compiled_; }
    // One iteration of the current scenario; tryFinished() when its answers are shown.
    void tryOnce();
    QTreeWidget* results() const { return results_; }
    QString problem() const;

signals:
    void tryFinished();

private:
    void buildScenarioList();
    void showStep(int index);
    void storeStep(); // the form's fields back into workload_
    void addStep();
    void removeStep();
    void moveStep(int by);
    void recompile();
    void showTryResults(const std::vector<engine::ProbeStep>& steps);
    QJsonArray steps() const;
    void setSteps(const QJsonArray& steps);

    engine::RunConfig settings_;
    std::string file_;
    std::vector<std::string> dataFiles_;
    // The feeders' rows, read once when the dialog opens (the editor does not change feeders), so
    // that compiling after each edit never reads files on the UI thread.
    std::vector<scenario::CsvTable> data_;
    std::string dataError_;
    QJsonObject workload_; // the scenario file's JSON, as edited
    int scenario_ = 0;
    int step_ = -1;
    bool loading_ = false; // filling the form: its change signals are not edits
    std::shared_ptr<const engine::ScenarioPlan> compiled_;
    QFutureWatcher<std::vector<engine::ProbeStep>> tryWatcher_;
    std::atomic<bool> cancelTry_{false};

    QComboBox* scenarioChoice_;
    QPlainTextEdit* constants_;
    QListWidget* stepList_;
    QLineEdit* name_;
    QComboBox* method_;
    QLineEdit* url_;
    QPlainTextEdit* headers_;
    QPlainTextEdit* body_;
    QTableWidget* extractors_;
    QTableWidget* checks_;
    QLineEdit* think_;
    QLabel* problem_;
    QPushButton* try_;
    QTreeWidget* results_;
    QDialogButtonBox* buttons_;
};

} // namespace benchdeck::ui
