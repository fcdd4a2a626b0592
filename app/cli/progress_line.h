// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/engine.h"

#include <cstdio>
#include <string>

namespace benchdeck::cli {

// One self-overwriting status line on a terminal's stderr: elapsed, progress, ETA and what the
// target is doing right now. Silent when stderr is not a terminal, so logs and pipes stay clean.
class ProgressLine {
public:
    ProgressLine(const engine::RunConfig& config, bool enabled)
        : enabled_(enabled)
        , label_(config.label.empty() ? std::string() : config.label + ": ")
    {
    }

    void update(const engine::LiveSnapshot& s)
    {
        if (!enabled_) {
            return;
        }
        char eta[32] = "";
        if (s.etaSeconds >= 0) {
            std::snprintf(eta, sizeof eta, "  ETA %.0fs", s.etaSeconds);
        }
        std::fprintf(stderr, "\r\033[K%s%s %5.1fs [%3.0f%%]  %8.0f req/s  p50 %6.2fms  p99 %6.2fms  errors %llu%s",
                     label_.c_str(), s.warmingUp ? "warm-up" : "running", s.elapsedSeconds, s.progress * 100,
                     s.tickRps, double(s.tickP50) / 1000.0, double(s.tickP99) / 1000.0,
                     static_cast<unsigned long long>(s.errors), eta);
        std::fflush(stderr);
        shown_ = true;
    }

    void clear()
    {
        if (shown_) {
            std::fputs("\r\033[K", stderr);
            shown_ = false;
        }
    }

private:
    bool enabled_;
    bool shown_ = false;
    std::string label_;
};

} // namespace benchdeck::cli
