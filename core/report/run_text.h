// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"
#include "metrics/run_result.h"

#include <string>
#include <vector>

namespace benchdeck::report {

// The line printed before a run starts, as wrk does.
std::string runHeader(const engine::RunConfig& config);

// Human-readable run summary in the manner of wrk, plus a percentile table and the error breakdown.
std::string runToText(const engine::RunConfig& config, const metrics::RunResult& result);

// A scenario run's per-step table, its iterations and its checks, as runToText shows them.
std::string scenarioText(const metrics::RunResult& result);

// "12.3ms", "850us", "1.20s": latencies the way people read them.
std::string formatMicros(double micros);
std::string formatBytes(double bytes);
// A number with a fixed count of decimals, independent of the locale.
std::string formatFixed(double value, int decimals);

// `text` with control characters (ESC, CR, BEL, ...) shown as '?': file content printed on a terminal
// must not move the cursor, recolour it or rewrite what was printed before.
std::string printable(std::string_view text);

// A plain-text table with right-aligned numeric columns, for side-by-side comparisons.
std::string formatTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

} // namespace benchdeck::report
