// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which scenario the next iteration runs, for a workload of several weighted scenarios
// (scenario.h, Scenario::weight).
//
// Smooth weighted round-robin, as nginx balances its upstreams: each pick adds every scenario's
// weight to its running credit, takes the scenario with the most credit (the first on a tie) and
// charges it the total weight. A scenario's pick count then never drifts from its exact share: the
// gap stays bounded whatever the number of picks (under one pick for 70/20/10, below two in every
// mix of up to 20 scenarios we tried), and picks interleave (70/20/10 runs A A B A A C A A B A) rather
// than coming in blocks.
//
// Why not random picks: a random 70/20/10 over 100,000 picks has a standard deviation of about 0.14%
// per share, which would do for one big run, but short runs and the per-worker split of a run drift
// visibly, and two runs of the same plan would not run the same mix. Round-robin is exact,
// reproducible and cheaper than drawing a random number.
//
// Weights are doubles as users write them (0.7, 3, 12.5); the algorithm wants integers, so they are
// normalised to a total of about kScale (1,000,000) and rounded, each to at least 1. A scenario's
// share is therefore exact to within one in a million, and a weight a million times smaller than the
// total still gets one pick in a million rather than none.
//
// Not thread-safe, by design: each worker owns its own WeightedMix, so picking takes no lock.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace benchdeck::scenario {

class WeightedMix {
public:
    static constexpr int64_t kScale = 1'000'000;

    // One weight per scenario, in scenario order. Every weight must be a finite number greater than 0,
    // and there must be at least one; otherwise std::nullopt and *error says which weight is wrong
    // ("weight 2 is 0; every weight must be a finite number greater than 0"), counting from 1.
    static std::optional<WeightedMix> create(std::span<const double> weights, std::string* error);

    // The index of the scenario the next iteration runs.
    size_t next();

    size_t size() const { return scaled_.size(); }

    // The fraction of picks scenario `index` gets (the shares add up to 1), from the integer weights
    // actually used: what a report should show as the mix.
    double share(size_t index) const;
    std::vector<double> shares() const;

private:
    explicit WeightedMix(std::vector<int64_t> scaled);

    std::vector<int64_t> scaled_;
    std::vector<int64_t> credit_; // per scenario; always sums to 0 between picks
    int64_t total_ = 0;
};

} // namespace benchdeck::scenario
