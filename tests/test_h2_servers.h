// SPDX-License-Identifier: Apache-2.0
#pragma once

// An HTTP/2 server on libnghttp2 for the engine's HTTP/2 path: answers every request with 200 "ok" and,
// on request, resets streams or ends connections with GOAWAY. Listens on 127.0.0.1 only, on a port the
// kernel picks, serves each connection on a thread of its own, and stops with its owner.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

struct ssl_ctx_st; // OpenSSL's SSL_CTX, kept out of this header

namespace benchdeck::testing {

struct H2ServerOptions {
    // Every Nth request (server-wide count of completed requests, 1-based) gets RST_STREAM(INTERNAL_ERROR)
    // instead of a response.
    uint64_t resetEvery = 0;
    // After this many responses on one connection: GOAWAY(NO_ERROR, the last stream id processed when the
    // last of them was submitted), sent once those responses are on the wire. Streams above that id are
    // never answered; the rest are, and the connection closes when the session has nothing left to do.
    uint64_t goawayAfter = 0;
    // The first request on each connection (stream 1) is never answered: a stalled stream beside
    // working ones.
    bool stallFirstStream = false;
    // Both set: TLS with ALPN "h2" (the handshake completes without ALPN if the client does not offer
    // "h2", and the connection is then dropped). Empty: h2c with prior knowledge.
    std::string certFile, keyFile;
};

class H2Server {
public:
    // Throws std::runtime_error if the certificate or key cannot be loaded.
    explicit H2Server(H2ServerOptions options = {});
    ~H2Server();
    H2Server(const H2Server&) = delete;
    H2Server& operator=(const H2Server&) = delete;

    uint16_t port() const { return port_; }
    // Request streams started (HEADERS received), except those opened above a pending GOAWAY's last id.
    uint64_t streamsSeen() const { return streamsSeen_.load(); }
    uint64_t responses() const { return responses_.load(); }     // 200 responses submitted
    uint64_t resets() const { return resets_.load(); }           // RST_STREAMs sent by resetEvery
    uint64_t goaways() const { return goaways_.load(); }         // GOAWAYs sent by goawayAfter
    uint64_t connections() const { return accepted_.load(); }    // connections accepted

private:
    struct Connection;
    struct TlsContextDelete {
        void operator()(ssl_ctx_st* context) const;
    };

    void serve(int client);

    H2ServerOptions options_;
    std::unique_ptr<ssl_ctx_st, TlsContextDelete> tls_;
    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<uint64_t> streamsSeen_{0};
    std::atomic<uint64_t> requestsEnded_{0}; // what resetEvery counts
    std::atomic<uint64_t> responses_{0};
    std::atomic<uint64_t> resets_{0};
    std::atomic<uint64_t> goaways_{0};
    std::atomic<uint64_t> accepted_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_; // accepts, and joins the connection threads before it ends
};

} // namespace benchdeck::testing
