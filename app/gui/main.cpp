// SPDX-License-Identifier: Apache-2.0
// benchdeck: the desktop app. Thin glue: parse the command line, open the window.
#include "dialogs/command_consent_dialog.h"
#include "dialogs/run_details_dialog.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

int main(int argc, char* argv[])
{
    // --help and --version must work without a display, where QApplication would abort.
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "-h" || argument == "--help" || argument == "-v" || argument == "--version") {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        }
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("benchdeck"));
    QApplication::setOrganizationName(QStringLiteral("Benchdeck"));
    QApplication::setApplicationVersion(QStringLiteral(BENCHDECK_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("Benchdeck"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Load-test HTTP backends side by side and decide which one fits."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Start three local demo backends, run them and open the comparison."));
    const QCommandLineOption quitAfterDemo(QStringLiteral("quit-after-demo"),
                                           QStringLiteral("With --demo: quit once the comparison is shown "
                                                          "(for scripts and screenshots)."));
    const QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                         QStringLiteral("Run the demo and save PNGs of the welcome page, the live, "
                                                        "compare and decision views and a run's details into DIR, "
                                                        "then quit (docs/screenshots)."),
                                         QStringLiteral("DIR"));
    const QCommandLineOption compareShot(QStringLiteral("screenshot-compare"),
                                         QStringLiteral("Open SESSION, compare all its runs, save the window as PNG "
                                                        "and quit (for docs)."),
                                         QStringLiteral("PNG"));
    parser.addOption(compareShot);
    const QCommandLineOption windowSize(QStringLiteral("window-size"),
                                        QStringLiteral("Open the window at WIDTHxHEIGHT (e.g. 1024x700), whatever size "
                                                       "was saved; with --screenshots, the pictures' size."),
                                        QStringLiteral("WxH"));
    parser.addOption(windowSize);
    const QCommandLineOption example(QStringLiteral("example"),
                                     QStringLiteral("Run an example on real servers and open its comparison: "
                                                    "go-vs-python (Go net/http and Gin against Python FastAPI and "
                                                    "Flask; the servers come from examples/servers.sh setup, and each "
                                                    "launch command is shown for approval first). With --screenshots, "
                                                    "its pictures are saved instead of the demo's."),
                                     QStringLiteral("NAME"));
    parser.addOption(example);
    parser.addOption(demo);
    parser.addOption(quitAfterDemo);
    parser.addOption(screenshots);
    parser.addPositionalArgument(QStringLiteral("SESSION"), QStringLiteral("A .benchdeck session file to open."));
    parser.process(app);

    benchdeck::ui::MainWindow window;
    // Launch commands from a session run only after the person at this machine saw them and said yes.
    window.setCommandApprover([&window](const QStringList& commands) {
        if (QApplication::platformName() == QLatin1String("offscreen")) {
            return false; // nobody can see the question here, and silence is not consent
        }
        benchdeck::ui::CommandConsentDialog consent(commands, &window);
        return consent.exec() == QDialog::Accepted;
    });
    QSize size;
    if (parser.isSet(windowSize)) {
        const QStringList parts = parser.value(windowSize).split(QLatin1Char('x'));
        size = parts.size() == 2 ? QSize(parts[0].toInt(), parts[1].toInt()) : QSize();
        if (size.width() < 320 || size.height() < 240) {
            std::fprintf(stderr, "benchdeck: --window-size: '%s' is not WIDTHxHEIGHT of at least 320x240\n",
                         qPrintable(parser.value(windowSize)));
            return 2;
        }
        window.resize(size);
    }
    window.show();
    if (parser.isSet(screenshots)) {
        window.resize(size.isValid() ? size : QSize(1500, 940)); // the same size every time, whatever was saved
        const QString folder = parser.value(screenshots);
        QDir().mkpath(folder);
        // With --example, its pictures are named after it: go-vs-python-compare.png, ...
        const QString prefix = parser.isSet(example) ? parser.value(example) + QLatin1Char('-') : QString();
        const auto grab = [&window, folder, prefix](const QString& name) {
            window.grab().save(QDir(folder).filePath(prefix + name));
        };
        if (!parser.isSet(example)) {
            grab(QStringLiteral("welcome.png"));
        }
        QObject::connect(window.runner(), &benchdeck::workflow::LoadRunner::jobStarted, &window,
                         [grab](int index, int, const QString&) {
                             if (index == 1) {
                                 QTimer::singleShot(2600, qApp, [grab] { grab(QStringLiteral("live-run.png")); });
                             }
                         });
        QObject::connect(&window, &benchdeck::ui::MainWindow::demoFinished, &window, [&window, grab, folder, prefix] {
            QTimer::singleShot(800, qApp, [&window, grab, folder, prefix] {
                grab(QStringLiteral("compare.png"));
                window.showTab(benchdeck::ui::MainWindow::DecisionTab);
                QTimer::singleShot(800, qApp, [&window, grab, folder, prefix] {
                    grab(QStringLiteral("decision-table.png"));
                    std::string error;
                    const auto runs = window.session()->listRuns(&error);
                    auto* details = runs.empty() ? nullptr : window.showRunDetails(runs.back().id);
                    QTimer::singleShot(800, qApp, [details, folder, prefix] {
                        if (details) {
                            details->grab().save(QDir(folder).filePath(prefix + QStringLiteral("run-details.png")));
                        }
                        QApplication::quit();
                    });
                });
            });
        });
    }
    if (parser.isSet(example)) {
        if (parser.value(example) != QLatin1String("go-vs-python")) {
            std::fprintf(stderr, "benchdeck: unknown example '%s' (there is: go-vs-python)\n",
                         qPrintable(parser.value(example)));
            return 2;
        }
        const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(folder);
        window.startGoVsPythonExample(QDir(folder).filePath(QStringLiteral("go-vs-python.benchdeck")));
    } else if (parser.isSet(demo) || parser.isSet(screenshots)) {
        const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(folder);
        window.startDemo(QDir(folder).filePath(QStringLiteral("demo.benchdeck")));
        if (parser.isSet(quitAfterDemo)) {
            QObject::connect(&window, &benchdeck::ui::MainWindow::demoFinished, &app,
                             [] { QTimer::singleShot(1500, qApp, &QApplication::quit); });
        }
    } else if (!parser.positionalArguments().isEmpty()) {
        window.openSession(parser.positionalArguments().first());
        if (parser.isSet(compareShot) && window.session()) {
            window.resize(1500, 940);
            std::string error;
            std::vector<int64_t> ids;
            for (const auto& run : window.session()->listRuns(&error)) {
                ids.push_back(run.id);
            }
            window.compareRuns(ids);
            const QString png = parser.value(compareShot);
            QTimer::singleShot(1200, qApp, [&window, png] {
                window.grab().save(png);
                QApplication::quit();
            });
        }
    }
    return app.exec();
}
