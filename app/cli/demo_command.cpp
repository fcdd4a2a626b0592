// SPDX-License-Identifier: Apache-2.0
#include "cli_support.h"
#include "commands.h"
#include "progress_line.h"

#include "engine/duration.h"
#include "engine/engine.h"
#include "report/run_text.h"
#include "target/target_server.h"
#include "workflow/demo.h"

#include <cstdio>
#include <memory>

namespace benchdeck::cli {
namespace {

using namespace std::chrono_literals;

QString demoHelp()
{
    QString help = QStringLiteral(
        "\nStarts three local calibration targets that behave like three different backends, runs the same\n"
        "closed-model load against each in turn, and prints them side by side. Nothing leaves 127.0.0.1.\n");
    for (const auto& backend : workflow::demoBackends()) {
        help += QStringLiteral("  %1 %2\n").arg(QString::fromStdString(backend.name), -8)
                    .arg(QString::fromStdString(backend.behaviour));
    }
    return help;
}

} // namespace

int demoCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Compare three built-in demo backends side by side."));
    // The app's demo plan is the default, so both show the same comparison.
    const auto plan = workflow::demoProfile().load;
    const QString users = QString::number(plan.connections);
    const QString seconds = QString::fromStdString(engine::formatDuration(plan.duration));
    parser.addOption(QCommandLineOption({QStringLiteral("c"), QStringLiteral("connections")},
                                        QStringLiteral("Connections per run. Default %1.").arg(users),
                                        QStringLiteral("CONNS"), users));
    parser.addOption(QCommandLineOption({QStringLiteral("d"), QStringLiteral("duration")},
                                        QStringLiteral("Measured time per backend. Default %1.").arg(seconds),
                                        QStringLiteral("DURATION"), seconds));
    parser.addOption(QCommandLineOption({QStringLiteral("t"), QStringLiteral("threads")},
                                        QStringLiteral("Worker threads. Default: one per core."),
                                        QStringLiteral("THREADS"), QStringLiteral("0")));
    if (!parseArguments(parser, arguments, demoHelp())) {
        return ExitUsage;
    }
    std::string error;
    const auto connections = integerOption(parser, QStringLiteral("connections"), 1, &error);
    const auto threads =
        integerOption(parser, QStringLiteral("threads"), parser.isSet(QStringLiteral("threads")) ? 1 : 0, &error);
    const auto duration = durationOption(parser, QStringLiteral("duration"), &error);
    if (!connections || !threads || !duration) {
        return usageError(error);
    }

    const auto& stop = installStopOnInterrupt();
    std::vector<std::vector<std::string>> rows;
    for (const auto& backend : workflow::demoBackends()) {
        if (stop.load()) {
            break;
        }
        target::TargetServer server(backend.options);
        if (!server.start(&error)) {
            std::fprintf(stderr, "benchdeck-cli: cannot start the %s demo backend: %s\n", backend.name.c_str(), error.c_str());
            return ExitFailure;
        }
        engine::RunConfig config;
        config.url = workflow::demoUrl(server.port());
        config.connections = int(*connections);
        config.threads = int(*threads);
        config.duration = *duration;
        config.warmup = plan.warmup;
        config.requestTimeout = 5s;
        config.label = backend.name;
        std::printf("%-8s %s  (%s)\n", backend.name.c_str(), config.url.c_str(), backend.behaviour.c_str());
        std::fflush(stdout);
        ProgressLine progress(config, stderrIsTerminal());
        const auto result = engine::runLoad(config, stop, [&](const engine::LiveSnapshot& s) { progress.update(s); });
        progress.clear();
        server.stop();
        const auto& summary = result.summary;
        const auto& latency = summary.latency;
        rows.push_back({backend.name, report::formatFixed(summary.rps, 0), report::formatMicros(latency.mean),
                        report::formatMicros(double(latency.p50)), report::formatMicros(double(latency.p99)),
                        report::formatMicros(double(latency.p999)), report::formatMicros(double(latency.max)),
                        std::to_string(summary.errors), report::formatFixed(summary.errorPercent, 2) + "%",
                        report::formatFixed(result.generator.cpuPercent, 0) + "%"});
    }
    std::printf("\n%d connections, %s per backend, closed model, after a %s warm-up:\n\n", int(*connections),
                engine::formatDuration(*duration).c_str(), engine::formatDuration(plan.warmup).c_str());
    std::fputs(report::formatTable({"backend", "req/s", "mean", "p50", "p99", "p99.9", "max", "errors", "error %",
                                    "client CPU"},
                                   rows)
                   .c_str(),
               stdout);
    std::puts("\nRead it as an architect would: 'flaky' wins on req/s but fails 5% of requests; 'jittery' has a "
              "good median\nand a long tail (p99.9) from its stalls; 'steady' is the predictable one.");
    return stop.load() ? ExitFailure : ExitOk;
}

} // namespace benchdeck::cli
