// SPDX-License-Identifier: Apache-2.0
#include "cli_support.h"
#include "commands.h"

#include "report/run_text.h"
#include "store/session_file.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace benchdeck::cli {
namespace {

const QString kRunsHelp = QStringLiteral(R"(
Lists the runs stored in a session file, oldest first. Opens the file read-only: listing never
changes it, and works while another benchdeck-cli is still recording into it.

Example:
  benchdeck-cli run http://127.0.0.1:8080/ -d 10s --session compare.benchdeck --label gin
  benchdeck-cli runs compare.benchdeck
)");

} // namespace

int runsCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the runs stored in a session file."));
    parser.addPositionalArgument(QStringLiteral("SESSION"), QStringLiteral("A .benchdeck session file."));
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print a JSON array instead.")));
    if (!parseArguments(parser, arguments, kRunsHelp)) {
        return ExitUsage;
    }
    if (parser.positionalArguments().size() != 1) {
        return usageError("runs needs one session file, e.g. benchdeck-cli runs results.benchdeck");
    }
    std::string error;
    const auto session =
        store::SessionFile::open(parser.positionalArguments().first().toStdString(), store::OpenMode::ReadOnly, &error);
    if (!session) {
        return usageError(error);
    }
    const auto runs = session->listRuns(&error);
    if (!error.empty()) {
        return usageError(error);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const auto& run : runs) {
            array.append(QJsonObject{
                {QStringLiteral("id"), double(run.id)},
                {QStringLiteral("started_at"), QString::fromStdString(run.startedAt)},
                {QStringLiteral("label"), QString::fromStdString(run.label)},
                {QStringLiteral("url"), QString::fromStdString(run.url)},
                {QStringLiteral("profile"), QString::fromStdString(run.profile)},
                {QStringLiteral("status"), QString::fromStdString(run.status)},
                {QStringLiteral("failure_reason"), QString::fromStdString(run.failureReason)},
                {QStringLiteral("rps"), run.rps},
                {QStringLiteral("p50_ms"), double(run.p50Micros) / 1000.0},
                {QStringLiteral("p99_ms"), double(run.p99Micros) / 1000.0},
                {QStringLiteral("requests"), double(run.requests)},
                {QStringLiteral("errors"), double(run.errors)},
            });
        }
        std::fputs(QJsonDocument(array).toJson(QJsonDocument::Indented).constData(), stdout);
        return ExitOk;
    }
    if (runs.empty()) {
        std::puts("no runs stored yet");
        return ExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& run : runs) {
        // Labels and URLs come from a file: no terminal escape sequence in them reaches the terminal.
        rows.push_back({std::to_string(run.id), report::printable(run.startedAt.substr(0, 19)),
                        report::printable(run.label), report::printable(run.url), report::printable(run.profile),
                        report::formatFixed(run.rps, 0), run.p99Micros ? report::formatMicros(double(run.p99Micros)) : "-",
                        std::to_string(run.errors), report::printable(run.status)});
    }
    std::fputs(report::formatTable({"id", "when (UTC)", "label", "target", "profile", "req/s", "p99", "errors",
                                    "status"},
                                   rows)
                   .c_str(),
               stdout);
    return ExitOk;
}

} // namespace benchdeck::cli
