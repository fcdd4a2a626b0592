// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "handshake_gate.h"
#include "pool_allocator.h"
#include "run_shared.h"
#include "tls_client.h"
#include "worker_recorder.h"
#include "worker_schedule.h"

#include <nghttp2/nghttp2.h>

#include <memory>
#include <string>
#include <vector>

namespace benchdeck::engine {

// HTTP/2 on libnghttp2, over https:// (ALPN "h2") or http:// (h2c with prior knowledge): the sibling
// of Http1Worker, with its loop, load models, deadlines and recording. Each connection carries up to
// `streams` requests at once, and each of those stream slots is one user of the closed model, or one
// place where a request of the open model's schedule can go. nghttp2 only frames and parses; sockets,
// TLS and timing stay here, and nghttp2's allocations go through a per-thread pool, so a run in
// steady state allocates nothing per request.
class Http2Worker {
public:
    Http2Worker(RunShared& shared, SliceExchange& exchange, int connections, int workerIndex);
    ~Http2Worker();
    Http2Worker(const Http2Worker&) = delete;
    Http2Worker& operator=(const Http2Worker&) = delete;

    void run();

private:
    // Open: a session exists (TCP, and TLS on https, are up).
    enum class State { Closed, Backoff, Connecting, Handshaking, Open };
    // Free: no request (parked by a ramp, or in the open model's pool). Waiting: started, and waiting
    // for its connection to take a stream (connecting, or draining after a GOAWAY). Active: a stream.
    enum class SlotState { Free, Waiting, Active };

    struct Connection;
    struct Slot {
        Connection* connection = nullptr;
        SlotState state = SlotState::Free;
        int32_t streamId = 0;
        Clock::time_point start; // of the first attempt: a retry's latency includes the one that failed
        Clock::time_point firstByte;
        int status = 0;
        uint64_t bytes = 0; // DATA payload and decoded header fields
        size_t bodyOffset = 0;
        bool retried = false;
        bool timedOut = false; // its timeout is recorded; the stream's close must record nothing more
        bool onWire = false;   // its HEADERS frame went out, and the stream has not closed yet
        bool pooled = false;   // open model: in free_
        const char* protocolError = nullptr; // static text: why nghttp2 refused the response
        int globalIndex = 0;                 // closed ramps: user number across all workers
        Clock::time_point freeSince;         // open model: when it last became free for the schedule
    };

    struct SessionDelete {
        void operator()(nghttp2_session* session) const noexcept { nghttp2_session_del(session); }
    };
    struct CallbacksDelete {
        void operator()(nghttp2_session_callbacks* callbacks) const noexcept
        {
            nghttp2_session_callbacks_del(callbacks);
        }
    };
    struct OptionDelete {
        void operator()(nghttp2_option* option) const noexcept { nghttp2_option_del(option); }
    };

    struct Connection {
        Http2Worker* worker = nullptr; // for nghttp2's callbacks, whose user data is the connection
        int fd = -1;
        State state = State::Closed;
        std::unique_ptr<nghttp2_session, SessionDelete> session;
        std::vector<Slot> slots; // sized once: nghttp2 holds pointers to them as stream user data
        // What nghttp2 produced and the socket has not taken yet; reserved once, cleared, never shrunk.
        std::vector<char> output;
        size_t outputSent = 0;
        int active = 0;        // slots with a stream on this session
        int onWire = 0;        // of those, the ones whose request went out and whose answer has not ended
        bool held = false;     // its new requests wait for the rest of a burst of answers (holdsRequests)
        Clock::time_point heldSince;
        Clock::time_point readAt; // when bytes last arrived
        bool draining = false; // GOAWAY received or stream IDs spent: no new stream; reconnect once idle
        bool served = false;   // a response came back on this connection
        bool writeInterest = false;
        bool readWantsWrite = false; // a TLS read waits for writability (a key update's answer)
        bool flushQueued = false;
        bool readAgain = false; // OpenSSL holds bytes to read in the next loop turn
        const char* protocolError = nullptr; // static text: the last error nghttp2 found in the server's frames
        int consecutiveFailures = 0;         // connects, handshakes and sessions since the last response
        Clock::time_point connectStart;
        Clock::time_point handshakeStart;
        bool hasHandshakeTurn = false; // counted by handshakes_ until its handshake ends
        Clock::time_point retryAt;
        int64_t tcpConnectMicros = 0;
        // https: the TLS session, and the newest ticket to resume the next connection with.
        SslPtr ssl;
        SslSessionPtr tlsSession;
    };

    // nghttp2's callbacks; the session's user data is the Connection, a stream's is its Slot.
    static int onHeader(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name, size_t nameLength,
                        const uint8_t* value, size_t valueLength, uint8_t flags, void* userData);
    static int onDataChunk(nghttp2_session* session, uint8_t flags, int32_t streamId, const uint8_t* data,
                           size_t length, void* userData);
    static int onFrameReceived(nghttp2_session* session, const nghttp2_frame* frame, void* userData);
    static int onFrameSent(nghttp2_session* session, const nghttp2_frame* frame, void* userData);
    static int onInvalidFrame(nghttp2_session* session, const nghttp2_frame* frame, int libError, void* userData);
    static int onSessionError(nghttp2_session* session, int libError, const char* message, size_t length,
                              void* userData);
    static int onStreamClose(nghttp2_session* session, int32_t streamId, uint32_t errorCode, void* userData);
    static ssize_t readBody(nghttp2_session* session, int32_t streamId, uint8_t* buffer, size_t length,
                            uint32_t* dataFlags, nghttp2_data_source* source, void* userData);
    static Slot* slotOf(nghttp2_session* session, int32_t streamId);
    static bool hasWaiting(const Connection& c);

    void buildRequestHeaders();
    // `intended`: the open model's scheduled send time; min() for the closed model's "now".
    void startRequest(Slot& s, Clock::time_point now, Clock::time_point intended = Clock::time_point::min());
    static void resetAttempt(Slot& s);
    // Puts a Waiting slot on the connection's session when it can take a new stream.
    void trySubmit(Connection& c, Slot& s);
    void connect(Connection& c, Clock::time_point now);
    void onConnectReady(Connection& c);
    void startHandshake(Connection& c, Clock::time_point now);
    void continueHandshake(Connection& c);
    void handshakeEnded(Connection& c);
    void openSession(Connection& c, Clock::time_point now);
    // send()/recv() on the connection, through TLS on https; `*detail` says why when they fail.
    ssize_t sendSome(Connection& c, const char* data, size_t size, const char** detail);
    ssize_t receiveSome(Connection& c, const char** detail);
    void onReadable(Connection& c);
    void readBuffered();
    // Writes what nghttp2 has to send until it has nothing more or the socket is full.
    void flush(Connection& c);
    void queueFlush(Connection& c);
    // Whether the connection's new requests wait for more answers still arriving; when until, if so.
    bool holdsRequests(Connection& c, Clock::time_point now, Clock::time_point* until) const;
    void flushQueued();
    // After the session had its say: closes a drained or ended session, reconnecting for waiting slots.
    void settle(Connection& c, Clock::time_point now);
    void streamClosed(Connection& c, Slot& s, uint32_t errorCode);
    void recordFailure(Slot& s, Clock::time_point now, metrics::ErrorKind kind, const char* what,
                       const char* detail = nullptr);
    void nextRequest(Slot& s, Clock::time_point now);
    // The connection is gone: each of its streams fails once (or goes again once, see the .cpp), and
    // `backoff` (always after a failed connect) delays the next connection.
    void dropConnection(Connection& c, Clock::time_point now, metrics::ErrorKind kind, const char* what,
                        const char* detail, bool backoff);
    void restartFreeSlots(Connection& c, Clock::time_point now);
    void close(Connection& c);
    void setWriteInterest(Connection& c, bool wanted);
    void checkDeadlines(Clock::time_point now);
    void checkStreams(Connection& c, Clock::time_point now);
    // Open model: sends every request that is due while a slot is free.
    void dispatchDue(Clock::time_point now);
    void release(Slot& s, Clock::time_point now);
    size_t indexOf(const Connection& c) const { return size_t(&c - connections_.data()); }

    RunShared& shared_;
    WorkerRecorder recorder_;
    // Before connections_, so that it is destroyed after every session that allocates from it.
    PoolAllocator pool_;
    std::unique_ptr<nghttp2_session_callbacks, CallbacksDelete> callbacks_;
    std::unique_ptr<nghttp2_option, OptionDelete> option_;
    std::vector<std::string> headerText_; // names and values, in pairs, that headers_ points into
    std::vector<nghttp2_nv> headers_;     // the request's header list, built once for the run
    std::vector<Connection> connections_;
    std::vector<char> readBuffer_;
    std::vector<Connection*> toFlush_; // connections with frames to send, written once per loop turn
    std::vector<Connection*> held_;    // flushQueued's scratch: the ones that wait for more answers
    Clock::time_point holdEnds_ = Clock::time_point::max(); // when the first held connection must write
    std::vector<Connection*> readAgain_; // connections whose reads hit the per-event bound with bytes left
    int epoll_ = -1;
    int inFlight_ = 0;
    const TlsClientContext* tls_ = nullptr;
    size_t streams_ = 1;
    std::vector<Slot*> free_;    // open model: slots waiting for the schedule
    WorkerSchedule schedule_;
    HandshakeGate<Connection> handshakes_; // https: at most 64 handshakes at once, the rest queued
    Clock::time_point now_; // when the bytes nghttp2 is working through arrived (or left)
};

} // namespace benchdeck::engine
