// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace benchdeck::target {

struct PauseSpec {
    std::chrono::microseconds after{0};
    std::chrono::microseconds duration{0};
};

// Behaviour of the calibration target. Every knob is deterministic enough that a load test against it has a
// known expected outcome, which is what makes it useful for tests, the demo and sanity-checking a setup.
struct TargetOptions {
    std::string bindAddress = "127.0.0.1";
    uint16_t port = 0; // 0 = ephemeral, read back with port()
    int threads = 1;
    std::chrono::microseconds delay{0};  // every response is held this long
    std::chrono::microseconds jitter{0}; // uniform extra delay in [-jitter, +jitter], result clamped at 0
    int status = 200;                    // status of normal responses
    double errorRate = 0.0;              // fraction [0,1] answered 500 instead
    std::optional<size_t> bodySize;      // body of N bytes ('x'...); default body is {"message":"Hello, World!"}
    uint64_t closeEvery = 0; // every Nth response (per server, across threads) carries Connection: close, then closes
    uint64_t stallEvery = 0; // one response in N is held an extra stallFor
    std::chrono::microseconds stallFor{0};
    // Once, `after` the server started, the whole server stops answering for `duration` (like a GC pause):
    // responses due during the pause and requests arriving during it are answered only when it ends.
    std::optional<PauseSpec> pause;
    // PEM files; with both set the server speaks https, so the engine's TLS path can be calibrated like plain http.
    std::string tlsCertFile;
    std::string tlsKeyFile;
};

// A small epoll HTTP/1.1 server, one event loop thread per `threads`, each with its own SO_REUSEPORT listener.
// Delays never block a loop: held responses sit in a per-thread timer heap, and a connection with a held
// response is not read from until it is answered, so responses always come back in request order.
class TargetServer {
public:
    explicit TargetServer(TargetOptions options);
    ~TargetServer(); // stops and joins
    TargetServer(const TargetServer&) = delete;
    TargetServer& operator=(const TargetServer&) = delete;

    // Binds, listens and spawns the threads; false with a one-line reason (e.g. "port 8080 is already in use").
    // May be called again after stop(). Not to be called concurrently with requestsServed().
    bool start(std::string* error);
    // Idempotent; closes all sockets and joins the threads.
    void stop();

    uint16_t port() const;            // the bound port once started (the ephemeral one when options().port == 0)
    uint64_t requestsServed() const;  // responses fully written, cumulative across restarts (relaxed reads)
    // TLS handshakes completed since the last start(), and how many of them resumed a session.
    struct TlsCounts {
        uint64_t completed = 0;
        uint64_t resumed = 0;
    };
    TlsCounts tlsHandshakes() const;
    const TargetOptions& options() const;
    bool isRunning() const;

private:
    struct Impl;
    TargetOptions options_;
    std::unique_ptr<Impl> impl_;
};

// One line for banners, like "delay 20ms, jitter 0, status 200, error-rate 0%, body json, close-every off, ...".
std::string describe(const TargetOptions&);

} // namespace benchdeck::target
