// SPDX-License-Identifier: Apache-2.0
// The scenario editor, offscreen, against the shop API of tst_scenario_engine: "Try once" shows each
// step's request, answer and extracted values; an edit made in the form changes what runs; a target
// holding a scenario keeps it and names its server. With BENCHDECK_SCREENSHOT_DIR set, the editor is
// also saved as the app draws it (scripts/screenshots.sh, for the README).
#include "dialogs/scenario_editor.h"
#include "dialogs/target_dialog.h"
#include "main_window.h"
#include "engine/scenario_plan.h"
#include "plan/scenario_codec.h"
#include "test_shop_server.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

#include <memory>
#include <string>

// Declared before any test data: moc must see the whole class before the string literals below.
class TestScenarioEditor : public QObject {
    Q_OBJECT

private slots:
    void tryOnceShowsEachStepsRequestAnswerAndVariables();
    void anEditInTheFormChangesWhatRuns();
    void aNewScenarioStartsFromTheTargetsUrl();
    void theTargetEditorKeepsTheScenarioAndNamesItsServer();
    void fileImportMakesACandidatesScenarioTarget();
};

using benchdeck::testing::ShopServer;
using benchdeck::ui::ScenarioEditorDialog;

namespace {

std::string replaced(std::string text, const std::string& what, const std::string& with)
{
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
        text.replace(at, what.size(), with);
    }
    return text;
}

std::shared_ptr<const benchdeck::engine::ScenarioPlan> shopPlan(const ShopServer& server)
{
    const std::string text = R"({
      "benchdeck_scenario": 1,
      "variables": {"base": "BASE"},
      "steps": [
        {"name": "login", "method": "POST", "url": "{{base}}/login",
         "body": {"user": "ann", "password": "s3cret"},
         "extract": [{"var": "token", "json": "/token"}], "check": [{"status": [200]}]},
        {"name": "list", "url": "{{base}}/items", "headers": {"Authorization": "Bearer {{token}}"},
         "extract": [{"var": "id", "json": "$.items[0].id"}], "check": [{"status": [200]}]},
        {"name": "item", "url": "{{base}}/items/{{id}}", "headers": {"Authorization": "Bearer {{token}}"},
         "check": [{"json": "/found", "equals": true}]}
      ]
    })";
    std::string error;
    auto workload = benchdeck::plan::parseScenarioText(QByteArray::fromStdString(replaced(text, "BASE", server.base())),
                                                       &error);
    if (!workload) {
        qFatal("%s", error.c_str());
    }
    return benchdeck::engine::makeScenarioPlan(std::move(*workload), "shop.json", {}, {}, &error);
}

benchdeck::engine::RunConfig settingsFor(const ShopServer& server)
{
    benchdeck::engine::RunConfig settings;
    settings.url = server.base();
    settings.requestTimeout = std::chrono::seconds(10);
    return settings;
}

bool runTry(ScenarioEditorDialog& editor)
{
    QSignalSpy finished(&editor, &ScenarioEditorDialog::tryFinished);
    editor.findChild<QPushButton*>(QStringLiteral("tryOnce"))->click();
    return finished.wait(30'000);
}

// The detail of the first item under `parent` (at any depth) whose first column is `label`; empty
// when there is none.
QString detail(const QTreeWidgetItem* parent, const QString& label)
{
    for (int i = 0; i < parent->childCount(); ++i) {
        if (parent->child(i)->text(0) == label) {
            return parent->child(i)->text(1);
        }
        if (const QString below = detail(parent->child(i), label); !below.isEmpty()) {
            return below;
        }
    }
    return {};
}

} // namespace

void TestScenarioEditor::tryOnceShowsEachStepsRequestAnswerAndVariables()
{
    ShopServer server;
    ScenarioEditorDialog editor(shopPlan(server), settingsFor(server), nullptr);
    editor.show();
    QVERIFY(editor.problem().isEmpty());
    QVERIFY(runTry(editor));
    auto* results = editor.results();
    QCOMPARE(results->topLevelItemCount(), 3);
    const auto* login = results->topLevelItem(0);
    QVERIFY2(login->text(0).contains(QStringLiteral("✓ login")), qPrintable(login->text(0)));
    QVERIFY(login->text(1).startsWith(QStringLiteral("200 in ")));
    QCOMPARE(detail(login, QStringLiteral("Request")), "POST " + QString(server.base().c_str()) + "/login");
    const auto* request = login->child(0);
    const auto* response = login->child(1);
    QCOMPARE(detail(request, QStringLiteral("body")), QStringLiteral(R"({"password":"s3cret","user":"ann"})"));
    QCOMPARE(detail(response, QStringLiteral("body")), QStringLiteral(R"({"token": "tok-ann"})"));
    QVERIFY(response->text(1).startsWith(QStringLiteral("200 · ")));
    // A token is a credential: shown masked, as headers are.
    QCOMPARE(detail(login, QStringLiteral("{{token}}")), QStringLiteral("••••••••"));
    const auto* list = results->topLevelItem(1);
    QCOMPARE(detail(list, QStringLiteral("{{id}}")), QStringLiteral("17"));
    QCOMPARE(detail(list, QStringLiteral("> Authorization")), QStringLiteral("••••••••"));
    const auto* item = results->topLevelItem(2);
    QCOMPARE(detail(item, QStringLiteral("Request")), "GET " + QString(server.base().c_str()) + "/items/17");
    QCOMPARE(detail(item, QStringLiteral("PASS")), QStringLiteral("/found == true"));
    QCOMPARE(server.requestsByRoute().at("GET /items/17"), uint64_t(1));
    if (const QByteArray dir = qgetenv("BENCHDECK_SCREENSHOT_DIR"); !dir.isEmpty()) {
        editor.findChild<QListWidget*>(QStringLiteral("steps"))->setCurrentRow(1);
        editor.resize(1100, 820);
        QTest::qWait(200);
        QVERIFY(editor.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/scenario-editor.png")));
    }
}

void TestScenarioEditor::anEditInTheFormChangesWhatRuns()
{
    ShopServer server;
    ScenarioEditorDialog editor(shopPlan(server), settingsFor(server), nullptr);
    // Take the list's extractor out and give {{id}} a constant no item has: the item step now fails.
    auto* steps = editor.findChild<QListWidget*>(QStringLiteral("steps"));
    steps->setCurrentRow(1);
    editor.findChild<QTableWidget*>(QStringLiteral("extractors"))->setRowCount(0);
    auto* constants = editor.findChild<QPlainTextEdit*>(QStringLiteral("constants"));
    QVERIFY(constants->toPlainText().contains(QStringLiteral("base = ")));
    constants->setPlainText(constants->toPlainText() + QStringLiteral("\nid = 0"));
    QVERIFY(runTry(editor));
    QCOMPARE(editor.results()->topLevelItemCount(), 3);
    const auto* item = editor.results()->topLevelItem(2);
    QVERIFY2(item->text(0).contains(QStringLiteral("✗ item")), qPrintable(item->text(0)));
    QCOMPARE(detail(item, QStringLiteral("FAIL")), QStringLiteral("/found == true"));
    QCOMPARE(server.requestsByRoute().at("GET /items/0"), uint64_t(1));
    // What the dialog hands back is that edited scenario, compiled.
    const auto edited = editor.scenario();
    QVERIFY(edited);
    QVERIFY(edited->workload.scenarios[0].steps[1].extractors.empty());
    QCOMPARE(edited->workload.scenarios[0].steps[2].checks.size(), size_t(1));
    // A broken URL is said, not run.
    steps->setCurrentRow(2);
    editor.findChild<QLineEdit*>(QStringLiteral("stepUrl"))->setText(QStringLiteral("{{base}}/items/{{nothing}}"));
    steps->setCurrentRow(0); // leaving the step stores it
    QVERIFY2(editor.problem().contains(QStringLiteral("{{nothing}}")), qPrintable(editor.problem()));
    QVERIFY(!editor.findChild<QPushButton*>(QStringLiteral("tryOnce"))->isEnabled());
    QVERIFY(!editor.scenario());
}

void TestScenarioEditor::aNewScenarioStartsFromTheTargetsUrl()
{
    ShopServer server;
    auto settings = settingsFor(server);
    settings.url = server.base() + "/items/42?page=2";
    ScenarioEditorDialog editor(nullptr, settings, nullptr);
    const auto scenario = editor.scenario();
    QVERIFY2(scenario, qPrintable(editor.problem()));
    QCOMPARE(scenario->origin, server.base());
    QCOMPARE(scenario->workload.scenarios[0].steps[0].url, std::string("{{base}}/items/42?page=2"));
    QVERIFY(runTry(editor));
    // Items want a token this step does not have: the server's 401 is what the try shows.
    QCOMPARE(server.unauthorized(), uint64_t(1));
    QVERIFY(editor.results()->topLevelItem(0)->text(1).startsWith(QStringLiteral("401 in ")));
}

void TestScenarioEditor::theTargetEditorKeepsTheScenarioAndNamesItsServer()
{
    ShopServer server;
    benchdeck::store::Target target;
    target.name = "shop";
    target.request.url = server.base();
    target.request.scenario = shopPlan(server);
    benchdeck::ui::TargetDialog dialog(target, {}, nullptr);
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    const auto edited = dialog.target();
    QCOMPARE(edited.request.scenario, target.request.scenario);
    QCOMPARE(edited.request.url, server.base());
    QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("scenarioSummary"))->text().contains(QStringLiteral("3 steps")));
}

void TestScenarioEditor::fileImportMakesACandidatesScenarioTarget()
{
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    benchdeck::ui::MainWindow window;
    window.setCommandApprover([](const QStringList&) { return false; });
    QVERIFY(window.openSession(dir.filePath(QStringLiteral("import.benchdeck")), true));
    benchdeck::store::Candidate candidate;
    candidate.name = "Shop (Go)";
    const int64_t candidateId = window.addCandidate(candidate);
    QVERIFY(candidateId > 0);
    QStringList skipped;
    const int64_t id = window.importScenario(QStringLiteral(BENCHDECK_FIXTURES "/import/browser.har"), candidateId, &skipped);
    QVERIFY(id > 0);
    QVERIFY2(skipped.filter(QStringLiteral("a static asset")).size() == 5, qPrintable(skipped.join('\n')));
    std::string error;
    const auto targets = window.session()->targets(&error);
    QCOMPARE(targets.size(), size_t(1));
    const auto& target = targets[0];
    QCOMPARE(target.id, id);
    QCOMPARE(target.candidateId, candidateId);
    QCOMPARE(target.name, std::string("browser"));
    QCOMPARE(target.request.url, std::string("https://shop.example.test"));
    QVERIFY(target.request.scenario);
    QCOMPARE(target.request.scenario->stepCount(), size_t(6));
    QCOMPARE(target.request.scenario->workload.scenarios[0].steps[3].method, std::string("POST"));
    // Something that is no recording is refused and adds nothing.
    QVERIFY(window.importScenario(QStringLiteral(BENCHDECK_FIXTURES "/session-v5.sql"), 0) == 0);
    QCOMPARE(window.session()->targets(&error).size(), size_t(1));
}

QTEST_MAIN(TestScenarioEditor)
#include "tst_scenario_editor.moc"
