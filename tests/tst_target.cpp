// SPDX-License-Identifier: Apache-2.0
#include "target/target_server.h"

#include <QTest>
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

using benchdeck::target::PauseSpec;
using benchdeck::target::TargetOptions;
using benchdeck::target::TargetServer;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kGet = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
constexpr std::string_view kHead = "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
constexpr std::string_view kGetClose = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
constexpr std::string_view kDefaultBody = R"({"message":"Hello, World!"})";

double msSince(Clock::time_point from) {
    return std::chrono::duration<double, std::milli>(Clock::now() - from).count();
}

struct Response {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
    std::string body;
    double ms = 0; // send to complete response, for roundTrip()

    std::optional<std::string> header(std::string_view lowerName) const {
        for (const auto& [name, value] : headers) {
            if (name == lowerName) {
                return value;
            }
        }
        return std::nullopt;
    }
    bool closes() const { return header("connection") == "close"; }
};

// Blocking HTTP/1.1 client to 127.0.0.1. Every recv is bounded by SO_RCVTIMEO so no test can hang.
class Client {
public:
    explicit Client(uint16_t port, std::chrono::milliseconds recvTimeout = 5s) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const timeval tv{static_cast<time_t>(recvTimeout.count() / 1000),
                         static_cast<suseconds_t>((recvTimeout.count() % 1000) * 1000)};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        const int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~Client() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    bool connected() const { return fd_ >= 0; }
    size_t buffered() const { return buf_.size(); }

    bool send(std::string_view data) {
        while (!data.empty()) {
            const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            data.remove_prefix(static_cast<size_t>(n));
        }
        return true;
    }

    // One full response, framed by Content-Length (none for a HEAD request); nullopt on EOF, error or timeout.
    std::optional<Response> read(bool head = false) {
        size_t headEnd;
        while ((headEnd = buf_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) {
                return std::nullopt;
            }
        }
        Response r;
        const std::string_view block(buf_.data(), headEnd + 2);
        size_t lineEnd = block.find("\r\n");
        const std::string_view statusLine = block.substr(0, lineEnd);
        if (statusLine.substr(0, 9) != "HTTP/1.1 " ||
            std::from_chars(statusLine.data() + 9, statusLine.data() + statusLine.size(), r.status).ec != std::errc{}) {
            return std::nullopt;
        }
        for (size_t pos = lineEnd + 2; pos < block.size(); pos = lineEnd + 2) {
            lineEnd = block.find("\r\n", pos);
            const std::string_view line = block.substr(pos, lineEnd - pos);
            const size_t colon = line.find(':');
            if (colon == std::string_view::npos) {
                return std::nullopt;
            }
            std::string name(line.substr(0, colon));
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') {
                value.remove_prefix(1);
            }
            r.headers.emplace_back(std::move(name), std::string(value));
        }
        size_t length = 0;
        if (const auto cl = r.header("content-length"); cl && !head) {
            if (std::from_chars(cl->data(), cl->data() + cl->size(), length).ec != std::errc{}) {
                return std::nullopt;
            }
        }
        while (buf_.size() < headEnd + 4 + length) {
            if (!fill()) {
                return std::nullopt;
            }
        }
        r.body = buf_.substr(headEnd + 4, length);
        buf_.erase(0, headEnd + 4 + length);
        return r;
    }

    std::optional<Response> roundTrip(std::string_view request = kGet) {
        const Clock::time_point t0 = Clock::now();
        if (!send(request)) {
            return std::nullopt;
        }
        auto r = read(request.substr(0, 5) == "HEAD ");
        if (r) {
            r->ms = msSince(t0);
        }
        return r;
    }

    // Raw result of one recv(): 0 means the server closed its side; -1 with errno EAGAIN means it did not.
    ssize_t recvOnce() {
        char c;
        return ::recv(fd_, &c, 1, 0);
    }

private:
    bool fill() {
        char tmp[16384];
        const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
        if (n <= 0) {
            return false;
        }
        buf_.append(tmp, static_cast<size_t>(n));
        return true;
    }

    int fd_ = -1;
    std::string buf_;
};

} // namespace

#define START_SERVER(server)                                                                                           \
    do {                                                                                                               \
        std::string startError_;                                                                                       \
        QVERIFY2((server).start(&startError_), startError_.c_str());                                                   \
        QVERIFY((server).port() != 0);                                                                                 \
    } while (false)

class TestTarget : public QObject {
    Q_OBJECT
private slots:
    void defaultResponseKeepsAlive() {
        TargetServer server(TargetOptions{});
        START_SERVER(server);
        QVERIFY(server.isRunning());
        Client client(server.port());
        QVERIFY(client.connected());
        for (int i = 0; i < 2; ++i) {
            const auto r = client.roundTrip();
            QVERIFY2(r, "no response on the kept-alive connection");
            QCOMPARE(r->status, 200);
            QCOMPARE(r->body, std::string(kDefaultBody));
            QCOMPARE(r->header("content-type").value_or(""), std::string("application/json"));
            QCOMPARE(r->header("content-length").value_or(""), std::to_string(kDefaultBody.size()));
            QVERIFY(!r->closes());
        }
        QCOMPARE(client.buffered(), size_t{0});
    }

    void responseShape_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("bodySize"); // -1: default JSON body
        QTest::addColumn<bool>("head");
        QTest::addColumn<int>("expectedLength");
        QTest::addColumn<QByteArray>("expectedType");

        QTest::newRow("status 404") << 404 << -1 << false << int(kDefaultBody.size()) << QByteArray("application/json");
        QTest::newRow("status 503") << 503 << -1 << false << int(kDefaultBody.size()) << QByteArray("application/json");
        QTest::newRow("body 1000") << 200 << 1000 << false << 1000 << QByteArray("text/plain");
        QTest::newRow("body 0") << 200 << 0 << false << 0 << QByteArray("text/plain");
        QTest::newRow("HEAD default") << 200 << -1 << true << int(kDefaultBody.size())
                                      << QByteArray("application/json");
        QTest::newRow("HEAD body 1000") << 200 << 1000 << true << 1000 << QByteArray("text/plain");
        QTest::newRow("HEAD status 404") << 404 << -1 << true << int(kDefaultBody.size())
                                         << QByteArray("application/json");
    }

    void responseShape() {
        QFETCH(int, status);
        QFETCH(int, bodySize);
        QFETCH(bool, head);
        QFETCH(int, expectedLength);
        QFETCH(QByteArray, expectedType);

        TargetOptions options;
        options.status = status;
        if (bodySize >= 0) {
            options.bodySize = static_cast<size_t>(bodySize);
        }
        TargetServer server(options);
        START_SERVER(server);
        Client client(server.port());
        QVERIFY(client.connected());

        const auto r = client.roundTrip(head ? kHead : kGet);
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QCOMPARE(r->header("content-type").value_or(""), expectedType.toStdString());
        QCOMPARE(r->header("content-length").value_or(""), std::to_string(expectedLength));
        if (head) {
            QVERIFY(r->body.empty());
        } else {
            QCOMPARE(int(r->body.size()), expectedLength);
            if (bodySize >= 0) {
                QCOMPARE(r->body, std::string(size_t(bodySize), 'x'));
            } else {
                QCOMPARE(r->body, std::string(kDefaultBody));
            }
        }
        // A follow-up GET parses cleanly only if the previous response sent exactly what it announced (nothing
        // at all after a HEAD's headers).
        const auto next = client.roundTrip(kGet);
        QVERIFY2(next, "the follow-up response is missing or misframed");
        QCOMPARE(next->status, status);
        QCOMPARE(int(next->body.size()), expectedLength);
        QCOMPARE(client.buffered(), size_t{0});
    }

    void delayHoldsEachResponse() {
        TargetOptions options;
        options.delay = 20ms;
        TargetServer server(options);
        START_SERVER(server);
        Client client(server.port());
        QVERIFY(client.connected());
        for (int i = 0; i < 8; ++i) {
            const auto r = client.roundTrip();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QVERIFY2(r->ms >= 20.0, qPrintable(QStringLiteral("response %1 took only %2 ms").arg(i).arg(r->ms)));
            QVERIFY2(r->ms < 60.0, qPrintable(QStringLiteral("response %1 took %2 ms").arg(i).arg(r->ms)));
        }
    }

    void jitterSpreadsDelay() {
        TargetOptions options;
        options.delay = 10ms;
        options.jitter = 5ms; // holds uniform in [5, 15] ms
        TargetServer server(options);
        START_SERVER(server);
        Client client(server.port());
        QVERIFY(client.connected());
        std::vector<double> times;
        for (int i = 0; i < 40; ++i) {
            const auto r = client.roundTrip();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            times.push_back(r->ms);
        }
        const auto [lo, hi] = std::minmax_element(times.begin(), times.end());
        const QString range = QStringLiteral("min %1 ms, max %2 ms").arg(*lo).arg(*hi);
        QVERIFY2(*lo >= 4.0, qPrintable(range));
        QVERIFY2(*hi <= 25.0, qPrintable(range));
        // 40 uniform draws over a 10 ms window spread ~9.5 ms on average; a constant delay would spread ~0.
        QVERIFY2(*hi - *lo >= 3.0, qPrintable(range));
    }

    void errorRate_data() {
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("minFailures");
        QTest::addColumn<int>("maxFailures");
        QTest::newRow("0.2") << 0.2 << 60 << 140; // 12% .. 28% of 500
        QTest::newRow("0") << 0.0 << 0 << 0;
        QTest::newRow("1") << 1.0 << 500 << 500;
    }

    void errorRate() {
        QFETCH(double, rate);
        QFETCH(int, minFailures);
        QFETCH(int, maxFailures);
        TargetOptions options;
        options.errorRate = rate;
        TargetServer server(options);
        START_SERVER(server);
        Client client(server.port());
        QVERIFY(client.connected());
        int failures = 0;
        for (int i = 0; i < 500; ++i) {
            const auto r = client.roundTrip();
            QVERIFY(r);
            QVERIFY(!r->closes()); // an injected failure keeps the connection
            if (r->status == 500) {
                ++failures;
                QCOMPARE(r->body, std::string(R"({"error":"injected failure"})"));
            } else {
                QCOMPARE(r->status, 200);
                QCOMPARE(r->body, std::string(kDefaultBody));
            }
        }
        QVERIFY2(failures >= minFailures && failures <= maxFailures,
                 qPrintable(QStringLiteral("%1 of 500 answered 500").arg(failures)));
    }

    void closeEvery() {
        TargetOptions options;
        options.closeEvery = 3;
        TargetServer server(options);
        START_SERVER(server);
        // The count is per server, across connections: the 3rd and the 6th response close.
        for (int round = 0; round < 2; ++round) {
            Client client(server.port(), 2s);
            QVERIFY(client.connected());
            for (int i = 1; i <= 3; ++i) {
                const auto r = client.roundTrip();
                QVERIFY(r);
                QCOMPARE(r->status, 200);
                QCOMPARE(r->body, std::string(kDefaultBody));
                QCOMPARE(r->closes(), i == 3);
            }
            QCOMPARE(client.recvOnce(), ssize_t{0});
        }
    }

    void stallEvery() {
        TargetOptions options;
        options.stallEvery = 5;
        options.stallFor = 100ms;
        TargetServer server(options);
        START_SERVER(server);
        Client client(server.port());
        QVERIFY(client.connected());
        QList<int> stalled;
        for (int i = 0; i < 10; ++i) {
            const auto r = client.roundTrip();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            if (r->ms >= 100.0) {
                stalled << i;
            } else {
                QVERIFY2(r->ms < 50.0, qPrintable(QStringLiteral("response %1 took %2 ms").arg(i).arg(r->ms)));
            }
        }
        QCOMPARE(stalled, (QList<int>{4, 9}));
    }

    void pauseHoldsRequestsArrivingDuringIt() {
        TargetOptions options;
        options.pause = PauseSpec{300ms, 500ms};
        TargetServer server(options);
        const Clock::time_point t0 = Clock::now(); // the server's own start is a little earlier
        START_SERVER(server);
        Client client(server.port());
        QVERIFY(client.connected());

        const auto before = client.roundTrip();
        QVERIFY(before);
        QVERIFY2(before->ms < 200.0, qPrintable(QStringLiteral("before the pause: %1 ms").arg(before->ms)));

        std::this_thread::sleep_until(t0 + 400ms);
        const double sentAt = msSince(t0);
        QVERIFY2(sentAt < 700.0, qPrintable(QStringLiteral("could not send inside the pause (%1 ms)").arg(sentAt)));
        const auto during = client.roundTrip();
        QVERIFY(during);
        QCOMPARE(during->status, 200);
        const double answeredAt = msSince(t0);
        QVERIFY2(answeredAt >= 790.0 && answeredAt < 1500.0,
                 qPrintable(QStringLiteral("sent at %1 ms, answered at %2 ms").arg(sentAt).arg(answeredAt)));

        const auto after = client.roundTrip();
        QVERIFY(after);
        QVERIFY2(after->ms < 200.0, qPrintable(QStringLiteral("after the pause: %1 ms").arg(after->ms)));
    }

    void pipelining_data() {
        QTest::addColumn<int>("delayMs");
        QTest::newRow("immediate") << 0;
        QTest::newRow("delayed") << 10;
    }

    void pipelining() {
        QFETCH(int, delayMs);
        TargetOptions options;
        options.delay = std::chrono::milliseconds(delayMs);
        TargetServer server(options);
        START_SERVER(server);
        Client client(server.port(), 2s);
        QVERIFY(client.connected());
        // GET, HEAD, GET + close in a single send: order shows in the framing (body, none, body) and in which
        // response carries Connection: close.
        QVERIFY(client.send(std::string(kGet) + std::string(kHead) + std::string(kGetClose)));
        const auto first = client.read();
        QVERIFY(first);
        QCOMPARE(first->status, 200);
        QCOMPARE(first->body, std::string(kDefaultBody));
        QVERIFY(!first->closes());
        const auto second = client.read(true);
        QVERIFY(second);
        QCOMPARE(second->status, 200);
        QVERIFY(!second->closes());
        const auto third = client.read();
        QVERIFY(third);
        QCOMPARE(third->status, 200);
        QCOMPARE(third->body, std::string(kDefaultBody));
        QVERIFY(third->closes());
        QCOMPARE(client.buffered(), size_t{0});
        QCOMPARE(client.recvOnce(), ssize_t{0});
    }

    void malformedRequest_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<bool>("validFirst"); // a good request precedes it on the same connection
        QTest::newRow("garbage") << QByteArray("this is not http\r\n\r\n") << false;
        QTest::newRow("no version") << QByteArray("GET /\r\nHost: x\r\n\r\n") << false;
        QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << false;
        QTest::newRow("bad content-length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << false;
        QTest::newRow("after a valid one") << QByteArray("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n") << true;
    }

    void malformedRequest() {
        QFETCH(QByteArray, request);
        QFETCH(bool, validFirst);
        TargetServer server(TargetOptions{});
        START_SERVER(server);
        Client client(server.port(), 2s);
        QVERIFY(client.connected());
        if (validFirst) {
            const auto ok = client.roundTrip();
            QVERIFY(ok);
            QCOMPARE(ok->status, 200);
        }
        const auto r = client.roundTrip(request.toStdString());
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        QVERIFY(r->closes());
        QCOMPARE(client.recvOnce(), ssize_t{0});
    }

    void portInUse() {
        TargetServer first(TargetOptions{});
        START_SERVER(first);
        TargetOptions options;
        options.port = first.port();
        TargetServer second(options);
        std::string error;
        QVERIFY(!second.start(&error));
        QVERIFY(!second.isRunning());
        QVERIFY2(error.find(std::to_string(first.port())) != std::string::npos, error.c_str());
        // The first one is unaffected.
        Client client(first.port());
        QVERIFY(client.connected());
        const auto r = client.roundTrip();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
    }

    void requestsServedCountsResponses() {
        TargetServer server(TargetOptions{});
        QCOMPARE(server.requestsServed(), uint64_t{0});
        START_SERVER(server);
        QCOMPARE(server.requestsServed(), uint64_t{0});
        {
            Client client(server.port());
            QVERIFY(client.connected());
            for (int i = 0; i < 5; ++i) {
                QVERIFY(client.roundTrip());
            }
            QVERIFY(client.roundTrip(kHead));
            QVERIFY(client.roundTrip("nonsense\r\n\r\n")); // a 400 is a response too
        }
        // The count is bumped right after the write, so the client may see the bytes first.
        QTRY_COMPARE_WITH_TIMEOUT(server.requestsServed(), uint64_t{7}, 2000);

        server.stop();
        QCOMPARE(server.requestsServed(), uint64_t{7});
        START_SERVER(server); // restart: the count is cumulative
        {
            Client client(server.port());
            QVERIFY(client.connected());
            for (int i = 0; i < 3; ++i) {
                QVERIFY(client.roundTrip());
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(server.requestsServed(), uint64_t{10}, 2000);
    }

    void stopIsQuickAndIdempotent() {
        TargetServer never(TargetOptions{});
        never.stop(); // never started: a no-op
        QVERIFY(!never.isRunning());

        TargetOptions options;
        options.delay = 5s; // a response held far longer than stop() may take
        TargetServer server(options);
        START_SERVER(server);
        const uint16_t port = server.port();
        Client idle(port);
        Client holding(port, 3s);
        QVERIFY(idle.connected());
        QVERIFY(holding.connected());
        QVERIFY(holding.send(kGet));
        std::this_thread::sleep_for(50ms); // let the server read the request and hold it

        Clock::time_point t0 = Clock::now();
        server.stop();
        double took = msSince(t0);
        QVERIFY2(took < 1000.0, qPrintable(QStringLiteral("stop() took %1 ms").arg(took)));
        QVERIFY(!server.isRunning());

        t0 = Clock::now();
        server.stop();
        took = msSince(t0);
        QVERIFY2(took < 100.0, qPrintable(QStringLiteral("second stop() took %1 ms").arg(took)));
        QVERIFY(!server.isRunning());

        // Connections are closed (not left hanging until the receive timeout) and nothing listens any more.
        for (Client* c : {&idle, &holding}) {
            errno = 0;
            const ssize_t n = c->recvOnce();
            QVERIFY2(n == 0 || (n < 0 && errno == ECONNRESET),
                     qPrintable(QStringLiteral("recv %1 errno %2").arg(n).arg(errno)));
        }
        Client refused(port);
        QVERIFY(!refused.connected());
        QCOMPARE(server.requestsServed(), uint64_t{0});
    }
};

QTEST_GUILESS_MAIN(TestTarget)
#include "tst_target.moc"
