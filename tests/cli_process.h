// SPDX-License-Identifier: Apache-2.0
#pragma once

// Runs benchdeck-cli as scripts and CI do, for the tests that check its exit codes and output.
#include <QProcess>
#include <QString>
#include <QStringList>

struct CliOutcome {
    int exitCode = -1; // -1: did not finish in time; -2: crashed
    QString out;
    QString err;
};

// `environment` adds to (or overrides) the test's own environment, e.g. TMPDIR for launched servers' logs.
inline CliOutcome runCli(const QStringList& arguments, int timeoutMs = 60000,
                         const QProcessEnvironment& environment = QProcessEnvironment())
{
    QProcess process;
    if (!environment.isEmpty()) {
        auto merged = QProcessEnvironment::systemEnvironment();
        merged.insert(environment);
        process.setProcessEnvironment(merged);
    }
    process.start(QStringLiteral(BENCHDECK_CLI_PATH), arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}
