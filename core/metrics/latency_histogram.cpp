// SPDX-License-Identifier: Apache-2.0
#include "latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace benchdeck::metrics {
namespace {

int bucketIndexOf(uint64_t value) noexcept
{
    const auto masked = value | uint64_t(LatencyHistogram::kSubBucketCount - 1);
    return 64 - std::countl_zero(masked) - (LatencyHistogram::kSubBucketHalfCountMagnitude + 1);
}

} // namespace

LatencyHistogram::LatencyHistogram()
    : counts_(kCountsLength, 0)
{
}

size_t LatencyHistogram::indexOf(int64_t micros) noexcept
{
    const auto value = uint64_t(std::clamp<int64_t>(micros, 0, kHighestTrackable));
    const int bucket = bucketIndexOf(value);
    const auto subBucket = int64_t(value >> bucket);
    return size_t(((int64_t(bucket) + 1) << kSubBucketHalfCountMagnitude) + (subBucket - kSubBucketHalfCount));
}

int64_t LatencyHistogram::lowestValueAt(size_t index) noexcept
{
    auto bucket = int64_t(index >> kSubBucketHalfCountMagnitude) - 1;
    auto subBucket = int64_t(index & size_t(kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
    if (bucket < 0) {
        subBucket -= kSubBucketHalfCount;
        bucket = 0;
    }
    return subBucket << bucket;
}

int64_t LatencyHistogram::highestValueAt(size_t index) noexcept
{
    const auto bucket = std::max<int64_t>(int64_t(index >> kSubBucketHalfCountMagnitude) - 1, 0);
    return lowestValueAt(index) + (int64_t{1} << bucket) - 1;
}

void LatencyHistogram::recordN(int64_t micros, uint64_t n) noexcept
{
    if (n == 0) {
        return;
    }
    const auto value = std::clamp<int64_t>(micros, 0, kHighestTrackable);
    const size_t index = indexOf(value);
    counts_[index] += n;
    lowIndex_ = std::min(lowIndex_, index);
    highIndex_ = std::max(highIndex_, index);
    if (total_ == 0 || value < min_) {
        min_ = value;
    }
    if (total_ == 0 || value > max_) {
        max_ = value;
    }
    total_ += n;
    const auto v = double(value);
    sum_ += v * double(n);
    sumOfSquares_ += v * v * double(n);
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept
{
    if (other.total_ == 0) {
        return;
    }
    for (size_t i = other.lowIndex_; i <= other.highIndex_; ++i) {
        counts_[i] += other.counts_[i];
    }
    lowIndex_ = std::min(lowIndex_, other.lowIndex_);
    highIndex_ = std::max(highIndex_, other.highIndex_);
    min_ = total_ == 0 ? other.min_ : std::min(min_, other.min_);
    max_ = total_ == 0 ? other.max_ : std::max(max_, other.max_);
    total_ += other.total_;
    sum_ += other.sum_;
    sumOfSquares_ += other.sumOfSquares_;
}

void LatencyHistogram::reset() noexcept
{
    if (total_ != 0) {
        std::fill(counts_.begin() + ptrdiff_t(lowIndex_), counts_.begin() + ptrdiff_t(highIndex_) + 1, 0);
    }
    total_ = 0;
    min_ = max_ = 0;
    sum_ = sumOfSquares_ = 0;
    lowIndex_ = kCountsLength;
    highIndex_ = 0;
}

double LatencyHistogram::mean() const noexcept
{
    return total_ ? sum_ / double(total_) : 0.0;
}

double LatencyHistogram::stdev() const noexcept
{
    if (total_ < 2) {
        return 0.0;
    }
    const double m = mean();
    const double variance = sumOfSquares_ / double(total_) - m * m;
    return variance > 0 ? std::sqrt(variance) : 0.0;
}

int64_t LatencyHistogram::valueAtPercentile(double p) const noexcept
{
    if (total_ == 0) {
        return 0;
    }
    if (p <= 0) {
        return min_;
    }
    if (p >= 100) {
        return max_;
    }
    const auto rank = std::max<uint64_t>(1, uint64_t(std::ceil(p / 100.0 * double(total_))));
    uint64_t seen = 0;
    for (size_t i = lowIndex_; i <= highIndex_; ++i) {
        seen += counts_[i];
        if (seen >= rank) {
            const int64_t lo = lowestValueAt(i);
            const int64_t mid = lo + (highestValueAt(i) - lo + 1) / 2;
            return std::clamp(mid, min_, max_);
        }
    }
    return max_;
}

std::vector<std::pair<double, double>> LatencyHistogram::percentileCurve(double step) const
{
    std::vector<std::pair<double, double>> curve;
    if (total_ == 0) {
        return curve;
    }
    const double reach = std::min(5.0, std::log10(double(total_)));
    for (double x = 0; x <= reach + 1e-9; x += step) {
        const double p = 100.0 * (1.0 - std::pow(10.0, -x));
        curve.emplace_back(x, double(valueAtPercentile(p)) / 1000.0);
    }
    return curve;
}

bool LatencyHistogram::sameDistribution(const LatencyHistogram& other) const noexcept
{
    return total_ == other.total_ && min() == other.min() && max() == other.max() && counts_ == other.counts_;
}

LatencyHistogram LatencyHistogram::fromCounts(std::span<const uint64_t> counts, int64_t min, int64_t max,
                                              double sum, double sumOfSquares)
{
    LatencyHistogram h;
    const size_t n = std::min(counts.size(), kCountsLength);
    for (size_t i = 0; i < n; ++i) {
        if (counts[i] == 0) {
            continue;
        }
        h.counts_[i] = counts[i];
        h.total_ += counts[i];
        h.lowIndex_ = std::min(h.lowIndex_, i);
        h.highIndex_ = std::max(h.highIndex_, i);
    }
    if (h.total_ != 0) {
        h.min_ = min;
        h.max_ = max;
        h.sum_ = sum;
        h.sumOfSquares_ = sumOfSquares;
    }
    return h;
}

} // namespace benchdeck::metrics
