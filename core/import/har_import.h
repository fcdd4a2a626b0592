// SPDX-License-Identifier: Apache-2.0
#pragma once

// A browser recording (HAR 1.2, as Chrome's and Firefox's developer tools export it) as a scenario
// that replays the page's requests to its own server, in the order the browser sent them.

#include "import_result.h"

#include <QByteArray>
#include <optional>
#include <string>

namespace benchdeck::importers {

struct HarOptions {
    // Keep stylesheets, scripts, images and fonts served by the page's own server. Off by default:
    // a browser caches them, so replaying them on every iteration measures traffic that real users
    // mostly do not cause.
    bool includeStatic = false;
};

// One scenario (named after the page's title, else "recorded") of one step per request the page
// made to its server: the server of the first request that is not a static asset, kept in the
// constant "base", each URL written "{{base}}/path?query". Requests to other servers, to non-HTTP
// URLs, static assets, requests the browser cancelled and requests holding "{{" are left out, each
// with a line in `skipped`. Headers the transport writes are dropped, and so are Accept-Encoding
// (the engine does not decompress) and If-None-Match / If-Modified-Since (a replay should get the
// full answer, not a 304). Each step checks the recorded status; a recorded 304 accepts 200 too.
// Nothing, with a reason, when the text is not a HAR file or holds no request to replay.
std::optional<ImportResult> importHar(const QByteArray& text, const HarOptions& options, std::string* error);

} // namespace benchdeck::importers
