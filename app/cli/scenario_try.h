// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/run_config.h"

namespace benchdeck::cli {

// `run --scenario FILE --try`: one iteration of each scenario, every request and answer printed in
// full (bodies cut at 2 KiB), with what each extractor took and each check's verdict. Exit 0 when
// every step was answered and passed its checks, 3 otherwise.
int tryScenario(const engine::RunConfig& config);

} // namespace benchdeck::cli
