// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"

#include <QCommandLineParser>
#include <QStringList>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

namespace benchdeck::cli {

// Exit codes are a contract with scripts and CI (design.md).
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,
    ExitUsage = 2,
    ExitThresholdCrossed = 3,
    ExitUnreachable = 4,
};

// Prints "benchdeck-cli: <message>" on stderr and returns ExitUsage, for one-line input errors.
int usageError(const std::string& message);

// Parses a subcommand's arguments; on an unknown option or missing value prints one line and
// returns false. `--help` prints the parser's help with `extraHelp` appended and exits 0.
bool parseArguments(QCommandLineParser& parser, const QStringList& arguments, const QString& extraHelp);

std::optional<std::chrono::microseconds> durationOption(const QCommandLineParser& parser, const QString& name,
                                                        std::string* error, bool allowZero = false);
std::optional<long long> integerOption(const QCommandLineParser& parser, const QString& name, long long minimum,
                                       std::string* error);

// Ctrl-C ends the current run gracefully (results so far are kept); a second Ctrl-C kills.
const std::atomic<bool>& installStopOnInterrupt();

bool stderrIsTerminal();

} // namespace benchdeck::cli
