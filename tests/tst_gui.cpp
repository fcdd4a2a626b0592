// SPDX-License-Identifier: Apache-2.0
// The desktop app end to end, offscreen: candidates against local calibration targets, runs from the
// UI with the live chart filling, the compare view, the decision table's verdict, and a reopen that
// finds everything again. Every item model also goes through QAbstractItemModelTester.
#include "dialogs/command_consent_dialog.h"
#include "dialogs/export_dialog.h"
#include "dialogs/profile_dialog.h"
#include "dialogs/target_dialog.h"
#include "plan/plan_codec.h"
#include "dialogs/run_details_dialog.h"
#include "main_window.h"
#include "models/compare_model.h"
#include "models/decision_models.h"
#include "models/run_details_models.h"
#include "models/run_history_model.h"
#include "target/target_server.h"
#include "views/compare_view.h"
#include "views/decision_view.h"
#include "views/live_run_view.h"
#include "views/run_history_panel.h"
#include "views/session_sidebar.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QFileInfo>
#include <QStatusBar>
#include <QTableView>
#include <QDir>
#include <QStandardPaths>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using namespace benchdeck;
using namespace std::chrono_literals;

class TestGui : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QApplication::setOrganizationName(QStringLiteral("BenchdeckTests"));
        QApplication::setApplicationName(QStringLiteral("tst_gui"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void twoCandidatesRunCompareDecideAndReopen()
    {
        target::TargetOptions fastOptions;
        fastOptions.delay = 1ms;
        target::TargetOptions slowOptions;
        slowOptions.delay = 10ms;
        target::TargetServer fast(fastOptions);
        target::TargetServer slow(slowOptions);
        std::string error;
        QVERIFY(fast.start(&error) && slow.start(&error));

        const QString path = dir_.filePath(QStringLiteral("e2e.benchdeck"));
        ui::MainWindow window;
        window.show();
        QAbstractItemModelTester historyTester(window.historyModel());
        QAbstractItemModelTester candidatesTester(window.candidatesModel());
        QAbstractItemModelTester profilesTester(window.profilesModel());
        QAbstractItemModelTester compareTester(window.compareView()->model());
        QAbstractItemModelTester decisionTester(window.decisionView()->decisionModel());
        QAbstractItemModelTester weightsTester(window.decisionView()->weightsModel());
        QAbstractItemModelTester scoresTester(window.decisionView()->scoresModel());

        QVERIFY(window.openSession(path, true));
        const int64_t goId = window.addCandidate({0, "Go (Gin)", "go", ""});
        const int64_t pyId = window.addCandidate({0, "Python (FastAPI)", "python", ""});
        store::Target goTarget;
        goTarget.candidateId = goId;
        goTarget.name = "fast";
        goTarget.request.url = "http://127.0.0.1:" + std::to_string(fast.port()) + "/json";
        store::Target pyTarget = goTarget;
        pyTarget.candidateId = pyId;
        pyTarget.name = "slow";
        pyTarget.request.url = "http://127.0.0.1:" + std::to_string(slow.port()) + "/json";
        const int64_t goTargetId = window.addTarget(goTarget);
        const int64_t pyTargetId = window.addTarget(pyTarget);
        store::Profile profile{0, "e2e: 8 users, 2 s", {}};
        profile.load.connections = 8;
        profile.load.threads = 1;
        profile.load.duration = 2s;
        const int64_t profileId = window.addProfile(profile);
        QCOMPARE(window.candidatesModel()->rowCount(), 2);

        QSignalSpy finished(window.runner(), &workflow::LoadRunner::allFinished);
        QSignalSpy progress(window.runner(), &workflow::LoadRunner::progress);
        QVERIFY(window.runTargets({goTargetId, pyTargetId}, profileId));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), false); // not stopped
        // At least one snapshot per closed second of each run (4 a second when the machine is idle), and
        // the live chart drew them.
        QVERIFY2(progress.count() >= 4, qPrintable(QString::number(progress.count())));
        QVERIFY(window.liveView()->throughputPoints() >= 1);

        QCOMPARE(window.historyModel()->rowCount(), 2);
        std::vector<int64_t> runIds;
        for (int row = 0; row < 2; ++row) {
            QCOMPARE(QString::fromStdString(window.historyModel()->runAt(row)->status), QStringLiteral("completed"));
            runIds.push_back(window.historyModel()->runAt(row)->id);
        }
        window.compareRuns(runIds);
        const auto& compared = window.compareView()->model()->runs();
        QCOMPARE(compared.size(), size_t(2));
        QVERIFY(compared[0].result.rps() > 2 * compared[1].result.rps()); // 1 ms vs 10 ms

        auto* decision = window.decisionView()->decisionModel();
        QCOMPARE(decision->columnCount(), 2);
        int highTraffic = -1;
        for (int row = 0; row < decision->rowCount(); ++row) {
            if (decision->headerData(row, Qt::Vertical, Qt::DisplayRole).toString() ==
                QStringLiteral("High-traffic API")) {
                highTraffic = row;
            }
        }
        QVERIFY(highTraffic >= 0);
        QCOMPARE(decision->index(highTraffic, 0).data(ui::DecisionTableModel::VerdictRole).toString(),
                 QStringLiteral("Best choice"));
        QVERIFY(decision->index(highTraffic, 1).data(ui::DecisionTableModel::VerdictRole).toString() !=
                QStringLiteral("Best choice"));
        // Each column and each measured cell says which run its figures come from.
        QVERIFY(window.decisionView()->state().refusal.empty());
        for (int column = 0; column < 2; ++column) {
            const QString header = decision->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
            QVERIFY2(header.contains(QStringLiteral("run #%1").arg(runIds[size_t(column)])), qPrintable(header));
            const QString tip = decision->index(highTraffic, column).data(Qt::ToolTipRole).toString();
            QVERIFY2(tip.contains(QStringLiteral("run #%1").arg(runIds[size_t(column)])), qPrintable(tip));
        }

        // A run of another plan is not weighed against these: the table refuses and says why.
        store::Profile other{0, "e2e: 4 users, 1 s", {}};
        other.load.connections = 4;
        other.load.threads = 1;
        other.load.duration = 1s;
        const int64_t otherId = window.addProfile(other);
        finished.clear();
        QVERIFY(window.runTargets({pyTargetId}, otherId));
        QVERIFY(finished.wait(30000));
        const int64_t otherRun = window.historyModel()->runAt(2)->id;
        window.compareRuns({runIds[0], otherRun});
        const std::string refusal = window.decisionView()->state().refusal;
        QVERIFY2(refusal.find("different plans") != std::string::npos, refusal.c_str());
        QCOMPARE(decision->index(highTraffic, 0).data(ui::DecisionTableModel::VerdictRole).toString(),
                 QString::fromUtf8(decision::verdictLabel(decision::Verdict::Unknown).data()));
        window.compareRuns(runIds);
        QVERIFY(window.decisionView()->state().refusal.empty());

        // Edit a weight and a score; both must survive a reopen.
        auto* weights = window.decisionView()->weightsModel();
        QVERIFY(weights->setData(weights->index(0, 0), 1.0, Qt::EditRole));
        auto* scores = window.decisionView()->scoresModel();
        QVERIFY(scores->setData(scores->index(0, 1), 1.0, Qt::EditRole));
        const QVariant weightBefore = weights->index(0, 0).data();
        const QVariant scoreBefore = scores->index(0, 1).data();

        ui::MainWindow reopened;
        QVERIFY(window.openSession(dir_.filePath(QStringLiteral("other.benchdeck")), true)); // let go of the file
        QVERIFY(reopened.openSession(path));
        QCOMPARE(reopened.historyModel()->rowCount(), 3);
        QCOMPARE(reopened.historyModel()->runAt(0)->id, runIds[0]);
        // The decision table weighs the same runs as before the reopen.
        QCOMPARE(reopened.decisionView()->state().facts.size(), size_t(2));
        QCOMPARE(reopened.decisionView()->state().facts[0].runIds, std::vector<int64_t>{runIds[0]});
        QCOMPARE(reopened.candidatesModel()->rowCount(), 2);
        QCOMPARE(reopened.decisionView()->weightsModel()->index(0, 0).data(), weightBefore);
        QCOMPARE(reopened.decisionView()->scoresModel()->index(0, 1).data(), scoreBefore);

        // And the comparison leaves the app as a report.
        const QString html = dir_.filePath(QStringLiteral("e2e.html"));
        comparison::ReportRequest request;
        request.runIds = runIds;
        QVERIFY(reopened.exportReport(request, comparison::ReportFormat::Html, html));
        QFile exported(html);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        const QByteArray page = exported.readAll();
        QVERIFY(page.contains("Go (Gin)") && page.contains("<svg"));
    }

    // Open a dialog on stored data and press OK without touching anything: the data comes back as it went in.
    void everyDialogFitsASmallScreen()
    {
        // 1024x700 is the smallest screen the app supports, and what a 2048x1400 one is at 200 %
        // (QT_SCALE_FACTOR=2 doubles pixels, not logical sizes): a title bar and a panel leave 640.
        const QSize screen(1024, 640);
        store::Profile profile{0, "p", {}};
        profile.load.thresholds = {"p99<50ms"};
        ui::ProfileDialog profileDialog(profile, nullptr);
        ui::CandidateDialog candidateDialog({}, nullptr);
        ui::TargetDialog targetDialog({}, {}, nullptr);
        ui::ExportDialog exportDialog({}, {}, nullptr);
        ui::CommandConsentDialog consent({QStringLiteral("exec ./server --port 8080")}, nullptr);
        store::StoredRun run;
        run.result.finalize();
        ui::RunDetailsDialog details(run, nullptr);
        for (QDialog* dialog : std::initializer_list<QDialog*>{&profileDialog, &candidateDialog, &targetDialog,
                                                                &exportDialog, &consent, &details}) {
            const QSize needed = dialog->minimumSizeHint().expandedTo(dialog->minimumSize());
            QVERIFY2(needed.width() <= screen.width() && needed.height() <= screen.height(),
                     qPrintable(QStringLiteral("%1 needs %2x%3")
                                    .arg(QString::fromLatin1(dialog->metaObject()->className()))
                                    .arg(needed.width())
                                    .arg(needed.height())));
        }
    }

    void dialogsRoundTripUntouchedData()
    {
        store::Target target;
        target.id = 7;
        target.name = "items";
        target.request.url = "http://127.0.0.1:9/items";
        target.request.method = "POST";
        target.request.headers = {{"Accept", "application/json"}, {"Authorization", "Bearer x"}, {"X-Trace", "1"}};
        target.request.body = "{\"a\":1}";
        target.request.requestTimeout = 290ms;
        target.request.httpVersion = engine::HttpVersion::Http2;
        target.request.streams = 8;
        target.request.caCertFile = QCoreApplication::applicationFilePath().toStdString(); // any readable file
        ui::TargetDialog targetDialog(target, {}, nullptr);
        const auto back = targetDialog.target();
        QCOMPARE(back.request.httpVersion, engine::HttpVersion::Http2);
        QCOMPARE(back.request.streams, 8);
        QCOMPARE(back.request.caCertFile, target.request.caCertFile);
        QCOMPARE(back.request.headers.size(), target.request.headers.size());
        for (size_t i = 0; i < target.request.headers.size(); ++i) {
            QCOMPARE(back.request.headers[i].name, target.request.headers[i].name);
            QCOMPARE(back.request.headers[i].value, target.request.headers[i].value);
        }
        QCOMPARE(back.request.url, target.request.url);
        QCOMPARE(back.request.method, target.request.method);
        QCOMPARE(back.request.body, target.request.body);
        QCOMPARE(back.request.requestTimeout, target.request.requestTimeout);
        QCOMPARE(back.name, target.name);

        // Through the session file: store, open the editor on what was stored, OK, store again. Nothing
        // changes, the withheld credential included.
        std::string error;
        auto session = store::SessionFile::open(dir_.filePath(QStringLiteral("dialogs.benchdeck")).toStdString(),
                                                store::OpenMode::CreateOrOpen, &error);
        QVERIFY2(session, error.c_str());
        store::Target stored = target;
        stored.id = 0;
        QVERIFY2(session->saveTarget(stored, false, &error), error.c_str());
        const auto first = session->targets(&error).front();
        ui::TargetDialog again(first, {}, nullptr);
        auto edited = again.target();
        QVERIFY2(session->saveTarget(edited, again.keepSecrets(), &error), error.c_str());
        const auto second = session->targets(&error).front();
        QCOMPARE(second.request.streams, 8);
        QCOMPARE(second.request.caCertFile, target.request.caCertFile);
        QCOMPARE(second.request.headers.size(), first.request.headers.size());
        for (size_t i = 0; i < first.request.headers.size(); ++i) {
            QCOMPARE(second.request.headers[i].name, first.request.headers[i].name);
            QCOMPARE(second.request.headers[i].value, first.request.headers[i].value);
            QCOMPARE(second.request.headers[i].withheld, first.request.headers[i].withheld);
        }
        QVERIFY(first.request.headers[1].withheld); // Authorization: kept out of the file, and said so
        QCOMPARE(second.request.url, first.request.url);
        QCOMPARE(second.request.method, first.request.method);
        QCOMPARE(second.request.body, first.request.body);
        QCOMPARE(second.request.requestTimeout, first.request.requestTimeout);
        QCOMPARE(second.name, first.name);

        std::vector<store::Profile> profiles(3);
        profiles[0].name = "closed";
        profiles[0].load.connections = 50;
        profiles[0].load.threads = 2;
        profiles[0].load.duration = 290ms;
        profiles[0].load.warmup = 1500ms;
        profiles[1].name = "open";
        profiles[1].load.rate = 1500;
        profiles[1].load.openModel = true;
        profiles[1].load.connections = 1000;
        profiles[1].load.duration = 30s;
        profiles[2].name = "ramp";
        profiles[2].load.connections = 100;
        profiles[2].load.stages = {{10s, 100}, {30s, 100}, {10s, 0}};
        for (const auto& profile : profiles) {
            ui::ProfileDialog dialog(profile, nullptr);
            const auto out = dialog.profile();
            QCOMPARE(out.name, profile.name);
            QCOMPARE(QString::fromStdString(plan::describe(out.load)), QString::fromStdString(plan::describe(profile.load)));
            QCOMPARE(out.load.duration, profile.load.duration);
            QCOMPARE(out.load.warmup, profile.load.warmup);
            QCOMPARE(out.load.rate, profile.load.rate);
            QCOMPARE(out.load.openModel, profile.load.openModel);
            QCOMPARE(out.load.connections, profile.load.connections);
            QCOMPARE(out.load.threads, profile.load.threads);
            QCOMPARE(engine::formatStages(out.load.stages), engine::formatStages(profile.load.stages));
        }
    }

    // A command hidden below 120 blank lines, or behind a carriage return, is shown whole; control
    // characters other than newline and tab are refused outright; No is the default.
    // A secret kept in the file shows as kept when its target is edited, and unticking the box takes
    // it out of the file, as the window's edit does (it used to OR in "kept in the file", so a kept
    // secret could never be removed through the dialog).
    void keptSecretCanBeTakenOutThroughTheEditor()
    {
        ui::MainWindow window;
        QVERIFY(window.openSession(dir_.filePath(QStringLiteral("kept.benchdeck")), true));
        store::Target target;
        target.name = "api";
        target.request.url = "http://127.0.0.1:9/";
        target.request.headers = {{"Authorization", "Bearer kept"}};
        const int64_t id = window.addTarget(target, /*keepSecrets=*/true);
        QVERIFY(id > 0);
        std::string error;
        const auto storedHeader = [&] { return window.session()->targets(&error).front().request.headers.front(); };
        QCOMPARE(storedHeader().value, std::string("Bearer kept"));

        ui::TargetDialog editor(window.session()->targets(&error).front(), {}, nullptr);
        editor.setKeepSecrets(true); // what the window sets for a secret already in the file
        QVERIFY(editor.keepSecrets());
        QCOMPARE(window.addTarget(editor.target(), editor.keepSecrets()), id);
        QCOMPARE(storedHeader().value, std::string("Bearer kept")); // OK with the box as shown keeps it

        editor.setKeepSecrets(false); // the user unticks it
        QCOMPARE(window.addTarget(editor.target(), editor.keepSecrets()), id);
        QVERIFY(storedHeader().withheld);
        QVERIFY(storedHeader().value.empty());
    }

    void consentDialogShowsTheWholeCommand()
    {
        const QString hidden = QStringLiteral("echo harmless") + QString(120, QLatin1Char('\n')) +
                               QStringLiteral("touch /tmp/PWNED");
        ui::CommandConsentDialog dialog({hidden}, nullptr);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QString shown = dialog.view()->toPlainText();
        QVERIFY(shown.contains(QStringLiteral("touch /tmp/PWNED")));
        QVERIFY(dialog.view()->isReadOnly());
        QVERIFY(!dialog.runButton()->isDefault());
        // The buttons are inside the dialog, not pushed off screen by the text.
        QVERIFY(dialog.rect().contains(dialog.runButton()->geometry().translated(
            dialog.runButton()->parentWidget()->mapTo(&dialog, QPoint(0, 0)))));
        bool saidLines = false;
        for (auto* label : dialog.findChildren<QLabel*>()) {
            saidLines = saidLines || label->text().contains(QStringLiteral("121 line"));
        }
        QVERIFY(saidLines);
        QCOMPARE(ui::CommandConsentDialog::visibleText(QStringLiteral("ls\rrm -rf ~")), QStringLiteral("ls\\rrm -rf ~"));
        QVERIFY(!ui::CommandConsentDialog::refusal(QStringLiteral("ls\rrm")).isEmpty());
        QVERIFY(!ui::CommandConsentDialog::refusal(QString(QChar(0)) + QStringLiteral("x")).isEmpty());
        QVERIFY(!ui::CommandConsentDialog::refusal(QStringLiteral("a\x1b[2Jb")).isEmpty());
        QVERIFY(ui::CommandConsentDialog::refusal(QStringLiteral("exec ./server --port 8080\n\tsleep 1")).isEmpty());
    }

    void targetEditorSaysWhatItCannotUse()
    {
        // h2c is served (Benchdeck's own HTTP/2 path); an unreadable CA file is refused, and streams
        // are only editable for HTTP/2.
        store::Target target;
        target.request.url = "http://127.0.0.1:9/";
        target.request.httpVersion = engine::HttpVersion::Http2;
        ui::TargetDialog dialog(target, {}, nullptr);
        auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());
        auto* streams = dialog.findChild<QSpinBox*>(QStringLiteral("streams"));
        auto* caCert = dialog.findChild<QLineEdit*>(QStringLiteral("caCert"));
        auto* http2 = dialog.findChild<QCheckBox*>(QStringLiteral("http2"));
        QVERIFY(streams && caCert && http2);
        QVERIFY(streams->isEnabled());
        caCert->setText(QStringLiteral("/nonexistent/ca.pem"));
        QVERIFY(!ok->isEnabled());
        caCert->clear();
        QVERIFY(ok->isEnabled());
        http2->setChecked(false);
        QVERIFY(!streams->isEnabled());
        QCOMPARE(dialog.target().request.streams, 1);
    }

    void pastedCurlCommandFillsTheTargetEditor()
    {
        ui::TargetDialog dialog(store::Target{}, {}, nullptr);
        const QString problem = dialog.applyCurlCommand(QStringLiteral(
            "curl 'http://127.0.0.1:9/api?x=1' -X PUT -H 'Authorization: Bearer tok' -H 'X-Trace: 7' "
            "--data-raw '{\"a\":1}' -k"));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const auto target = dialog.target();
        QCOMPARE(target.request.url, std::string("http://127.0.0.1:9/api?x=1"));
        QCOMPARE(target.request.method, std::string("PUT"));
        QCOMPARE(target.request.body, std::string("{\"a\":1}"));
        QVERIFY(target.request.insecure);
        const auto has = [&](const char* name, const char* value) {
            return std::any_of(target.request.headers.begin(), target.request.headers.end(),
                               [&](const engine::Header& h) { return h.name == name && h.value == value; });
        };
        QVERIFY(has("Authorization", "Bearer tok")); // kept, though the editor shows it masked
        QVERIFY(has("X-Trace", "7"));
        QVERIFY(!dialog.keepSecrets());
    }

    void closingDuringARunStopsItAndKeepsTheData()
    {
        target::TargetServer server({});
        std::string error;
        QVERIFY(server.start(&error));
        const QString path = dir_.filePath(QStringLiteral("close.benchdeck"));
        {
            ui::MainWindow window;
            window.show();
            QVERIFY(window.openSession(path, true));
            store::Target target;
            target.request.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
            const int64_t targetId = window.addTarget(target);
            store::Profile profile{0, "long", {}};
            profile.load.connections = 2;
            profile.load.threads = 1;
            profile.load.duration = 60s;
            QSignalSpy finished(window.runner(), &workflow::LoadRunner::allFinished);
            QSignalSpy progress(window.runner(), &workflow::LoadRunner::progress);
            QVERIFY(window.runTargets({targetId}, window.addProfile(profile)));
            QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 0, 30000); // measuring, however slow the start
            QTest::qWait(1000);
            window.runner()->stop(); // what the close dialog's "Yes" does
            QVERIFY(finished.wait(5000));
        }
        std::string problem;
        auto session = store::SessionFile::open(path.toStdString(), store::OpenMode::ReadOnly, &problem);
        QVERIFY2(session, problem.c_str());
        const auto runs = session->listRuns(&problem);
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].status, std::string("stopped"));
        QVERIFY(runs[0].requests > 0);
    }

    void runDetailsThresholdsAndRunManagement()
    {
        // 30% of answers are 500, and the server goes away mid-run: later connections are refused.
        target::TargetOptions options;
        options.errorRate = 0.3;
        target::TargetServer server(options);
        std::string error;
        QVERIFY(server.start(&error));
        const QString path = dir_.filePath(QStringLiteral("details.benchdeck"));
        ui::MainWindow window;
        window.show();
        QVERIFY(window.openSession(path, true));
        store::Target target;
        target.candidateId = window.addCandidate({0, "flaky", "", ""});
        target.request.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
        const int64_t targetId = window.addTarget(target);
        store::Profile profile{0, "4 users, 1.5 s, judged", {}};
        profile.load.connections = 4;
        profile.load.threads = 1;
        profile.load.duration = 1500ms;
        profile.load.thresholds = {"errors<1%", "p99<5s"};
        const int64_t profileId = window.addProfile(profile);

        QSignalSpy finished(window.runner(), &workflow::LoadRunner::allFinished);
        QVERIFY(window.runTargets({targetId}, profileId));
        QTimer::singleShot(700ms, &window, [&server] { server.stop(); });
        QVERIFY(finished.wait(30000));
        // The live view judges the run by its profile's thresholds.
        const QString verdicts = window.liveView()->thresholdText();
        QVERIFY2(verdicts.contains(QStringLiteral("FAIL errors<1%")) && verdicts.contains(QStringLiteral("PASS p99<5s")),
                 qPrintable(verdicts));

        QCOMPARE(window.historyModel()->rowCount(), 1);
        const int64_t runId = window.historyModel()->runAt(0)->id;
        auto* details = window.showRunDetails(runId);
        QVERIFY(details);
        const QString codes = details->statusCodes()->toText();
        QVERIFY2(codes.contains(QRegularExpression(QStringLiteral("^200 \\| [1-9]"), QRegularExpression::MultilineOption)) &&
                     codes.contains(QRegularExpression(QStringLiteral("^500 \\| [1-9]"), QRegularExpression::MultilineOption)),
                 qPrintable(codes));
        const QString kinds = details->errorKinds()->toText();
        // With the first refusal's own words, as the engine saw them and the session kept them.
        QVERIFY2(kinds.contains(QRegularExpression(QStringLiteral("connection refused \\| [1-9][0-9]* \\| [^|]+ \\| "
                                                                  "connect\\(\\): Connection refused \\|"))),
                 qPrintable(kinds));
        QVERIFY2(details->thresholds()->toText().contains(QStringLiteral("FAIL")), qPrintable(details->thresholds()->toText()));
        details->close();

        // Delete, undo: the run is back with its series. Delete again and reopen: it is gone.
        std::string loadError;
        const size_t seconds = window.session()->loadRun(runId, &loadError)->result.series.size();
        QVERIFY(seconds > 0);
        auto* history = window.sidebar()->history();
        history->table()->selectRow(0);
        QCOMPARE(history->selectionDescription(), QStringLiteral("run #%1 'flaky'").arg(runId));
        QVERIFY(history->deleteRuns({runId}));
        QCOMPARE(window.historyModel()->rowCount(), 0);
        QVERIFY(!window.session()->loadRun(runId, &loadError));
        QVERIFY(window.undoStack()->canUndo());
        window.undoStack()->undo();
        QCOMPARE(window.historyModel()->rowCount(), 1);
        const auto restored = window.session()->loadRun(runId, &loadError);
        QVERIFY2(restored, loadError.c_str());
        QCOMPARE(restored->result.series.size(), seconds);
        QVERIFY(history->renameRun(runId, QStringLiteral("flaky, first try")));
        QVERIFY(history->setNote(runId, QStringLiteral("server stopped at 0.7 s")));
        QVERIFY(history->setBaseline(runId));
        QCOMPARE(window.historyModel()->index(0, ui::RunHistoryModel::Label).data().toString(),
                 QStringLiteral("★ flaky, first try"));
        history->filter()->setText(QStringLiteral("nothing-like-this"));
        QCOMPARE(history->filter()->rowCount(), 0);
        history->filter()->setText(QStringLiteral("stopped 0.7"));
        QCOMPARE(history->filter()->rowCount(), 1); // found by its note
        QVERIFY(history->deleteRuns({runId}));
        QVERIFY(window.openSession(path)); // the old session closes: its deletions are final
        QCOMPARE(window.historyModel()->rowCount(), 0);
        QVERIFY(!window.undoStack()->canUndo());
        QVERIFY(!window.session()->loadRun(runId, &loadError));
    }

    void serverCommandsFromASessionNeverRunUnconfirmed()
    {
        const QString marker = dir_.filePath(QStringLiteral("ran"));
        const QString path = dir_.filePath(QStringLiteral("shared.benchdeck"));
        {
            std::string error;
            auto session = store::SessionFile::open(path.toStdString(), store::OpenMode::CreateOrOpen, &error);
            store::Target target;
            target.request.url = "http://127.0.0.1:9/";
            target.serverCommand = "touch " + marker.toStdString();
            QVERIFY(session->saveTarget(target, false, &error));
            store::Profile profile{0, "p", {}};
            profile.load.duration = 1s;
            QVERIFY(session->saveProfile(profile, &error));
        }
        ui::MainWindow window;
        QVERIFY(window.openSession(path));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not approved")));
        QVERIFY(!window.runTargets({1}, 1)); // nobody could say yes here, so nothing runs
        QTest::qWait(300);
        QVERIFY(!QFile::exists(marker));
        QVERIFY(!window.runner()->isRunning());
    }

    // The seed's comparison from the app: each server started through its launch command once the
    // commands are approved, its memory and cold start measured, ending on the comparison. The servers
    // here are calibration targets behind a stand-in servers.sh, so the test needs no Go or Python.
    void goVsPythonExampleRunsItsLaunchCommands()
    {
        const QString examples = dir_.filePath(QStringLiteral("examples"));
        QVERIFY(QDir().mkpath(examples));
        QFile script(examples + QStringLiteral("/servers.sh"));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/bash\n"
                     "case \"$1\" in\n"
                     "  list) printf 'NAME AVAILABLE STATE\\nnethttp yes stopped\\ngin yes stopped\\n"
                     "fastapi yes stopped\\nflask no stopped\\n' ;;\n"
                     "  artifacts) echo \"$0\" ;;\n"
                     "  run) case \"$2\" in nethttp) d=1ms ;; gin) d=2ms ;; *) d=8ms ;; esac\n"
                     "       exec \"$BENCHDECK_TEST_CLI\" target --port \"$3\" --delay $d ;;\n"
                     "esac\n");
        script.close();
        script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        qputenv("BENCHDECK_EXAMPLES", examples.toUtf8());
        qputenv("BENCHDECK_TEST_CLI", BENCHDECK_CLI_PATH);

        ui::MainWindow window;
        QStringList asked;
        window.setCommandApprover([&](const QStringList& commands) {
            asked = commands;
            return true;
        });
        QSignalSpy done(&window, &ui::MainWindow::demoFinished);
        const QString path = dir_.filePath(QStringLiteral("go-vs-python.benchdeck"));
        QVERIFY(window.startGoVsPythonExample(path, 1s));
        // Flask is "not installed" here: the example runs without it and says what to install.
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("Python (Flask)")),
                 qPrintable(window.statusBar()->currentMessage()));
        QCOMPARE(asked.size(), 3);
        for (const char* name : {"nethttp", "gin", "fastapi"}) {
            QVERIFY2(asked.filter(QStringLiteral("/servers.sh' run %1 ").arg(QLatin1String(name))).size() == 1,
                     qPrintable(asked.join(QLatin1Char('\n'))));
        }
        QVERIFY(done.wait(120000));

        std::string error;
        const auto runs = window.session()->listRuns(&error);
        QCOMPARE(runs.size(), size_t(3));
        for (const auto& listing : runs) {
            QCOMPARE(listing.status, std::string("completed"));
            const auto run = window.session()->loadRun(listing.id, &error);
            QVERIFY2(run, error.c_str());
            // Memory and cold start come from the launched server itself.
            QVERIFY(run->result.server.measured);
            QVERIFY(run->result.server.peakRssMb > 0);
            QVERIFY2(run->result.server.coldStartMs > 0, run->listing.label.c_str());
            // The artifact (here the stand-in script itself) was measured.
            QCOMPARE(run->result.server.artifactMb, double(QFileInfo(script.fileName()).size()) / (1024.0 * 1024.0));
            QVERIFY(run->result.total.responses() > 0);
        }
        QCOMPARE(window.compareView()->findChild<QTableView*>()->model()->rowCount() > 0, true);
        qunsetenv("BENCHDECK_EXAMPLES");
    }

    void badSessionFileIsReportedNotOpened()
    {
        const QString path = dir_.filePath(QStringLiteral("not-a-session.benchdeck"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("definitely not SQLite");
        file.close();
        ui::MainWindow window;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not a Benchdeck session")));
        QVERIFY(!window.openSession(path));
        QVERIFY(window.session() == nullptr);
    }
};

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
