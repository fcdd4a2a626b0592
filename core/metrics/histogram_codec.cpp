// SPDX-License-Identifier: Apache-2.0
#include "histogram_codec.h"

#include <cstring>
#include <vector>

namespace benchdeck::metrics {
namespace {

constexpr unsigned char kMagic[] = {'B', 'D', 'H', '1'};

void putVarint(std::string& out, uint64_t value)
{
    while (value >= 0x80) {
        out.push_back(char((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(char(value));
}

bool getVarint(std::span<const unsigned char>& in, uint64_t* value)
{
    uint64_t result = 0;
    for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
        const unsigned char byte = in.front();
        in = in.subspan(1);
        result |= uint64_t(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) {
            *value = result;
            return true;
        }
    }
    return false;
}

template <typename T>
void putRaw(std::string& out, T value)
{
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

template <typename T>
bool getRaw(std::span<const unsigned char>& in, T* value)
{
    if (in.size() < sizeof(T)) {
        return false;
    }
    std::memcpy(value, in.data(), sizeof(T));
    in = in.subspan(sizeof(T));
    return true;
}

} // namespace

std::string encodeHistogram(const LatencyHistogram& histogram)
{
    std::string out(reinterpret_cast<const char*>(kMagic), sizeof kMagic);
    putVarint(out, uint64_t(histogram.min()));
    putVarint(out, uint64_t(histogram.max()));
    putRaw(out, histogram.sum());
    putRaw(out, histogram.sumOfSquares());
    const auto counts = histogram.counts();
    size_t previous = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0) {
            continue;
        }
        putVarint(out, i - previous);
        putVarint(out, counts[i]);
        previous = i;
    }
    return out;
}

std::optional<LatencyHistogram> decodeHistogram(std::span<const unsigned char> in)
{
    if (in.size() < sizeof kMagic || std::memcmp(in.data(), kMagic, sizeof kMagic) != 0) {
        return std::nullopt;
    }
    in = in.subspan(sizeof kMagic);
    uint64_t min = 0, max = 0;
    double sum = 0, sumOfSquares = 0;
    if (!getVarint(in, &min) || !getVarint(in, &max) || !getRaw(in, &sum) || !getRaw(in, &sumOfSquares)) {
        return std::nullopt;
    }
    std::vector<uint64_t> counts(LatencyHistogram::kCountsLength, 0);
    size_t index = 0;
    while (!in.empty()) {
        uint64_t gap = 0, count = 0;
        if (!getVarint(in, &gap) || !getVarint(in, &count) || index + gap >= counts.size()) {
            return std::nullopt;
        }
        index += gap;
        counts[index] = count;
    }
    return LatencyHistogram::fromCounts(counts, int64_t(min), int64_t(max), sum, sumOfSquares);
}

} // namespace benchdeck::metrics
