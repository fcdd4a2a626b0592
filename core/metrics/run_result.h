// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics_slice.h"
#include "run_summary.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace benchdeck::metrics {

// One point of a run's time series: the interval that ended `t` seconds after measurement began.
struct IntervalRecord {
    double t = 0;
    double seconds = 0; // length of the interval (the last one may be shorter)
    uint64_t requests = 0;
    uint64_t errors = 0;
    uint64_t bytesReceived = 0;
    int64_t p50 = 0; // microseconds
    int64_t p90 = 0;
    int64_t p99 = 0;
    int64_t max = 0;
    double meanMicros = 0;
    double cpuPercent = 0; // the generator's mean busy share per worker thread

    double rps() const { return seconds > 0 ? double(requests) / seconds : 0.0; }
};

IntervalRecord summarizeInterval(const MetricsSlice& slice, double t, double seconds, double cpuPercent);

// Whether the load generator, not the server, may have been the limit.
struct GeneratorStats {
    std::vector<double> workerCpuPercent;
    double cpuPercent = 0; // mean over workers
    bool saturated = false;
    std::string advice;
};

// The server's own resources while it was loaded (a local process and its children), when known.
struct ServerSample {
    double t = 0; // seconds since measurement began
    uint64_t rssBytes = 0;
    uint64_t cpuMicros = 0; // cumulative CPU time of the process tree since the run began
};
struct ServerStats {
    bool measured = false;
    std::string source; // "pid 1234" or the launch command
    double peakRssMb = 0;
    double meanRssMb = 0;
    double cpuPercent = 0;          // of one core, averaged over the measured window
    double cpuMicrosPerRequest = 0; // server CPU time per finished request
    double coldStartMs = 0;         // launched servers: from the launch to the first answer; 0 = not measured
    double artifactMb = 0;          // size of the files the server is deployed as; 0 = not measured
    std::vector<ServerSample> samples;

    // The server's CPU use between consecutive samples, in percent of one core, at each sample's time
    // (samples carry the CPU time used since the run began).
    std::vector<std::pair<double, double>> cpuPercentOverTime() const;
};

// The open model's schedule: how many sends left later than intended, and by how much.
struct ScheduleStats {
    bool openModel = false;
    double targetRate = 0; // requests per second asked for (the mean over ramp stages)
    double achievedRate = 0;
    uint64_t lateSends = 0; // sent more than 1 ms after their intended time
    double meanLateMs = 0;
    double maxLateMs = 0;
};

// DataExhausted: a unique data feeder handed out its last row (scenario runs).
enum class StopReason { Completed, RequestCountReached, UserStopped, StartFailed, DataExhausted };

// A scenario step as the run's results name it; stepLabels[i] names total.scenario->steps[i].
struct StepLabel {
    std::string scenario;
    std::string step;
};

struct RunResult {
    MetricsSlice total;
    // The figures everyone shows: set by finalize() when the run ends or is read back, then only read.
    RunSummary summary;
    std::vector<IntervalRecord> series;
    GeneratorStats generator;
    ServerStats server;
    ScheduleStats schedule;
    double durationSeconds = 0; // measured window only, warm-up excluded
    std::chrono::system_clock::time_point startedAt;
    std::chrono::system_clock::time_point finishedAt;
    StopReason stopReason = StopReason::Completed;
    std::string engineName;  // which request path ran: "http1-fast" or "libcurl"
    std::string startError;  // set when the run could not start at all
    std::string stopMessage; // why it ended early when that is not obvious: "feeder \"users\" ran out..."
    std::vector<StepLabel> stepLabels; // scenario runs: the steps, in program order
    int threads = 0;
    int connections = 0;

    // Computes `summary` from the counters and histograms above; call once they are complete.
    // `stored` is the status a session file recorded (interrupted, running), which the counters cannot know.
    void finalize(std::optional<RunStatus> stored = std::nullopt);
    // The scenario part of `s`, from total.scenario and stepLabels; nothing for single-URL runs.
    void summarizeScenario(RunSummary& s) const;

    double rps() const { return durationSeconds > 0 ? double(total.requests) / durationSeconds : 0.0; }
    double errorPercent() const
    {
        return total.requests ? 100.0 * double(total.errors) / double(total.requests) : 0.0;
    }
    // No answer of any kind came back: the target is unreachable, or never answered within the run.
    bool targetUnreachable() const { return total.responses() == 0; }
    // Why no answer came: the start error, the most frequent transport failure, or silence.
    std::string unreachableReason() const;
};

} // namespace benchdeck::metrics
