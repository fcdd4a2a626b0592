// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"
#include "metrics/run_result.h"

#include <QJsonObject>

#include <cstdint>
#include <string>

namespace benchdeck::store {

// One line of a session's run history.
struct RunListing {
    int64_t id = 0;
    std::string startedAt; // ISO 8601, UTC
    std::string label;
    std::string url;
    std::string profile; // from the stored plan: "closed model, 50 users, 10s", or "plan not recorded"
    std::string status;  // running, completed, stopped, interrupted, failed
    std::string failureReason; // why a failed run failed
    std::string engine;
    double rps = 0;
    int64_t p50Micros = 0;
    int64_t p99Micros = 0;
    uint64_t requests = 0;
    uint64_t errors = 0;
    std::string note;          // the user's own words about this run
    bool baseline = false;     // the run others are read against; at most one per session
    std::string targetName;    // the sidebar's names, as they are now (empty once removed)
    std::string candidateName;
};

// A run read back in full.
struct StoredRun {
    RunListing listing;
    QJsonObject plan;        // the plan as run (plan::toJson), secrets withheld unless the user asked to keep them
    bool planRecorded = false; // false for schema-1 runs, whose load shape was not stored
    QJsonObject environment; // machine, OS, versions
    bool secretsWithheld = false;
    metrics::RunResult result;
};

// Where the run was measured: host, CPU, cores, OS, Benchdeck, libcurl and SQLite versions.
QJsonObject currentEnvironment();

} // namespace benchdeck::store
