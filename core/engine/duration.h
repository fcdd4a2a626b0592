// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace benchdeck::engine {

// "250ms", "10s", "2m", "1.5s" or a bare number of seconds, as every load tool's users type them.
std::optional<std::chrono::microseconds> parseDuration(std::string_view text, std::string* error,
                                                       bool allowZero = false);

// The shortest exact spelling: 1500000 µs -> "1.5s", 250000 µs -> "250ms".
std::string formatDuration(std::chrono::microseconds duration);

} // namespace benchdeck::engine
