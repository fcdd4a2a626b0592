// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

namespace benchdeck::cli {

// Each subcommand takes its own arguments, with arguments[0] naming it ("benchdeck-cli run"),
// and returns the process exit code.
int runCommand(const QStringList& arguments);
int targetCommand(const QStringList& arguments);
int demoCommand(const QStringList& arguments);
int runsCommand(const QStringList& arguments);
int reportCommand(const QStringList& arguments);
int calibrateCommand(const QStringList& arguments);
int mergeCommand(const QStringList& arguments);
int importCommand(const QStringList& arguments);

} // namespace benchdeck::cli
