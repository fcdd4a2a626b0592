// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

// Noise-aware figures over repeated runs: the median of each figure with a percentile-bootstrap
// confidence interval, and the ratio of two medians with its own interval. Plain C++, no Qt.
// docs/noise.md explains when and how to read them.
//
// Both functions are deterministic given the seed, on every platform and compiler: they draw from
// their own SplitMix64 generator with unbiased bounded draws, never from <random>'s distributions,
// whose output the standard leaves to each library.
namespace benchdeck::metrics {

inline constexpr double kDefaultConfidence = 0.95;
inline constexpr int kDefaultResamples = 2000;
inline constexpr uint64_t kDefaultSeed = 42;

// The median of a sample with a confidence interval around it.
//  - 0 samples: every field NaN, samples 0.
//  - 1 sample: low == high == median (there is no spread to measure; see RatioInterval for what that
//    means for a comparison).
//  - 2 or more: the percentile bootstrap: `resamples` resamples with replacement, the median of each,
//    and the (1 - confidence) / 2 and (1 + confidence) / 2 quantiles of those medians (linear
//    interpolation between order statistics), widened if need be so that low <= median <= high.
// Non-finite samples (NaN, ±inf) are ignored and not counted.
struct Interval {
    double median = std::numeric_limits<double>::quiet_NaN();
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
    size_t samples = 0;
};

Interval medianInterval(std::span<const double> samples, double confidence = kDefaultConfidence,
                        int resamples = kDefaultResamples, uint64_t seed = kDefaultSeed);

// What a difference against the baseline amounts to.
enum class NoiseVerdict {
    Significant, // the ratio's interval excludes 1.0: the runs tell the two apart
    WithinNoise, // the interval contains 1.0: the difference is no larger than run-to-run variation
    Unknown,     // fewer than kMinSamplesForVerdict runs on a side (or no figure at all): too little
                 // spread was measured to tell whether the difference is real ("single run, noise unknown")
};

// The fewest samples per side for a Significant / WithinNoise verdict. With 2 per side the percentile
// bootstrap of a median only sees {x1, x2, mean}, and in simulation (normal data, no real difference)
// called 33 % of comparisons significant; with 3 it is about 9 %, with 5 or more 3-5 % (docs/noise.md).
inline constexpr size_t kMinSamplesForVerdict = 3;

// median(a) / median(baseline) with a bootstrap interval, both sides resampled independently.
//  - ratio: the point estimate from the samples as given.
//  - low, high: the percentile-bootstrap interval of the ratio of resampled medians (widened to hold
//    `ratio`), when both sides have 2 samples or more; with a single sample on a side, low == high ==
//    ratio (no spread there, and an interval of width 0 would call every difference significant).
//  - verdict: Unknown unless both sides have kMinSamplesForVerdict samples; then WithinNoise when
//    low <= 1 <= high, Significant otherwise.
//  - Division: x / 0 is +inf for x > 0 and 1 for 0 / 0 (two zero error rates are the same). The
//    figures are expected to be non-negative (req/s, latencies, error %); +inf cannot be written as
//    JSON, so writers print it as null / "–".
//  - withinNoise is true exactly when verdict == WithinNoise. It is false for Unknown: code that
//    treats "not within noise" as "significant" must check verdict instead. The rule "a difference
//    within noise does not decide a verdict on its own" applies to WithinNoise only; Unknown keeps
//    today's single-run behaviour (the point values decide) and is shown as "single run, noise
//    unknown" (or "too few runs, noise unknown", see noiseLabel()).
struct RatioInterval {
    double ratio = std::numeric_limits<double>::quiet_NaN();
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
    bool withinNoise = false;
    NoiseVerdict verdict = NoiseVerdict::Unknown;
    size_t samples = 0;         // finite samples of `a`
    size_t baselineSamples = 0; // finite samples of the baseline
};

RatioInterval ratioInterval(std::span<const double> a, std::span<const double> baseline,
                            double confidence = kDefaultConfidence, int resamples = kDefaultResamples,
                            uint64_t seed = kDefaultSeed);

// The plain median of the finite samples (mean of the middle two for an even count); NaN when none.
double median(std::span<const double> samples);

// "significant", "within_noise", "unknown": the JSON names.
std::string_view noiseVerdictName(NoiseVerdict verdict) noexcept;
// "significant", "within noise", "noise unknown": for people.
std::string_view noiseVerdictLabel(NoiseVerdict verdict) noexcept;
// As noiseVerdictLabel(), saying why the noise is unknown: "single run, noise unknown" (a side has one
// sample), "too few runs, noise unknown" (a side has 2), "no figure" (a side has none).
std::string_view noiseLabel(const RatioInterval& interval) noexcept;

} // namespace benchdeck::metrics
