// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"

#include <QJsonObject>

#include <cstdint>
#include <string>
#include <vector>

namespace benchdeck::store {

// A backend being evaluated, e.g. "Go (Gin)" with stack tag "go".
struct Candidate {
    int64_t id = 0; // 0 until saved
    std::string name;
    std::string stack;
    std::string notes;
};

// An endpoint of a candidate: the request half of a run plan.
struct Target {
    int64_t id = 0;
    int64_t candidateId = 0; // 0: not attached to a candidate
    std::string name;
    engine::RunConfig request; // url, method, headers, body, HTTP version, TLS and timeouts are used
    int64_t serverPid = 0;     // a local server process whose memory and CPU to sample
    std::string serverCommand; // or a command that starts one for each run (runs only once confirmed)
    // The files and folders the server is deployed as (a binary; an app and its packages): their size
    // is measured at each run, as the decision table's artifact size. Only sizes are read.
    std::vector<std::string> artifactPaths;
};

// The load half of a run plan.
struct Profile {
    int64_t id = 0;
    std::string name;
    engine::RunConfig load; // connections, threads, duration, requests, warm-up, rate, stages are used
};

// A qualitative score (1-5) a user gave a candidate on one criterion of the decision table.
struct Score {
    std::string criterion;
    int64_t candidateId = 0;
    double value = 0;
};

} // namespace benchdeck::store
