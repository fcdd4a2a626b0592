// SPDX-License-Identifier: Apache-2.0
#pragma once

// Deliberately misbehaving and recording servers for engine and CLI tests. All listen on 127.0.0.1
// only, on ports the kernel picks, and stop with their owner.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace benchdeck::testing {

// A listening socket on 127.0.0.1, on a port the kernel picks (written to *port).
int listenOnLoopback(uint16_t* port, int backlog = 64);
// Waits for a connection for up to 50 ms, so that an accepting loop notices stop requests; -1 if none.
int acceptWithTimeout(int fd);

// Accepts connections on `fd` until `stop`, each served by `serve(client)` on a thread of its own; the
// threads are joined before the returned thread ends.
std::thread serveEachConnection(int fd, const std::atomic<bool>& stop, std::function<void(int client)> serve);

// Reads one request from a blocking socket: headers, then Content-Length bytes of body. False when the
// client closed, or sent nothing for 2 s.
bool readRequest(int fd, std::string* request);

// A port with nothing listening on it: connections are refused.
uint16_t refusedPort();

// Whether something listens on 127.0.0.1:port (a server started as a process is up).
bool portAccepts(uint16_t port);
// Waits, up to `patience`, until something listens there: a server process is slow to start on a busy machine.
bool waitUntilAccepting(uint16_t port, std::chrono::milliseconds patience = std::chrono::seconds(10));

// Accepts connections at the kernel level (listen backlog) and never answers: requests time out.
class SilentServer {
public:
    SilentServer();
    ~SilentServer();
    uint16_t port() const { return port_; }

private:
    int fd_ = -1;
    uint16_t port_ = 0;
};

// Answers nothing: reads the request, then resets the connection (RST via SO_LINGER 0).
class ResettingServer {
public:
    ResettingServer();
    ~ResettingServer();
    uint16_t port() const { return port_; }

private:
    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// Answers every request with `response` (200 "ok" by default), keeps the first request it saw, byte
// for byte, and counts them all.
class RecordingServer {
public:
    // `closeAfterEach`: close the connection after every response without saying so (no
    // "Connection: close"), as HTTP/1.0-style servers do.
    explicit RecordingServer(std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                             bool closeAfterEach = false);
    ~RecordingServer();
    uint16_t port() const { return port_; }
    std::string firstRequest() const;
    uint64_t requestsSeen() const { return seen_.load(); }

private:
    int fd_ = -1;
    uint16_t port_ = 0;
    std::string response_;
    bool closeAfterEach_ = false;
    std::atomic<uint64_t> seen_{0};
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::string first_;
    std::thread thread_;
};

// Misbehaves in one way on every request, for the fault matrix that both request paths must classify
// alike. Each connection is served by a thread of its own, so a stalled one does not hold up others.
enum class Fault {
    Reset,                  // reads the request, then resets the connection (RST)
    CloseAfterResponse,     // a complete answer, then the connection closes unannounced
    ConnectionCloseHeader,  // a complete answer saying "Connection: close", then closes
    BodyUntilClose,         // no Content-Length: the body ends where the connection does
    CloseMidBody,           // announces 100 bytes of body, sends 10, closes
    Stall,                  // reads the request and never answers
    Trickle,                // headers, then one body byte every 50 ms: never done in time
    MalformedStatus,        // "HTTP/1.1 2x0 OK"
    NotHttp,                // bytes that are no HTTP response at all
    HugeHeaders,            // one header line of 256 KiB
    BadChunking,            // chunked encoding with a chunk size that is no hex number
    DuplicateContentLength, // two Content-Length headers that disagree
    LengthAndChunked,       // Content-Length beside Transfer-Encoding: chunked
    InterimResponses,       // 100 Continue and 103 Early Hints before the real 200
    SwitchingProtocols,     // 101 to a request that asked for no upgrade
    RedirectLoop,           // 302 to itself, every time
};

class FaultServer {
public:
    explicit FaultServer(Fault fault);
    ~FaultServer();
    uint16_t port() const { return port_; }
    uint64_t requestsSeen() const { return seen_.load(); }

private:
    void serve(int client);

    Fault fault_;
    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<uint64_t> seen_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace benchdeck::testing
