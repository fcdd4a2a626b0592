// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "handshake_gate.h"
#include "scenario_runner.h"
#include "run_shared.h"
#include "tls_client.h"
#include "worker_recorder.h"
#include "worker_schedule.h"

#include <http_parser.h>

#include <memory>
#include <vector>

namespace benchdeck::engine {

// The fast path for the common case: HTTP/1.1 over http:// or https://, keep-alive. One epoll loop
// per thread, the request serialised once for the whole run, responses framed by Node's http-parser,
// TLS by OpenSSL on the same non-blocking sockets, and nothing allocated per request. Profiling
// libcurl 7.88 showed its per-request connection-cache walk and extra liveness polls cost about twice
// wrk's CPU; this path does what wrk does instead.
class Http1Worker {
public:
    Http1Worker(RunShared& shared, SliceExchange& exchange, int connections, int workerIndex);
    ~Http1Worker();
    Http1Worker(const Http1Worker&) = delete;
    Http1Worker& operator=(const Http1Worker&) = delete;

    void run();

private:
    // Thinking: a scenario user pausing between steps (its connection, if open, stays open).
    enum class State { Closed, Backoff, Connecting, Handshaking, Sending, Receiving, Idle, Thinking };
    struct Connection {
        int fd = -1;
        State state = State::Closed;
        http_parser parser{};
        size_t sent = 0;
        uint64_t bytes = 0;
        int status = 0;
        bool complete = false;
        bool keepAlive = true;
        bool writeInterest = false;
        bool skipBody = false;
        bool reused = false; // the request went out on a kept-alive connection
        int consecutiveConnectFailures = 0;
        Clock::time_point requestStart;
        Clock::time_point connectStart;
        Clock::time_point firstByte;
        Clock::time_point retryAt;
        Clock::time_point freeSince; // open model: when it last became free for the schedule
        int globalIndex = 0;         // closed ramps: user number across all workers
        // https: the TLS session of this connection, and the newest ticket to resume the next one with.
        SslPtr ssl;
        SslSessionPtr session;
        int64_t tcpConnectMicros = 0;
        Clock::time_point handshakeStart;
        bool hasHandshakeTurn = false; // counted by handshakes_ until its handshake ends
        ScenarioUser* user = nullptr;  // scenario runs: the user this connection carries
    };

    static int onHeadersComplete(http_parser* parser);
    static int onHeaderField(http_parser* parser, const char* at, size_t length);
    static int onHeaderValue(http_parser* parser, const char* at, size_t length);
    static int onBody(http_parser* parser, const char* at, size_t length);
    static int onMessageComplete(http_parser* parser);

    // `intended`: the open model's scheduled send time; min() for the closed model's "now".
    void startRequest(Connection& c, Clock::time_point now, Clock::time_point intended = Clock::time_point::min());
    // The request goes out (or its connection is opened first); its latency counts from `start`.
    void send(Connection& c, Clock::time_point now, Clock::time_point start);
    // Scenario runs: the user's next step, starting an iteration first when it has none. False when
    // there is nothing to send now: no iteration may start, or the step could not be rendered.
    bool prepareScenarioStep(Connection& c, Clock::time_point now, Clock::time_point start);
    // Scenario runs: after an answer or a failure, what the user does next.
    void afterScenarioStep(Connection& c, Clock::time_point now, std::chrono::microseconds think);
    const std::string& requestOf(const Connection& c) const { return c.user ? c.user->request : shared_.requestBytes; }
    void connect(Connection& c, Clock::time_point now);
    void onConnectReady(Connection& c);
    void startHandshake(Connection& c, Clock::time_point now);
    void continueHandshake(Connection& c);
    void handshakeEnded(Connection& c);
    // send()/recv() on the connection, through TLS on https; `*detail` says why when they fail.
    ssize_t sendSome(Connection& c, const char* data, size_t size, const char** detail);
    ssize_t receiveSome(Connection& c, const char** detail);
    // One read and what it completes; true when TLS holds more decrypted bytes to read at once.
    bool readAndParse(Connection& c);
    void sendPending(Connection& c);
    void onReadable(Connection& c);
    void finishResponse(Connection& c, Clock::time_point now);
    // `what` names the step that failed and `detail` why (static text or nullptr), for the run's first
    // message of this kind.
    void fail(Connection& c, Clock::time_point now, metrics::ErrorKind kind, const char* what,
              const char* detail = nullptr);
    // A kept-alive connection the server had already closed: the request goes again on a new one.
    bool retryOnFreshConnection(Connection& c, Clock::time_point now);
    void close(Connection& c);
    void setWriteInterest(Connection& c, bool wanted);
    void checkDeadlines(Clock::time_point now);
    // Open model: sends every request that is due while a connection is free.
    void dispatchDue(Clock::time_point now);
    void release(Connection& c, Clock::time_point now);
    size_t indexOf(const Connection& c) const { return size_t(&c - connections_.data()); }

    RunShared& shared_;
    WorkerRecorder recorder_;
    std::vector<Connection> connections_;
    std::vector<char> readBuffer_;
    http_parser_settings settings_{};
    int epoll_ = -1;
    int inFlight_ = 0;
    bool headRequests_ = false;
    const TlsClientContext* tls_ = nullptr;
    std::vector<Connection*> free_; // open model: connections waiting for the schedule
    WorkerSchedule schedule_;
    HandshakeGate<Connection> handshakes_; // https: at most 64 handshakes at once, the rest queued
    std::unique_ptr<ScenarioRunner> scenario_; // scenario runs only
    int activeIterations_ = 0;                 // scenario runs: users inside an iteration
};

} // namespace benchdeck::engine
