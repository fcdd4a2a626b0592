// SPDX-License-Identifier: Apache-2.0
// The engine's hot path allocates nothing per request in steady state. This binary counts every heap
// allocation in the process, by defining malloc and friends itself (the executable's definitions
// interpose glibc's for every library, libssl and libnghttp2 included), and compares two runs that
// differ only in their number of requests: what grows with the requests is what the path allocates
// per request. The servers run in a process of their own (`benchdeck-cli target`), so that only the
// client is counted. Not built with sanitizers, which bring their own malloc.
#include "engine/engine.h"
#include "engine/scenario_plan.h"
#include "engine/tls_memory.h"
#include "plan/scenario_codec.h"
#include "test_certificates.h"
#include "test_servers.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>
#include <cstdlib>

extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* block, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
void __libc_free(void* block);
}

namespace {
std::atomic<uint64_t> allocations{0};
void counted() { allocations.fetch_add(1, std::memory_order_relaxed); }
} // namespace

extern "C" {
void* malloc(size_t size) { counted(); return __libc_malloc(size); }
void* calloc(size_t count, size_t size) { counted(); return __libc_calloc(count, size); }
void* realloc(void* block, size_t size) { counted(); return __libc_realloc(block, size); }
void free(void* block) { __libc_free(block); }
int posix_memalign(void** out, size_t alignment, size_t size)
{
    counted();
    *out = __libc_memalign(alignment, size);
    return *out != nullptr ? 0 : ENOMEM;
}
void* aligned_alloc(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }
void* memalign(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }
}

using namespace benchdeck;
using namespace std::chrono_literals;

namespace {

struct Counted {
    uint64_t requests = 0;
    uint64_t allocations = 0;
};

Counted countedRun(engine::RunConfig config, uint64_t requests)
{
    config.requests = requests;
    std::atomic<bool> stop{false};
    const uint64_t before = allocations.load();
    const auto result = engine::runLoad(config, stop);
    return {result.total.statusCounts[200], allocations.load() - before};
}

} // namespace

class TestAllocations : public QObject {
    Q_OBJECT

    testing::TestPkiFolder pki_;

    // Allocations per extra request between a short and a long run on the same path. The run's own
    // bookkeeping (per-tick and per-second merges, the live snapshots) allocates with time, not with
    // requests, so it adds a little over the longer run; per request it stays far below 0.05.
    double allocationsPerRequest(const engine::RunConfig& config)
    {
        countedRun(config, 500); // once-per-process set-up (OpenSSL's providers, the CA store) is not per run
        const auto shortRun = countedRun(config, 2'000);
        const auto longRun = countedRun(config, 42'000);
        if (shortRun.requests != 2'000 || longRun.requests != 42'000) {
            qWarning("runs did not complete: %llu and %llu responses", (unsigned long long)shortRun.requests,
                     (unsigned long long)longRun.requests);
            return std::nan("");
        }
        const double extra = double(longRun.allocations) - double(shortRun.allocations);
        qInfo("%llu then %llu allocations: %.4f per extra request", (unsigned long long)shortRun.allocations,
              (unsigned long long)longRun.allocations, extra / 40'000.0);
        return extra / 40'000.0;
    }

    // A calibration target in its own process; its port, or 0 when it did not start.
    uint16_t startTarget(QProcess& process, const QStringList& extra)
    {
        process.start(QStringLiteral(BENCHDECK_CLI_PATH),
                      QStringList{"target", "--port", "0", "--duration", "120s"} + extra);
        if (!process.waitForStarted() || !process.waitForReadyRead(10'000)) {
            return 0;
        }
        const auto match = QRegularExpression(QStringLiteral("127\\.0\\.0\\.1:(\\d+)/")).match(QString::fromUtf8(process.readAll()));
        return match.hasMatch() ? uint16_t(match.captured(1).toUInt()) : 0;
    }

    // nghttpd serving a small page from the test's folder, h2c or (with a certificate) h2 over TLS.
    uint16_t startNghttpd(QProcess& process, bool tls)
    {
        const QString nghttpd = QStandardPaths::findExecutable(QStringLiteral("nghttpd"));
        QFile page(pki_.directory.filePath(QStringLiteral("index.html")));
        if (nghttpd.isEmpty() || !page.open(QIODevice::WriteOnly) || page.write("hello over h2\n") < 0) {
            return 0;
        }
        page.close();
        const uint16_t port = testing::refusedPort(); // nghttpd cannot pick its own
        QStringList arguments{QStringLiteral("-d"), pki_.directory.path(), QString::number(port)};
        if (tls) {
            arguments << QString::fromStdString(pki_.serverKey) << QString::fromStdString(pki_.serverCert);
        } else {
            arguments.prepend(QStringLiteral("--no-tls"));
        }
        process.start(nghttpd, arguments);
        return process.waitForStarted() && testing::waitUntilAccepting(port) ? port : 0;
    }

    engine::RunConfig plan(const std::string& url, engine::EngineKind kind)
    {
        engine::RunConfig config;
        config.url = url;
        config.engine = kind;
        config.connections = 4;
        config.threads = 1;
        config.duration = 60s; // a bound only; the request count ends each run
        config.caCertFile = pki_.caCert;
        return config;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(pki_.error.empty(), pki_.error.c_str());
        const uint64_t before = allocations.load();
        void* probe = std::malloc(16);
        std::free(probe);
        QVERIFY2(allocations.load() > before, "the allocation counter is not in the path of malloc");
        QVERIFY2(engine::tlsSmallBlockCacheInstalled(), "OpenSSL allocated before main(): its small blocks are not cached");
    }

    void http1PlainAllocatesNothingPerRequest()
    {
        QProcess server;
        const uint16_t port = startTarget(server, {});
        QVERIFY(port != 0);
        const double perRequest =
            allocationsPerRequest(plan("http://127.0.0.1:" + std::to_string(port) + "/", engine::EngineKind::FastHttp1));
        QVERIFY(!std::isnan(perRequest));
        QVERIFY2(perRequest < 0.05, qPrintable(QString::number(perRequest)));
    }

    void http1TlsAllocatesNothingPerRequest()
    {
        QProcess server;
        const uint16_t port = startTarget(server, {"--tls-cert", QString::fromStdString(pki_.serverCert), "--tls-key",
                                                   QString::fromStdString(pki_.serverKey)});
        QVERIFY(port != 0);
        const double perRequest =
            allocationsPerRequest(plan("https://localhost:" + std::to_string(port) + "/", engine::EngineKind::FastHttp1));
        QVERIFY(!std::isnan(perRequest));
        QVERIFY2(perRequest < 0.05, qPrintable(QString::number(perRequest)));
    }

    // A scenario renders each request into its connection's buffers, captures the answer as far as its
    // rules read it, extracts and checks: after the first iterations have grown the buffers, nothing.
    // (Regex extractors are left out: std::regex allocates on every search, as docs/scenarios.md says.)
    void scenarioAllocatesNothingPerRequest()
    {
        QProcess server;
        const uint16_t port = startTarget(server, {});
        QVERIFY(port != 0);
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        const std::string text = "{\"benchdeck_scenario\": 1, \"variables\": {\"base\": \"" + base + "\"},"
                                 " \"steps\": ["
                                 "{\"name\": \"home\", \"url\": \"{{base}}/?n={{$randomInt 1 1000}}\","
                                 " \"extract\": [{\"var\": \"greeting\", \"json\": \"/message\"},"
                                 " {\"var\": \"type\", \"header\": \"Content-Type\"}],"
                                 " \"check\": [{\"status\": [200]}, {\"json\": \"/message\", \"equals\": \"Hello, World!\"}]},"
                                 "{\"name\": \"post\", \"method\": \"POST\", \"url\": \"{{base}}/echo/{{$iteration}}\","
                                 " \"headers\": {\"X-Greeting\": \"{{greeting}}\", \"X-Id\": \"{{$uuid}}\", \"X-Type\": \"{{type}}\"},"
                                 " \"body\": \"{\\\"at\\\": {{$timestamp}}}\","
                                 " \"check\": [{\"body_contains\": \"Hello\"}]}]}";
        std::string error;
        auto workload = plan::parseScenarioText(QByteArray::fromStdString(text), &error);
        QVERIFY2(workload, error.c_str());
        auto config = plan(base, engine::EngineKind::FastHttp1);
        config.scenario = engine::makeScenarioPlan(std::move(*workload), "alloc.json", {}, {}, &error);
        QVERIFY2(config.scenario, error.c_str());
        const double perRequest = allocationsPerRequest(config);
        QVERIFY(!std::isnan(perRequest));
        QVERIFY2(perRequest < 0.05, qPrintable(QString::number(perRequest)));
    }

    void http2AllocatesNothingPerRequest_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::newRow("h2c") << false;
        QTest::newRow("h2") << true;
    }
    void http2AllocatesNothingPerRequest()
    {
        QFETCH(bool, tls);
        QProcess server;
        const uint16_t port = startNghttpd(server, tls);
        QVERIFY(port != 0);
        auto config = plan(std::string(tls ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port) +
                               "/index.html",
                           engine::EngineKind::FastHttp2);
        config.httpVersion = engine::HttpVersion::Http2;
        config.connections = 2;
        config.streams = 4;
        const double perRequest = allocationsPerRequest(config);
        server.terminate();
        server.waitForFinished();
        QVERIFY(!std::isnan(perRequest));
        QVERIFY2(perRequest < 0.05, qPrintable(QString::number(perRequest)));
    }
};

QTEST_GUILESS_MAIN(TestAllocations)
#include "tst_allocations.moc"
