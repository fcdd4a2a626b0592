// SPDX-License-Identifier: Apache-2.0
#include "duration.h"

#include "metrics/units.h"

#include <cctype>
#include <cmath>

namespace benchdeck::engine {

std::optional<std::chrono::microseconds> parseDuration(std::string_view text, std::string* error, bool allowZero)
{
    auto fail = [&](const std::string& why) -> std::optional<std::chrono::microseconds> {
        if (error) {
            *error = "invalid duration '" + std::string(text) + "': " + why;
        }
        return std::nullopt;
    };
    size_t unitStart = 0;
    while (unitStart < text.size() && (std::isdigit(static_cast<unsigned char>(text[unitStart])) ||
                                       text[unitStart] == '.' || text[unitStart] == '-')) {
        ++unitStart;
    }
    const std::string number(text.substr(0, unitStart));
    const std::string_view unit = text.substr(unitStart);
    if (number.empty()) {
        return fail("expected a number with ms, s or m, as in 500ms, 10s, 2m");
    }
    const auto parsed = units::parseNumber(number);
    if (!parsed) {
        return fail("expected a number with ms, s or m, as in 500ms, 10s, 2m");
    }
    const double value = *parsed;
    double scale = 0;
    if (unit == "us" || unit == "µs") {
        scale = 1;
    } else if (unit == "ms") {
        scale = 1e3;
    } else if (unit.empty() || unit == "s") {
        scale = 1e6;
    } else if (unit == "m" || unit == "min") {
        scale = 60e6;
    } else if (unit == "h") {
        scale = 3600e6;
    } else {
        return fail("unknown unit '" + std::string(unit) + "' (use ms, s, m or h)");
    }
    if (value < 0 || (value == 0 && !allowZero)) {
        return fail("must be greater than zero");
    }
    const double micros = value * scale;
    if (micros > 1e13) {
        return fail("too long");
    }
    return std::chrono::microseconds(int64_t(std::llround(micros)));
}

std::string formatDuration(std::chrono::microseconds duration)
{
    const int64_t us = duration.count();
    auto trimmed = [](double v) { return units::trimmed(v, 6); };
    if (us % 60'000'000 == 0 && us >= 60'000'000) {
        return std::to_string(us / 60'000'000) + "m";
    }
    if (us >= 1'000'000) {
        return trimmed(double(us) / 1e6) + "s";
    }
    if (us >= 1000) {
        return trimmed(double(us) / 1e3) + "ms";
    }
    return std::to_string(us) + "us";
}

} // namespace benchdeck::engine
