// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace benchdeck::engine {

using Micros = std::chrono::microseconds;

enum class HttpVersion { Http1, Http2 };

// Which request path drives the run. Auto picks Benchdeck's own paths (HTTP/1.1, or HTTP/2 on
// nghttp2; both over http:// or https://) and libcurl for what they do not do (redirects).
enum class EngineKind { Auto, FastHttp1, FastHttp2, Curl };

// One step of a ramp: over `duration`, move linearly from the previous level to `target`
// (users in the closed model, requests per second in the open one).
struct Stage {
    Micros duration{0};
    double target = 0;
};

// What a plan may ask for: past these, a number is a typo or a hostile file, not a load test.
inline constexpr double kMinRate = 0.01;        // requests per second (one request every 100 s)
inline constexpr double kMaxLevel = 10'000'000; // requests per second, or users, in a rate or stage
inline constexpr int kMaxConnections = 1'000'000;
inline constexpr int kMaxStreams = 1000; // HTTP/2 streams per connection; servers allow 100 to 1000
inline constexpr int kMaxThreads = 1024;
inline constexpr uint64_t kMaxRequests = 1'000'000'000'000;
inline constexpr size_t kMaxStages = 1000;
inline constexpr size_t kMaxThresholds = 64;
inline constexpr Micros kMaxDuration = std::chrono::hours(24 * 7);
inline constexpr size_t kMaxBodyBytes = 64u << 20; // 64 MiB: a request body is held in memory once per run

struct ScenarioPlan; // scenario_plan.h

struct Header {
    std::string name;
    std::string value;
    bool withheld = false; // read back from a file that kept this credential's value out: not replayable
};

// A closed-model load plan: `connections` users, each with one request in flight, for `duration` or
// until `requests` have been sent, whichever comes first.
struct RunConfig {
    std::string url;
    std::string method = "GET";
    std::vector<Header> headers;
    std::string body;
    HttpVersion httpVersion = HttpVersion::Http1;
    bool insecure = false;
    std::string caCertFile;    // PEM CA certificates trusted besides the system's (curl's --cacert)
    bool followRedirects = false;
    int maxRedirects = 10;     // with followRedirects: more than this many in a row is an error

    int connections = 10;       // closed model: users (x streams); open model: the bound on requests in flight (x streams)
    int streams = 1;            // HTTP/2: concurrent streams per connection, each one user; 1 compares like with like
    double rate = 0;            // > 0: open model, requests per second on a fixed schedule
    bool openModel = false;     // with stages: their levels are rates, not users
    std::vector<Stage> stages;  // ramps; their total replaces `duration`
    int threads = 0;            // 0: one per core
    Micros duration{0};         // 0: no time limit (then `requests` must be set)
    uint64_t requests = 0;      // 0: no count limit
    Micros warmup{0};           // measured nothing during this; not counted against `requests`
    Micros requestTimeout = std::chrono::seconds(30);
    Micros connectTimeout = std::chrono::seconds(10);
    EngineKind engine = EngineKind::Auto;
    std::string label;
    // Pass/fail criteria judged once the run has ended ("p99<50ms", report/thresholds.h). The engine
    // never reads them; they travel with the plan so every view judges a run by what it was run with.
    std::vector<std::string> thresholds;
    // A scenario run: its steps replace url/method/headers/body (docs/scenarios.md); `url` then names
    // the server the scenario talks to (ScenarioPlan::origin), and -H headers go with every step.
    std::shared_ptr<const ScenarioPlan> scenario;

    // How often workers hand their measurements to the aggregator: the live view's refresh rate.
    std::chrono::milliseconds tick{250};
};

// The first reason this plan cannot run, for a one-line message; nothing when it can.
std::optional<std::string> validate(const RunConfig& config);
std::optional<std::string> validateHeader(const Header& header);
std::optional<Header> parseHeaderLine(const std::string& line, std::string* error);
int effectiveThreads(const RunConfig& config);
// Requests in flight at most: connections, times streams on HTTP/2.
int concurrency(const RunConfig& config);
// Whether this libcurl can run HTTP/2 over plain http (h2c) on kept-alive connections.
bool libcurlReusesH2cConnections();

std::string_view engineKindName(EngineKind kind);

// "10s:100,30s:1000,10s:0": durations with the level to reach by their end.
std::optional<std::vector<Stage>> parseStages(std::string_view text, std::string* error);
// The measured length of the plan: the stages' total when there are stages.
std::string formatStages(const std::vector<Stage>& stages);
Micros plannedDuration(const RunConfig& config);
bool isOpenModel(const RunConfig& config);

} // namespace benchdeck::engine
