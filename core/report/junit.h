// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "thresholds.h"

#include <string>
#include <vector>

namespace benchdeck::report {

// Threshold verdicts as a JUnit XML report, the format CI systems (GitLab, Jenkins, GitHub
// test-report actions) show as test results: one <testsuite> named `suiteName` whose `time` is the
// run's measured duration, one <testcase> per threshold (named by its expression, classname
// "benchdeck.thresholds", time 0: a verdict takes no time of its own) with a <failure> when it was
// crossed, and the verdict line as <system-out>. Everything is XML-escaped.
std::string junitXml(const std::string& suiteName, const std::vector<ThresholdVerdict>& verdicts,
                     double durationSeconds);

} // namespace benchdeck::report
