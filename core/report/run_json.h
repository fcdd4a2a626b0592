// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"
#include "metrics/run_result.h"

#include <QJsonObject>

namespace benchdeck::report {

// The CLI's `--json` object (design.md's contract): stable keys, latencies in milliseconds.
QJsonObject runToJson(const engine::RunConfig& config, const metrics::RunResult& result);

} // namespace benchdeck::report
