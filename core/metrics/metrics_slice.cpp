// SPDX-License-Identifier: Apache-2.0
#include "metrics_slice.h"

#include <algorithm>
#include <cstdio>

namespace benchdeck::metrics {

void MetricsSlice::merge(const MetricsSlice& other)
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
        if (firstErrorMessages[i][0] == '\0') { // the earlier slice's words stay
            firstErrorMessages[i] = other.firstErrorMessages[i];
        }
    }
    if (other.scenario) {
        if (!scenario) {
            scenario.emplace(other.scenario->steps.size());
        }
        scenario->merge(*other.scenario);
    }
}

void MetricsSlice::describeFailure(std::array<char, kMessageBytes>& into, const char* what, const char* detail) noexcept
{
    std::snprintf(into.data(), into.size(), "%s%s%s", what ? what : "", what && detail ? ": " : "", detail ? detail : "");
}

void MetricsSlice::setFirstErrorMessage(ErrorKind kind, std::string_view text) noexcept
{
    auto& message = firstErrorMessages[size_t(kind)];
    const size_t length = std::min(text.size(), message.size() - 1);
    std::copy_n(text.data(), length, message.data());
    message[length] = '\0';
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
    for (auto& message : firstErrorMessages) {
        message[0] = '\0';
    }
    if (scenario) {
        scenario->reset(); // kept, sized: a worker's slice must not allocate on its next tick
    }
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
