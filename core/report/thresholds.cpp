// SPDX-License-Identifier: Apache-2.0
#include "thresholds.h"

#include "metrics/units.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace benchdeck::report {
namespace {

constexpr const char* kMetricList = "rps, mean, p50, p90, p99, p999, max, errors, checks";

bool isSpace(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && isSpace(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && isSpace(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

bool isLatency(ThresholdMetric metric)
{
    switch (metric) {
    case ThresholdMetric::Mean:
    case ThresholdMetric::P50:
    case ThresholdMetric::P90:
    case ThresholdMetric::P99:
    case ThresholdMetric::P999:
    case ThresholdMetric::Max: return true;
    case ThresholdMetric::Rps:
    case ThresholdMetric::ErrorPercent:
    case ThresholdMetric::ErrorCount:
    case ThresholdMetric::ChecksPassedPercent: return false;
    }
    return false;
}

std::optional<ThresholdMetric> metricFromName(const std::string& name)
{
    if (name == "rps")
        return ThresholdMetric::Rps;
    if (name == "mean")
        return ThresholdMetric::Mean;
    if (name == "p50")
        return ThresholdMetric::P50;
    if (name == "p90")
        return ThresholdMetric::P90;
    if (name == "p99")
        return ThresholdMetric::P99;
    if (name == "p999" || name == "p99.9")
        return ThresholdMetric::P999; // the text summary says p99.9
    if (name == "max")
        return ThresholdMetric::Max;
    if (name == "errors")
        return ThresholdMetric::ErrorCount; // or ErrorPercent, decided by the unit
    if (name == "checks")
        return ThresholdMetric::ChecksPassedPercent;
    return std::nullopt;
}

bool compare(double value, ThresholdComparison comparison, double limit)
{
    switch (comparison) {
    case ThresholdComparison::Less: return value < limit;
    case ThresholdComparison::LessOrEqual: return value <= limit;
    case ThresholdComparison::Greater: return value > limit;
    case ThresholdComparison::GreaterOrEqual: return value >= limit;
    }
    return false;
}

// `value / scale` with as few decimals as read well, but enough that the printed figure does not
// contradict the verdict ("PASS p99<50ms (measured 50.00ms)" when it was 49.996 ms).
std::string formatConsistent(double value, double scale, int decimals, const Threshold& threshold)
{
    const bool truth = compare(value, threshold.comparison, threshold.limit);
    for (;; ++decimals) {
        const std::string text = units::fixed(value / scale, decimals);
        if (decimals >= 6 || compare(units::parseNumber(text).value_or(value / scale) * scale, threshold.comparison,
                                     threshold.limit) == truth) {
            return text;
        }
    }
}

std::string formatLatency(double micros, const Threshold& threshold)
{
    struct Unit {
        double scale;
        const char* suffix;
    };
    const Unit unit = micros >= 1e6 ? Unit{1e6, "s"} : micros >= 1e3 ? Unit{1e3, "ms"} : Unit{1, "us"};
    const double shown = micros / unit.scale;
    const int decimals = unit.scale == 1 ? 0 : shown < 10 ? 2 : shown < 100 ? 1 : 0;
    std::string text = formatConsistent(micros, unit.scale, decimals, threshold);
    text += unit.suffix;
    return text;
}

// Constructed rather than assigned from a literal: GCC 12 warns falsely (-Wrestrict) on the latter.
std::string unitName(ThresholdMetric metric)
{
    if (metric == ThresholdMetric::Rps) {
        return std::string("req/s");
    }
    if (metric == ThresholdMetric::ErrorPercent || metric == ThresholdMetric::ChecksPassedPercent) {
        return std::string("%");
    }
    if (metric == ThresholdMetric::ErrorCount) {
        return std::string("count");
    }
    return std::string("ms"); // latencies, as in --json
}

} // namespace

std::string_view metricName(ThresholdMetric metric)
{
    switch (metric) {
    case ThresholdMetric::Rps: return "rps";
    case ThresholdMetric::Mean: return "mean";
    case ThresholdMetric::P50: return "p50";
    case ThresholdMetric::P90: return "p90";
    case ThresholdMetric::P99: return "p99";
    case ThresholdMetric::P999: return "p999";
    case ThresholdMetric::Max: return "max";
    case ThresholdMetric::ErrorPercent:
    case ThresholdMetric::ErrorCount: return "errors";
    case ThresholdMetric::ChecksPassedPercent: return "checks";
    }
    return "";
}

std::string_view comparisonSymbol(ThresholdComparison comparison)
{
    switch (comparison) {
    case ThresholdComparison::Less: return "<";
    case ThresholdComparison::LessOrEqual: return "<=";
    case ThresholdComparison::Greater: return ">";
    case ThresholdComparison::GreaterOrEqual: return ">=";
    }
    return "";
}

std::optional<Threshold> parseThreshold(std::string_view text, std::string* error)
{
    const std::string_view input = trim(text);
    std::string quoted(1, '\''); // built by appending: GCC 12 warns falsely (-Wrestrict) on "'" + string
    quoted.append(input).push_back('\'');
    auto fail = [&](const std::string& why) -> std::optional<Threshold> {
        if (error) {
            *error = why;
        }
        return std::nullopt;
    };
    if (input.empty()) {
        return fail("empty threshold; expected an expression such as p99<50ms");
    }
    size_t pos = 0;
    const auto skipSpace = [&] {
        while (pos < input.size() && isSpace(input[pos])) {
            ++pos;
        }
    };
    const auto take = [&](auto predicate) {
        const size_t start = pos;
        while (pos < input.size() && predicate(static_cast<unsigned char>(input[pos]))) {
            ++pos;
        }
        return input.substr(start, pos - start);
    };
    const auto isOperatorChar = [](unsigned char c) { return c == '<' || c == '>' || c == '=' || c == '!'; };

    // metric
    const std::string metricText = lower(take([](unsigned char c) { return std::isalnum(c) || c == '.' || c == '_'; }));
    if (metricText.empty()) {
        if (isOperatorChar(static_cast<unsigned char>(input[0]))) {
            return fail(quoted + " has no metric before the comparison (use " + kMetricList + ")");
        }
        return fail(quoted + " is not a threshold; expected an expression such as p99<50ms");
    }
    const auto metric = metricFromName(metricText);
    if (!metric) {
        return fail("unknown metric '" + metricText + "' (use " + kMetricList + ")");
    }
    // {step=NAME}: the metric of one scenario step
    std::string step;
    skipSpace();
    if (pos < input.size() && input[pos] == '{') {
        const size_t close = input.find('}', pos);
        if (close == std::string_view::npos) {
            return fail(quoted + ": '{' without '}'; name a step as p99{step=login}<100ms");
        }
        const std::string_view inside = trim(input.substr(pos + 1, close - pos - 1));
        if (!inside.starts_with("step") || trim(inside.substr(4)).empty() || trim(inside.substr(4)).front() != '=') {
            return fail(quoted + ": only a step can be named in braces, as in p99{step=login}<100ms");
        }
        std::string_view name = trim(trim(inside.substr(4)).substr(1));
        if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') && name.back() == name.front()) {
            name = name.substr(1, name.size() - 2);
        }
        if (name.empty()) {
            return fail(quoted + ": the step has no name");
        }
        step = std::string(name);
        pos = close + 1;
    }

    // comparison
    skipSpace();
    const std::string_view op = take(isOperatorChar);
    if (op.empty()) {
        return fail(quoted + ": missing comparison (<, <=, > or >=), as in p99<50ms");
    }
    ThresholdComparison comparison{};
    if (op == "<") {
        comparison = ThresholdComparison::Less;
    } else if (op == "<=") {
        comparison = ThresholdComparison::LessOrEqual;
    } else if (op == ">") {
        comparison = ThresholdComparison::Greater;
    } else if (op == ">=") {
        comparison = ThresholdComparison::GreaterOrEqual;
    } else {
        return fail(quoted + ": unsupported comparison '" + std::string(op) + "' (use <, <=, > or >=)");
    }

    // limit
    skipSpace();
    if (pos == input.size()) {
        return fail(quoted + ": missing limit after '" + std::string(op) + "', as in p99<50ms");
    }
    if (input[pos] == '-') {
        return fail(quoted + ": the limit must not be negative");
    }
    const std::string numberText(take([](unsigned char c) { return std::isdigit(c) || c == '.'; }));
    if (numberText.empty()) {
        return fail(quoted + ": expected a number after '" + std::string(op) + "', found '" +
                    std::string(input.substr(pos)) + "'");
    }
    const auto parsed = units::parseNumber(numberText);
    if (!parsed) {
        return fail(quoted + ": '" + numberText + "' is not a number");
    }
    const double value = *parsed;
    skipSpace();
    const std::string unit =
        lower(take([](unsigned char c) { return std::isalpha(c) || c == '%' || c == '/' || c >= 0x80; }));
    skipSpace();
    if (pos != input.size()) {
        return fail(quoted + ": unexpected '" + std::string(input.substr(pos)) +
                    "' after the limit; give each threshold separately");
    }

    Threshold threshold;
    threshold.metric = *metric;
    threshold.comparison = comparison;
    if (isLatency(*metric)) {
        if (unit.empty()) {
            return fail(quoted + " needs a unit: ms, s or us");
        }
        if (unit == "us" || unit == "\xc2\xb5s") {
            threshold.limit = value;
        } else if (unit == "ms") {
            threshold.limit = value * 1e3;
        } else if (unit == "s") {
            threshold.limit = value * 1e6;
        } else {
            return fail(quoted + ": unknown unit '" + unit + "' for " + metricText + " (use ms, s or us)");
        }
    } else if (*metric == ThresholdMetric::ChecksPassedPercent) {
        if (unit != "%" || value > 100) {
            return fail(quoted + ": checks takes the percentage of checks that passed, as in checks>99%");
        }
        threshold.limit = value;
    } else if (*metric == ThresholdMetric::Rps) {
        if (!unit.empty()) {
            return fail(quoted + ": rps takes a plain number of requests per second, as in rps>1000");
        }
        threshold.limit = value;
    } else if (unit == "%") {
        if (value > 100) {
            return fail(quoted + ": a percentage cannot exceed 100");
        }
        threshold.metric = ThresholdMetric::ErrorPercent;
        threshold.limit = value;
    } else if (unit.empty()) {
        if (value != std::floor(value)) {
            return fail(quoted + ": an error count must be a whole number (add % for a percentage)");
        }
        threshold.limit = value;
    } else {
        return fail(quoted + ": errors takes a percentage (errors<1%) or a count (errors<=10), not '" + unit + "'");
    }
    if (comparison == ThresholdComparison::Less && threshold.limit == 0) {
        return fail(quoted + " can never pass: nothing measures below 0");
    }
    threshold.step = step;
    threshold.expression = metricText;
    if (!step.empty()) {
        threshold.expression.append("{step=").append(step).append("}");
    }
    threshold.expression.append(op).append(numberText).append(unit);
    return threshold;
}

std::vector<ThresholdVerdict> evaluatePlanThresholds(const std::vector<std::string>& expressions,
                                                     const metrics::RunResult& result)
{
    std::vector<ThresholdVerdict> verdicts;
    for (const auto& expression : expressions) {
        std::string error;
        if (const auto threshold = parseThreshold(expression, &error)) {
            verdicts.push_back(evaluate(*threshold, result));
        } else {
            ThresholdVerdict invalid;
            invalid.expression = expression;
            invalid.shown = "not a threshold: " + error;
            invalid.line = "FAIL " + expression + " (" + invalid.shown + ")";
            verdicts.push_back(std::move(invalid));
        }
    }
    return verdicts;
}

namespace {

// What a threshold reads: the whole run's figures or one step's.
struct Figures {
    double rps = 0;
    uint64_t requests = 0;
    metrics::LatencySummary latency;
    double errorPercent = 0;
    uint64_t errors = 0;
    uint64_t checks = 0;
    uint64_t checksFailed = 0;
};

Figures runFigures(const metrics::RunSummary& s)
{
    return {s.rps, s.requests, s.latency, s.errorPercent, s.errors, s.checks, s.checksFailed};
}

Figures stepFigures(const metrics::StepSummary& s)
{
    return {s.rps, s.requests, s.latency, s.errorPercent, s.errors, s.checks, s.checksFailed};
}

} // namespace

ThresholdVerdict evaluate(const Threshold& threshold, const metrics::RunResult& result)
{
    ThresholdVerdict verdict;
    verdict.expression = threshold.expression;
    verdict.unit = unitName(threshold.metric);
    const auto& run = result.summary;
    std::string shown;
    std::string why; // replaces "measured ..." when there was nothing to measure
    double value = 0;
    Figures summary = runFigures(run);
    if (!threshold.step.empty()) {
        const metrics::StepSummary* step = run.findStep(threshold.step);
        if (step != nullptr) {
            summary = stepFigures(*step);
        } else {
            why = !run.isScenario() ? "not a scenario run: it has no steps"
                                    : "no step named \"" + threshold.step +
                                          "\" (or the name is in several scenarios: write scenario/step)";
        }
    }
    if (threshold.metric == ThresholdMetric::ChecksPassedPercent && why.empty() && summary.checks == 0) {
        why = "no checks were evaluated";
    }
    if (why.empty()) {
        switch (threshold.metric) {
        case ThresholdMetric::ChecksPassedPercent:
            value = 100.0 * double(summary.checks - summary.checksFailed) / double(summary.checks);
            verdict.measured = value;
            shown = formatConsistent(value, 1, 2, threshold);
            shown += "%";
            break;
        case ThresholdMetric::Rps:
            value = summary.rps;
            verdict.measured = value;
            if (summary.requests == 0 || run.durationSeconds <= 0) {
                why = "no requests were measured";
            } else {
                shown = formatConsistent(value, 1, 1, threshold);
                shown += " req/s";
            }
            break;
        case ThresholdMetric::Mean:
        case ThresholdMetric::P50:
        case ThresholdMetric::P90:
        case ThresholdMetric::P99:
        case ThresholdMetric::P999:
        case ThresholdMetric::Max: {
            const auto& latency = summary.latency;
            if (latency.empty()) {
                why = "no responses to measure";
                break;
            }
            switch (threshold.metric) {
            case ThresholdMetric::Mean: value = latency.mean; break;
            case ThresholdMetric::P50: value = double(latency.p50); break;
            case ThresholdMetric::P90: value = double(latency.p90); break;
            case ThresholdMetric::P99: value = double(latency.p99); break;
            case ThresholdMetric::P999: value = double(latency.p999); break;
            default: value = double(latency.max); break;
            }
            verdict.measured = value / 1e3;
            shown = formatLatency(value, threshold);
            break;
        }
        case ThresholdMetric::ErrorPercent:
            value = summary.errorPercent;
            verdict.measured = value;
            shown = formatConsistent(value, 1, 2, threshold);
            shown += "%";
            break;
        case ThresholdMetric::ErrorCount:
            value = double(summary.errors);
            verdict.measured = value;
            shown = formatConsistent(value, 1, 0, threshold);
            break;
        }
    }
    verdict.passed = why.empty() && compare(value, threshold.comparison, threshold.limit);
    verdict.shown = why.empty() ? shown : why;
    verdict.line = std::string(verdict.passed ? "PASS " : "FAIL ") + threshold.expression + " (" +
                   (why.empty() ? "measured " + shown : why) + ")";
    return verdict;
}

} // namespace benchdeck::report
