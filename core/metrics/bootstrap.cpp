// SPDX-License-Identifier: Apache-2.0
#include "bootstrap.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>
#include <vector>

namespace benchdeck::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same sequence everywhere.
class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed)
        : state_(seed)
    {
    }
    uint64_t next() noexcept
    {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n), n > 0, without modulo bias: draws at or above the last whole multiple of n
    // are rejected.
    size_t below(size_t n) noexcept
    {
        const uint64_t bound = uint64_t(n);
        const uint64_t limit = std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % bound;
        uint64_t x = next();
        while (x >= limit) {
            x = next();
        }
        return size_t(x % bound);
    }

private:
    uint64_t state_;
};

std::vector<double> finite(std::span<const double> samples)
{
    std::vector<double> out;
    out.reserve(samples.size());
    for (const double x : samples) {
        if (std::isfinite(x)) {
            out.push_back(x);
        }
    }
    return out;
}

// Median in place (reorders `values`); values must not be empty.
double medianInPlace(std::vector<double>& values)
{
    const size_t n = values.size();
    const auto mid = values.begin() + std::ptrdiff_t(n / 2);
    std::nth_element(values.begin(), mid, values.end());
    const double upper = *mid;
    if (n % 2 == 1) {
        return upper;
    }
    const double lower = *std::max_element(values.begin(), mid);
    return lower + (upper - lower) / 2;
}

// Quantile q in [0, 1] of sorted values, interpolating linearly between order statistics. Infinite
// neighbours are taken as they are (no inf - inf).
double quantile(const std::vector<double>& sorted, double q)
{
    const double h = q * double(sorted.size() - 1);
    const size_t below = size_t(std::floor(h));
    const size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = h - double(below);
    const double a = sorted[below];
    const double b = sorted[above];
    if (fraction == 0 || a == b || !std::isfinite(a) || !std::isfinite(b)) {
        return fraction < 0.5 ? a : b;
    }
    return a + fraction * (b - a);
}

double safeRatio(double numerator, double denominator)
{
    if (denominator == 0) {
        const double inf = std::numeric_limits<double>::infinity();
        return numerator == 0 ? 1.0 : numerator > 0 ? inf : -inf;
    }
    return numerator / denominator;
}

void resample(const std::vector<double>& from, std::vector<double>& into, SplitMix64& rng)
{
    into.resize(from.size());
    for (double& x : into) {
        x = from[rng.below(from.size())];
    }
}

// The bootstrap statistics' interval, widened to hold the point estimate.
std::pair<double, double> percentileInterval(std::vector<double>& statistics, double confidence, double point)
{
    std::sort(statistics.begin(), statistics.end());
    const double c = std::clamp(std::isnan(confidence) ? kDefaultConfidence : confidence, 0.0, 1.0);
    const double low = quantile(statistics, (1.0 - c) / 2.0);
    const double high = quantile(statistics, (1.0 + c) / 2.0);
    return {std::min(low, point), std::max(high, point)};
}

} // namespace

double median(std::span<const double> samples)
{
    auto values = finite(samples);
    return values.empty() ? kNaN : medianInPlace(values);
}

Interval medianInterval(std::span<const double> samples, double confidence, int resamples, uint64_t seed)
{
    const auto values = finite(samples);
    Interval interval;
    interval.samples = values.size();
    if (values.empty()) {
        return interval;
    }
    auto scratch = values;
    interval.median = medianInPlace(scratch);
    if (values.size() == 1) {
        interval.low = interval.high = interval.median;
        return interval;
    }
    SplitMix64 rng(seed);
    std::vector<double> medians(size_t(std::max(resamples, 1)));
    for (double& m : medians) {
        resample(values, scratch, rng);
        m = medianInPlace(scratch);
    }
    std::tie(interval.low, interval.high) = percentileInterval(medians, confidence, interval.median);
    return interval;
}

RatioInterval ratioInterval(std::span<const double> a, std::span<const double> baseline, double confidence,
                            int resamples, uint64_t seed)
{
    const auto values = finite(a);
    const auto reference = finite(baseline);
    RatioInterval interval;
    interval.samples = values.size();
    interval.baselineSamples = reference.size();
    if (values.empty() || reference.empty()) {
        return interval; // NaN, Unknown
    }
    auto scratchA = values;
    auto scratchB = reference;
    interval.ratio = safeRatio(medianInPlace(scratchA), medianInPlace(scratchB));
    if (values.size() < 2 || reference.size() < 2) {
        interval.low = interval.high = interval.ratio;
        return interval; // Unknown: no spread measured on at least one side
    }
    SplitMix64 rng(seed);
    std::vector<double> ratios(size_t(std::max(resamples, 1)));
    for (double& r : ratios) {
        resample(values, scratchA, rng);
        resample(reference, scratchB, rng);
        r = safeRatio(medianInPlace(scratchA), medianInPlace(scratchB));
    }
    std::tie(interval.low, interval.high) = percentileInterval(ratios, confidence, interval.ratio);
    if (values.size() < kMinSamplesForVerdict || reference.size() < kMinSamplesForVerdict) {
        return interval; // an interval to show, but too few runs to trust it with a verdict
    }
    interval.withinNoise = interval.low <= 1.0 && 1.0 <= interval.high;
    interval.verdict = interval.withinNoise ? NoiseVerdict::WithinNoise : NoiseVerdict::Significant;
    return interval;
}

std::string_view noiseVerdictName(NoiseVerdict verdict) noexcept
{
    switch (verdict) {
    case NoiseVerdict::Significant: return "significant";
    case NoiseVerdict::WithinNoise: return "within_noise";
    case NoiseVerdict::Unknown: return "unknown";
    }
    return "unknown";
}

std::string_view noiseVerdictLabel(NoiseVerdict verdict) noexcept
{
    switch (verdict) {
    case NoiseVerdict::Significant: return "significant";
    case NoiseVerdict::WithinNoise: return "within noise";
    case NoiseVerdict::Unknown: return "noise unknown";
    }
    return "noise unknown";
}

std::string_view noiseLabel(const RatioInterval& interval) noexcept
{
    if (interval.verdict != NoiseVerdict::Unknown) {
        return noiseVerdictLabel(interval.verdict);
    }
    const size_t fewest = std::min(interval.samples, interval.baselineSamples);
    return fewest == 0 ? "no figure" : fewest == 1 ? "single run, noise unknown" : "too few runs, noise unknown";
}

} // namespace benchdeck::metrics
