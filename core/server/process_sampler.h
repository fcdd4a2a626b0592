// SPDX-License-Identifier: Apache-2.0
#pragma once

// The server's side of a run: memory and CPU of a local process tree, read from Linux /proc while
// the load runs, and a server command started for the run and stopped after it. Plain C++, no Qt.

#include "metrics/run_result.h"

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace benchdeck::server {

// Samples a process and all its descendants (found by their parent pid in /proc/*/stat) on a thread
// of its own, every `interval`: resident memory (statm × page size) and CPU time (utime + stime),
// each summed over the tree. CPU is kept as a running total of per-process increases, so a child
// that exits between samples never makes it go backwards; what such a child spent after the last
// sample that saw it is not counted (/proc keeps no record of it).
//
// All figures cover the measured window, from markMeasureStart() (or start()) to finish().
class ProcessSampler {
public:
    explicit ProcessSampler(pid_t root, std::chrono::milliseconds interval = std::chrono::milliseconds(200));
    ~ProcessSampler(); // stops the thread
    ProcessSampler(const ProcessSampler&) = delete;
    ProcessSampler& operator=(const ProcessSampler&) = delete;

    // Takes the first sample and starts the thread; false with a one-line reason when the process
    // does not exist or cannot be read.
    bool start(std::string* error);
    void stop();

    // Measurement begins now (or at `at`, which may be in the past): t = 0 and the CPU baseline.
    void markMeasureStart(std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now());
    // For a run's progress callback: at the first call past warm-up, moves the start (once) to when
    // measurement began, back-dated by how long it has been going. Call markMeasureStart() before
    // the run as well, for runs that end before their first progress report.
    void noteProgress(bool warmingUp, double measuredSeconds);

    // Stops sampling (after one last sample) and summarises the measured window. `finishedRequests`
    // gives CPU per request; `measuredSeconds` is the window's length when the sampler's own clock
    // has none. `source` reads "pid 1234 and 3 children".
    metrics::ServerStats finish(uint64_t finishedRequests, double measuredSeconds);

    pid_t root() const { return root_; }
    // The most processes the tree held at once, beyond the root.
    int maxDescendants() const;

private:
    struct Point {
        std::chrono::steady_clock::time_point at;
        uint64_t rssBytes = 0;
        uint64_t cpuMicros = 0; // running total since start()
        int processes = 0;
    };
    // Reads the tree and appends a point. Called by one thread at a time (start(), then the
    // sampling thread, then finish() after joining it), so the running totals need no lock.
    bool sampleOnce(std::string* error);
    void loop();

    pid_t root_;
    std::chrono::milliseconds interval_;
    long pageSize_;
    long ticksPerSecond_;
    mutable std::mutex mutex_; // guards stopping_, measureStart_ and points_
    std::condition_variable wake_;
    bool stopping_ = false;
    std::optional<std::chrono::steady_clock::time_point> measureStart_;
    std::atomic<bool> progressMarked_{false};
    std::vector<Point> points_;
    // The sampling state, owned by whichever thread samples.
    bool started_ = false;
    bool sampledBefore_ = false;
    bool rootGone_ = false;
    // CPU ticks last seen per process, keyed by (pid, start time) so that a reused pid is a new process.
    std::map<std::pair<pid_t, uint64_t>, uint64_t> lastTicks_;
    uint64_t totalTicks_ = 0;
    std::thread thread_;
};

// Whether `pid` names a live process this user can read in /proc; the reason when not.
std::optional<std::string> checkProcess(pid_t pid);

// A server started for one run: `/bin/sh -c COMMAND` in a process group of its own, stdin from
// /dev/null, stdout and stderr into a log file. Destroying it stops the whole group: SIGTERM, then
// SIGKILL after 3 s.
class LaunchedServer {
public:
    // Starts the command and waits `settle` for it to come up. Null, with a one-line reason (plus
    // the last lines of its log when it exited), when it could not start or exited during the wait.
    // With `readyUrl`, `settle` is the most it waits: it ends as soon as GET readyUrl gets any HTTP
    // answer below 500 (the server is up and routing), and that time is the server's cold start; no
    // answer within `settle` is an error.
    static std::unique_ptr<LaunchedServer> launch(const std::string& command, std::chrono::milliseconds settle,
                                                  std::string* error, const std::string& readyUrl = {});
    ~LaunchedServer();
    LaunchedServer(const LaunchedServer&) = delete;
    LaunchedServer& operator=(const LaunchedServer&) = delete;

    pid_t pid() const { return pid_; } // the shell's pid, which leads the process group
    const std::string& command() const { return command_; }
    const std::string& logPath() const { return logPath_; }
    // From the launch to the first answer to readyUrl; unset when launched without one.
    std::optional<std::chrono::microseconds> coldStart() const { return coldStart_; }

    // Whether the shell has exited; `status` then describes how ("exited with status 3").
    bool hasExited(std::string* status = nullptr);
    // Stops the group (idempotent). True when it went on SIGTERM, false when SIGKILL was needed.
    bool stop();

    // The last `lines` lines of the log, for error messages.
    std::string logTail(int lines = 10) const;

private:
    LaunchedServer() = default;

    pid_t pid_ = -1;
    bool reaped_ = false;
    int waitStatus_ = 0;
    std::string command_;
    std::string logPath_;
    std::optional<std::chrono::microseconds> coldStart_;
};

} // namespace benchdeck::server
