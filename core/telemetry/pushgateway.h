// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live_telemetry.h"

#include <optional>
#include <string>

namespace benchdeck::telemetry {

// The Pushgateway URL for one run's group: BASE/metrics/job/benchdeck/run@base64/RUN/shard@base64/SHARD
// (values in base64, as the Pushgateway documents for values with '/'). Refuses non-http(s) bases.
std::optional<std::string> pushGroupUrl(const std::string& base, const TelemetryLabels& labels, std::string* error);

// PUTs `body` (the 0.0.4 text format) to the group, replacing what an earlier push left there: for CI,
// where a run ends before any scrape would see it. Gives up after 10 s.
bool pushToGateway(const std::string& base, const TelemetryLabels& labels, const std::string& body, std::string* error);

} // namespace benchdeck::telemetry
