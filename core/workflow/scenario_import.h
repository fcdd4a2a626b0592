// SPDX-License-Identifier: Apache-2.0
#pragma once

// File > Import in the app: a HAR recording, OpenAPI document, Postman collection or scenario file
// made into a session target that runs the scenario.

#include "import/import_file.h"
#include "store/session_content.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace benchdeck::workflow {

struct ImportedTarget {
    store::Target target;              // not saved yet: the caller adds it to the session
    importers::ImportFormat format = importers::ImportFormat::Har;
    std::vector<std::string> skipped;  // what the import left out, one sentence each
};

// Reads `path` (its format found from the file), converts it and makes a target of `candidateId`
// (0: none) whose scenario is the result, named after the file; a scenario file's data feeders are
// read from beside it. Nothing, with a one-line reason, when the file cannot be converted into
// something that runs.
std::optional<ImportedTarget> importTarget(const QString& path, const importers::ImportOptions& options,
                                           int64_t candidateId, std::string* error);

} // namespace benchdeck::workflow
