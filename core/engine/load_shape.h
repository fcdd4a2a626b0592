// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "run_shared.h"

#include <sys/epoll.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <vector>

namespace benchdeck::engine {

// The load level over time: a constant, or stages ramping linearly from the previous level (0 at
// the start) to their target. The level is users in the closed model, requests/s in the open one.
class LoadShape {
public:
    LoadShape() = default;
    LoadShape(double constantLevel, const std::vector<Stage>& stages, Clock::time_point start)
        : constant_(constantLevel)
        , start_(start)
    {
        double level = 0;
        Clock::time_point at = start;
        for (const auto& stage : stages) {
            segments_.push_back({at, at + stage.duration, level, stage.target});
            at += stage.duration;
            level = stage.target;
        }
    }

    // The level at `now` (before the start: the constant, or the first stage's starting level).
    double levelAt(Clock::time_point now) const
    {
        if (segments_.empty()) {
            return constant_;
        }
        for (const auto& s : segments_) {
            if (now < s.end) {
                const double span = std::chrono::duration<double>(s.end - s.begin).count();
                const double into = std::max(0.0, std::chrono::duration<double>(now - s.begin).count());
                return span > 0 ? s.from + (s.to - s.from) * std::min(1.0, into / span) : s.to;
            }
        }
        return segments_.back().to;
    }

    // When the n-th request (from 0) of an open-model schedule is due: where the integral of the rate
    // since the start reaches n + 1/2. Inverting a linear ramp's integral is a quadratic.
    Clock::time_point intendedTime(double n) const
    {
        const double target = n + 0.5;
        if (segments_.empty()) {
            return start_ + toDuration(constant_ > 0 ? target / constant_ : 1e9);
        }
        double counted = 0;
        for (const auto& s : segments_) {
            const double span = std::chrono::duration<double>(s.end - s.begin).count();
            const double inSegment = (s.from + s.to) / 2.0 * span;
            if (counted + inSegment >= target) {
                const double need = target - counted; // solve from*t + (to-from)/(2 span) * t^2 = need
                const double a = (s.to - s.from) / (2.0 * span);
                const double b = s.from;
                const double t = std::abs(a) < 1e-12 ? need / b : (-b + std::sqrt(b * b + 4 * a * need)) / (2 * a);
                return s.begin + toDuration(t);
            }
            counted += inSegment;
        }
        const auto& last = segments_.back();
        if (last.to <= 0) {
            return Clock::time_point::max(); // the schedule has run out
        }
        return last.end + toDuration((target - counted) / last.to);
    }

    bool staged() const { return !segments_.empty(); }
    Clock::duration totalDuration() const { return segments_.empty() ? Clock::duration::zero() : segments_.back().end - start_; }

private:
    struct Segment {
        Clock::time_point begin;
        Clock::time_point end;
        double from;
        double to;
    };
    static Clock::duration toDuration(double seconds)
    {
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    }

    double constant_ = 0;
    Clock::time_point start_;
    std::vector<Segment> segments_;
};

// Polls for a few microseconds before a worker goes to sleep (waitForEvents' `spin`). Under load the
// next answer is that close, and a sleeping worker is woken by the server's own write: on loopback
// the wake-up runs on the server's time, so a client that sleeps often slows the server it measures
// (nginx served 2-3% fewer https requests at 50 connections than for wrk, which seldom sleeps), and
// each wake-up's delay lands in the latencies. Not for a worker whose own CPU is the limit: the
// HTTP/2 path at 10 streams lost 6% with it (bench/tls-vs-wrk.sh).
inline constexpr auto kSpinBeforeSleep = std::chrono::microseconds(10);

// Waits with nanosecond precision where the kernel allows (epoll_pwait2, Linux 5.11), because the
// open model's sends are only as punctual as this wait, and milliseconds would bias latencies.
// Polls without sleeping for the first `spin` of the timeout, so deadlines keep their time.
inline int waitForEvents(int epoll, epoll_event* events, int capacity, Clock::duration timeout,
                         Clock::duration spin = Clock::duration::zero())
{
    // Every worker thread reads this; the first to learn the kernel lacks epoll_pwait2 tells the rest.
    static std::atomic<bool> precise{true};
    if (timeout > Clock::duration::zero() && spin > Clock::duration::zero()) {
        const auto spinUntil = Clock::now() + std::min(timeout, spin);
        const timespec zero{0, 0};
        do {
            const int n = precise.load(std::memory_order_relaxed) ? epoll_pwait2(epoll, events, capacity, &zero, nullptr)
                                                                   : epoll_wait(epoll, events, capacity, 0);
            if (n > 0 || (n < 0 && errno != ENOSYS)) {
                return n;
            }
            if (n < 0) {
                precise.store(false, std::memory_order_relaxed);
            }
        } while (Clock::now() < spinUntil);
        timeout -= std::min(timeout, spin);
    }
    const auto ns = std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count());
    if (precise.load(std::memory_order_relaxed)) {
        const timespec spec{time_t(ns / 1'000'000'000), long(ns % 1'000'000'000)};
        const int n = epoll_pwait2(epoll, events, capacity, &spec, nullptr);
        if (n >= 0 || errno != ENOSYS) {
            return n;
        }
        precise.store(false, std::memory_order_relaxed);
    }
    return epoll_wait(epoll, events, capacity, int((ns + 999'999) / 1'000'000));
}

} // namespace benchdeck::engine
