// SPDX-License-Identifier: Apache-2.0
// TLS on every request path that speaks it, against the calibration target serving certificates from
// a private test CA made fresh for each run: verified by default, refused with the verifier's own
// reason when the name, the dates or the issuer are wrong, accepted with --insecure, and resumed
// across reconnects. All traffic goes to 127.0.0.1.
#include "test_certificates.h"

#include "engine/engine.h"
#include "target/target_server.h"

#include <QTemporaryDir>
#include <QTest>

using namespace benchdeck;
using namespace std::chrono_literals;
using engine::EngineKind;
using metrics::ErrorKind;

Q_DECLARE_METATYPE(engine::EngineKind)

namespace {

metrics::RunResult run(const engine::RunConfig& config)
{
    std::atomic<bool> stop{false};
    return engine::runLoad(config, stop);
}

engine::RunConfig plan(const std::string& url, EngineKind kind, uint64_t requests)
{
    engine::RunConfig config;
    config.url = url;
    config.engine = kind;
    config.connections = 4;
    config.threads = 1;
    config.requests = requests;
    config.duration = 20s; // a bound, never reached on a working path
    config.connectTimeout = 5s;
    return config;
}

std::string httpsUrl(const std::string& host, const target::TargetServer& server)
{
    return "https://" + host + ":" + std::to_string(server.port()) + "/";
}

} // namespace

class TestTls : public QObject {
    Q_OBJECT

    testing::TestPkiFolder pki_;

    std::unique_ptr<target::TargetServer> serve(const std::string& cert, const std::string& key,
                                                target::TargetOptions options = {})
    {
        options.tlsCertFile = cert;
        options.tlsKeyFile = key;
        auto server = std::make_unique<target::TargetServer>(options);
        std::string error;
        if (!server->start(&error)) {
            qWarning("%s", error.c_str());
            return nullptr;
        }
        return server;
    }

    void tlsPaths()
    {
        QTest::addColumn<EngineKind>("kind");
        QTest::newRow("http1-fast") << EngineKind::FastHttp1;
        QTest::newRow("libcurl") << EngineKind::Curl;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(pki_.error.empty(), pki_.error.c_str());
    }

    void autoPicksTheFastPathForHttps()
    {
        auto config = plan("https://127.0.0.1:1/", EngineKind::Auto, 1);
        QCOMPARE(engine::chooseEngine(config), EngineKind::FastHttp1);
        config.followRedirects = true;
        QCOMPARE(engine::chooseEngine(config), EngineKind::Curl);
    }

    void verifiedAgainstThePrivateCa_data() { tlsPaths(); }
    void verifiedAgainstThePrivateCa()
    {
        QFETCH(EngineKind, kind);
        auto server = serve(pki_.serverCert, pki_.serverKey);
        QVERIFY(server);
        // By name (SNI and a DNS name check) and by address (an IP SAN check).
        for (const std::string host : {"localhost", "127.0.0.1"}) {
            auto config = plan(httpsUrl(host, *server), kind, 200);
            config.caCertFile = pki_.caCert;
            const auto result = run(config);
            QVERIFY2(result.startError.empty(), result.startError.c_str());
            QCOMPARE(result.engineName, std::string(engine::engineKindName(kind)));
            QCOMPARE(result.total.statusCounts[200], uint64_t(200));
            QCOMPARE(result.total.errors, uint64_t(0));
            // The handshake is its own phase, apart from the TCP connect.
            QVERIFY(!result.total.tls.empty());
            QVERIFY(!result.total.connect.empty());
        }
        // Without the CA the same server is a stranger.
        const auto untrusted = run(plan(httpsUrl("localhost", *server), kind, 20));
        QCOMPARE(untrusted.total.responses(), uint64_t(0));
        QVERIFY(untrusted.total.errorKinds[size_t(ErrorKind::Tls)] > 0);
    }

    void badCertificatesAreRefusedUnlessInsecure_data()
    {
        QTest::addColumn<EngineKind>("kind");
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("reason"); // the fast path's words, from OpenSSL's verifier
        for (const auto kind : {EngineKind::FastHttp1, EngineKind::Curl}) {
            const char* path = engine::engineKindName(kind).data();
            QTest::addRow("%s wrong host", path) << kind << "wrong-host" << "Hostname mismatch";
            QTest::addRow("%s expired", path) << kind << "expired" << "certificate has expired";
            QTest::addRow("%s self-signed", path) << kind << "self-signed" << "self-signed certificate";
        }
    }
    void badCertificatesAreRefusedUnlessInsecure()
    {
        QFETCH(EngineKind, kind);
        QFETCH(QString, which);
        QFETCH(QString, reason);
        const auto& cert = which == "wrong-host" ? pki_.wrongHostCert : which == "expired" ? pki_.expiredCert : pki_.selfSignedCert;
        const auto& key = which == "wrong-host" ? pki_.wrongHostKey : which == "expired" ? pki_.expiredKey : pki_.selfSignedKey;
        auto server = serve(cert, key);
        QVERIFY(server);
        auto config = plan(httpsUrl("localhost", *server), kind, 30);
        config.caCertFile = pki_.caCert; // trusting the CA does not make a bad certificate good
        const auto refused = run(config);
        QCOMPARE(refused.total.responses(), uint64_t(0));
        QCOMPARE(refused.total.errorKinds[size_t(ErrorKind::Tls)], refused.total.requests);
        QVERIFY(refused.total.requests > 0);
        const std::string message(refused.total.firstErrorMessage(ErrorKind::Tls));
        QVERIFY2(!message.empty(), "a TLS failure must say why");
        if (kind == EngineKind::FastHttp1) {
            QVERIFY2(QString::fromStdString(message).contains(reason, Qt::CaseInsensitive), message.c_str());
        }

        config.insecure = true;
        const auto accepted = run(config);
        QCOMPARE(accepted.total.statusCounts[200], uint64_t(30));
        QCOMPARE(accepted.total.errors, uint64_t(0));
    }

    void sessionsAreResumedAcrossReconnects()
    {
        // The server closes after every response, so every request needs a new connection and a
        // handshake; all but each connection's first should resume a session.
        target::TargetOptions options;
        options.closeEvery = 1;
        auto server = serve(pki_.serverCert, pki_.serverKey, options);
        QVERIFY(server);
        auto config = plan(httpsUrl("localhost", *server), EngineKind::FastHttp1, 300);
        config.connections = 2;
        config.caCertFile = pki_.caCert;
        const auto result = run(config);
        QCOMPARE(result.total.statusCounts[200], uint64_t(300));
        const auto handshakes = server->tlsHandshakes();
        QVERIFY2(handshakes.completed >= 300, qPrintable(QString::number(handshakes.completed)));
        QVERIFY2(handshakes.resumed + 10 >= handshakes.completed,
                 qPrintable(QStringLiteral("%1 of %2 resumed").arg(handshakes.resumed).arg(handshakes.completed)));
        QVERIFY(result.total.connectionsOpened >= 300);
    }

    void largeBodiesArriveWhole()
    {
        // A 1 MiB body is 64 TLS records: every one is read, none waits for an event that never comes.
        target::TargetOptions options;
        options.bodySize = 1u << 20;
        auto server = serve(pki_.serverCert, pki_.serverKey, options);
        QVERIFY(server);
        auto config = plan(httpsUrl("localhost", *server), EngineKind::FastHttp1, 40);
        config.connections = 2;
        config.caCertFile = pki_.caCert;
        config.requestTimeout = 10s;
        const auto result = run(config);
        QCOMPARE(result.total.statusCounts[200], uint64_t(40));
        QCOMPARE(result.total.errors, uint64_t(0));
        QVERIFY(result.total.bytesReceived >= 40u * (1u << 20));
    }

    void manyConnectionsQueueForHandshakes()
    {
        // 300 connections on one thread, each closed by the server after every response: handshakes
        // wait their turn (at most 64 at once) and none is failed for the time it waited.
        target::TargetOptions options;
        options.closeEvery = 1;
        auto server = serve(pki_.serverCert, pki_.serverKey, options);
        QVERIFY(server);
        auto config = plan(httpsUrl("localhost", *server), EngineKind::FastHttp1, 1500);
        config.connections = 300;
        config.caCertFile = pki_.caCert;
        const auto result = run(config);
        QCOMPARE(result.total.statusCounts[200], uint64_t(1500));
        QCOMPARE(result.total.errors, uint64_t(0));
        QVERIFY(result.total.connectionsOpened >= 1500);
    }

    void plainHttpServerIsATlsFailure()
    {
        target::TargetServer plain({});
        std::string error;
        QVERIFY(plain.start(&error));
        const auto result = run(plan(httpsUrl("127.0.0.1", plain), EngineKind::Auto, 20));
        QCOMPARE(result.total.responses(), uint64_t(0));
        QCOMPARE(result.total.errorKinds[size_t(ErrorKind::Tls)], result.total.requests);
        QVERIFY(!std::string(result.total.firstErrorMessage(ErrorKind::Tls)).empty());
    }

    void unreadableCaFileIsRefusedBeforeAnyTraffic()
    {
        auto config = plan("https://127.0.0.1:1/", EngineKind::Auto, 1);
        config.caCertFile = pki_.directory.filePath(QStringLiteral("missing.pem")).toStdString();
        QVERIFY(!engine::validate(config).has_value()); // a stored plan whose CA file is gone still reads
        const auto missing = run(config);
        QVERIFY2(missing.startError.find("missing.pem") != std::string::npos, missing.startError.c_str());
        QCOMPARE(missing.total.requests, uint64_t(0));

        // A file that exists but holds no certificate fails the start with OpenSSL's reason.
        config.caCertFile = pki_.serverKey;
        const auto result = run(config);
        QVERIFY2(result.startError.find("cannot read CA certificates") != std::string::npos, result.startError.c_str());
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
