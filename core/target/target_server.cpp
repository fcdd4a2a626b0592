// SPDX-License-Identifier: Apache-2.0
#include "target/target_server.h"
#include "metrics/units.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <random>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace benchdeck::target {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;

constexpr size_t kMaxHeadBytes = size_t{64} * 1024; // request line + headers; more is answered 431
constexpr size_t kInitialInBuffer = 4096;
constexpr int kListenBacklog = 4096;
constexpr int kMaxAcceptsPerWakeup = 64; // keeps one busy listener from starving established connections
constexpr auto kLingerFor = std::chrono::seconds(2);
constexpr int kMaxLingerReads = 64;
constexpr uint64_t kListenKey = UINT64_MAX;
constexpr uint64_t kStopKey = UINT64_MAX - 1;

// strerror() is not thread-safe and several servers may start concurrently in tests.
std::string errorText(int err) { return std::generic_category().message(err); }

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) {
            reset(std::exchange(other.fd_, -1));
        }
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    [[nodiscard]] int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

struct SslFree {
    void operator()(SSL_CTX* context) const noexcept { SSL_CTX_free(context); }
    void operator()(SSL* ssl) const noexcept {
        // Closing without a close_notify round trip; marked as shut down, the session stays resumable (OpenSSL
        // drops the sessions of connections freed otherwise from its cache).
        SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
        SSL_free(ssl);
    }
};
using SslContextPtr = std::unique_ptr<SSL_CTX, SslFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

// ---------------------------------------------------------------------------------------------------------------
// Canned responses. Everything the server ever sends is built once at start and only referenced afterwards, so
// the hot path queues pointers instead of copying bytes and a large body costs no per-connection memory.

using Canned = uint8_t; // index into Shared::canned
constexpr Canned kNormal = 0;  // + ConnMode
constexpr Canned kFailure = 3; // + ConnMode: the injected 500s
constexpr Canned kBadRequest = 6; // these four always close the connection
constexpr Canned kHeadTooLarge = 7;
constexpr Canned kNotImplemented = 8;
constexpr Canned kBadVersion = 9;
constexpr size_t kCannedCount = 10;
enum ConnMode : uint8_t { kKeepAlive = 0, kClose = 1, kKeepAliveExplicit = 2 }; // explicit: for HTTP/1.0 clients

struct CannedResponse {
    std::string bytes;
    size_t headerLen = 0; // HEAD gets only this prefix
};

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string_view reasonPhrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: break;
    }
    if (status < 300) {
        return "Success";
    }
    if (status < 400) {
        return "Redirection";
    }
    return status < 500 ? "Client Error" : "Server Error";
}

CannedResponse buildResponse(int status, std::string_view contentType, std::string_view body, ConnMode mode) {
    // 204 and 304 never carry a body; 204 must not even announce a length.
    const bool bodiless = status == 204 || status == 304;
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reasonPhrase(status)) +
                       "\r\nServer: benchdeck-target\r\n";
    if (!bodiless) {
        head += "Content-Type: " + std::string(contentType) + "\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\n";
    }
    if (mode == kClose) {
        head += "Connection: close\r\n";
    } else if (mode == kKeepAliveExplicit) {
        head += "Connection: keep-alive\r\n";
    }
    head += "\r\n";
    CannedResponse response;
    response.headerLen = head.size();
    response.bytes = std::move(head);
    if (!bodiless) {
        response.bytes.append(body);
    }
    return response;
}

// ---------------------------------------------------------------------------------------------------------------
// Request framing: a deliberately strict hand parser. It only needs what framing and connection handling need
// (method HEAD, version, Content-Length, Connection, Expect); anything it does not understand is a 400, never a
// guess, because a lenient guess about message boundaries is how request smuggling starts.

struct Request {
    bool head = false;
    bool http10 = false;
    bool keepAlive = true;
    bool expectContinue = false;
    uint64_t contentLength = 0;
};

enum class Parse { Incomplete, Complete, Error };

constexpr std::array<bool, 256> makeTokenTable() {
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c) {
        table[c] = true;
    }
    for (int c = 'a'; c <= 'z'; ++c) {
        table[c] = true;
        table[c - 'a' + 'A'] = true;
    }
    for (char c : std::string_view("!#$%&'*+-.^_`|~")) {
        table[static_cast<unsigned char>(c)] = true;
    }
    return table;
}
constexpr std::array<bool, 256> kTokenChar = makeTokenTable();

bool isToken(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return kTokenChar[static_cast<unsigned char>(c)]; });
}

bool isFieldValue(std::string_view s) {
    // VCHAR, SP, HTAB and obs-text; in particular no CR, LF or NUL inside a value.
    return std::all_of(s.begin(), s.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c == '\t' || (c >= 0x20 && c != 0x7f);
    });
}

bool equalsIgnoreCase(std::string_view a, std::string_view lowerB) {
    if (a.size() != lowerB.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != lowerB[i]) {
            return false;
        }
    }
    return true;
}

std::string_view trimOws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// Parses one request head at the start of `buf`. `scanned` is how many bytes earlier calls already searched for
// the blank line, so a head trickling in byte by byte is not rescanned from the start each time.
Parse parseHead(std::string_view buf, size_t& scanned, Request& req, size_t& headLen, Canned& error) {
    const size_t from = scanned >= 3 ? scanned - 3 : 0;
    const void* found = from < buf.size() ? ::memmem(buf.data() + from, buf.size() - from, "\r\n\r\n", 4) : nullptr;
    if (found == nullptr) {
        scanned = buf.size();
        // A request starts with a method token: bytes that cannot begin one (a TLS ClientHello sent to this
        // plain-http port, say) are refused at once, as nginx does, instead of waited on until a timeout.
        const std::string_view start = buf.substr(0, std::min(buf.find(' '), buf.size()));
        if (!start.empty() && start.front() != '\r' && start.front() != '\n' && !isToken(start)) {
            error = kBadRequest;
            return Parse::Error;
        }
        if (buf.size() >= kMaxHeadBytes) {
            error = kHeadTooLarge;
            return Parse::Error;
        }
        return Parse::Incomplete;
    }
    headLen = static_cast<size_t>(static_cast<const char*>(found) - buf.data()) + 4;
    if (headLen > kMaxHeadBytes) {
        error = kHeadTooLarge;
        return Parse::Error;
    }
    error = kBadRequest;
    const std::string_view head = buf.substr(0, headLen - 2); // every line, each ending in CRLF
    req = Request{};

    // Request line: method SP request-target SP HTTP-version
    size_t lineEnd = head.find("\r\n");
    const std::string_view line = head.substr(0, lineEnd);
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) {
        return Parse::Error;
    }
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    const auto visible = [](char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7f; };
    if (!isToken(method) || target.empty() || !std::all_of(target.begin(), target.end(), visible)) {
        return Parse::Error;
    }
    if (version == "HTTP/1.1") {
        req.keepAlive = true;
    } else if (version == "HTTP/1.0") {
        req.http10 = true;
        req.keepAlive = false;
    } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[5] >= '0' && version[5] <= '9' &&
               version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
        error = kBadVersion;
        return Parse::Error;
    } else {
        return Parse::Error;
    }
    req.head = method == "HEAD";

    bool haveLength = false;
    size_t pos = lineEnd + 2;
    while (pos < head.size()) {
        lineEnd = head.find("\r\n", pos);
        const std::string_view field = head.substr(pos, lineEnd - pos);
        pos = lineEnd + 2;
        if (field.empty() || field.front() == ' ' || field.front() == '\t') {
            return Parse::Error; // obsolete line folding is not worth the ambiguity
        }
        const size_t colon = field.find(':');
        if (colon == std::string_view::npos) {
            return Parse::Error;
        }
        const std::string_view name = field.substr(0, colon);
        const std::string_view value = trimOws(field.substr(colon + 1));
        if (!isToken(name) || !isFieldValue(value)) {
            return Parse::Error;
        }
        switch (name.size()) {
        case 14:
            if (equalsIgnoreCase(name, "content-length")) {
                if (value.empty() || value.size() > 18 ||
                    !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                    return Parse::Error;
                }
                uint64_t length = 0;
                for (char c : value) {
                    length = length * 10 + static_cast<uint64_t>(c - '0');
                }
                if (haveLength && length != req.contentLength) {
                    return Parse::Error;
                }
                haveLength = true;
                req.contentLength = length;
            }
            break;
        case 17:
            if (equalsIgnoreCase(name, "transfer-encoding")) {
                // Chunked request bodies are not supported: refuse rather than misframe what follows.
                error = kNotImplemented;
                return Parse::Error;
            }
            break;
        case 10:
            if (equalsIgnoreCase(name, "connection")) {
                std::string_view rest = value;
                while (!rest.empty()) {
                    const size_t comma = rest.find(',');
                    const std::string_view option = trimOws(rest.substr(0, comma));
                    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
                    if (equalsIgnoreCase(option, "close")) {
                        req.keepAlive = false;
                        break; // close wins whatever else is listed
                    }
                    if (equalsIgnoreCase(option, "keep-alive")) {
                        req.keepAlive = true;
                    }
                }
            }
            break;
        case 6:
            if (equalsIgnoreCase(name, "expect") && equalsIgnoreCase(value, "100-continue")) {
                req.expectContinue = !req.http10;
            }
            break;
        default: break;
        }
    }
    return Parse::Complete;
}

// ---------------------------------------------------------------------------------------------------------------

// Immutable during a run, shared by all loops.
struct Shared {
    TargetOptions options;
    std::array<CannedResponse, kCannedCount> canned;
    bool timed = false; // any knob that can hold a response; when false every response is written at once
    Clock::time_point pauseBegin;
    Clock::time_point pauseEnd;
    UniqueFd stopEvent; // level-triggered in every loop: one write wakes them all for good
    SSL_CTX* tls = nullptr; // owned by TargetServer::Impl; null for plain http
    alignas(64) std::atomic<uint64_t> closeCounter{0};
    alignas(64) std::atomic<uint64_t> stallCounter{0};
    std::atomic<uint64_t> tlsHandshakes{0}; // once per connection: off the per-request path
    std::atomic<uint64_t> tlsResumed{0};
};

class Worker {
public:
    Worker(Shared& shared, int index, UniqueFd listener)
        : shared_(shared)
        , listener_(std::move(listener))
        , rng_(static_cast<std::minstd_rand::result_type>(0x2545F491u + 7919u * static_cast<unsigned>(index)))
        , jitter_(-shared.options.jitter.count(), shared.options.jitter.count()) {
        timers_.reserve(1024);
    }

    bool init(std::string* error) {
        epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
        spare_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        if (!epoll_) {
            *error = std::string("epoll_create1 failed: ") + errorText(errno);
            return false;
        }
        epoll_event listenEvent{};
        listenEvent.events = EPOLLIN; // level-triggered: a backlog left over after a capped accept batch re-reports
        listenEvent.data.u64 = kListenKey;
        epoll_event stopEvent{};
        stopEvent.events = EPOLLIN;
        stopEvent.data.u64 = kStopKey;
        if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, listener_.get(), &listenEvent) != 0 ||
            ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, shared_.stopEvent.get(), &stopEvent) != 0) {
            *error = std::string("epoll_ctl failed: ") + errorText(errno);
            return false;
        }
        return true;
    }

    void run() {
        // OpenSSL writes with write(), not send(MSG_NOSIGNAL): a client gone mid-response must cost this loop an
        // EPIPE, not the process a SIGPIPE (which is raised in, and now held pending by, the writing thread).
        sigset_t brokenPipe;
        sigemptyset(&brokenPipe);
        sigaddset(&brokenPipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &brokenPipe, nullptr);
        std::array<epoll_event, 256> events{};
        bool running = true;
        while (running) {
            const int n = wait(events.data(), static_cast<int>(events.size()));
            if (n < 0 && errno != EINTR) {
                break;
            }
            for (int i = 0; i < n; ++i) {
                const uint64_t key = events[static_cast<size_t>(i)].data.u64;
                if (key == kStopKey) {
                    running = false;
                    break;
                }
                if (key == kListenKey) {
                    acceptAll();
                } else {
                    onConnectionEvent(key, events[static_cast<size_t>(i)].events);
                }
            }
            if (running) {
                fireTimers();
            }
        }
        // Close everything here, in the loop's own thread, so that a finished join means closed sockets.
        conns_.clear();
        listener_.reset();
        epoll_.reset();
        spare_.reset();
    }

    [[nodiscard]] uint64_t served() const { return served_.load(std::memory_order_relaxed); }

private:
    struct Reply {
        uint8_t canned = kNormal;
        bool head = false;
        bool close = false;
    };

    // One per fd number, reused across connections so buffers keep their capacity.
    struct Conn {
        UniqueFd fd;
        SslPtr ssl; // declared after fd so that it is freed before the socket closes
        uint32_t generation = 0; // bumped on close; stale events and timers carry the old value
        std::vector<char> in = std::vector<char>(kInitialInBuffer);
        size_t inBegin = 0;
        size_t inEnd = 0;
        size_t scanned = 0;            // bytes of the current partial head already searched
        std::vector<iovec> out;        // queued canned responses, sent with one sendmsg
        size_t outHead = 0;            // first unsent entry of `out`
        bool readable = false;         // the socket may hold unread bytes (edge-triggered bookkeeping)
        bool writeBlocked = false;     // last send hit EAGAIN; EPOLLOUT resumes
        bool peerClosed = false;
        bool closeAfterWrite = false;
        bool waiting = false;          // a held response is in the timer heap; the connection is not read meanwhile
        bool lingering = false;        // our side is shut down; input is discarded until EOF or a timeout
        bool bodyPending = false;      // `bodyRequest` is answered once its remaining body bytes are skipped
        bool handshaking = false;      // TLS: no request is read before the handshake completes
        bool tlsWantsOtherWay = false; // SSL_read had to write or SSL_write to read: any event may unblock either
        uint64_t bodyLeft = 0;
        Request bodyRequest;
        Reply held;
    };

    struct Timer {
        Clock::time_point deadline;
        int fd;
        uint32_t generation;
    };
    static bool laterDeadline(const Timer& a, const Timer& b) { return a.deadline > b.deadline; }

    int wait(epoll_event* events, int capacity) {
        if (timers_.empty()) {
            return ::epoll_wait(epoll_.get(), events, capacity, -1);
        }
        const auto left = std::max(Clock::duration::zero(), timers_.front().deadline - Clock::now());
        const auto capped = std::min<Clock::duration>(left, std::chrono::hours(1));
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
        // epoll_wait only has millisecond resolution, which would make every held response up to 1 ms late.
        if (havePwait2_) {
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(capped).count();
            const timespec timeout{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
            const int n = ::epoll_pwait2(epoll_.get(), events, capacity, &timeout, nullptr);
            if (n >= 0 || errno != ENOSYS) {
                return n;
            }
            havePwait2_ = false;
        }
#endif
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(capped).count();
        return ::epoll_wait(epoll_.get(), events, capacity, static_cast<int>(ms));
    }

    void acceptAll() {
        for (int i = 0; i < kMaxAcceptsPerWakeup; ++i) {
            const int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) {
                    continue;
                }
                if ((errno == EMFILE || errno == ENFILE) && spare_) {
                    // Out of descriptors: accept and drop one connection with the spare, otherwise the
                    // level-triggered listener would spin at full CPU until something else closes.
                    spare_.reset();
                    UniqueFd dropped(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
                    dropped.reset();
                    spare_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
                }
                return;
            }
            addConnection(UniqueFd(fd));
        }
    }

    void addConnection(UniqueFd fd) {
        const int one = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const auto slot = static_cast<size_t>(fd.get());
        if (slot >= conns_.size()) {
            conns_.resize(std::max(slot + 1, conns_.size() * 2));
        }
        if (!conns_[slot]) {
            conns_[slot] = std::make_unique<Conn>();
        }
        Conn& c = *conns_[slot];
        SslPtr ssl;
        if (shared_.tls != nullptr) {
            ssl.reset(SSL_new(shared_.tls));
            if (!ssl || SSL_set_fd(ssl.get(), fd.get()) != 1) {
                ERR_clear_error();
                return; // fd closes on scope exit
            }
            SSL_set_accept_state(ssl.get());
        }
        // Edge-triggered with both directions registered once: no epoll_ctl per request or per blocked write.
        epoll_event event{};
        event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        event.data.u64 = (static_cast<uint64_t>(c.generation) << 32) | slot;
        if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd.get(), &event) != 0) {
            return; // fd closes on scope exit
        }
        c.fd = std::move(fd);
        c.ssl = std::move(ssl);
        c.handshaking = c.ssl != nullptr; // the EPOLLOUT reported on registration starts it
    }

    void closeConnection(Conn& c) {
        c.ssl.reset();
        c.fd.reset(); // also removes it from the epoll set
        ++c.generation;
        c.inBegin = c.inEnd = c.scanned = 0;
        if (c.in.size() > kInitialInBuffer) {
            c.in.assign(kInitialInBuffer, '\0');
        }
        c.out.clear();
        c.outHead = 0;
        c.readable = c.writeBlocked = c.peerClosed = c.closeAfterWrite = c.waiting = c.bodyPending = false;
        c.lingering = c.handshaking = c.tlsWantsOtherWay = false;
        c.bodyLeft = 0;
    }

    // Closing a socket whose receive queue still holds data makes the kernel send a reset, which can destroy the
    // response we just wrote before the client reads it (a 400 after a half-sent request, a Connection: close
    // answered while the client still sends). So close gracefully: shut our side down, discard whatever the
    // client still sends until it closes too, and give up after kLingerFor.
    void finishConnection(Conn& c) {
        if (c.ssl) {
            // The TLS form of the FIN below, sent once and not waited for: clients that insist on close_notify
            // before EOF then take the last response as complete.
            SSL_shutdown(c.ssl.get());
            ERR_clear_error();
        }
        if (::shutdown(c.fd.get(), SHUT_WR) != 0) {
            closeConnection(c);
            return;
        }
        c.lingering = true;
        c.closeAfterWrite = false;
        timers_.push_back(Timer{Clock::now() + kLingerFor, c.fd.get(), c.generation});
        std::push_heap(timers_.begin(), timers_.end(), laterDeadline);
        discardInput(c);
    }

    // Raw reads even under TLS: after our side is shut down nothing is decrypted any more, only drained.
    void discardInput(Conn& c) {
        for (int i = 0; i < kMaxLingerReads; ++i) {
            const ssize_t n = ::recv(c.fd.get(), c.in.data(), c.in.size(), 0);
            if (n > 0 || (n < 0 && errno == EINTR)) {
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                return;
            }
            closeConnection(c); // EOF or error: the client is done
            return;
        }
        // Still flooding after many reads: leave the rest to the linger timer rather than starve the loop.
    }

    void onConnectionEvent(uint64_t key, uint32_t events) {
        const auto slot = static_cast<size_t>(key & 0xffffffffu);
        if (slot >= conns_.size() || !conns_[slot]) {
            return;
        }
        Conn& c = *conns_[slot];
        if (!c.fd || c.generation != static_cast<uint32_t>(key >> 32)) {
            return;
        }
        if ((events & EPOLLERR) != 0) {
            closeConnection(c);
            return;
        }
        if (c.lingering) {
            discardInput(c);
            return;
        }
        if (c.handshaking) {
            handshake(c); // retried on any event: a wrong one only costs a call that wants the same again
            return;
        }
        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) != 0 || c.tlsWantsOtherWay) {
            c.readable = true;
        }
        if ((events & EPOLLOUT) != 0 || c.tlsWantsOtherWay) {
            c.writeBlocked = false;
        }
        c.tlsWantsOtherWay = false;
        drive(c);
    }

    void handshake(Conn& c) {
        const int rc = SSL_do_handshake(c.ssl.get());
        if (rc == 1) {
            c.handshaking = false;
            shared_.tlsHandshakes.fetch_add(1, std::memory_order_relaxed);
            if (SSL_session_reused(c.ssl.get()) == 1) {
                shared_.tlsResumed.fetch_add(1, std::memory_order_relaxed);
            }
            // The first request may already wait behind the client's Finished, announced by an event now consumed.
            c.readable = true;
            drive(c);
            return;
        }
        const int error = SSL_get_error(c.ssl.get(), rc);
        ERR_clear_error(); // a stale entry would make the next SSL_get_error on this thread lie
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
            closeConnection(c); // plain http, a scanner, a client refusing our certificate: nothing to answer
        }
    }

    // Edge-triggered epoll never announces bytes OpenSSL has already decrypted, so they count as readable too.
    static bool mayRead(const Conn& c) { return c.readable || (c.ssl && SSL_pending(c.ssl.get()) > 0); }

    // recv()-like over plain or TLS connections: bytes read, 0 at the end of the stream, or -1 with errno.
    static ssize_t readSome(Conn& c, char* into, size_t size) {
        if (!c.ssl) {
            return ::recv(c.fd.get(), into, size, 0);
        }
        errno = 0;
        const int n = SSL_read(c.ssl.get(), into, static_cast<int>(std::min<size_t>(size, INT_MAX)));
        return n > 0 ? n : tlsFailure(c, n, true);
    }

    // Writes from the front of the queue: one sendmsg over all of it on plain connections; under TLS one SSL_write
    // of the first entry, which stays untouched after a WANT_WRITE and so is retried with the same bytes, as
    // OpenSSL requires.
    static ssize_t writeSome(Conn& c) {
        if (c.ssl) {
            const iovec& first = c.out[c.outHead];
            errno = 0;
            const int size = static_cast<int>(std::min<size_t>(first.iov_len, INT_MAX));
            const int n = SSL_write(c.ssl.get(), first.iov_base, size);
            return n > 0 ? n : tlsFailure(c, n, false);
        }
        msghdr msg{};
        msg.msg_iov = c.out.data() + c.outHead;
        msg.msg_iovlen = std::min<size_t>(c.out.size() - c.outHead, IOV_MAX);
        return ::sendmsg(c.fd.get(), &msg, MSG_NOSIGNAL);
    }

    // Maps a failed SSL_read/SSL_write onto recv()/send() conventions, so the loop has one error path for both.
    static ssize_t tlsFailure(Conn& c, int rc, bool reading) {
        const int sysError = errno;
        const int error = SSL_get_error(c.ssl.get(), rc);
        ERR_clear_error();
        switch (error) {
        case SSL_ERROR_WANT_READ:
        case SSL_ERROR_WANT_WRITE:
            if (reading ? error == SSL_ERROR_WANT_WRITE : error == SSL_ERROR_WANT_READ) {
                c.tlsWantsOtherWay = true; // a TLS 1.3 key update answered from within SSL_read, say
            }
            errno = EAGAIN;
            return -1;
        case SSL_ERROR_ZERO_RETURN: // close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) a plain close
            if (reading) {
                return 0;
            }
            break;
        case SSL_ERROR_SYSCALL:
            if (reading && sysError == 0) {
                return 0;
            }
            break;
        default: break;
        }
        errno = ECONNRESET;
        return -1;
    }

    // Moves a connection forward as far as it can go without blocking: answer what is buffered, write, read more.
    // Returns after the connection is closed, blocked on writing, holding a delayed response, or out of input.
    void drive(Conn& c) {
        for (;;) {
            if (!c.waiting && !c.closeAfterWrite) {
                handleInput(c);
            }
            if (c.outHead < c.out.size() && !c.writeBlocked && !flush(c)) {
                return; // closed
            }
            if (c.writeBlocked) {
                return; // also our backpressure: no reading while the peer is not reading
            }
            if (c.closeAfterWrite) {
                finishConnection(c);
                return;
            }
            if (c.peerClosed && !c.waiting) {
                closeConnection(c); // everything it sent was answered; nothing is left unread
                return;
            }
            if (c.waiting || !mayRead(c)) {
                return;
            }
            if (!readInput(c)) {
                return; // closed
            }
        }
    }

    bool readInput(Conn& c) {
        if (c.inEnd == c.in.size()) {
            if (c.inBegin > 0) {
                std::memmove(c.in.data(), c.in.data() + c.inBegin, c.inEnd - c.inBegin);
                c.inEnd -= c.inBegin;
                c.inBegin = 0;
            } else {
                // Only a partial head can be buffered here, and heads are capped, so this growth is bounded.
                c.in.resize(c.in.size() * 2);
            }
        }
        const size_t space = c.in.size() - c.inEnd;
        const ssize_t n = readSome(c, c.in.data() + c.inEnd, space);
        if (n > 0) {
            c.inEnd += static_cast<size_t>(n);
            // A short read drained the socket; with edge triggering the next arrival raises a new event. Not so for
            // SSL_read, which returns one record at a time: under TLS only EAGAIN says the socket is empty.
            if (!c.ssl && static_cast<size_t>(n) < space) {
                c.readable = false;
            }
            return true;
        }
        if (n == 0) {
            c.peerClosed = true;
            c.readable = false;
            return true;
        }
        if (errno == EINTR) {
            return true;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            c.readable = false;
            return true;
        }
        closeConnection(c);
        return false;
    }

    // Answers (or holds) every complete request in the buffer, in order, stopping at the first held one.
    void handleInput(Conn& c) {
        while (!c.waiting && !c.closeAfterWrite) {
            if (c.bodyPending) {
                const uint64_t take = std::min<uint64_t>(c.bodyLeft, c.inEnd - c.inBegin);
                c.inBegin += static_cast<size_t>(take);
                c.bodyLeft -= take;
                if (c.bodyLeft > 0) {
                    break;
                }
                c.bodyPending = false;
                dispatch(c, c.bodyRequest);
                continue;
            }
            // Stray CRLFs between requests are tolerated, as RFC 9112 asks.
            while (c.inEnd - c.inBegin >= 2 && c.in[c.inBegin] == '\r' && c.in[c.inBegin + 1] == '\n') {
                c.inBegin += 2;
                c.scanned = 0;
            }
            if (c.inBegin == c.inEnd) {
                break;
            }
            Request req;
            size_t headLen = 0;
            Canned error = kBadRequest;
            const std::string_view buffered(c.in.data() + c.inBegin, c.inEnd - c.inBegin);
            const Parse result = parseHead(buffered, c.scanned, req, headLen, error);
            if (result == Parse::Incomplete) {
                break;
            }
            if (result == Parse::Error) {
                c.inBegin = c.inEnd;
                queue(c, Reply{error, false, true});
                break;
            }
            c.inBegin += headLen;
            c.scanned = 0;
            const uint64_t take = std::min<uint64_t>(req.contentLength, c.inEnd - c.inBegin);
            c.inBegin += static_cast<size_t>(take);
            if (take < req.contentLength) {
                // The body is skipped as it arrives instead of buffered, so uploads of any size cost no memory.
                c.bodyPending = true;
                c.bodyLeft = req.contentLength - take;
                c.bodyRequest = req;
                if (req.expectContinue) {
                    c.out.push_back(iovec{const_cast<char*>(kContinue.data()), kContinue.size()});
                }
                break;
            }
            dispatch(c, req);
        }
        if (c.inBegin == c.inEnd) {
            c.inBegin = c.inEnd = 0;
        }
    }

    // Decides the response to a complete request and either queues it now or holds it in the timer heap.
    void dispatch(Conn& c, const Request& req) {
        const TargetOptions& o = shared_.options;
        Reply reply;
        reply.head = req.head;
        const bool failed = o.errorRate > 0.0 && (o.errorRate >= 1.0 || unit_(rng_) < o.errorRate);
        reply.close = !req.keepAlive;
        if (o.closeEvery > 0 && (shared_.closeCounter.fetch_add(1, std::memory_order_relaxed) + 1) % o.closeEvery == 0) {
            reply.close = true;
        }
        const ConnMode mode = reply.close ? kClose : (req.http10 ? kKeepAliveExplicit : kKeepAlive);
        reply.canned = static_cast<uint8_t>((failed ? kFailure : kNormal) + mode);
        if (!shared_.timed) {
            queue(c, reply);
            return;
        }

        microseconds hold = o.delay;
        if (o.jitter.count() > 0) {
            hold = std::max(microseconds::zero(), hold + microseconds(jitter_(rng_)));
        }
        if (o.stallEvery > 0 &&
            (shared_.stallCounter.fetch_add(1, std::memory_order_relaxed) + 1) % o.stallEvery == 0) {
            hold += o.stallFor;
        }
        const Clock::time_point now = Clock::now();
        Clock::time_point deadline = now + hold;
        if (o.pause && deadline >= shared_.pauseBegin && deadline < shared_.pauseEnd) {
            deadline = shared_.pauseEnd;
        }
        if (deadline <= now) {
            queue(c, reply);
            return;
        }
        c.held = reply;
        c.waiting = true;
        timers_.push_back(Timer{deadline, c.fd.get(), c.generation});
        std::push_heap(timers_.begin(), timers_.end(), laterDeadline);
    }

    void queue(Conn& c, const Reply& reply) {
        const CannedResponse& r = shared_.canned[reply.canned];
        c.out.push_back(iovec{const_cast<char*>(r.bytes.data()), reply.head ? r.headerLen : r.bytes.size()});
        if (reply.close) {
            c.closeAfterWrite = true;
        }
    }

    void fireTimers() {
        if (timers_.empty()) {
            return;
        }
        const Clock::time_point now = Clock::now();
        while (!timers_.empty() && timers_.front().deadline <= now) {
            std::pop_heap(timers_.begin(), timers_.end(), laterDeadline);
            const Timer timer = timers_.back();
            timers_.pop_back();
            Conn& c = *conns_[static_cast<size_t>(timer.fd)];
            if (!c.fd || c.generation != timer.generation) {
                continue; // the connection went away while its response was held
            }
            if (c.lingering) {
                closeConnection(c);
                continue;
            }
            if (!c.waiting) {
                continue;
            }
            c.waiting = false;
            queue(c, c.held);
            drive(c);
        }
    }

    // Writes queued responses; false when the connection had to be closed.
    bool flush(Conn& c) {
        while (c.outHead < c.out.size()) {
            ssize_t n = writeSome(c);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    c.writeBlocked = true;
                    return true;
                }
                closeConnection(c);
                return false;
            }
            uint64_t completed = 0;
            while (n > 0) {
                iovec& v = c.out[c.outHead];
                const size_t part = std::min(static_cast<size_t>(n), v.iov_len);
                v.iov_base = static_cast<char*>(v.iov_base) + part;
                v.iov_len -= part;
                n -= static_cast<ssize_t>(part);
                if (v.iov_len == 0) {
                    // An interim 100 Continue is not a response; it ends exactly at the end of kContinue.
                    if (v.iov_base != kContinue.data() + kContinue.size()) {
                        ++completed;
                    }
                    ++c.outHead;
                }
            }
            // Only this thread writes its counter, so a plain store avoids a locked instruction per flush.
            served_.store(served_.load(std::memory_order_relaxed) + completed, std::memory_order_relaxed);
        }
        c.out.clear();
        c.outHead = 0;
        return true;
    }

    Shared& shared_;
    UniqueFd listener_;
    UniqueFd epoll_;
    UniqueFd spare_; // released to accept-and-drop when out of descriptors
    std::vector<std::unique_ptr<Conn>> conns_;
    std::vector<Timer> timers_; // min-heap on deadline
    std::minstd_rand rng_;
    std::uniform_int_distribution<int64_t> jitter_;
    std::uniform_real_distribution<double> unit_{0.0, 1.0};
    bool havePwait2_ = true;
    alignas(64) std::atomic<uint64_t> served_{0};
};

std::string formatDuration(microseconds d) {
    const auto us = d.count();
    if (us == 0) {
        return "0";
    }
    if (us >= 1'000'000) {
        return units::shortest(static_cast<double>(us) / 1e6) + "s";
    }
    if (us >= 1000) {
        return units::shortest(static_cast<double>(us) / 1e3) + "ms";
    }
    return std::to_string(us) + "us";
}

std::string validate(const TargetOptions& o) {
    if (o.threads < 1 || o.threads > 1024) {
        return "threads must be between 1 and 1024";
    }
    if (o.status < 200 || o.status > 599) {
        return "status must be between 200 and 599";
    }
    if (!(o.errorRate >= 0.0 && o.errorRate <= 1.0)) {
        return "error rate must be between 0 and 1";
    }
    if (o.delay.count() < 0 || o.jitter.count() < 0 || o.stallFor.count() < 0) {
        return "delay, jitter and stall duration must not be negative";
    }
    if (o.pause && (o.pause->after.count() < 0 || o.pause->duration.count() < 0)) {
        return "pause start and duration must not be negative";
    }
    if (o.bodySize && *o.bodySize > (size_t{1} << 30)) {
        return "body size must be at most 1 GiB";
    }
    if (o.tlsCertFile.empty() != o.tlsKeyFile.empty()) {
        return "TLS needs both a certificate file and a key file";
    }
    return {};
}

// The first error OpenSSL queued names the cause ("No such file or directory", "no start line"); later entries
// only say which layer gave up.
std::string tlsErrorReason() {
    const unsigned long error = ERR_get_error();
    ERR_clear_error();
    if (error == 0) {
        return "unknown error";
    }
    if (ERR_SYSTEM_ERROR(error)) {
        return errorText(ERR_GET_REASON(error)); // ERR_reason_error_string() has no text for these
    }
    const char* reason = ERR_reason_error_string(error);
    return reason != nullptr ? reason : "unknown error";
}

// Only HTTP/1.1 is spoken; a client that does not offer it gets no ALPN answer rather than a failed handshake.
int selectHttp11(SSL* /*ssl*/, const unsigned char** out, unsigned char* outLen, const unsigned char* offered,
                 unsigned int offeredLen, void* /*arg*/) {
    static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    unsigned char* chosen = nullptr;
    if (SSL_select_next_proto(&chosen, outLen, kHttp11, sizeof kHttp11, offered, offeredLen) !=
        OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

// One context for all loops, so a session resumed on any thread was cached (or its ticket sealed) by the same one.
SslContextPtr makeTlsContext(const TargetOptions& o, std::string* error) {
    ERR_clear_error();
    SslContextPtr context(SSL_CTX_new(TLS_server_method()));
    if (!context) {
        *error = "cannot set up TLS: " + tlsErrorReason();
        return {};
    }
    SSL_CTX* ctx = context.get();
    // An encrypted key fails with a reason instead of prompting on the terminal of a server nobody watches.
    SSL_CTX_set_default_passwd_cb(ctx, [](char*, int, int, void*) { return 0; });
    if (SSL_CTX_use_certificate_chain_file(ctx, o.tlsCertFile.c_str()) != 1) {
        *error = "cannot load TLS certificate " + o.tlsCertFile + ": " + tlsErrorReason();
        return {};
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, o.tlsKeyFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        *error =
            "cannot load TLS certificate " + o.tlsCertFile + " with key " + o.tlsKeyFile + ": " + tlsErrorReason();
        return {};
    }
    // Clients that close without close_notify end the stream as on plain TCP; renegotiation would let a client
    // make SSL_write wait for reads, for nothing a calibration target needs.
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_alpn_select_cb(ctx, &selectHttp11, nullptr);
    // Session resumption (server cache and tickets) is on by default, as for the servers this one stands in for.
    return context;
}

std::string bindFailure(int err, const std::string& address, uint16_t port) {
    switch (err) {
    case EADDRINUSE: return "port " + std::to_string(port) + " is already in use";
    case EACCES: return "permission denied binding port " + std::to_string(port) + " (ports below 1024 need privileges)";
    case EADDRNOTAVAIL: return "address " + address + " is not available on this machine";
    default: return "cannot bind " + address + ":" + std::to_string(port) + ": " + errorText(err);
    }
}

void setPort(sockaddr_storage& addr, uint16_t port) {
    if (addr.ss_family == AF_INET6) {
        reinterpret_cast<sockaddr_in6&>(addr).sin6_port = htons(port);
    } else {
        reinterpret_cast<sockaddr_in&>(addr).sin_port = htons(port);
    }
}

} // namespace

struct TargetServer::Impl {
    std::mutex mutex; // serialises start() and stop()
    SslContextPtr tlsContext; // before `shared`, which points to it, so that it is destroyed after
    std::unique_ptr<Shared> shared;
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::thread> threads;
    std::atomic<uint16_t> port{0};
    std::atomic<uint64_t> servedBefore{0}; // from earlier runs, so the count survives a restart
    std::atomic<bool> running{false};

    void joinAll() {
        if (shared && shared->stopEvent) {
            const uint64_t one = 1;
            [[maybe_unused]] const ssize_t written = ::write(shared->stopEvent.get(), &one, sizeof one);
        }
        for (std::thread& t : threads) {
            t.join();
        }
        threads.clear();
    }
};

TargetServer::TargetServer(TargetOptions options)
    : options_(std::move(options))
    , impl_(std::make_unique<Impl>()) {}

TargetServer::~TargetServer() { stop(); }

bool TargetServer::start(std::string* error) {
    std::lock_guard lock(impl_->mutex);
    Impl& impl = *impl_;
    auto fail = [&](std::string reason) {
        if (error != nullptr) {
            *error = std::move(reason);
        }
        return false;
    };
    if (impl.running) {
        return fail("the target is already running");
    }
    if (std::string invalid = validate(options_); !invalid.empty()) {
        return fail(invalid);
    }
    SslContextPtr tlsContext;
    if (!options_.tlsCertFile.empty()) {
        std::string reason;
        tlsContext = makeTlsContext(options_, &reason);
        if (!tlsContext) {
            return fail(reason);
        }
    }

    // Fold the previous run's count in before its workers go away.
    uint64_t previous = 0;
    for (const auto& w : impl.workers) {
        previous += w->served();
    }
    impl.servedBefore.fetch_add(previous, std::memory_order_relaxed);
    impl.workers.clear();

    const std::string host = options_.bindAddress.empty() ? "0.0.0.0" : options_.bindAddress;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0 || found == nullptr) {
        return fail("cannot resolve bind address '" + host + "': " + ::gai_strerror(rc));
    }
    sockaddr_storage addr{};
    const socklen_t addrLen = found->ai_addrlen;
    std::memcpy(&addr, found->ai_addr, found->ai_addrlen);
    ::freeaddrinfo(found);

    auto openSocket = [&](bool reusePort, UniqueFd& out) -> int {
        out.reset(::socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        if (!out) {
            return errno;
        }
        const int one = 1;
        ::setsockopt(out.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (reusePort) {
            ::setsockopt(out.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        }
        if (::bind(out.get(), reinterpret_cast<const sockaddr*>(&addr), addrLen) != 0) {
            return errno;
        }
        return 0;
    };

    uint16_t port = options_.port;
    if (port != 0) {
        // SO_REUSEPORT would let us silently share a port with another reuseport listener of the same user (a
        // second target, say). A plain bind conflicts with any listener, so it tells us the port is really free.
        setPort(addr, port);
        UniqueFd probe;
        if (const int err = openSocket(false, probe); err != 0) {
            return fail(bindFailure(err, host, port));
        }
    }

    auto shared = std::make_unique<Shared>();
    shared->options = options_;
    shared->tls = tlsContext.get();
    std::vector<UniqueFd> listeners;
    for (int i = 0; i < options_.threads; ++i) {
        setPort(addr, port);
        UniqueFd listener;
        if (const int err = openSocket(true, listener); err != 0) {
            return fail(bindFailure(err, host, port));
        }
        if (::listen(listener.get(), kListenBacklog) != 0) {
            return fail(bindFailure(errno, host, port));
        }
        if (port == 0) {
            sockaddr_storage bound{};
            socklen_t boundLen = sizeof bound;
            ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&bound), &boundLen);
            port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6&>(bound).sin6_port
                                                     : reinterpret_cast<const sockaddr_in&>(bound).sin_port);
        }
        listeners.push_back(std::move(listener));
    }

    const TargetOptions& o = options_;
    const std::string body = o.bodySize ? std::string(*o.bodySize, 'x') : R"({"message":"Hello, World!"})";
    const std::string_view type = o.bodySize ? "text/plain" : "application/json";
    for (ConnMode mode : {kKeepAlive, kClose, kKeepAliveExplicit}) {
        shared->canned[kNormal + mode] = buildResponse(o.status, type, body, mode);
        shared->canned[kFailure + mode] =
            buildResponse(500, "application/json", R"({"error":"injected failure"})", mode);
    }
    shared->canned[kBadRequest] = buildResponse(400, "text/plain", "bad request\n", kClose);
    shared->canned[kHeadTooLarge] = buildResponse(431, "text/plain", "request head too large\n", kClose);
    shared->canned[kNotImplemented] =
        buildResponse(501, "text/plain", "chunked request bodies are not supported\n", kClose);
    shared->canned[kBadVersion] = buildResponse(505, "text/plain", "only HTTP/1.0 and HTTP/1.1\n", kClose);
    shared->timed = o.delay.count() > 0 || o.jitter.count() > 0 || (o.stallEvery > 0 && o.stallFor.count() > 0) ||
                    (o.pause && o.pause->duration.count() > 0);
    const Clock::time_point started = Clock::now();
    if (o.pause) {
        shared->pauseBegin = started + o.pause->after;
        shared->pauseEnd = shared->pauseBegin + o.pause->duration;
    }
    shared->stopEvent.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!shared->stopEvent) {
        return fail(std::string("eventfd failed: ") + errorText(errno));
    }

    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < o.threads; ++i) {
        auto worker = std::make_unique<Worker>(*shared, i, std::move(listeners[static_cast<size_t>(i)]));
        std::string reason;
        if (!worker->init(&reason)) {
            return fail(reason);
        }
        workers.push_back(std::move(worker));
    }

    impl.tlsContext = std::move(tlsContext);
    impl.shared = std::move(shared);
    impl.workers = std::move(workers);
    try {
        for (const auto& w : impl.workers) {
            impl.threads.emplace_back([worker = w.get()] { worker->run(); });
        }
    } catch (const std::system_error& e) {
        impl.joinAll();
        return fail(std::string("cannot start threads: ") + e.what());
    }
    impl.port.store(port, std::memory_order_relaxed);
    impl.running = true;
    return true;
}

void TargetServer::stop() {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->running) {
        return;
    }
    impl_->joinAll();
    impl_->running = false;
}

uint16_t TargetServer::port() const { return impl_->port.load(std::memory_order_relaxed); }

uint64_t TargetServer::requestsServed() const {
    uint64_t total = impl_->servedBefore.load(std::memory_order_relaxed);
    for (const auto& w : impl_->workers) {
        total += w->served();
    }
    return total;
}

TargetServer::TlsCounts TargetServer::tlsHandshakes() const {
    if (!impl_->shared) {
        return {};
    }
    return {impl_->shared->tlsHandshakes.load(std::memory_order_relaxed),
            impl_->shared->tlsResumed.load(std::memory_order_relaxed)};
}

const TargetOptions& TargetServer::options() const { return options_; }

bool TargetServer::isRunning() const { return impl_->running.load(); }

std::string describe(const TargetOptions& o) {
    std::string s = "delay " + formatDuration(o.delay) + ", jitter " + formatDuration(o.jitter) + ", status " +
                    std::to_string(o.status);
    s += ", error-rate ";
    s += units::shortest(o.errorRate * 100.0) + "%";
    s += o.bodySize ? ", body " + std::to_string(*o.bodySize) + "B" : std::string(", body json");
    s += o.closeEvery > 0 ? ", close-every " + std::to_string(o.closeEvery) : std::string(", close-every off");
    if (o.stallEvery > 0 && o.stallFor.count() > 0) {
        s += ", stall 1/" + std::to_string(o.stallEvery) + " +" + formatDuration(o.stallFor);
    } else {
        s += ", stall off";
    }
    if (o.pause && o.pause->duration.count() > 0) {
        s += ", pause " + formatDuration(o.pause->duration) + " after " + formatDuration(o.pause->after);
    } else {
        s += ", pause off";
    }
    s += ", " + std::to_string(o.threads) + (o.threads == 1 ? " thread" : " threads");
    return s;
}

} // namespace benchdeck::target
