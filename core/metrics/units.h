// SPDX-License-Identifier: Apache-2.0
#pragma once

// Every number Benchdeck prints or parses goes through here, on std::to_chars/from_chars, so output
// and input never depend on the process locale (a decimal comma under de_DE would break CSV, JSON-ish
// text, thresholds and `-d 1.5s`).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace benchdeck::units {

// `decimals` digits after a '.', always: fixed(12.345, 2) == "12.35". Non-finite values print "nan"/"inf".
std::string fixed(double value, int decimals);
// The shortest text that reads back as the same double ("0.1", "1e+300"), as %g would without rounding.
std::string shortest(double value);
// Up to `decimals` digits after a '.', trailing zeros and a trailing '.' dropped: trimmed(1.50, 3) == "1.5".
std::string trimmed(double value, int decimals);
// Digits grouped by thousands with ',': grouped(1234567) == "1,234,567".
std::string grouped(uint64_t value);
// A rate or level as people write it: whole numbers grouped ("1,000"), others with up to 2 decimals.
std::string level(double value);

// A latency in microseconds, with the unit that reads best: "850us", "12.30ms", "1.50s".
std::string latency(double micros);
// A byte count in binary units: "512 B", "1.5 KiB", "21.3 MiB".
std::string bytes(double count);
// A share in percent with `decimals` digits: percent(12.345, 1) == "12.3%".
std::string percent(double value, int decimals = 1);

// A whole decimal number (optional sign), nothing else; nothing when out of range or not a number.
std::optional<int64_t> parseInteger(std::string_view text);
// A finite decimal number ("1.5", "-2", "1e3"), nothing else; nothing for nan, inf, or trailing text.
std::optional<double> parseNumber(std::string_view text);

} // namespace benchdeck::units
