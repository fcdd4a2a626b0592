// SPDX-License-Identifier: Apache-2.0
#pragma once

// A Postman collection (v2.1, as Postman exports it today; v2.0 is read too) as a scenario that sends
// its requests in the order the collection lists them. Postman's {{variable}} syntax is Benchdeck's,
// so templates carry over; what Postman runs around a request (scripts, most auth helpers, file
// uploads) does not, and each such thing gets a line in `skipped`.

#include "import_result.h"

#include <QByteArray>
#include <optional>
#include <string>

namespace benchdeck::importers {

// One scenario named after info.name, one step per request, folders depth-first, each step named
// "Folder/Sub/Request name". Collection variables become constants; a variable the collection uses
// without defining it (an environment variable) becomes a constant holding REPLACE_ME, with a note.
// {{$guid}} and {{$randomUUID}} become {{$uuid}}, {{$randomInt}} {{$randomInt 0 1000}}; a request
// using another dynamic variable is left out. Auth is the request's, else the nearest folder's, else
// the collection's ("noauth" stops the search): bearer, basic with literal credentials and API keys
// become headers or query parameters. The server is that of the first request kept; requests to
// another server are left out. Nothing, with a reason, for v1 collections and text that is no
// collection.
std::optional<ImportResult> importPostman(const QByteArray& text, std::string* error);

} // namespace benchdeck::importers
