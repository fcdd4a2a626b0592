// SPDX-License-Identifier: Apache-2.0
#pragma once

// What an importer hands back: a workload that compiles as it stands, and, line by line, what it left
// out or could not carry over. A recording or an API description holds more than a scenario can
// replay (static assets, other servers, scripts, file uploads); the user has to see what was dropped
// to judge whether the load test still measures what they meant.

#include "scenario/scenario.h"

#include <string>
#include <vector>

namespace benchdeck::importers {

struct ImportResult {
    scenario::Workload workload;
    // One full sentence each, naming the request it is about:
    // "GET https://cdn.example.com/app.js: a static asset (use --include-static to keep it)".
    std::vector<std::string> skipped;
};

} // namespace benchdeck::importers
