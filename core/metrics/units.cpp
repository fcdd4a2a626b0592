// SPDX-License-Identifier: Apache-2.0
#include "units.h"

#include <charconv>
#include <cmath>

namespace benchdeck::units {

std::string fixed(double value, int decimals)
{
    if (!std::isfinite(value)) {
        return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
    }
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
    if (ec != std::errc()) {
        return shortest(value); // beyond 64 characters: far outside anything Benchdeck measures
    }
    std::string text(buffer, end);
    if (text.find_first_not_of("-0.") == std::string::npos && text.front() == '-') {
        text.erase(0, 1); // -0.00 reads as a sign error in a table
    }
    return text;
}

std::string shortest(double value)
{
    if (!std::isfinite(value)) {
        return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
    }
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::string("nan");
}

std::string trimmed(double value, int decimals)
{
    std::string text = fixed(value, decimals);
    if (text.find('.') != std::string::npos) {
        text.erase(text.find_last_not_of('0') + 1);
        if (text.back() == '.') {
            text.pop_back();
        }
    }
    return text;
}

std::string grouped(uint64_t value)
{
    std::string digits = std::to_string(value);
    for (int at = int(digits.size()) - 3; at > 0; at -= 3) {
        digits.insert(size_t(at), 1, ',');
    }
    return digits;
}

std::string level(double value)
{
    if (std::isfinite(value) && value >= 0 && value < 1e18 && value == std::floor(value)) {
        return grouped(uint64_t(value));
    }
    return trimmed(value, 2);
}

std::string latency(double micros)
{
    if (micros < 1000) {
        return fixed(micros, 0) + "us";
    }
    if (micros < 1'000'000) {
        return fixed(micros / 1000.0, 2) + "ms";
    }
    return fixed(micros / 1e6, 2) + "s";
}

std::string bytes(double count)
{
    static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (count >= 1024 && unit < 4) {
        count /= 1024;
        ++unit;
    }
    return (unit == 0 ? fixed(count, 0) : trimmed(count, 1)) + " " + kUnits[unit];
}

std::string percent(double value, int decimals)
{
    return fixed(value, decimals) + "%";
}

std::optional<int64_t> parseInteger(std::string_view text)
{
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<double> parseNumber(std::string_view text)
{
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

} // namespace benchdeck::units
