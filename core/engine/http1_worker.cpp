// SPDX-License-Identifier: Apache-2.0
#include "http1_worker.h"

#include "connection_support.h"
#include "load_shape.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

namespace benchdeck::engine {
namespace {

using metrics::ErrorKind;

constexpr size_t kReadBufferSize = 64 * 1024;
constexpr int kMaxEvents = 256;
constexpr auto kDeadlineScanInterval = std::chrono::milliseconds(10);

} // namespace

Http1Worker::Http1Worker(RunShared& shared, SliceExchange& exchange, int connections, int workerIndex)
    : shared_(shared)
    , recorder_(shared, exchange)
    , connections_(size_t(std::max(connections, 1)))
    , readBuffer_(kReadBufferSize)
    , epoll_(epoll_create1(EPOLL_CLOEXEC))
    , headRequests_(shared.config->method == "HEAD")
    , tls_(shared.tls)
    , schedule_(shared, workerIndex)
    , handshakes_(connections_.size())
{
    for (size_t i = 0; i < connections_.size(); ++i) {
        connections_[i].globalIndex = workerIndex + int(i) * shared.workers;
    }
    http_parser_settings_init(&settings_);
    settings_.on_headers_complete = &Http1Worker::onHeadersComplete;
    settings_.on_message_complete = &Http1Worker::onMessageComplete;
    if (shared.scenario != nullptr) {
        const uint64_t seed = (uint64_t(std::random_device{}()) << 32) ^ uint64_t(workerIndex);
        scenario_ = std::make_unique<ScenarioRunner>(*shared.scenario, connections_.size(), seed);
        for (size_t i = 0; i < connections_.size(); ++i) {
            connections_[i].user = &scenario_->user(i);
        }
        // Only scenario runs read answers: the single-URL path never pays for the callbacks.
        settings_.on_header_field = &Http1Worker::onHeaderField;
        settings_.on_header_value = &Http1Worker::onHeaderValue;
        settings_.on_body = &Http1Worker::onBody;
    }
}

Http1Worker::~Http1Worker()
{
    handshakes_.close(); // closing an in-flight handshake below must not start a queued one
    for (auto& c : connections_) {
        close(c);
    }
    if (epoll_ >= 0) {
        ::close(epoll_);
    }
}

int Http1Worker::onHeadersComplete(http_parser* parser)
{
    if (parser->status_code == 101) {
        return -1; // switching protocols for a request that asked for no upgrade: not an answer
    }
    // A response to HEAD announces a body it never sends; returning 1 tells the parser so.
    return static_cast<const Connection*>(parser->data)->skipBody ? 1 : 0;
}

int Http1Worker::onHeaderField(http_parser* parser, const char* at, size_t length)
{
    ScenarioRunner::onHeaderField(*static_cast<Connection*>(parser->data)->user, at, length);
    return 0;
}

int Http1Worker::onHeaderValue(http_parser* parser, const char* at, size_t length)
{
    ScenarioRunner::onHeaderValue(*static_cast<Connection*>(parser->data)->user, at, length);
    return 0;
}

int Http1Worker::onBody(http_parser* parser, const char* at, size_t length)
{
    ScenarioRunner::onBody(*static_cast<Connection*>(parser->data)->user, at, length);
    return 0;
}

int Http1Worker::onMessageComplete(http_parser* parser)
{
    auto* c = static_cast<Connection*>(parser->data);
    if (parser->status_code >= 100 && parser->status_code < 200) {
        return 0; // an interim response (100 Continue, 103 Early Hints): the real one follows
    }
    c->complete = true;
    c->status = int(parser->status_code);
    c->keepAlive = http_should_keep_alive(parser) != 0;
    http_parser_pause(parser, 1); // one request in flight: anything after the response is not ours
    return 0;
}

void Http1Worker::run()
{
    std::array<epoll_event, kMaxEvents> events{};
    auto now = Clock::now();
    recorder_.start(now);
    if (shared_.openModel) {
        free_.reserve(connections_.size());
        for (auto it = connections_.rbegin(); it != connections_.rend(); ++it) {
            it->freeSince = now;
            free_.push_back(&*it);
        }
        schedule_.start();
        dispatchDue(now);
    } else {
        for (auto& c : connections_) {
            startRequest(c, now);
        }
    }
    auto nextScan = now + kDeadlineScanInterval;
    // A scenario run whose unique data ran out ends once its users have finished their iterations.
    const auto dataExhausted = [this] {
        return scenario_ && shared_.scenario->exhausted() && activeIterations_ == 0;
    };
    while (!schedule_.finished(now, inFlight_) && !dataExhausted()) {
        auto wakeAt = std::min(recorder_.nextFlip(), nextScan);
        if (!free_.empty()) {
            wakeAt = std::min(wakeAt, schedule_.next());
        }
        const int n = waitForEvents(epoll_, events.data(), kMaxEvents,
                                    std::clamp<Clock::duration>(wakeAt - now, Clock::duration::zero(),
                                                                std::chrono::milliseconds(100)),
                                    kSpinBeforeSleep);
        for (int i = 0; i < n; ++i) {
            auto& c = connections_[events[size_t(i)].data.u32];
            const uint32_t what = events[size_t(i)].events;
            switch (c.state) {
            case State::Connecting: onConnectReady(c); break;
            case State::Handshaking: continueHandshake(c); break;
            case State::Sending:
                if (what & EPOLLOUT) {
                    sendPending(c);
                }
                // The server may answer (413, 401, an error) before taking the whole request.
                if ((c.state == State::Receiving || c.state == State::Sending) &&
                    (what & (EPOLLIN | EPOLLERR | EPOLLHUP))) {
                    onReadable(c);
                }
                break;
            case State::Receiving:
            case State::Idle:
            case State::Thinking: onReadable(c); break;
            case State::Closed:
            case State::Backoff: break;
            }
        }
        now = Clock::now();
        if (shared_.openModel) {
            dispatchDue(now);
        }
        recorder_.flipIfDue(now, inFlight_);
        if (now >= nextScan) {
            checkDeadlines(now);
            nextScan = now + kDeadlineScanInterval;
        }
    }
    recorder_.finish(inFlight_);
}

void Http1Worker::dispatchDue(Clock::time_point now)
{
    Clock::time_point intended;
    while (!free_.empty() && schedule_.takeDue(now, &intended)) {
        Connection& c = *free_.back();
        free_.pop_back();
        recorder_.scheduled(intended, now, c.freeSince);
        startRequest(c, now, intended);
    }
}

void Http1Worker::release(Connection& c, Clock::time_point now)
{
    if (c.state != State::Closed) {
        c.state = c.fd >= 0 ? State::Idle : State::Closed;
    }
    c.freeSince = now;
    free_.push_back(&c);
}

void Http1Worker::startRequest(Connection& c, Clock::time_point now, Clock::time_point intended)
{
    const bool scheduled = intended != Clock::time_point::min();
    // In the open model only the schedule starts requests, and in a scenario run, iterations: the
    // steps after an iteration's first follow on the same connection as the user's answers come.
    const bool nextStep = c.user != nullptr && c.user->active;
    if (!scheduled && shared_.openModel && !nextStep) {
        release(c, now);
        return;
    }
    if (!scheduled && shared_.openModel && !(shared_.sendingAllowed(now) && shared_.claimRequest(now))) {
        scenario_->abandon(*c.user); // the run is over: the iteration is neither done nor failed
        --activeIterations_;
        release(c, now);
        return;
    }
    if (!scheduled && !shared_.openModel && !schedule_.userMaySend(c.globalIndex, now)) {
        c.state = c.fd >= 0 ? State::Idle : State::Closed;
        return;
    }
    const auto start = scheduled ? intended : now;
    if (c.user != nullptr && !prepareScenarioStep(c, now, start)) {
        shared_.returnClaim(start);
        return;
    }
    send(c, now, start);
}

bool Http1Worker::prepareScenarioStep(Connection& c, Clock::time_point now, Clock::time_point start)
{
    ScenarioUser& user = *c.user;
    if (!user.active) {
        if (!scenario_->beginIteration(user, start)) { // a unique feeder ran out: this user is done
            if (shared_.openModel) {
                release(c, now);
            } else {
                c.state = c.fd >= 0 ? State::Idle : State::Closed;
            }
            return false;
        }
        ++activeIterations_;
        recorder_.iterationStarted(start);
    }
    if (scenario_->render(user)) {
        return true;
    }
    recorder_.stepNotSent(scenario_->flatStep(user), now, user.problem);
    scenario_->abandon(user);
    --activeIterations_;
    recorder_.iterationEnded(user.iterationStart, now, true);
    if (shared_.openModel) {
        release(c, now);
    } else {
        // The next iteration waits for the next deadline scan: a step that never renders would
        // otherwise spin through iterations as fast as the loop turns.
        c.state = State::Thinking;
        c.retryAt = now;
    }
    return false;
}

void Http1Worker::afterScenarioStep(Connection& c, Clock::time_point now, std::chrono::microseconds think)
{
    // In the open model a finished iteration frees its connection at once: the pause after the last
    // step belongs to a user who has left.
    if (think.count() > 0 && (c.user->active || !shared_.openModel)) {
        c.state = State::Thinking; // a closed connection is opened again when the pause ends
        c.retryAt = now + think;
        return;
    }
    startRequest(c, now);
}

void Http1Worker::send(Connection& c, Clock::time_point now, Clock::time_point start)
{
    ++inFlight_;
    c.requestStart = start;
    c.firstByte = {};
    c.bytes = 0;
    c.complete = false;
    c.sent = 0;
    c.skipBody = c.user != nullptr ? c.user->request.starts_with("HEAD ") : headRequests_;
    http_parser_init(&c.parser, HTTP_RESPONSE);
    c.parser.data = &c;
    c.reused = c.fd >= 0;
    if (c.fd < 0) {
        connect(c, now);
        return;
    }
    sendPending(c);
}

bool Http1Worker::retryOnFreshConnection(Connection& c, Clock::time_point now)
{
    // A server may close an idle kept-alive connection at any moment (after each response, say, as
    // HTTP/1.0-style servers do), and the close can cross the next request on the wire. Nothing of an
    // answer came back, so the request goes again on a new connection, once, as libcurl and browsers
    // do; its latency keeps counting from the first attempt.
    if (!c.reused || c.bytes != 0) {
        return false;
    }
    close(c);
    c.reused = false;
    c.sent = 0;
    http_parser_init(&c.parser, HTTP_RESPONSE);
    c.parser.data = &c;
    connect(c, now);
    return true;
}

void Http1Worker::connect(Connection& c, Clock::time_point now)
{
    c.connectStart = now;
    c.state = State::Connecting; // so that a failure from here on backs off instead of retrying at once
    ConnectFailure failure;
    c.fd = startConnect(shared_, epoll_, uint32_t(indexOf(c)), &failure);
    if (c.fd < 0) {
        fail(c, now, failure.kind, failure.what, describeErrno(failure.error));
        return;
    }
    c.writeInterest = true;
}

void Http1Worker::onConnectReady(Connection& c)
{
    const int error = connectOutcome(c.fd);
    const auto now = Clock::now();
    if (error != 0) {
        fail(c, now, connectErrorKind(error), "connect()", describeErrno(error));
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
    c.consecutiveConnectFailures = 0;
    recorder_.connected(microsBetween(c.connectStart, now), 0);
    c.state = State::Sending;
    sendPending(c);
}

void Http1Worker::startHandshake(Connection& c, Clock::time_point now)
{
    c.handshakeStart = now;
    c.ssl = tls_->connect(c.fd, c.session, &c.session);
    if (!c.ssl) {
        fail(c, now, ErrorKind::Tls, "TLS setup", "out of memory");
        return;
    }
    continueHandshake(c);
}

void Http1Worker::handshakeEnded(Connection& c)
{
    handshakes_.leave(c, [this](Connection& next) { startHandshake(next, Clock::now()); });
}

void Http1Worker::continueHandshake(Connection& c)
{
    if (!c.ssl) {
        // Queued for a handshake slot, with only reads watched: a server speaks only after our hello,
        // so news now means it gave up on us.
        fail(c, Clock::now(), ErrorKind::ResetOrClosed, "TLS handshake",
             "the server closed the connection before the handshake began");
        return;
    }
    const char* reason = nullptr;
    switch (tlsHandshake(c.ssl.get(), &reason)) {
    case TlsProgress::Done: {
        const auto now = Clock::now();
        c.state = State::Sending;
        handshakeEnded(c);
        c.consecutiveConnectFailures = 0;
        recorder_.connected(c.tcpConnectMicros, std::max<int64_t>(microsBetween(c.handshakeStart, now), 1));
        sendPending(c);
        return;
    }
    case TlsProgress::WantRead: setWriteInterest(c, false); return;
    case TlsProgress::WantWrite: setWriteInterest(c, true); return;
    case TlsProgress::Failed: fail(c, Clock::now(), ErrorKind::Tls, "TLS handshake", reason); return;
    case TlsProgress::Closed: fail(c, Clock::now(), ErrorKind::ResetOrClosed, "TLS handshake", reason); return;
    }
}

ssize_t Http1Worker::sendSome(Connection& c, const char* data, size_t size, const char** detail)
{
    if (!c.ssl) {
        return ::send(c.fd, data, size, MSG_NOSIGNAL);
    }
    TlsProgress wants = TlsProgress::WantWrite;
    return tlsWrite(c.ssl.get(), data, size, &wants, detail);
}

ssize_t Http1Worker::receiveSome(Connection& c, const char** detail)
{
    if (!c.ssl) {
        return ::recv(c.fd, readBuffer_.data(), readBuffer_.size(), 0);
    }
    TlsProgress wants = TlsProgress::WantRead;
    const ssize_t n = tlsRead(c.ssl.get(), readBuffer_.data(), readBuffer_.size(), &wants, detail);
    if (n < 0 && errno == EAGAIN && c.state == State::Receiving) {
        // A TLS read may need to write first (a key update's answer); only then is writability news.
        setWriteInterest(c, wants == TlsProgress::WantWrite);
    }
    return n;
}

void Http1Worker::sendPending(Connection& c)
{
    const std::string& request = requestOf(c);
    while (c.sent < request.size()) {
        const char* detail = nullptr;
        const ssize_t n = sendSome(c, request.data() + c.sent, request.size() - c.sent, &detail);
        if (n > 0) {
            c.sent += size_t(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            c.state = State::Sending;
            setWriteInterest(c, true);
            return;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        const int err = n < 0 ? errno : 0; // before the retry can change it
        if (!retryOnFreshConnection(c, Clock::now())) {
            fail(c, Clock::now(), err == EPROTO ? ErrorKind::Tls : ErrorKind::ResetOrClosed, "send()",
                 detail != nullptr ? detail : describeErrno(err));
        }
        return;
    }
    recorder_.sent(request.size());
    c.state = State::Receiving;
    setWriteInterest(c, false);
}

void Http1Worker::onReadable(Connection& c)
{
    // OpenSSL may hold decrypted bytes the socket no longer announces: read them now, or never.
    while (readAndParse(c)) {
    }
}

bool Http1Worker::readAndParse(Connection& c)
{
    const char* detail = nullptr;
    const ssize_t n = receiveSome(c, &detail);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        return false; // a TLS record that carried no data (a session ticket) also lands here
    }
    const auto now = Clock::now();
    if (c.state == State::Idle || c.state == State::Thinking) {
        // The server closed (or wrote to) a connection we were not using: drop it quietly. A
        // pausing user reconnects when its pause ends.
        const bool thinking = c.state == State::Thinking;
        close(c);
        c.state = thinking ? State::Thinking : State::Closed;
        return false;
    }
    if (n < 0) {
        const int err = errno;
        if (err != ETIMEDOUT && retryOnFreshConnection(c, now)) {
            return false;
        }
        const auto kind = err == ETIMEDOUT ? ErrorKind::RequestTimeout
                          : err == EPROTO  ? ErrorKind::Tls
                                           : ErrorKind::ResetOrClosed;
        fail(c, now, kind, "recv()", detail != nullptr ? detail : describeErrno(err));
        return false;
    }
    if (n == 0) {
        // End of stream completes a response framed by connection close; anything else is cut short.
        http_parser_execute(&c.parser, &settings_, nullptr, 0);
        if (c.complete) {
            c.keepAlive = false;
            finishResponse(c, now);
        } else if (!retryOnFreshConnection(c, now)) {
            fail(c, now, ErrorKind::ResetOrClosed, "the server closed the connection before the response was complete");
        }
        return false;
    }
    if (c.bytes == 0) {
        c.firstByte = now;
    }
    c.bytes += uint64_t(n);
    const size_t parsed = http_parser_execute(&c.parser, &settings_, readBuffer_.data(), size_t(n));
    const auto parserError = HTTP_PARSER_ERRNO(&c.parser);
    if (c.complete) {
        finishResponse(c, now);
        return false;
    }
    if (parserError != HPE_OK || parsed != size_t(n)) {
        // The same answers libcurl refuses (tst_fault_matrix).
        fail(c, now, ErrorKind::Protocol, "malformed response");
        return false;
    }
    return c.ssl && tlsHasBufferedBytes(c.ssl.get());
}

void Http1Worker::finishResponse(Connection& c, Clock::time_point now)
{
    --inFlight_;
    recorder_.response(c.requestStart, now, c.status, c.bytes, c.firstByte);
    // An answer that came before the request was fully sent leaves the stream unusable.
    const bool unusable = !c.keepAlive || c.sent < requestOf(c).size();
    std::chrono::microseconds think{0};
    if (c.user != nullptr) {
        const auto outcome = scenario_->answered(*c.user, c.status);
        recorder_.step(outcome.flatStep, c.requestStart, now, c.status, outcome.checks, outcome.checksFailed);
        if (outcome.iterationDone) {
            --activeIterations_;
            recorder_.iterationEnded(c.user->iterationStart, now, false);
        }
        think = outcome.think;
    }
    if (unusable) {
        close(c);
    }
    if (c.user != nullptr) {
        afterScenarioStep(c, now, think);
        return;
    }
    startRequest(c, now);
}

void Http1Worker::fail(Connection& c, Clock::time_point now, metrics::ErrorKind kind, const char* what,
                       const char* detail)
{
    --inFlight_;
    recorder_.failure(c.requestStart, now, kind, what, detail);
    if (c.user != nullptr && c.user->active) {
        // A step without an answer ends its iteration: the steps after it would act on nothing.
        recorder_.stepFailure(scenario_->flatStep(*c.user), c.requestStart, now);
        scenario_->abandon(*c.user);
        --activeIterations_;
        recorder_.iterationEnded(c.user->iterationStart, now, true);
    }
    // A refused handshake repeated at once would spin as a refused connect would.
    const bool connectFailed = c.state == State::Connecting || c.state == State::Handshaking;
    close(c);
    if (connectFailed) {
        ++c.consecutiveConnectFailures;
        c.state = State::Backoff;
        c.retryAt = now + backoffAfter(c.consecutiveConnectFailures);
        return;
    }
    startRequest(c, now);
}

void Http1Worker::close(Connection& c)
{
    if (c.state == State::Handshaking) {
        handshakeEnded(c);
    }
    c.ssl.reset(); // before the socket it writes to; the session ticket stays for the next connection
    if (c.fd >= 0) {
        ::close(c.fd); // also leaves the epoll set
        c.fd = -1;
    }
    c.writeInterest = false;
    c.state = State::Closed;
}

void Http1Worker::setWriteInterest(Connection& c, bool wanted)
{
    if (c.writeInterest == wanted) {
        return;
    }
    watchSocket(epoll_, c.fd, uint32_t(indexOf(c)), wanted);
    c.writeInterest = wanted;
}

void Http1Worker::checkDeadlines(Clock::time_point now)
{
    const auto& config = *shared_.config;
    for (auto& c : connections_) {
        switch (c.state) {
        case State::Connecting:
            if (now - c.connectStart >= config.connectTimeout) {
                fail(c, now, ErrorKind::ConnectTimeout, "no connection within the connect timeout");
            }
            break;
        case State::Handshaking:
            // Time queued for a handshake slot is this client's, not the server's: the clock starts
            // with the handshake.
            if (c.ssl && now - c.handshakeStart >= config.connectTimeout) {
                fail(c, now, ErrorKind::ConnectTimeout, "no TLS handshake within the connect timeout");
            }
            break;
        case State::Sending:
        case State::Receiving:
            if (now - c.requestStart >= config.requestTimeout) {
                fail(c, now, ErrorKind::RequestTimeout, "no complete response within the request timeout");
            }
            break;
        case State::Backoff:
            if (now >= c.retryAt) {
                startRequest(c, now);
            }
            break;
        case State::Closed:
            // A connection closed by the server between requests waits here for the next one
            // (in the open model it is already in the free pool).
            if (!shared_.openModel) {
                startRequest(c, now);
            }
            break;
        case State::Idle:
            if (shared_.closedRamp) {
                startRequest(c, now); // a ramp may have made room for this user again
            }
            break;
        case State::Thinking:
            if (now >= c.retryAt) {
                startRequest(c, now);
            }
            break;
        }
    }
}

} // namespace benchdeck::engine
