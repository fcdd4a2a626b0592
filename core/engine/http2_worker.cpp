// SPDX-License-Identifier: Apache-2.0
// HTTP/2 on nghttp2: the request's header list built once, sessions fed from non-blocking sockets
// (TLS or h2c), streams as users, and every stream's outcome recorded exactly once.
#include "http2_worker.h"

#include "connection_support.h"
#include "load_shape.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <string_view>

namespace benchdeck::engine {
namespace {

using metrics::ErrorKind;

constexpr size_t kReadBufferSize = 64 * 1024;
// nghttp2 hands out its output one frame chunk (at most ~16 KiB) at a time; gathering up to a batch
// before writing keeps the syscalls per request low. Small requests fit the 4 KiB reserved per
// connection (40 KiB would be 40 MiB at 1,000 connections); large bodies grow it once, for good.
constexpr size_t kOutputBatch = 16 * 1024;
constexpr size_t kOutputCapacity = 4 * 1024;
constexpr int kMaxEvents = 256;
constexpr auto kDeadlineScanInterval = std::chrono::milliseconds(10);
constexpr int kMaxReadsPerEvent = 64;
// How long a connection's new requests may wait for the rest of a burst of answers (holdsRequests):
// while answers keep arriving no more than kHoldGap apart, and never longer than kHoldLimit in all.
constexpr auto kHoldGap = std::chrono::microseconds(20);
constexpr auto kHoldLimit = std::chrono::microseconds(200);
// Receive windows large enough that flow control never paces a response: the server's speed is measured.
constexpr uint32_t kStreamWindow = (1u << 24) - 1;
constexpr int32_t kConnectionWindow = 1 << 30;
constexpr uint32_t kPushedStreamLimit = 100; // push is off; this only answers the setting
// Until the server's SETTINGS arrive nghttp2 would assume no limit, and a first burst of more streams
// than the server allows comes back refused; RFC 9113 asks servers to allow at least 100.
constexpr uint32_t kAssumedServerStreams = 100;

// HTTP/2 forbids connection-specific fields (RFC 9113 §8.2.2); Host travels as :authority.
bool allowedInHttp2(const std::string& lowerName, const std::string& value)
{
    static constexpr std::array<std::string_view, 7> kForbidden{
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host", "content-length"};
    if (std::find(kForbidden.begin(), kForbidden.end(), lowerName) != kForbidden.end()) {
        return false;
    }
    return lowerName != "te" || equalsIgnoringCase(value, "trailers");
}

nghttp2_nv field(std::string& name, std::string& value)
{
    return {reinterpret_cast<uint8_t*>(name.data()), reinterpret_cast<uint8_t*>(value.data()), name.size(),
            value.size(), uint8_t(NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE)};
}

int parseStatus(const uint8_t* digits, size_t length)
{
    const bool valid = length == 3 && std::all_of(digits, digits + 3, [](uint8_t d) { return d >= '0' && d <= '9'; });
    return valid ? (digits[0] - '0') * 100 + (digits[1] - '0') * 10 + (digits[2] - '0') : 0;
}

} // namespace

Http2Worker::Http2Worker(RunShared& shared, SliceExchange& exchange, int connections, int workerIndex)
    : shared_(shared)
    , recorder_(shared, exchange)
    , connections_(size_t(std::max(connections, 1)))
    , readBuffer_(kReadBufferSize)
    , epoll_(epoll_create1(EPOLL_CLOEXEC))
    , tls_(shared.tls)
    , streams_(size_t(std::max(shared.config->streams, 1)))
    , schedule_(shared, workerIndex)
    , handshakes_(connections_.size())
{
    nghttp2_session_callbacks* callbacks = nullptr;
    if (nghttp2_session_callbacks_new(&callbacks) == 0) {
        callbacks_.reset(callbacks);
        nghttp2_session_callbacks_set_on_header_callback(callbacks, &Http2Worker::onHeader);
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Http2Worker::onDataChunk);
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Http2Worker::onFrameReceived);
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, &Http2Worker::onFrameSent);
        nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(callbacks, &Http2Worker::onInvalidFrame);
        nghttp2_session_callbacks_set_error_callback2(callbacks, &Http2Worker::onSessionError);
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Http2Worker::onStreamClose);
    }
    nghttp2_option* option = nullptr;
    if (nghttp2_option_new(&option) == 0) {
        option_.reset(option);
        nghttp2_option_set_peer_max_concurrent_streams(option, kAssumedServerStreams);
    }
    buildRequestHeaders();
    toFlush_.reserve(connections_.size() * 2);
    held_.reserve(connections_.size() * 2);
    readAgain_.reserve(connections_.size());
    const auto workers = size_t(std::max(shared.workers, 1));
    for (size_t i = 0; i < connections_.size(); ++i) {
        Connection& c = connections_[i];
        c.worker = this;
        c.slots.resize(streams_);
        for (size_t s = 0; s < streams_; ++s) {
            c.slots[s].connection = &c;
            // Users numbered without gaps across workers, each connection's first stream before any
            // second one: a ramp's first users spread over connections, and its peak is reached.
            c.slots[s].globalIndex = int(s * size_t(shared.connections) + i * workers + size_t(workerIndex));
        }
    }
}

Http2Worker::~Http2Worker()
{
    handshakes_.close(); // closing an in-flight handshake below must not start a queued one
    for (auto& c : connections_) {
        close(c);
    }
    if (epoll_ >= 0) {
        ::close(epoll_);
    }
}

void Http2Worker::buildRequestHeaders()
{
    // The same request the HTTP/1.1 path sends (engine.cpp, serializeRequest), in HTTP/2's form.
    const RunConfig& config = *shared_.config;
    const TargetUrl& url = shared_.url;
    auto userSets = [&](std::string_view name) { return hasHeader(config, name); };
    std::string authority = url.hostHeader;
    for (const auto& header : config.headers) {
        if (equalsIgnoringCase(header.name, "host")) {
            authority = header.value;
        }
    }
    headerText_ = {":method", config.method, ":scheme", url.scheme, ":authority", authority, ":path", url.pathAndQuery};
    auto add = [&](std::string name, std::string value) {
        headerText_.push_back(std::move(name));
        headerText_.push_back(std::move(value));
    };
    if (!url.user.empty() && !userSets("authorization")) {
        add("authorization", basicAuthorization(url.user, url.password));
    }
    if (!userSets("user-agent")) {
        add("user-agent", "benchdeck/" BENCHDECK_VERSION);
    }
    if (!userSets("accept")) {
        add("accept", "*/*");
    }
    for (const auto& header : config.headers) {
        std::string name = header.name; // HTTP/2 refuses upper-case field names
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
        if (allowedInHttp2(name, header.value)) {
            add(std::move(name), header.value);
        }
    }
    const bool bodyExpected = config.method == "POST" || config.method == "PUT" || config.method == "PATCH";
    if (!config.body.empty() || bodyExpected) {
        add("content-length", std::to_string(config.body.size()));
    }
    // Pointers into the strings are taken only now that none of them can move any more.
    headers_.reserve(headerText_.size() / 2);
    for (size_t i = 0; i + 1 < headerText_.size(); i += 2) {
        headers_.push_back(field(headerText_[i], headerText_[i + 1]));
    }
}

void Http2Worker::run()
{
    std::array<epoll_event, kMaxEvents> events{};
    auto now = Clock::now();
    recorder_.start(now);
    if (shared_.openModel) {
        free_.reserve(connections_.size() * streams_);
        // Taken from the back: the first stream of every connection first, so that the load spreads
        // over all connections before any carries two streams.
        for (size_t s = streams_; s-- > 0;) {
            for (size_t i = connections_.size(); i-- > 0;) {
                release(connections_[i].slots[s], now);
            }
        }
        schedule_.start();
        dispatchDue(now);
    } else {
        for (auto& c : connections_) {
            for (auto& s : c.slots) {
                startRequest(s, now);
            }
        }
    }
    flushQueued();
    auto nextScan = now + kDeadlineScanInterval;
    while (!schedule_.finished(now, inFlight_)) {
        auto wakeAt = std::min(recorder_.nextFlip(), nextScan);
        if (!free_.empty()) {
            wakeAt = std::min(wakeAt, schedule_.next());
        }
        wakeAt = std::min(wakeAt, holdEnds_);
        if (!readAgain_.empty()) {
            wakeAt = now;
        }
        const int n = waitForEvents(epoll_, events.data(), kMaxEvents,
                                    std::clamp<Clock::duration>(wakeAt - now, Clock::duration::zero(),
                                                                std::chrono::milliseconds(100)));
        for (int i = 0; i < n; ++i) {
            auto& c = connections_[events[size_t(i)].data.u32];
            const uint32_t what = events[size_t(i)].events;
            switch (c.state) {
            case State::Connecting: onConnectReady(c); break;
            case State::Handshaking: continueHandshake(c); break;
            case State::Open:
                if ((what & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0 || (c.readWantsWrite && (what & EPOLLOUT) != 0)) {
                    onReadable(c);
                }
                if (c.state == State::Open && (what & EPOLLOUT) != 0) {
                    flush(c);
                }
                break;
            case State::Closed:
            case State::Backoff: break;
            }
        }
        readBuffered();
        now = Clock::now();
        if (shared_.openModel) {
            dispatchDue(now);
        }
        recorder_.flipIfDue(now, inFlight_);
        if (now >= nextScan) {
            checkDeadlines(now);
            nextScan = now + kDeadlineScanInterval;
        }
        flushQueued();
    }
    recorder_.finish(inFlight_);
}

void Http2Worker::dispatchDue(Clock::time_point now)
{
    while (!free_.empty() && schedule_.next() <= now) {
        Slot& s = *free_.back();
        free_.pop_back();
        s.pooled = false;
        if (s.connection->state == State::Backoff) {
            continue; // not connectable for now: the slot comes back when the backoff ends (restartFreeSlots)
        }
        Clock::time_point intended;
        if (!schedule_.takeDue(now, &intended)) {
            s.pooled = true; // back where it was, still free since when it was
            free_.push_back(&s);
            return;
        }
        recorder_.scheduled(intended, now, s.freeSince);
        startRequest(s, now, intended);
    }
}

void Http2Worker::release(Slot& s, Clock::time_point now)
{
    s.state = SlotState::Free;
    s.freeSince = now;
    if (!s.pooled) {
        s.pooled = true;
        free_.push_back(&s);
    }
}

void Http2Worker::startRequest(Slot& s, Clock::time_point now, Clock::time_point intended)
{
    const bool scheduled = intended != Clock::time_point::min();
    if (!scheduled && shared_.openModel) {
        release(s, now); // in the open model only the schedule starts requests
        return;
    }
    if (!scheduled && !schedule_.userMaySend(s.globalIndex, now)) {
        s.state = SlotState::Free;
        return;
    }
    ++inFlight_;
    s.start = scheduled ? intended : now;
    s.retried = false;
    resetAttempt(s);
    Connection& c = *s.connection;
    if (c.state == State::Closed) {
        connect(c, now);
    } else {
        trySubmit(c, s);
    }
}

void Http2Worker::resetAttempt(Slot& s)
{
    s.state = SlotState::Waiting;
    s.streamId = 0;
    s.firstByte = {};
    s.status = 0;
    s.bytes = 0;
    s.bodyOffset = 0;
    s.timedOut = false;
    s.protocolError = nullptr;
}

void Http2Worker::trySubmit(Connection& c, Slot& s)
{
    if (c.state != State::Open || c.draining) {
        return; // the slot waits: openSession or the reconnect after draining submits it
    }
    nghttp2_data_provider body{};
    body.source.ptr = &s;
    body.read_callback = &Http2Worker::readBody;
    const bool hasBody = !shared_.config->body.empty();
    int32_t id = NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE;
    if (nghttp2_session_check_request_allowed(c.session.get()) != 0) { // false after a GOAWAY, or IDs spent
        id = nghttp2_submit_request(c.session.get(), nullptr, headers_.data(), headers_.size(),
                                    hasBody ? &body : nullptr, &s);
    }
    if (id < 0) {
        // Stream IDs spent (after 2^30 requests) or out of memory: a new connection carries it.
        c.draining = true;
        queueFlush(c);
        return;
    }
    s.streamId = id;
    s.state = SlotState::Active;
    ++c.active;
    queueFlush(c);
}

void Http2Worker::connect(Connection& c, Clock::time_point now)
{
    c.connectStart = now;
    c.state = State::Connecting; // so that a failure from here on backs off instead of retrying at once
    ConnectFailure failure;
    c.fd = startConnect(shared_, epoll_, uint32_t(indexOf(c)), &failure);
    if (c.fd < 0) {
        dropConnection(c, now, failure.kind, failure.what, describeErrno(failure.error), true);
        return;
    }
    c.writeInterest = true;
}

void Http2Worker::onConnectReady(Connection& c)
{
    const int error = connectOutcome(c.fd);
    const auto now = Clock::now();
    if (error != 0) {
        dropConnection(c, now, connectErrorKind(error), "connect()", describeErrno(error), true);
        return;
    }
    if (tls_ != nullptr) {
        c.tcpConnectMicros = microsBetween(c.connectStart, now);
        c.state = State::Handshaking;
        setWriteInterest(c, false); // nothing to do until its handshake starts
        if (handshakes_.enter(c)) {
            startHandshake(c, now);
        }
        return;
    }
    recorder_.connected(microsBetween(c.connectStart, now), 0);
    openSession(c, now);
}

void Http2Worker::startHandshake(Connection& c, Clock::time_point now)
{
    c.handshakeStart = now;
    c.ssl = tls_->connect(c.fd, c.tlsSession, &c.tlsSession);
    if (!c.ssl) {
        dropConnection(c, now, ErrorKind::Tls, "TLS setup", "out of memory", true);
        return;
    }
    continueHandshake(c);
}

void Http2Worker::handshakeEnded(Connection& c)
{
    handshakes_.leave(c, [this](Connection& next) { startHandshake(next, Clock::now()); });
}

void Http2Worker::continueHandshake(Connection& c)
{
    if (!c.ssl) {
        // Waiting for a handshake turn, with only reads watched: a server speaks only after our hello,
        // so news now means it gave up on us.
        dropConnection(c, Clock::now(), ErrorKind::ResetOrClosed, "TLS handshake",
                       "the server closed the connection before the handshake began", true);
        return;
    }
    const char* reason = nullptr;
    switch (tlsHandshake(c.ssl.get(), &reason)) {
    case TlsProgress::Done: {
        const auto now = Clock::now();
        handshakeEnded(c);
        if (tlsNegotiatedProtocol(c.ssl.get()) != "h2") {
            dropConnection(c, now, ErrorKind::Protocol, "ALPN", "the server did not agree to HTTP/2", true);
            return;
        }
        recorder_.connected(c.tcpConnectMicros, std::max<int64_t>(microsBetween(c.handshakeStart, now), 1));
        openSession(c, now);
        return;
    }
    case TlsProgress::WantRead: setWriteInterest(c, false); return;
    case TlsProgress::WantWrite: setWriteInterest(c, true); return;
    case TlsProgress::Failed: dropConnection(c, Clock::now(), ErrorKind::Tls, "TLS handshake", reason, true); return;
    case TlsProgress::Closed:
        dropConnection(c, Clock::now(), ErrorKind::ResetOrClosed, "TLS handshake", reason, true);
        return;
    }
}

void Http2Worker::openSession(Connection& c, Clock::time_point now)
{
    nghttp2_session* session = nullptr;
    const int rv = callbacks_ ? nghttp2_session_client_new3(&session, callbacks_.get(), &c, option_.get(), pool_.mem())
                              : int(NGHTTP2_ERR_NOMEM);
    if (rv != 0) {
        dropConnection(c, now, ErrorKind::Other, "HTTP/2 session", nghttp2_strerror(rv), true);
        return;
    }
    c.session.reset(session);
    const std::array<nghttp2_settings_entry, 3> settings{{
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kStreamWindow},
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kPushedStreamLimit},
    }};
    nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings.data(), settings.size());
    nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, kConnectionWindow);
    c.output.reserve(kOutputCapacity); // once per connection: a no-op when it reconnects
    c.state = State::Open;
    for (auto& s : c.slots) {
        if (s.state == SlotState::Waiting) {
            trySubmit(c, s);
        }
    }
    queueFlush(c); // the preface and SETTINGS go out even when no request waits
}

ssize_t Http2Worker::sendSome(Connection& c, const char* data, size_t size, const char** detail)
{
    if (!c.ssl) {
        return ::send(c.fd, data, size, MSG_NOSIGNAL);
    }
    TlsProgress wants = TlsProgress::WantWrite;
    return tlsWrite(c.ssl.get(), data, size, &wants, detail);
}

ssize_t Http2Worker::receiveSome(Connection& c, const char** detail)
{
    if (!c.ssl) {
        return ::recv(c.fd, readBuffer_.data(), readBuffer_.size(), 0);
    }
    TlsProgress wants = TlsProgress::WantRead;
    const ssize_t n = tlsRead(c.ssl.get(), readBuffer_.data(), readBuffer_.size(), &wants, detail);
    const int err = errno;
    // A TLS read may need to write first (a key update's answer); only then is writability news for it.
    c.readWantsWrite = n < 0 && err == EAGAIN && wants == TlsProgress::WantWrite;
    if (c.readWantsWrite) {
        setWriteInterest(c, true);
    }
    errno = err;
    return n;
}

void Http2Worker::onReadable(Connection& c)
{
    // Read what the socket holds before answering: TLS hands over one record per read, and answering
    // after each would send one small write per response, where h2load (and a server's own batching)
    // gathers a connection's finished streams into one. Bounded, so that one busy connection cannot
    // starve the others of this loop.
    for (int reads = 0; reads < kMaxReadsPerEvent; ++reads) {
        const char* detail = nullptr;
        const ssize_t n = receiveSome(c, &detail);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            break; // a TLS record that carried no data (a session ticket) also lands here
        }
        now_ = Clock::now();
        c.readAt = now_;
        if (n == 0) {
            dropConnection(c, now_, ErrorKind::ResetOrClosed,
                           "the server closed the connection before the response was complete", nullptr, false);
            return;
        }
        if (n < 0) {
            const int err = errno;
            const auto kind = err == ETIMEDOUT ? ErrorKind::RequestTimeout
                              : err == EPROTO  ? ErrorKind::Tls
                                               : ErrorKind::ResetOrClosed;
            dropConnection(c, now_, kind, "recv()", detail != nullptr ? detail : describeErrno(err), false);
            return;
        }
        const auto* bytes = reinterpret_cast<const uint8_t*>(readBuffer_.data());
        const ssize_t used = nghttp2_session_mem_recv(c.session.get(), bytes, size_t(n));
        if (used < 0) {
            dropConnection(c, now_, ErrorKind::Protocol, "invalid HTTP/2 from the server", nghttp2_strerror(int(used)),
                           true);
            return;
        }
        if (!c.ssl && size_t(n) < readBuffer_.size()) {
            break; // a short plain read drained the socket; another would only say EAGAIN
        }
        if (reads + 1 == kMaxReadsPerEvent && c.ssl && tlsHasBufferedBytes(c.ssl.get()) && !c.readAgain) {
            // What OpenSSL holds no event will announce: read on in the next turn, after the others.
            c.readAgain = true;
            readAgain_.push_back(&c);
        }
    }
    queueFlush(c); // WINDOW_UPDATEs, SETTINGS acknowledgements, and the requests that replace finished ones
}

void Http2Worker::readBuffered()
{
    // Only those queued before this turn: one that queues itself again waits for the next turn.
    const size_t due = readAgain_.size();
    for (size_t i = 0; i < due; ++i) {
        Connection& c = *readAgain_[i];
        c.readAgain = false;
        if (c.state == State::Open) {
            onReadable(c);
        }
    }
    readAgain_.erase(readAgain_.begin(), readAgain_.begin() + ptrdiff_t(due));
}

void Http2Worker::queueFlush(Connection& c)
{
    if (!c.flushQueued) {
        c.flushQueued = true;
        toFlush_.push_back(&c);
    }
}

bool Http2Worker::holdsRequests(Connection& c, Clock::time_point now, Clock::time_point* until) const
{
    // A server answers a burst of requests with a burst of answers, often one TLS record each, and the
    // first of them wakes this loop before the rest have left the server. Sending the replacements at
    // once splits the next burst, and every split costs both sides a write, a read and a record more
    // per request; with ten streams on 50 connections that left Benchdeck at 0.93x h2load, which
    // writes a loop turn after it reads. So a connection's new requests wait while answers are still
    // coming (the last arrived under kHoldGap ago, and requests are out), for at most kHoldLimit.
    // Only the closed model waits: a scheduled request goes at its time. A held request's latency
    // starts when its HEADERS frame leaves (onFrameSent), so the wait is not counted against the server.
    if (shared_.openModel || c.onWire == 0 || c.state != State::Open) {
        return false;
    }
    if (!c.held) {
        c.heldSince = now;
    }
    *until = std::min(c.heldSince + kHoldLimit, c.readAt + kHoldGap);
    return now < *until;
}

void Http2Worker::flushQueued()
{
    const auto now = Clock::now();
    holdEnds_ = Clock::time_point::max();
    // By index: flushing may queue again (a stream refused while its HEADERS was prepared goes again).
    for (size_t i = 0; i < toFlush_.size(); ++i) {
        Connection& c = *toFlush_[i];
        Clock::time_point until;
        if (holdsRequests(c, now, &until)) {
            c.held = true;
            holdEnds_ = std::min(holdEnds_, until);
            held_.push_back(&c); // stays flushQueued, so queueFlush() does not add it twice
            continue;
        }
        c.held = false;
        c.flushQueued = false;
        if (c.state == State::Open && c.output.empty()) { // else EPOLLOUT resumes the pending write
            flush(c);
        }
    }
    toFlush_.swap(held_);
    held_.clear();
}

void Http2Worker::flush(Connection& c)
{
    while (c.state == State::Open) {
        while (c.outputSent < c.output.size()) {
            const char* detail = nullptr;
            const ssize_t n = sendSome(c, c.output.data() + c.outputSent, c.output.size() - c.outputSent, &detail);
            if (n > 0) {
                c.outputSent += size_t(n);
                recorder_.sent(uint64_t(n));
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                setWriteInterest(c, true);
                return;
            }
            if (n < 0 && errno == EINTR) {
                continue;
            }
            const int err = n < 0 ? errno : 0;
            dropConnection(c, Clock::now(), err == EPROTO ? ErrorKind::Tls : ErrorKind::ResetOrClosed, "send()",
                           detail != nullptr ? detail : describeErrno(err), false);
            return;
        }
        c.output.clear();
        c.outputSent = 0;
        now_ = Clock::now(); // a stream closed while its frames are produced (refused, cancelled) ends now
        while (c.output.size() < kOutputBatch) {
            const uint8_t* data = nullptr;
            const ssize_t n = nghttp2_session_mem_send(c.session.get(), &data);
            if (n < 0) {
                dropConnection(c, now_, ErrorKind::Other, "HTTP/2 framing", nghttp2_strerror(int(n)), true);
                return;
            }
            if (n == 0) {
                break;
            }
            const auto* bytes = reinterpret_cast<const char*>(data);
            c.output.insert(c.output.end(), bytes, bytes + n);
        }
        if (c.output.empty()) {
            setWriteInterest(c, c.readWantsWrite); // a TLS read may still wait for writability
            settle(c, now_);
            return;
        }
    }
}

void Http2Worker::settle(Connection& c, Clock::time_point now)
{
    nghttp2_session* session = c.session.get();
    const bool ended = nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0;
    if (ended && c.active > 0) {
        // nghttp2 ended the session over a connection error in the server's frames, and its streams with it.
        dropConnection(c, now, ErrorKind::Protocol, "invalid HTTP/2 from the server",
                       c.protocolError != nullptr ? c.protocolError : "the session ended", true);
        return;
    }
    if ((c.draining || ended) && c.active == 0) {
        close(c);
        if (hasWaiting(c)) {
            connect(c, now);
        }
    }
}

bool Http2Worker::hasWaiting(const Connection& c)
{
    return std::any_of(c.slots.begin(), c.slots.end(), [](const Slot& s) { return s.state == SlotState::Waiting; });
}

Http2Worker::Slot* Http2Worker::slotOf(nghttp2_session* session, int32_t streamId)
{
    return static_cast<Slot*>(nghttp2_session_get_stream_user_data(session, streamId));
}

int Http2Worker::onHeader(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name, size_t nameLength,
                          const uint8_t* value, size_t valueLength, uint8_t /*flags*/, void* /*userData*/)
{
    Slot* s = frame->hd.type == NGHTTP2_HEADERS ? slotOf(session, frame->hd.stream_id) : nullptr;
    if (s == nullptr) {
        return 0;
    }
    s->bytes += nameLength + valueLength;
    // An interim response's status (100, 103) is overwritten by the final one's.
    if (nameLength == 7 && std::memcmp(name, ":status", 7) == 0) {
        s->status = parseStatus(value, valueLength);
    }
    return 0;
}

int Http2Worker::onDataChunk(nghttp2_session* session, uint8_t /*flags*/, int32_t streamId, const uint8_t* /*data*/,
                             size_t length, void* userData)
{
    if (Slot* s = slotOf(session, streamId)) {
        if (s->firstByte == Clock::time_point{}) {
            s->firstByte = static_cast<Connection*>(userData)->worker->now_;
        }
        s->bytes += length;
    }
    return 0;
}

int Http2Worker::onFrameReceived(nghttp2_session* session, const nghttp2_frame* frame, void* userData)
{
    auto& c = *static_cast<Connection*>(userData);
    if (frame->hd.type == NGHTTP2_HEADERS) {
        Slot* s = slotOf(session, frame->hd.stream_id);
        if (s != nullptr && s->firstByte == Clock::time_point{}) {
            s->firstByte = c.worker->now_;
        }
    } else if (frame->hd.type == NGHTTP2_GOAWAY) {
        // No new stream here; nghttp2 closes the streams the server did not take as refused, and they
        // go again on the next connection (streamClosed), which settle() opens once this one is idle.
        c.draining = true;
    }
    return 0;
}

int Http2Worker::onFrameSent(nghttp2_session* session, const nghttp2_frame* frame, void* /*userData*/)
{
    if (frame->hd.type == NGHTTP2_HEADERS) {
        Slot* s = slotOf(session, frame->hd.stream_id);
        if (s != nullptr && !s->onWire) {
            s->onWire = true;
            ++s->connection->onWire;
            if (!s->retried && !s->connection->worker->shared_.openModel) {
                s->start = s->connection->worker->now_; // a closed-model request starts when it leaves
            }
        }
    }
    // We reset streams only when they time out; any other RST_STREAM is nghttp2 refusing the answer
    // (a content-length that does not match the body, say).
    if (frame->hd.type == NGHTTP2_RST_STREAM) {
        Slot* s = slotOf(session, frame->hd.stream_id);
        if (s != nullptr && !s->timedOut && s->protocolError == nullptr) {
            s->protocolError = nghttp2_http2_strerror(frame->rst_stream.error_code);
        }
    }
    return 0;
}

int Http2Worker::onInvalidFrame(nghttp2_session* session, const nghttp2_frame* frame, int libError, void* /*userData*/)
{
    if (Slot* s = frame->hd.stream_id != 0 ? slotOf(session, frame->hd.stream_id) : nullptr) {
        s->protocolError = nghttp2_strerror(libError);
    }
    return 0;
}

int Http2Worker::onSessionError(nghttp2_session* /*session*/, int libError, const char* /*message*/, size_t /*length*/,
                                void* userData)
{
    // The message is formatted per call; the error's fixed name is what a run can keep.
    static_cast<Connection*>(userData)->protocolError = nghttp2_strerror(libError);
    return 0;
}

int Http2Worker::onStreamClose(nghttp2_session* session, int32_t streamId, uint32_t errorCode, void* userData)
{
    auto& c = *static_cast<Connection*>(userData);
    if (Slot* s = slotOf(session, streamId)) {
        c.worker->streamClosed(c, *s, errorCode);
    }
    return 0;
}

ssize_t Http2Worker::readBody(nghttp2_session* /*session*/, int32_t /*streamId*/, uint8_t* buffer, size_t length,
                              uint32_t* dataFlags, nghttp2_data_source* source, void* /*userData*/)
{
    auto& s = *static_cast<Slot*>(source->ptr);
    const std::string& body = s.connection->worker->shared_.config->body;
    const size_t n = std::min(length, body.size() - s.bodyOffset);
    std::memcpy(buffer, body.data() + s.bodyOffset, n);
    s.bodyOffset += n;
    if (s.bodyOffset == body.size()) {
        *dataFlags |= NGHTTP2_DATA_FLAG_EOF;
    }
    return ssize_t(n);
}

void Http2Worker::streamClosed(Connection& c, Slot& s, uint32_t errorCode)
{
    // Called inside nghttp2 (mem_recv or mem_send): submitting is allowed here, closing the session is
    // not, which is why a drained connection is closed later, in settle().
    --c.active;
    if (s.onWire) {
        s.onWire = false;
        --c.onWire;
    }
    const auto now = now_;
    if (s.timedOut) {
        nextRequest(s, now);
        return;
    }
    if (errorCode == uint32_t(NGHTTP2_REFUSED_STREAM) && !s.retried) {
        // Refused (or left unprocessed by a GOAWAY): the server did nothing with it (RFC 9113 §8.7), so
        // it goes again, once, as browsers do; its latency keeps counting from the first attempt.
        s.retried = true;
        resetAttempt(s);
        trySubmit(c, s);
        return;
    }
    if (s.protocolError != nullptr) {
        recordFailure(s, now, ErrorKind::Protocol, "malformed response", s.protocolError);
    } else if (errorCode != uint32_t(NGHTTP2_NO_ERROR)) {
        recordFailure(s, now, ErrorKind::ResetOrClosed, "stream reset by the server",
                      nghttp2_http2_strerror(errorCode));
    } else if (s.status < 200) {
        recordFailure(s, now, ErrorKind::Protocol, "malformed response", "the stream ended without a final status");
    } else {
        c.served = true;
        c.consecutiveFailures = 0;
        --inFlight_;
        recorder_.response(s.start, now, s.status, s.bytes, s.firstByte); // 4xx and 5xx too: answers
    }
    if (errorCode == uint32_t(NGHTTP2_REFUSED_STREAM) && !shared_.openModel) {
        // Refused twice: this user's next request waits for the deadline scan (10 ms) instead of being
        // refused again at once, which would spin inside nghttp2 when it cannot send the request at all
        // (a header block over its size limit).
        s.state = SlotState::Free;
        return;
    }
    nextRequest(s, now);
}

void Http2Worker::recordFailure(Slot& s, Clock::time_point now, metrics::ErrorKind kind, const char* what,
                                const char* detail)
{
    --inFlight_;
    recorder_.failure(s.start, now, kind, what, detail);
}

void Http2Worker::nextRequest(Slot& s, Clock::time_point now)
{
    s.state = SlotState::Free;
    startRequest(s, now);
}

void Http2Worker::dropConnection(Connection& c, Clock::time_point now, metrics::ErrorKind kind, const char* what,
                                 const char* detail, bool backoff)
{
    const bool connectFailed = c.state == State::Connecting || c.state == State::Handshaking;
    if (kind == ErrorKind::ResetOrClosed && c.protocolError != nullptr && !c.served) {
        // Typically h2c to a server that answered in HTTP/1.1 and hung up: what it sent says more than the close.
        kind = ErrorKind::Protocol;
        what = "invalid HTTP/2 from the server";
        detail = c.protocolError;
    }
    // A server may close a connection at any moment (idle timeout, max requests per connection), and
    // the close can cross new streams on the wire. A stream that got nothing back on a connection that
    // had already answered goes again on a new one, once, as in Http1Worker::retryOnFreshConnection.
    const bool mayRetry = !connectFailed && !backoff && c.served && kind != ErrorKind::RequestTimeout;
    close(c);
    for (auto& s : c.slots) {
        if (s.state == SlotState::Free || (s.state == SlotState::Waiting && !connectFailed)) {
            continue; // a waiting request was never sent: it waits for the next connection
        }
        if (s.state == SlotState::Active && s.timedOut) {
            s.state = SlotState::Free; // recorded when it timed out
        } else if (s.state == SlotState::Active && mayRetry && !s.retried && s.status == 0 && s.bytes == 0) {
            s.retried = true;
            resetAttempt(s);
        } else {
            recordFailure(s, now, kind, what, detail);
            s.state = SlotState::Free;
        }
    }
    if (connectFailed || backoff) {
        // A refused handshake or a broken session repeated at once would spin as a refused connect would.
        ++c.consecutiveFailures;
        c.state = State::Backoff;
        c.retryAt = now + backoffAfter(c.consecutiveFailures);
        return;
    }
    restartFreeSlots(c, now);
}

void Http2Worker::restartFreeSlots(Connection& c, Clock::time_point now)
{
    for (auto& s : c.slots) {
        if (s.state != SlotState::Free) {
            continue;
        }
        if (!shared_.openModel) {
            startRequest(s, now);
        } else if (!s.pooled) {
            release(s, now);
        }
    }
    if (c.state == State::Closed && hasWaiting(c)) {
        connect(c, now);
    }
}

void Http2Worker::close(Connection& c)
{
    if (c.state == State::Handshaking) {
        handshakeEnded(c);
    }
    c.session.reset(); // frees its streams without calling back; before the TLS and socket it wrote to
    c.ssl.reset();     // the session ticket stays for the next connection
    if (c.fd >= 0) {
        ::close(c.fd); // also leaves the epoll set
        c.fd = -1;
    }
    c.state = State::Closed;
    c.output.clear();
    c.outputSent = 0;
    c.active = 0;
    c.onWire = 0;
    c.held = false;
    for (auto& slot : c.slots) {
        slot.onWire = false;
    }
    c.draining = false;
    c.served = false;
    c.writeInterest = false;
    c.readWantsWrite = false;
    c.protocolError = nullptr;
}

void Http2Worker::setWriteInterest(Connection& c, bool wanted)
{
    if (c.writeInterest == wanted || c.fd < 0) {
        return;
    }
    watchSocket(epoll_, c.fd, uint32_t(indexOf(c)), wanted);
    c.writeInterest = wanted;
}

void Http2Worker::checkDeadlines(Clock::time_point now)
{
    for (auto& c : connections_) {
        switch (c.state) {
        case State::Connecting:
        case State::Handshaking:
            // Time queued for a handshake turn is this client's, not the server's.
            if (c.state == State::Handshaking ? c.ssl && now - c.handshakeStart >= shared_.config->connectTimeout
                                              : now - c.connectStart >= shared_.config->connectTimeout) {
                dropConnection(c, now, ErrorKind::ConnectTimeout, "no connection within the connect timeout", nullptr,
                               true);
            }
            break;
        case State::Backoff:
            if (now >= c.retryAt) {
                c.state = State::Closed;
                restartFreeSlots(c, now);
            }
            break;
        case State::Open:
        case State::Closed: checkStreams(c, now); break;
        }
    }
}

void Http2Worker::checkStreams(Connection& c, Clock::time_point now)
{
    const auto timeout = shared_.config->requestTimeout;
    for (auto& s : c.slots) {
        if (s.state == SlotState::Free) {
            // Closed model: a ramp may have made room for this user again, or its connection was
            // closed between requests (in the open model the slot is already in the free pool).
            if (!shared_.openModel) {
                startRequest(s, now);
            }
            continue;
        }
        if (s.state == SlotState::Waiting) {
            // Still waiting for a stream (a draining connection, a server refusing new ones): the
            // request's time is up all the same, and it is counted once.
            if (now - s.start >= timeout) {
                recordFailure(s, now, ErrorKind::RequestTimeout, "no stream for the request within the request timeout");
                nextRequest(s, now);
            }
            continue;
        }
        if (!s.timedOut && now - s.start >= timeout) {
            recordFailure(s, now, ErrorKind::RequestTimeout, "no complete response within the request timeout");
            s.timedOut = true;
            // The slot stays taken until nghttp2 closes the stream, right after the RST_STREAM is framed.
            nghttp2_submit_rst_stream(c.session.get(), NGHTTP2_FLAG_NONE, s.streamId, NGHTTP2_CANCEL);
            queueFlush(c);
        } else if (s.timedOut && now - s.start >= 2 * timeout) {
            // Not even the cancellation could be written for a whole timeout: nothing moves on this connection.
            dropConnection(c, now, ErrorKind::ResetOrClosed, "the connection stalled",
                           "nothing could be sent on it for a whole request timeout", false);
            return;
        }
    }
}

} // namespace benchdeck::engine
