// SPDX-License-Identifier: Apache-2.0
// Benchdeck's own HTTP/2 path: h2c and h2 against nghttpd (the reference server of nghttp2) and a
// test server that resets streams and ends connections with GOAWAY mid-run; several streams per
// connection; refusals that say why. All traffic goes to 127.0.0.1.
#include "test_certificates.h"
#include "test_h2_servers.h"
#include "test_servers.h"

#include "engine/engine.h"
#include "target/target_server.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace benchdeck;
using namespace std::chrono_literals;
using engine::EngineKind;
using metrics::ErrorKind;

namespace {

metrics::RunResult run(const engine::RunConfig& config)
{
    std::atomic<bool> stop{false};
    return engine::runLoad(config, stop);
}

engine::RunConfig plan(const std::string& url, int connections, int streams, uint64_t requests)
{
    engine::RunConfig config;
    config.url = url;
    config.httpVersion = engine::HttpVersion::Http2;
    config.connections = connections;
    config.streams = streams;
    config.threads = 1;
    config.requests = requests;
    config.duration = 30s; // a bound, never reached on a working path
    config.connectTimeout = 5s;
    return config;
}

std::string local(const char* scheme, uint16_t port, const char* host = "127.0.0.1")
{
    return std::string(scheme) + "://" + host + ":" + std::to_string(port) + "/";
}

uint64_t kind(const metrics::RunResult& result, ErrorKind k)
{
    return result.total.errorKinds[size_t(k)];
}

} // namespace

class TestHttp2 : public QObject {
    Q_OBJECT

    testing::TestPkiFolder pki_;
    QString nghttpd_;

    // Stops its server when the test ends, however it ends.
    struct ServerProcess : QProcess {
        ~ServerProcess() override
        {
            terminate();
            waitForFinished(5000);
        }
    };

    // nghttpd serving index.html from a fresh folder, h2c without certificate files; 0 if it did not start.
    uint16_t startNghttpd(QProcess& process, const QStringList& tls = {})
    {
        QFile page(pki_.directory.filePath(QStringLiteral("index.html")));
        if (!page.open(QIODevice::WriteOnly) || page.write("hello over h2\n") < 0) {
            return 0;
        }
        page.close();
        const uint16_t port = testing::refusedPort();
        QStringList arguments{QStringLiteral("-d"), pki_.directory.path(), QString::number(port)};
        if (tls.isEmpty()) {
            arguments.prepend(QStringLiteral("--no-tls"));
        }
        process.start(nghttpd_, arguments + tls);
        return process.waitForStarted() && testing::waitUntilAccepting(port) ? port : 0;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(pki_.error.empty(), pki_.error.c_str());
        nghttpd_ = QStandardPaths::findExecutable(QStringLiteral("nghttpd"));
        QVERIFY2(!nghttpd_.isEmpty(), "nghttpd (Debian nghttp2-server) is needed; scripts/test.sh installs it");
    }

    void h2cCarriesSeveralStreamsPerConnection()
    {
        ServerProcess server;
        const uint16_t port = startNghttpd(server);
        QVERIFY(port != 0);
        auto config = plan(local("http", port, "127.0.0.1") + "index.html", 3, 8, 3000);
        const auto result = run(config);
        QCOMPARE(result.engineName, std::string("http2-fast"));
        QCOMPARE(result.total.statusCounts[200], uint64_t(3000));
        QCOMPARE(result.total.errors, uint64_t(0));
        QCOMPARE(result.total.connectionsOpened, uint64_t(3)); // 24 users on 3 connections
        QVERIFY(result.total.bytesReceived >= 3000u * 14u);    // the page's bytes came back each time
    }

    void h2OverTlsIsVerifiedAgainstThePrivateCa()
    {
        ServerProcess server;
        const uint16_t port = startNghttpd(server, {QString::fromStdString(pki_.serverKey), QString::fromStdString(pki_.serverCert)});
        QVERIFY(port != 0);
        auto config = plan(local("https", port, "localhost") + "index.html", 2, 4, 500);
        const auto untrusted = run(config);
        QCOMPARE(untrusted.total.responses(), uint64_t(0));
        QVERIFY(kind(untrusted, ErrorKind::Tls) > 0);
        QVERIFY2(std::string(untrusted.total.firstErrorMessage(ErrorKind::Tls)).find("certificate") != std::string::npos,
                 untrusted.total.firstErrorMessage(ErrorKind::Tls).data());

        config.caCertFile = pki_.caCert;
        const auto verified = run(config);
        QCOMPARE(verified.engineName, std::string("http2-fast"));
        QCOMPARE(verified.total.statusCounts[200], uint64_t(500));
        QVERIFY(!verified.total.tls.empty());
        QCOMPARE(verified.total.connectionsOpened, uint64_t(2));
    }

    void largeBodiesArriveWhole()
    {
        // 1 MiB per response over h2: many DATA frames and TLS records, flow-control windows included.
        QFile big(pki_.directory.filePath(QStringLiteral("big.bin")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.write(QByteArray(1 << 20, 'x')) == (1 << 20));
        big.close();
        ServerProcess server;
        const uint16_t port = startNghttpd(server, {QString::fromStdString(pki_.serverKey), QString::fromStdString(pki_.serverCert)});
        QVERIFY(port != 0);
        auto config = plan(local("https", port, "localhost") + "big.bin", 2, 2, 40);
        config.caCertFile = pki_.caCert;
        config.requestTimeout = 10s;
        const auto result = run(config);
        QCOMPARE(result.total.statusCounts[200], uint64_t(40));
        QCOMPARE(result.total.errors, uint64_t(0));
        QVERIFY(result.total.bytesReceived >= 40u * (1u << 20));
    }

    void resetStreamsAndGoawayAreSurvivedAndCounted()
    {
        // Every 10th stream is reset by the server, and each connection is ended with GOAWAY after
        // 100 responses: the run goes on over new connections and counts each reset as an error.
        testing::H2ServerOptions options;
        options.resetEvery = 10;
        options.goawayAfter = 100;
        testing::H2Server server(options);
        auto config = plan(local("http", server.port()), 2, 4, 2000);
        const auto result = run(config);
        const uint64_t resets = kind(result, ErrorKind::ResetOrClosed);
        const QString seen = QStringLiteral("%1 responses, %2 resets (server sent %3), %4 GOAWAYs, %5 connections, "
                                            "%6 requests, protocol errors %7")
                                 .arg(result.total.responses()).arg(resets).arg(server.resets()).arg(server.goaways())
                                 .arg(result.total.connectionsOpened).arg(result.total.requests)
                                 .arg(kind(result, ErrorKind::Protocol));
        QVERIFY2(server.goaways() >= 10, qPrintable(seen));
        QVERIFY2(result.total.connectionsOpened >= server.goaways(), qPrintable(seen));
        QCOMPARE(result.total.requests, uint64_t(2000));
        QVERIFY2(resets == server.resets() && resets >= 150 && resets <= 250, qPrintable(seen));
        QVERIFY2(result.total.statusCounts[200] + resets == 2000, qPrintable(seen));
        QVERIFY2(std::string(result.total.firstErrorMessage(ErrorKind::ResetOrClosed)).find("INTERNAL_ERROR") !=
                     std::string::npos,
                 result.total.firstErrorMessage(ErrorKind::ResetOrClosed).data());
        QCOMPARE(kind(result, ErrorKind::Protocol), uint64_t(0));
    }

    void aStalledStreamDoesNotHoldBackTheOthersOnItsConnection()
    {
        // The worker holds a connection's new requests while more answers are on their way; a stream
        // whose answer never comes must not keep its neighbours' requests back with it.
        testing::H2ServerOptions options;
        options.stallFirstStream = true;
        testing::H2Server server(options);
        auto config = plan(local("http", server.port()), 1, 2, 0);
        config.duration = 1s;
        config.requestTimeout = 20s; // the stalled request stays out for the whole run
        const auto result = run(config);
        const QString seen = QStringLiteral("%1 responses, %2 errors, %3 connections")
                                 .arg(result.total.responses()).arg(result.total.errors)
                                 .arg(result.total.connectionsOpened);
        QCOMPARE(result.total.connectionsOpened, uint64_t(1));
        QCOMPARE(result.total.errors, uint64_t(0));
        // Hundreds per second even on a loaded machine; held behind the stalled one, it would be one.
        QVERIFY2(result.total.statusCounts[200] >= 100, qPrintable(seen));
    }

    void tlsServerWithoutH2IsRefusedWithAReason()
    {
        // The calibration target speaks TLS but only HTTP/1.1: ALPN does not agree on h2.
        target::TargetOptions options;
        options.tlsCertFile = pki_.serverCert;
        options.tlsKeyFile = pki_.serverKey;
        target::TargetServer server(options);
        std::string error;
        QVERIFY(server.start(&error));
        auto config = plan(local("https", server.port(), "localhost"), 1, 1, 20);
        config.caCertFile = pki_.caCert;
        const auto result = run(config);
        QCOMPARE(result.total.responses(), uint64_t(0));
        QCOMPARE(kind(result, ErrorKind::Protocol), result.total.requests);
        QVERIFY2(std::string(result.total.firstErrorMessage(ErrorKind::Protocol)).find("HTTP/2") != std::string::npos,
                 result.total.firstErrorMessage(ErrorKind::Protocol).data());
    }

    void h2cToAnHttp1ServerIsAProtocolError()
    {
        target::TargetServer server({});
        std::string error;
        QVERIFY(server.start(&error));
        const auto result = run(plan(local("http", server.port()), 1, 1, 20));
        QCOMPARE(result.total.responses(), uint64_t(0));
        QVERIFY(result.total.requests > 0);
        QCOMPARE(kind(result, ErrorKind::Protocol), result.total.requests);
    }

    void streamsNeedHttp2AndABound()
    {
        const auto refusedSaying = [](const engine::RunConfig& config, const char* words) {
            const auto problem = engine::validate(config);
            return problem.has_value() && problem->find(words) != std::string::npos;
        };
        auto config = plan("http://127.0.0.1:1/", 1, 4, 1);
        config.httpVersion = engine::HttpVersion::Http1;
        QVERIFY(refusedSaying(config, "need HTTP/2"));
        config.httpVersion = engine::HttpVersion::Http2;
        config.streams = engine::kMaxStreams + 1;
        QVERIFY(refusedSaying(config, "streams per connection must be"));
        config.streams = 4;
        config.engine = EngineKind::FastHttp1;
        QVERIFY(refusedSaying(config, "serves HTTP/1.1 only"));
        config.engine = EngineKind::Auto;
        QCOMPARE(engine::chooseEngine(config), EngineKind::FastHttp2);
        QCOMPARE(engine::concurrency(config), 4);
    }
};

QTEST_GUILESS_MAIN(TestHttp2)
#include "tst_http2.moc"
