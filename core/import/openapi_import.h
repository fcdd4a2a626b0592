// SPDX-License-Identifier: Apache-2.0
#pragma once

// An API description (OpenAPI 3.0 or 3.1) as a scenario that calls every operation once per
// iteration: a smoke load over the whole API, and a start to edit into a realistic flow. The
// description says what a request looks like, not which values make sense, so values come from its
// examples where it has them and are made up from the schemas where it has not.

#include "import_result.h"

#include <QJsonObject>
#include <QString>
#include <optional>
#include <string>

namespace benchdeck::importers {

// One scenario named after info.title, one step per operation: paths in the order a QJsonObject
// keeps them (alphabetical: JSON objects carry no order through Qt's types), in each the methods get,
// put, post, delete, options, head, patch. The server is servers[0] with its variables at their
// defaults, kept in the constant "base" ("http://127.0.0.1:8080" and a note when the description
// names no absolute URL); its path is put in front of every operation's. Values of path parameters
// and of required query, header and cookie parameters become constants named after the parameter,
// so they are edited in one place. JSON bodies are the description's example or are made up from
// the schema. Credentials the description asks for become constants holding REPLACE_ME, with one
// note listing them. Each step checks the documented 2xx and 3xx statuses. Swagger 2.0 is refused.
std::optional<ImportResult> importOpenApi(const QJsonObject& document, std::string* error);

// The document in a file: JSON for a .json name, YAML for .yaml and .yml, otherwise JSON when the
// text starts with '{' and YAML when not. Errors name the file and the place in it.
std::optional<QJsonObject> readOpenApiFile(const QString& path, std::string* error);

} // namespace benchdeck::importers
