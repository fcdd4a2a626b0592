// SPDX-License-Identifier: Apache-2.0
#include "cli_support.h"
#include "commands.h"

#include "workflow/calibration.h"

#include <cstdio>

namespace benchdeck::cli {

int calibrateCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measure this machine's limits before trusting a comparison: the load generator's ceiling against a "
        "target that answers at once, and its latency error against a target with a known 10 ms delay. "
        "Everything runs on 127.0.0.1."));
    parser.addOption({{QStringLiteral("d"), QStringLiteral("duration")}, QStringLiteral("Length of each step. Default 3s."),
                      QStringLiteral("DURATION"), QStringLiteral("3s")});
    parser.addOption({{QStringLiteral("t"), QStringLiteral("threads")},
                      QStringLiteral("Generator threads for the ceiling. Default: one per core."),
                      QStringLiteral("THREADS"), QStringLiteral("0")});
    if (!parseArguments(parser, arguments, QString())) {
        return ExitUsage;
    }
    std::string error;
    const auto duration = durationOption(parser, QStringLiteral("duration"), &error);
    const auto threads = integerOption(parser, QStringLiteral("threads"), 0, &error);
    if (!duration || !threads) {
        return usageError(error);
    }
    const auto result = workflow::calibrate(
        std::chrono::duration_cast<std::chrono::milliseconds>(*duration), int(*threads),
        [](const std::string& step) { std::fprintf(stderr, "calibrating: %s…\n", step.c_str()); });
    if (!result.error.empty()) {
        std::fprintf(stderr, "benchdeck-cli: calibration failed: %s\n", result.error.c_str());
        return ExitFailure;
    }
    std::fputs(workflow::describe(result).c_str(), stdout);
    return ExitOk;
}

} // namespace benchdeck::cli
