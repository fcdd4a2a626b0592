// SPDX-License-Identifier: Apache-2.0
#include "cli_support.h"
#include "commands.h"

#include "comparison/report_export.h"
#include "store/output_path.h"
#include "store/session_file.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

namespace benchdeck::cli {
namespace {

const QString kReportHelp = QStringLiteral(R"(
Writes a comparison report of a session's runs: summary table (target | req/s | avg latency | p50 |
p99 | memory | errors) with ratios against a baseline, charts (req/s, latency by percentile,
throughput and p99 over time), the decision table with its weights, and the plans as run with every
credential header masked.
  html  one self-contained file (inline SVG charts and CSS, no scripts, works offline)
  pdf   the same content laid out for print
  md    GitHub Markdown; the charts are written beside it as OUT-NAME.svg files
  csv   one row per run with every summary metric; scenario runs add a steps table and an iterations
        table after it (each after an empty line, with its own header, linked by run_id)
  json  everything, machine-readable, with a schema_version

Examples:
  benchdeck-cli report compare.benchdeck --format html -o compare.html
  benchdeck-cli report compare.benchdeck --format md -o REPORT.md --runs 3,4,5 --baseline 4
)");

// benchdeck-cli has no GUI module: the PDF is laid out by benchdeck-pdf, installed beside it.
bool layOutPdfThroughTool(const QString& folder, const QString& out, std::string* error)
{
    const QString tool = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("benchdeck-pdf"));
    if (!QFileInfo(tool).isExecutable()) {
        *error = "PDF output needs benchdeck-pdf next to benchdeck-cli (" + tool.toStdString() + ")";
        return false;
    }
    QProcess process;
    process.start(tool, {folder, out});
    if (!process.waitForFinished(120000) || process.exitCode() != 0) {
        *error = "PDF layout failed: " + QString::fromUtf8(process.readAllStandardError()).trimmed().toStdString();
        return false;
    }
    return true;
}

} // namespace

int reportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Write a comparison report of a session's runs."));
    parser.addPositionalArgument(QStringLiteral("SESSION"), QStringLiteral("A .benchdeck session file."));
    parser.addOption({{QStringLiteral("f"), QStringLiteral("format")}, QStringLiteral("html, pdf, md, csv or json."),
                      QStringLiteral("FORMAT")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("The file to write."),
                      QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Run ids to include, e.g. 3,4,5 (default: all)."),
                      QStringLiteral("ID,ID...")});
    parser.addOption({QStringLiteral("baseline"), QStringLiteral("The run the others are compared against "
                                                                 "(default: the first)."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("title"), QStringLiteral("Report title."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("notes"), QStringLiteral("A paragraph of notes for the reader."),
                      QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("force"), QStringLiteral("Replace OUT if it exists (never a session or "
                                                              "other SQLite file, never the session read).")});
    if (!parseArguments(parser, arguments, kReportHelp)) {
        return ExitUsage;
    }
    if (parser.positionalArguments().size() != 1) {
        return usageError("report needs one session file, e.g. benchdeck-cli report s.benchdeck --format html -o "
                          "s.html");
    }
    const QString formatName = parser.value(QStringLiteral("format"));
    const auto format = comparison::parseReportFormat(formatName);
    if (!format) {
        return usageError(formatName.isEmpty() ? "report needs --format html|pdf|md|csv|json"
                                               : "--format: '" + formatName.toStdString() +
                                                     "' is not one of html, pdf, md, csv, json");
    }
    const QString out = parser.value(QStringLiteral("output"));
    if (out.isEmpty()) {
        return usageError("report needs -o OUT, the file to write");
    }
    comparison::ReportRequest request;
    if (parser.isSet(QStringLiteral("runs"))) {
        for (const QString& part : parser.value(QStringLiteral("runs")).split(QLatin1Char(','))) {
            const QString id = part.trimmed();
            bool ok = false;
            const qlonglong value = id.toLongLong(&ok);
            if (!ok || value < 1) {
                return usageError(id.isEmpty() ? std::string("--runs: expected run ids separated by commas, e.g. "
                                                             "3,4,5 (see 'benchdeck-cli runs SESSION')")
                                               : "--runs: '" + id.toStdString() + "' is not a run id");
            }
            request.runIds.push_back(value);
        }
    }
    if (parser.isSet(QStringLiteral("baseline"))) {
        bool ok = false;
        request.baselineRunId = parser.value(QStringLiteral("baseline")).toLongLong(&ok);
        if (!ok || request.baselineRunId < 1) {
            return usageError("--baseline: expected a run id");
        }
    }
    request.title = parser.value(QStringLiteral("title")).toStdString();
    request.notes = parser.value(QStringLiteral("notes")).toStdString();

    std::string error;
    const auto session = store::SessionFile::open(parser.positionalArguments().first().toStdString(),
                                                  store::OpenMode::ReadOnly, &error);
    if (!session) {
        return usageError(error);
    }
    comparison::ExportOptions options;
    options.replace = parser.isSet(QStringLiteral("force"));
    options.pdfLayout = layOutPdfThroughTool;
    comparison::ExportError failure;
    const auto report = comparison::exportReport(*session, request, *format, out, options, &failure);
    if (!report) {
        // A refused destination or request is the user's to fix (2); a failed write is not (1).
        if (failure.refused) {
            return usageError(failure.message);
        }
        std::fprintf(stderr, "benchdeck-cli: %s\n", failure.message.c_str());
        return ExitFailure;
    }
    std::printf("wrote %s (%s, %zu runs)\n", qPrintable(out), qPrintable(comparison::formatExtension(*format)),
                report->runs.size());
    return ExitOk;
}

} // namespace benchdeck::cli
