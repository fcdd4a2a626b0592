// SPDX-License-Identifier: Apache-2.0
#include "weighted_mix.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

namespace benchdeck::scenario {
namespace {

// Shortest text that reads back as the same double: "0", "-3", "0.25".
std::string formatWeight(double weight)
{
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, weight);
    return std::string(buffer, result.ptr);
}

// Why a weight cannot be used, or empty when it can.
std::string weightProblem(double weight)
{
    if (std::isnan(weight)) {
        return std::string("is not a number");
    }
    if (std::isinf(weight)) {
        return std::string("is infinite");
    }
    if (!(weight > 0)) {
        std::string problem("is ");
        problem.append(formatWeight(weight));
        return problem;
    }
    return {};
}

} // namespace

WeightedMix::WeightedMix(std::vector<int64_t> scaled)
    : scaled_(std::move(scaled))
    , credit_(scaled_.size(), 0)
{
    for (int64_t weight : scaled_) {
        total_ += weight;
    }
}

std::optional<WeightedMix> WeightedMix::create(std::span<const double> weights, std::string* error)
{
    auto fail = [&](std::string message) -> std::optional<WeightedMix> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };
    if (weights.empty()) {
        return fail("a mix needs at least one scenario weight");
    }
    double largest = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
        if (const std::string problem = weightProblem(weights[i]); !problem.empty()) {
            std::string message("weight ");
            message.append(std::to_string(i + 1))
                .append(" ")
                .append(problem)
                .append("; every weight must be a finite number greater than 0");
            return fail(std::move(message));
        }
        largest = std::max(largest, weights[i]);
    }

    // Relative to the largest weight, so that the sum cannot overflow however large the weights are.
    double relativeTotal = 0;
    for (double weight : weights) {
        relativeTotal += weight / largest;
    }
    std::vector<int64_t> scaled;
    scaled.reserve(weights.size());
    for (double weight : weights) {
        const double share = weight / largest / relativeTotal;
        // At least 1: a scenario the user listed must run now and then, however small its weight.
        scaled.push_back(std::max<int64_t>(1, std::llround(share * double(kScale))));
    }
    return WeightedMix(std::move(scaled));
}

size_t WeightedMix::next()
{
    size_t best = 0;
    for (size_t i = 0; i < scaled_.size(); ++i) {
        credit_[i] += scaled_[i];
        if (credit_[i] > credit_[best]) {
            best = i;
        }
    }
    credit_[best] -= total_;
    return best;
}

double WeightedMix::share(size_t index) const
{
    return double(scaled_.at(index)) / double(total_);
}

std::vector<double> WeightedMix::shares() const
{
    std::vector<double> result;
    result.reserve(scaled_.size());
    for (int64_t weight : scaled_) {
        result.push_back(double(weight) / double(total_));
    }
    return result;
}

} // namespace benchdeck::scenario
