// SPDX-License-Identifier: Apache-2.0
#include "metrics_slice.h"

#include <algorithm>

namespace benchdeck::metrics {

void MetricsSlice::merge(const MetricsSlice& other) noexcept
{
    latency.merge(other.latency);
    connect.merge(other.connect);
    tls.merge(other.tls);
    ttfb.merge(other.ttfb);
    requests += other.requests;
    errors += other.errors;
    bytesReceived += other.bytesReceived;
    bytesSent += other.bytesSent;
    connectionsOpened += other.connectionsOpened;
    warmupRequests += other.warmupRequests;
    unansweredAtEnd += other.unansweredAtEnd;
    cpuMicros += other.cpuMicros;
    waitMicros += other.waitMicros;
    scheduledSends += other.scheduledSends;
    lateSends += other.lateSends;
    loopLateSends += other.loopLateSends;
    boundLateSends += other.boundLateSends;
    lateMicrosSum += other.lateMicrosSum;
    maxLateMicros = std::max(maxLateMicros, other.maxLateMicros);
    inFlight += other.inFlight;
    for (size_t i = 0; i < statusCounts.size(); ++i) {
        statusCounts[i] += other.statusCounts[i];
    }
    for (size_t i = 0; i < errorKinds.size(); ++i) {
        errorKinds[i] += other.errorKinds[i];
    }
}

void MetricsSlice::reset() noexcept
{
    latency.reset();
    connect.reset();
    tls.reset();
    ttfb.reset();
    requests = errors = bytesReceived = bytesSent = connectionsOpened = warmupRequests = cpuMicros = waitMicros = unansweredAtEnd = 0;
    scheduledSends = lateSends = loopLateSends = boundLateSends = lateMicrosSum = 0;
    maxLateMicros = 0;
    inFlight = 0;
    statusCounts.fill(0);
    errorKinds.fill(0);
}

uint64_t MetricsSlice::transportErrors() const noexcept
{
    uint64_t n = 0;
    for (size_t i = 0; i < kErrorKindCount; ++i) {
        if (isTransportError(errorKindAt(i))) {
            n += errorKinds[i];
        }
    }
    return n;
}

} // namespace benchdeck::metrics
