// SPDX-License-Identifier: Apache-2.0
// benchdeck-cli: the headless face of Benchdeck, for scripts, CI and load agents.
#include "cli_support.h"
#include "commands.h"

#include "engine/engine.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

const char* const kOverview = R"(benchdeck-cli - load-test HTTP backends side by side, headless

Usage:
  benchdeck-cli run URL [options]     load one endpoint and report req/s, latency percentiles, errors
  benchdeck-cli run --scenario FILE   load a multi-step scenario (docs/scenarios.md); --try runs it once
  benchdeck-cli import [FORMAT] FILE  turn a HAR recording, an OpenAPI document or a Postman collection
                                      into a scenario file
  benchdeck-cli target [options]      serve a local calibration target with known behaviour
  benchdeck-cli demo [options]        run three built-in demo backends and compare them
  benchdeck-cli calibrate             this machine's limits: generator ceiling, latency error
  benchdeck-cli runs SESSION [--json] list the runs stored in a session file (run --session FILE)
  benchdeck-cli report SESSION --format html|pdf|md|csv|json -o OUT [--runs ID,...] [--baseline ID]
                                      write a comparison report of a session's runs
  benchdeck-cli merge FILE... --session S [--label L]
                                      merge shard results (run --shard I/N --out FILE) into one run
  benchdeck-cli COMMAND --help        options of one command
  benchdeck-cli --version | --help

Quick look:
  benchdeck-cli demo
  benchdeck-cli target --port 8080 --delay 20ms &
  benchdeck-cli run http://127.0.0.1:8080/ -c 50 -d 10s

Exit codes: 0 ok, 1 failure, 2 usage or input error, 3 a threshold was crossed, 4 target unreachable.
Only http:// and https:// URLs are ever requested.
)";

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("benchdeck-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BENCHDECK_VERSION));
    QStringList arguments = QCoreApplication::arguments();
    using namespace benchdeck::cli;

    if (arguments.size() < 2) {
        std::fputs(kOverview, stderr);
        return ExitUsage;
    }
    const QString command = arguments.at(1);
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        std::fputs(kOverview, stdout);
        return ExitOk;
    }
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        std::printf("benchdeck-cli %s (libcurl %s, %s, nghttp2 %s, Qt %s)\n", BENCHDECK_VERSION,
                    benchdeck::engine::libcurlVersion().c_str(), benchdeck::engine::opensslVersion().c_str(),
                    benchdeck::engine::nghttp2Version().c_str(), qVersion());
        return ExitOk;
    }
    // Each command parses the rest itself; its name stands in for the program name.
    arguments.removeAt(1);
    arguments[0] = QStringLiteral("benchdeck-cli ") + command;
    if (command == QLatin1String("run")) {
        return runCommand(arguments);
    }
    if (command == QLatin1String("target")) {
        return targetCommand(arguments);
    }
    if (command == QLatin1String("demo")) {
        return demoCommand(arguments);
    }
    if (command == QLatin1String("runs")) {
        return runsCommand(arguments);
    }
    if (command == QLatin1String("calibrate")) {
        return calibrateCommand(arguments);
    }
    if (command == QLatin1String("merge")) {
        return mergeCommand(arguments);
    }
    if (command == QLatin1String("import")) {
        return importCommand(arguments);
    }
    if (command == QLatin1String("report")) {
        return reportCommand(arguments);
    }
    return usageError("unknown command '" + command.toStdString() + "' (try --help)");
}
