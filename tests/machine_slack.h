// SPDX-License-Identifier: Apache-2.0
#pragma once

// What this machine can measure right now, for tests whose latency tolerances depend on it: the
// error each request path shows against a known 10 ms delay (workflow::measureKnownDelayError),
// measured once per test binary, in the same conditions as the test (a CPU hog included).
#include "workflow/calibration.h"

#include <algorithm>
#include <chrono>
#include <map>

inline const benchdeck::workflow::KnownDelayError& knownDelayError(benchdeck::engine::EngineKind kind)
{
    static std::map<benchdeck::engine::EngineKind, benchdeck::workflow::KnownDelayError> cache;
    auto it = cache.find(kind);
    if (it == cache.end()) {
        it = cache.emplace(kind, benchdeck::workflow::measureKnownDelayError(std::chrono::seconds(2), kind)).first;
    }
    return it->second;
}

// Allowed error above a known delay: twice what calibration saw plus a margin (the test is a second
// sample of the same noise), never below `floorMs` (what an idle machine shows) and never above
// `capMs`: past the cap the engine, not the machine, is wrong, and the test fails.
inline double latencySlackMs(double calibratedErrorMs, double floorMs, double capMs)
{
    return std::clamp(2.0 * std::max(0.0, calibratedErrorMs) + floorMs, floorMs, capMs);
}
