// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "error_kind.h"
#include "latency_histogram.h"
#include "scenario_metrics.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace benchdeck::metrics {

// Everything one worker measures over one slice of time. Workers fill one while the aggregator
// merges another, so the hot path writes plain memory that no other thread touches at that moment.
struct MetricsSlice {
    static constexpr int kMaxStatus = 600;

    LatencyHistogram latency; // request start (intended, in the open model) to last byte
    LatencyHistogram connect; // TCP connect, per new connection
    LatencyHistogram tls;     // TLS handshake, per new TLS connection
    LatencyHistogram ttfb;    // request sent to first response byte

    uint64_t requests = 0;      // finished attempts: responses of any status plus transport failures
    uint64_t errors = 0;        // transport failures plus 4xx/5xx responses
    uint64_t bytesReceived = 0; // response bytes, headers included
    uint64_t bytesSent = 0;
    uint64_t connectionsOpened = 0;
    uint64_t warmupRequests = 0; // finished during warm-up; never part of the results
    uint64_t unansweredAtEnd = 0; // still waiting for an answer when the run ended: neither a response nor an error
    // Requests waiting for an answer when the workers handed this tick over: a gauge, meaningful in
    // one tick's slice only (summed over workers there); the aggregator clears it before going on.
    int64_t inFlight = 0;
    uint64_t cpuMicros = 0;      // the worker thread's own CPU time in this slice
    uint64_t waitMicros = 0;     // ...and its time runnable but waiting for a CPU (another process had it)
    // The open model's schedule, for measured sends: how many, how many late, and by how much.
    uint64_t scheduledSends = 0;
    uint64_t lateSends = 0;     // more than 1 ms after the intended time
    uint64_t loopLateSends = 0; // ...although a connection was free: the generator itself was late
    uint64_t boundLateSends = 0; // ...because every connection was busy: the in-flight bound was the limit
    uint64_t lateMicrosSum = 0;
    int64_t maxLateMicros = 0;
    std::array<uint64_t, kMaxStatus> statusCounts{};
    std::array<uint64_t, kErrorKindCount> errorKinds{};
    // Per kind, the first failure's own words ("connect(): Connection refused", libcurl's message),
    // NUL-terminated and cut to fit; empty while there was none. Written in place: no allocation.
    static constexpr size_t kMessageBytes = 120;
    std::array<std::array<char, kMessageBytes>, kErrorKindCount> firstErrorMessages{};
    // Scenario runs only: per step and per iteration. Workers' slices are given theirs before the run
    // (sized to the program's steps) so that recording never allocates.
    std::optional<ScenarioSlice> scenario;

    void recordResponse(int status, int64_t latencyMicros) noexcept
    {
        ++requests;
        latency.record(latencyMicros);
        statusCounts[size_t(status >= 0 && status < kMaxStatus ? status : 0)] += 1;
        if (status >= 500) {
            recordErrorKind(ErrorKind::Http5xx);
        } else if (status >= 400) {
            recordErrorKind(ErrorKind::Http4xx);
        }
    }
    // `what` says where it failed ("connect()", "recv()"), `detail` why (strerror, libcurl's text);
    // kept only for the first failure of its kind in this slice.
    void recordFailure(ErrorKind kind, const char* what = nullptr, const char* detail = nullptr) noexcept
    {
        ++requests;
        recordErrorKind(kind);
        auto& message = firstErrorMessages[size_t(kind)];
        if (message[0] == '\0' && (what || detail)) {
            describeFailure(message, what, detail);
        }
    }
    std::string_view firstErrorMessage(ErrorKind kind) const noexcept { return firstErrorMessages[size_t(kind)].data(); }
    void setFirstErrorMessage(ErrorKind kind, std::string_view text) noexcept;

    void merge(const MetricsSlice& other); // allocates only when this slice has fewer steps than `other`
    void reset() noexcept;
    uint64_t responses() const noexcept { return latency.count(); }
    uint64_t transportErrors() const noexcept;

private:
    static void describeFailure(std::array<char, kMessageBytes>& into, const char* what, const char* detail) noexcept;
    void recordErrorKind(ErrorKind kind) noexcept
    {
        ++errors;
        ++errorKinds[size_t(kind)];
    }
};

} // namespace benchdeck::metrics
