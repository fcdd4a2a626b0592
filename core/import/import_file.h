// SPDX-License-Identifier: Apache-2.0
#pragma once

// One entry point for everything Benchdeck imports into a scenario: a browser's HAR recording, an
// OpenAPI 3 description (JSON or YAML), a Postman v2 collection, or a Benchdeck scenario file. The
// CLI's `import` and the app's File > Import both come through here, so both read a file alike.

#include "import_result.h"

#include <QString>

#include <optional>
#include <string>
#include <string_view>

namespace benchdeck::importers {

enum class ImportFormat { Har, OpenApi, Postman, Scenario };

std::string_view formatName(ImportFormat format); // "har", "openapi", "postman", "scenario"
std::optional<ImportFormat> formatFromName(std::string_view name);

// What a file is, from its name and its first bytes: ".har", a JSON object with "log" -> HAR; a
// JSON object with "openapi" or "swagger", or a .yaml/.yml file -> OpenAPI; a JSON object whose
// info.schema names Postman -> Postman; "benchdeck_scenario" -> a scenario file. Nothing when it
// is none of them, with *error saying what was found.
std::optional<ImportFormat> detectFormat(const QString& path, std::string* error);

struct ImportOptions {
    bool includeStatic = false; // HAR: keep images, scripts, styles and fonts
};

// Reads `path` as `format` (at most 64 MiB) and converts it. The workload it returns has been
// compiled once (engine::makeScenarioPlan, without data), so what is imported runs as it stands;
// a file that converts into nothing runnable is an error naming why.
std::optional<ImportResult> importFile(const QString& path, ImportFormat format, const ImportOptions& options,
                                       std::string* error);

} // namespace benchdeck::importers
