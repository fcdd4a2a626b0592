// SPDX-License-Identifier: Apache-2.0
// Does the desktop app slow the engine, or the engine the app? Runs the same load against one local
// calibration target twice, alternately: headless (engine::runLoad, as benchdeck-cli does) and from
// the main window with the live charts visible. Meanwhile a 10 ms timer on the UI thread records how
// late it fires (a stall of the event loop shows up as drift). Prints req/s of both, their ratio
// (goal >= 0.95) and the worst UI-thread stall (goal < 50 ms).
//   QT_QPA_PLATFORM=offscreen build/bench/gui-responsiveness-bench [SECONDS] [PAIRS]
// (or under Xvfb with DISPLAY set, for a real window)
#include "main_window.h"
#include "target/target_server.h"
#include "views/live_run_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace benchdeck;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const int seconds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const int pairs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    target::TargetServer server({});
    std::string error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    engine::RunConfig config;
    config.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    config.connections = 50;
    config.threads = 1;
    config.duration = std::chrono::seconds(seconds);

    QTemporaryDir dir;
    ui::MainWindow window;
    window.resize(1400, 900);
    window.show();
    window.openSession(dir.filePath(QStringLiteral("bench.benchdeck")), true);
    store::Target target;
    target.request.url = config.url;
    const int64_t targetId = window.addTarget(target);
    store::Profile profile{0, "bench", config};
    const int64_t profileId = window.addProfile(profile);
    window.showTab(ui::MainWindow::LiveTab);

    std::vector<double> headless, gui;
    double worstStallMs = 0;
    for (int pair = 0; pair < pairs; ++pair) {
        std::atomic<bool> stop{false};
        headless.push_back(engine::runLoad(config, stop).rps());

        double rps = 0;
        QObject::connect(window.runner(), &workflow::LoadRunner::jobFinished, &window,
                         [&rps](int, qint64, const metrics::RunResult& result) { rps = result.rps(); });
        QElapsedTimer clock;
        qint64 last = 0;
        QTimer probe;
        probe.setTimerType(Qt::PreciseTimer);
        QObject::connect(&probe, &QTimer::timeout, [&] {
            const qint64 now = clock.elapsed();
            worstStallMs = std::max(worstStallMs, double(now - last - 10));
            last = now;
        });
        QSignalSpy finished(window.runner(), &workflow::LoadRunner::allFinished);
        window.runTargets({targetId}, profileId);
        clock.start();
        probe.start(10);
        finished.wait((seconds + 10) * 1000);
        probe.stop();
        gui.push_back(rps);
        std::printf("pair %d: headless %.0f req/s, desktop with live charts %.0f req/s\n", pair + 1, headless.back(),
                    gui.back());
    }
    std::sort(headless.begin(), headless.end());
    std::sort(gui.begin(), gui.end());
    const double a = headless[headless.size() / 2];
    const double b = gui[gui.size() / 2];
    std::printf("median headless %.0f req/s, desktop %.0f req/s, ratio %.3f (goal >= 0.95); worst UI-thread stall "
                "%.1f ms (goal < 50 ms); live chart points in the last run: %d\n",
                a, b, b / a, worstStallMs, window.liveView()->throughputPoints());
    return 0;
}
