// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "latency_histogram.h"

#include <optional>
#include <span>
#include <string>

namespace benchdeck::metrics {

// A compact, lossless byte form of a histogram for session files: the exact moments, then only the
// non-empty counters as (index gap, count) varints. A typical run's latency histogram takes a few
// hundred bytes instead of the 184 KiB it occupies in memory.
std::string encodeHistogram(const LatencyHistogram& histogram);
std::optional<LatencyHistogram> decodeHistogram(std::span<const unsigned char> bytes);

} // namespace benchdeck::metrics
