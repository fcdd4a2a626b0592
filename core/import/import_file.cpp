// SPDX-License-Identifier: Apache-2.0
#include "import_file.h"

#include "har_import.h"
#include "openapi_import.h"
#include "postman_import.h"

#include "engine/scenario_plan.h"
#include "plan/scenario_codec.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace benchdeck::importers {
namespace {

constexpr qint64 kMaxImportBytes = qint64(64) << 20; // a HAR of a long browsing session stays well below

std::optional<QByteArray> readSmallFile(const QString& path, std::string* error)
{
    const QFileInfo info(path);
    if (!info.isFile()) {
        *error = "cannot read '" + path.toStdString() + "': " + (info.exists() ? "not a regular file" : "no such file");
        return std::nullopt;
    }
    if (info.size() > kMaxImportBytes) {
        *error = "'" + path.toStdString() + "' is larger than 64 MiB";
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = "cannot read '" + path.toStdString() + "': " + file.errorString().toStdString();
        return std::nullopt;
    }
    return file.readAll();
}

} // namespace

std::string_view formatName(ImportFormat format)
{
    switch (format) {
    case ImportFormat::Har: return "har";
    case ImportFormat::OpenApi: return "openapi";
    case ImportFormat::Postman: return "postman";
    case ImportFormat::Scenario: return "scenario";
    }
    return "har";
}

std::optional<ImportFormat> formatFromName(std::string_view name)
{
    for (const auto format : {ImportFormat::Har, ImportFormat::OpenApi, ImportFormat::Postman, ImportFormat::Scenario}) {
        if (formatName(format) == name) {
            return format;
        }
    }
    return std::nullopt;
}

std::optional<ImportFormat> detectFormat(const QString& path, std::string* error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("yaml") || suffix == QLatin1String("yml")) {
        return ImportFormat::OpenApi;
    }
    const auto bytes = readSmallFile(path, error);
    if (!bytes) {
        return std::nullopt;
    }
    const QJsonObject json = QJsonDocument::fromJson(*bytes).object();
    if (json.contains(QStringLiteral("benchdeck_scenario"))) {
        return ImportFormat::Scenario;
    }
    if (json.contains(QStringLiteral("log")) || suffix == QLatin1String("har")) {
        return ImportFormat::Har;
    }
    if (json.contains(QStringLiteral("openapi")) || json.contains(QStringLiteral("swagger"))) {
        return ImportFormat::OpenApi;
    }
    const QString schema = json.value(QStringLiteral("info")).toObject().value(QStringLiteral("schema")).toString();
    if (schema.contains(QLatin1String("postman")) || json.contains(QStringLiteral("item"))) {
        return ImportFormat::Postman;
    }
    *error = "'" + path.toStdString() + "' is neither a HAR recording, an OpenAPI document, a Postman collection "
             "nor a Benchdeck scenario file";
    return std::nullopt;
}

std::optional<ImportResult> importFile(const QString& path, ImportFormat format, const ImportOptions& options,
                                       std::string* error)
{
    std::optional<ImportResult> result;
    std::string why;
    if (format == ImportFormat::OpenApi) {
        if (const auto document = readOpenApiFile(path, &why)) {
            result = importOpenApi(*document, &why);
        }
    } else if (const auto bytes = readSmallFile(path, &why)) {
        switch (format) {
        case ImportFormat::Har: result = importHar(*bytes, HarOptions{options.includeStatic}, &why); break;
        case ImportFormat::Postman: result = importPostman(*bytes, &why); break;
        case ImportFormat::Scenario:
            if (auto workload = plan::parseScenarioText(*bytes, &why)) {
                result = ImportResult{std::move(*workload), {}};
            }
            break;
        case ImportFormat::OpenApi: break;
        }
    }
    if (!result) {
        *error = path.toStdString() + ": " + why;
        return std::nullopt;
    }
    if (result->workload.scenarios.empty() || result->workload.scenarios.front().steps.empty()) {
        *error = path.toStdString() + ": nothing in it could be converted into a request" +
                 (result->skipped.empty() ? std::string() : " (" + std::to_string(result->skipped.size()) + " left out)");
        return std::nullopt;
    }
    // Data feeders (a scenario file's) need their CSV files: those are checked when the scenario runs.
    if (result->workload.feeders.empty() &&
        !engine::makeScenarioPlan(result->workload, path.toStdString(), {}, {}, &why)) {
        *error = path.toStdString() + ": the converted scenario does not run: " + why;
        return std::nullopt;
    }
    return result;
}

} // namespace benchdeck::importers
