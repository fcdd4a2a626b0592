// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace benchdeck::metrics {

// A log-linear histogram in the manner of HdrHistogram: values are integer microseconds from 1 µs to
// about 71 minutes with three significant digits (relative error below 0.05% when the bucket midpoint
// is reported). Memory is fixed at construction, so recording never allocates and two histograms merge
// by adding counts: the basis for per-thread recording and lossless storage.
class LatencyHistogram {
public:
    static constexpr int kSubBucketHalfCountMagnitude = 10; // 2 * 10^3 -> 2048 sub-buckets
    static constexpr int64_t kSubBucketCount = int64_t{1} << (kSubBucketHalfCountMagnitude + 1);
    static constexpr int64_t kSubBucketHalfCount = kSubBucketCount / 2;
    static constexpr int64_t kHighestTrackable = (int64_t{1} << 32) - 1;
    static constexpr int kBucketCount = 22; // covers kHighestTrackable
    static constexpr size_t kCountsLength = size_t(kBucketCount + 1) * size_t(kSubBucketHalfCount);

    LatencyHistogram();

    // Values outside [0, kHighestTrackable] are clamped: a latency is never negative, and anything
    // above ~71 minutes is beyond every timeout this tool allows.
    void record(int64_t micros) noexcept { recordN(micros, 1); }
    void recordN(int64_t micros, uint64_t n) noexcept;
    void merge(const LatencyHistogram& other) noexcept;
    void reset() noexcept;

    uint64_t count() const noexcept { return total_; }
    bool empty() const noexcept { return total_ == 0; }
    int64_t min() const noexcept { return total_ ? min_ : 0; }
    int64_t max() const noexcept { return total_ ? max_ : 0; }
    double mean() const noexcept;
    double stdev() const noexcept;
    // Nearest-rank percentile, p in [0, 100]; reported as the bucket midpoint clamped to [min, max].
    int64_t valueAtPercentile(double p) const noexcept;

    // Raw access for storage and plots: counts()[i] holds the values in [lowestValueAt(i), highestValueAt(i)].
    std::span<const uint64_t> counts() const noexcept { return counts_; }
    static int64_t lowestValueAt(size_t index) noexcept;
    static int64_t highestValueAt(size_t index) noexcept;
    static size_t indexOf(int64_t micros) noexcept;

    // Latency (ms) against "nines", -log10(1 - p), from 0 in `step`s as far into the tail as the
    // sample reaches (beyond 1/count every percentile is the maximum): how HdrHistogram plots it.
    std::vector<std::pair<double, double>> percentileCurve(double step = 0.05) const;
    // Rebuilds a histogram from stored counts plus the exact moments that counts alone cannot give.
    static LatencyHistogram fromCounts(std::span<const uint64_t> counts, int64_t min, int64_t max, double sum,
                                       double sumOfSquares);
    double sum() const noexcept { return sum_; }
    double sumOfSquares() const noexcept { return sumOfSquares_; }

    // Same counts, extremes and total; the floating-point moments may differ in their last bits
    // depending on the order in which histograms were merged.
    bool sameDistribution(const LatencyHistogram& other) const noexcept;

private:
    std::vector<uint64_t> counts_;
    uint64_t total_ = 0;
    int64_t min_ = 0;
    int64_t max_ = 0;
    // Exact moments: the mean and stdev users compare should not carry bucket error.
    double sum_ = 0;
    double sumOfSquares_ = 0;
    // The touched index range, so that reset() after a short interval clears only what was used.
    size_t lowIndex_ = kCountsLength;
    size_t highIndex_ = 0;
};

} // namespace benchdeck::metrics
