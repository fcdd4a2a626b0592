// SPDX-License-Identifier: Apache-2.0
#include "cli_support.h"
#include "commands.h"

#include "import/import_file.h"
#include "plan/scenario_codec.h"
#include "report/run_text.h"
#include "store/output_path.h"

#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>
#include <vector>

namespace benchdeck::cli {
namespace {

const QString kImportHelp = QStringLiteral(R"(
Converts a recording or an API description into a Benchdeck scenario file (docs/scenarios.md) and
says, line by line, what it left out:
  har      a browser's HAR export (DevTools > Network > Save all as HAR): one step per request to
           the page's server, static assets (images, scripts, styles, fonts) left out unless
           --include-static, other servers left out (a run talks to one server); each step checks
           for the status that was recorded.
  openapi  an OpenAPI 3 document, JSON or YAML: one step per operation, path and required query
           parameters from their examples (or values made from their schemas), JSON bodies from
           examples or schemas, the base URL from servers[0]; credentials become constants to fill in.
  postman  a Postman collection (v2.1 or v2.0): folders flattened in order, collection variables as
           constants, auth as headers; scripts are not run.
The format is found from the file when not given (FORMAT may be left out). The scenario goes to
-o FILE (default: the input's name with .scenario.json, in the current folder); an existing file is
replaced only with --force. Then try it:
  benchdeck-cli run --scenario OUT --try

Examples:
  benchdeck-cli import har shop.har -o shop.json
  benchdeck-cli import openapi petstore.yaml
  benchdeck-cli import collection.postman_collection.json
)");

} // namespace

int importCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Turn a HAR recording, an OpenAPI document or a Postman collection into a scenario file."));
    parser.addPositionalArgument(QStringLiteral("FORMAT"), QStringLiteral("har, openapi or postman (optional)."),
                                 QStringLiteral("[FORMAT]"));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The file to convert."));
    parser.addOption(QCommandLineOption({QStringLiteral("o"), QStringLiteral("out")},
                                        QStringLiteral("Write the scenario to FILE."), QStringLiteral("FILE")));
    parser.addOption(QCommandLineOption(QStringLiteral("include-static"),
                                        QStringLiteral("HAR: keep images, scripts, styles and fonts.")));
    parser.addOption(QCommandLineOption(QStringLiteral("force"), QStringLiteral("Replace an existing output file.")));
    if (!parseArguments(parser, arguments, kImportHelp)) {
        return ExitUsage;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.size() > 2) {
        return usageError("import needs a file, e.g. benchdeck-cli import har shop.har -o shop.json");
    }
    const QString input = positional.back();
    std::string error;
    std::optional<importers::ImportFormat> format;
    if (positional.size() == 2) {
        format = importers::formatFromName(positional.front().toLower().toStdString());
        if (!format || *format == importers::ImportFormat::Scenario) {
            return usageError("import: '" + positional.front().toStdString() + "' is not one of har, openapi, postman");
        }
    } else {
        format = importers::detectFormat(input, &error);
        if (!format) {
            return usageError(error);
        }
        if (*format == importers::ImportFormat::Scenario) {
            return usageError("'" + input.toStdString() + "' is a scenario file already: run it with "
                              "benchdeck-cli run --scenario " + input.toStdString());
        }
    }
    const QString out = parser.isSet(QStringLiteral("out")) ? parser.value(QStringLiteral("out"))
                                                            : QFileInfo(input).completeBaseName() +
                                                                  QStringLiteral(".scenario.json");
    const std::vector<std::string> inputs{input.toStdString()};
    if (auto refused = store::checkOutputPath(out.toStdString(), inputs, parser.isSet(QStringLiteral("force")), "-o")) {
        return usageError(*refused);
    }
    importers::ImportOptions options;
    options.includeStatic = parser.isSet(QStringLiteral("include-static"));
    const auto imported = importers::importFile(input, *format, options, &error);
    if (!imported) {
        return usageError(error);
    }
    const QByteArray text = plan::scenarioText(imported->workload);
    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        std::fprintf(stderr, "benchdeck-cli: cannot write '%s': %s\n", qPrintable(out), qPrintable(file.errorString()));
        return ExitFailure;
    }
    size_t steps = 0;
    for (const auto& scenario : imported->workload.scenarios) {
        steps += scenario.steps.size();
    }
    std::printf("Wrote %s: %zu step%s from %s (%s).\n", qPrintable(out), steps, steps == 1 ? "" : "s",
                qPrintable(input), std::string(importers::formatName(*format)).c_str());
    if (!imported->skipped.empty()) {
        std::printf("Left out or changed (%zu):\n", imported->skipped.size());
        for (const auto& line : imported->skipped) {
            std::printf("  - %s\n", report::printable(line).c_str());
        }
    }
    std::printf("Try it: benchdeck-cli run --scenario %s --try\n", qPrintable(out));
    return ExitOk;
}

} // namespace benchdeck::cli
