// SPDX-License-Identifier: Apache-2.0
// Measurement you can trust, checked against known truth: the open model's schedule and its
// coordinated-omission correction, ramps, and the generator's saturation flag. All load goes to a
// local calibration target with a known delay or pause.
#include "machine_slack.h"
#include "test_certificates.h"
#include "test_nginx.h"
#include "engine/engine.h"
#include "target/target_server.h"

#include <QTemporaryDir>
#include <QTest>

using namespace benchdeck;
using namespace std::chrono_literals;
using engine::EngineKind;

// How the request reaches the calibration target: directly over http or https, or as HTTP/2 (h2c, or
// h2 over TLS) through an nginx in front of it.
enum class Transport { Http, Https, H2c, H2 };

Q_DECLARE_METATYPE(engine::EngineKind)
Q_DECLARE_METATYPE(Transport)

namespace {

metrics::RunResult run(const engine::RunConfig& config)
{
    std::atomic<bool> stop{false};
    return engine::runLoad(config, stop);
}

} // namespace

class TestValidity : public QObject {
    Q_OBJECT

    testing::TestPkiFolder pki_;

    // The request paths checked against known truth: each engine, over each transport it serves.
    void paths(bool withLibcurl)
    {
        QTest::addColumn<EngineKind>("kind");
        QTest::addColumn<Transport>("transport");
        QTest::newRow("http1-fast") << EngineKind::FastHttp1 << Transport::Http;
        QTest::newRow("http1-fast https") << EngineKind::FastHttp1 << Transport::Https;
        QTest::newRow("http2-fast h2c") << EngineKind::FastHttp2 << Transport::H2c;
        QTest::newRow("http2-fast h2") << EngineKind::FastHttp2 << Transport::H2;
        if (withLibcurl) {
            QTest::newRow("libcurl") << EngineKind::Curl << Transport::Http;
        }
    }

    // The calibration target as `transport` reaches it; `url` is empty when something did not start.
    struct Served {
        std::unique_ptr<target::TargetServer> target;
        std::unique_ptr<testing::NginxHttp2Front> front;
        std::string url;
    };
    Served serve(target::TargetOptions options, Transport transport)
    {
        Served served;
        if (transport == Transport::Https) {
            options.tlsCertFile = pki_.serverCert;
            options.tlsKeyFile = pki_.serverKey;
        }
        served.target = std::make_unique<target::TargetServer>(options);
        std::string error;
        if (!served.target->start(&error)) {
            qWarning("%s", error.c_str());
            return served;
        }
        const std::string port = std::to_string(served.target->port());
        switch (transport) {
        case Transport::Http: served.url = "http://127.0.0.1:" + port + "/"; break;
        case Transport::Https: served.url = "https://localhost:" + port + "/"; break;
        case Transport::H2c:
        case Transport::H2:
            served.front = std::make_unique<testing::NginxHttp2Front>(served.target->port(), pki_.serverCert, pki_.serverKey);
            if (!served.front->error().empty()) {
                qWarning("%s", served.front->error().c_str());
                return served;
            }
            served.url = transport == Transport::H2c ? "http://127.0.0.1:" + std::to_string(served.front->h2cPort()) + "/"
                                                     : "https://localhost:" + std::to_string(served.front->h2Port()) + "/";
            break;
        }
        return served;
    }

    // measureKnownDelayError's figures, through a fresh nginx front: a second sample of this path's noise.
    workflow::KnownDelayError knownDelayErrorThroughFront(Transport transport)
    {
        workflow::KnownDelayError measured;
        target::TargetOptions delayed;
        delayed.delay = 10ms;
        const auto server = serve(delayed, transport);
        if (server.url.empty()) {
            measured.error = "the calibration target or its nginx front did not start";
            return measured;
        }
        return workflow::measureKnownDelayError(planFor(server, EngineKind::FastHttp2, transport), 2s);
    }

    engine::RunConfig planFor(const Served& served, EngineKind kind, Transport transport)
    {
        engine::RunConfig config;
        config.url = served.url;
        config.engine = kind;
        config.caCertFile = transport == Transport::Https || transport == Transport::H2 ? pki_.caCert : std::string();
        config.httpVersion = transport == Transport::H2c || transport == Transport::H2 ? engine::HttpVersion::Http2
                                                                                       : engine::HttpVersion::Http1;
        return config;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(pki_.error.empty(), pki_.error.c_str());
    }

    void openModelHoldsRateAndMeasuresKnownDelay_data() { paths(true); }
    void openModelHoldsRateAndMeasuresKnownDelay()
    {
        QFETCH(EngineKind, kind);
        QFETCH(Transport, transport);
        target::TargetOptions options;
        options.delay = 10ms;
        const auto server = serve(options, transport);
        QVERIFY(!server.url.empty());
        for (int attempt = 1; attempt <= 2; ++attempt) {
            engine::RunConfig config = planFor(server, kind, transport);
            config.rate = 500;
            config.connections = 100;
            config.threads = 1;
            config.duration = 4s;
            const auto result = run(config);
            const auto& latency = result.summary.latency;
            const double minimum = double(latency.min) / 1000.0;
            const double p50 = double(latency.p50) / 1000.0;
            const double p99 = double(latency.p99) / 1000.0;
            // Never below the server's hold (load only adds), and above it by no more than this machine adds
            // on this path right now; past the caps (3 ms at p50, 10 ms at p99) the engine is wrong.
            // HTTP/2 goes through nginx: its hop, and its scheduling on a busy machine, are part of what
            // this path sees, so its calibration goes through an nginx front too.
            const auto calibrated = kind == EngineKind::FastHttp2 ? knownDelayErrorThroughFront(transport) : knownDelayError(kind);
            QVERIFY2(calibrated.error.empty(), calibrated.error.c_str());
            const double p50Slack = latencySlackMs(calibrated.p50Ms, 0.5, 3.0);
            const double p99Slack = latencySlackMs(calibrated.p99Ms, 1.0, 10.0);
            // Latency counts from the intended send time, so a stall of the generator's own thread (another
            // process took the CPU; it shows as late sends) rightly lands in the tail: the p99 may exceed the
            // calibrated slack by the longest lateness the schedule itself recorded, and no more.
            const double stall = result.schedule.maxLateMs;
            const QString seen = QStringLiteral("min %1, p50 %2, p99 %3 ms; calibrated error p50 %4, p99 %5 ms; "
                                                "longest send lateness %6 ms")
                                     .arg(minimum).arg(p50).arg(p99).arg(calibrated.p50Ms).arg(calibrated.p99Ms).arg(stall);
            QVERIFY2(minimum >= 9.9, qPrintable(seen));
            QVERIFY2(p50 <= 10.0 + p50Slack, qPrintable(seen));
            // Through nginx the tail also holds nginx's own scheduling, which the generator cannot see: a
            // CPU hog once kept it off the cores for 70 ms (p99 82 ms, send lateness 5 ms). One such stall
            // is the machine's; a second run that stalls too is the engine's, so the tail gets a second look.
            const bool tailFits = p99 >= p50 && p99 <= 10.0 + p99Slack + stall;
            if (!tailFits && kind == EngineKind::FastHttp2 && attempt == 1) {
                qWarning("tail through nginx past its bound (%s); measuring once more", qPrintable(seen));
                continue;
            }
            QVERIFY2(tailFits, qPrintable(seen));
            QVERIFY(result.schedule.openModel);
            QCOMPARE(result.schedule.targetRate, 500.0);
            // Sends that left late can fall past the end of the 4 s window, and so can answers in flight.
            const double slip = 500.0 * (result.schedule.maxLateMs + p99) / 1000.0 / 4.0;
            QVERIFY2(std::abs(result.schedule.achievedRate - 500.0) <= 5.0 + slip,
                     qPrintable(QStringLiteral("%1 (slip %2)").arg(result.schedule.achievedRate).arg(slip)));
            QVERIFY2(std::abs(result.summary.rps - 500.0) <= 5.0 + slip, qPrintable(QString::number(result.summary.rps)));
            QCOMPARE(result.total.errors, uint64_t(0));
            // 500 req/s is far below what one thread sends, so the generator must not call itself the
            // limit. Through nginx, a third busy process shares the two cores; under a CPU hog its client
            // thread can be descheduled past 10 ms often enough that the flag is right to rise (once in
            // three stress rounds), so there the latency and rate checks above are what must hold. Direct,
            // the hog has once done the same (sends behind while connections were free, in one round of
            // three): one such run is the machine's, a second in a row would be the engine's.
            if (transport == Transport::Http || transport == Transport::Https) {
                if (result.generator.saturated && attempt == 1) {
                    qWarning("generator flagged saturated at 500 req/s (%s); measuring once more",
                             result.generator.advice.c_str());
                    continue;
                }
                QVERIFY2(!result.generator.saturated, result.generator.advice.c_str());
            }
            return;
        }
    }

    void coordinatedOmissionIsCorrected_data() { paths(false); }
    void coordinatedOmissionIsCorrected()
    {
        QFETCH(EngineKind, kind);
        QFETCH(Transport, transport);
        // The whole server stops answering for 1 s in the middle of a 5 s run.
        target::TargetOptions options;
        options.pause = target::PauseSpec{2s, 1s};
        const auto openServer = serve(options, transport);
        QVERIFY(!openServer.url.empty());

        engine::RunConfig open = planFor(openServer, kind, transport);
        open.rate = 1000;
        open.connections = 2000;
        open.threads = 1;
        open.duration = 5s;
        engine::RunConfig closed = open;
        closed.rate = 0;
        closed.connections = 10;
        const auto openResult = run(open);
        const auto closedServer = serve(options, transport); // its pause counts from now, like the first one's did
        QVERIFY(!closedServer.url.empty());
        closed.url = closedServer.url;
        const auto closedResult = run(closed);

        // About a fifth of the intended sends fall in or behind the pause, so the open model's p99
        // is most of a second; the closed model waited politely and reports almost nothing.
        const double openP99 = double(openResult.total.latency.valueAtPercentile(99)) / 1000.0;
        const double closedP99 = double(closedResult.total.latency.valueAtPercentile(99)) / 1000.0;
        QVERIFY2(openP99 >= 800, qPrintable(QStringLiteral("open p99 %1 ms").arg(openP99)));
        // The open model shows the pause, the closed one hides it: open p99 >> closed p99 on any machine.
        QVERIFY2(openP99 >= 8.0 * closedP99,
                 qPrintable(QStringLiteral("open p99 %1 ms vs closed p99 %2 ms").arg(openP99).arg(closedP99)));
        QVERIFY2(closedResult.total.latency.max() >= 900000, // the pause is there, hidden in the tail
                 qPrintable(QStringLiteral("closed max %1 us over %2 requests")
                                .arg(closedResult.total.latency.max())
                                .arg(closedResult.total.requests)));
        QVERIFY2(openResult.total.requests >= 4900, qPrintable(QString::number(openResult.total.requests)));
    }

    void rampStagesFollowTheirShape_data() { paths(false); }
    void rampStagesFollowTheirShape()
    {
        QFETCH(EngineKind, kind);
        QFETCH(Transport, transport);
        const auto server = serve({}, transport);
        QVERIFY(!server.url.empty());
        engine::RunConfig config = planFor(server, kind, transport);
        config.openModel = true;
        config.stages = {{1s, 100}, {2s, 500}, {1s, 0}};
        config.connections = 200;
        config.threads = 1;
        const auto result = run(config);
        QCOMPARE(result.series.size(), size_t(4));
        // Mean rate over each second of a linear ramp: 50, 200, 400, 250. What can cross a 1 s boundary
        // on a busy machine: sends that left late, and answers still in flight.
        const double expected[] = {50, 200, 400, 250};
        const double slipSeconds = (result.schedule.maxLateMs + double(result.summary.latency.p99) / 1000.0) / 1000.0;
        double sum = 0;
        for (size_t i = 0; i < 4; ++i) {
            const double rate = result.series[i].rps();
            sum += double(result.series[i].requests);
            QVERIFY2(std::abs(rate - expected[i]) <= expected[i] * 0.05 + 3 + 2 * 500.0 * slipSeconds,
                     qPrintable(QStringLiteral("second %1: %2 req/s (slip %3 s)").arg(i + 1).arg(rate).arg(slipSeconds)));
        }
        // The shape on any machine: up, up, down; and nothing lost (the ramp's integral is 900 sends).
        QVERIFY(result.series[0].rps() < result.series[1].rps() && result.series[1].rps() < result.series[2].rps() &&
                result.series[3].rps() < result.series[2].rps());
        QVERIFY2(std::abs(sum - 900.0) <= 9.0 + 500.0 * slipSeconds, qPrintable(QString::number(sum)));
        QVERIFY(std::abs(result.schedule.targetRate - 225.0) < 0.01);

        // Users ramp against a server that holds each answer 10 ms, so throughput follows the number
        // of users (Little's law), not the CPU: second 1 averages 10 users, second 2 holds 20.
        target::TargetOptions held;
        held.delay = 10ms;
        const auto heldServer = serve(held, transport);
        QVERIFY(!heldServer.url.empty());
        engine::RunConfig users = planFor(heldServer, kind, transport);
        users.stages = {{1s, 20}, {1s, 20}};
        users.threads = 1;
        const auto closed = run(users);
        QCOMPARE(closed.connections, 20);
        QCOMPARE(closed.series.size(), size_t(2));
        QVERIFY2(double(closed.series[1].requests) > 1.4 * double(closed.series[0].requests),
                 qPrintable(QStringLiteral("%1 then %2").arg(closed.series[0].requests).arg(closed.series[1].requests)));
    }

    void http2StreamsAreUsers()
    {
        // 2 connections × 5 streams against a 10 ms hold: 10 users, so about 1,000 responses a second
        // (Little's law); one stream per connection would give 200. Each stream is a user, as in h2load.
        target::TargetOptions held;
        held.delay = 10ms;
        const auto server = serve(held, Transport::H2c);
        QVERIFY(!server.url.empty());
        engine::RunConfig config = planFor(server, EngineKind::FastHttp2, Transport::H2c);
        config.connections = 2;
        config.streams = 5;
        config.threads = 1;
        config.duration = 2s;
        const auto many = run(config);
        config.streams = 1;
        const auto single = run(config);
        QCOMPARE(many.total.errors, uint64_t(0));
        QCOMPARE(many.total.connectionsOpened, uint64_t(2));
        // Never above the law's bound; below it only by what the hold's own slack costs each round trip.
        const double bound = 10.0 / 0.010;
        const QString seen = QStringLiteral("%1 req/s with 5 streams, %2 with 1").arg(many.summary.rps).arg(single.summary.rps);
        QVERIFY2(many.summary.rps <= bound * 1.02 && many.summary.rps >= bound * 0.6, qPrintable(seen));
        QVERIFY2(many.summary.rps >= 3.5 * single.summary.rps, qPrintable(seen));
    }

    void saturationIsFlaggedOnlyWhenTheGeneratorIsTheLimit()
    {
        target::TargetServer server({});
        std::string error;
        QVERIFY(server.start(&error));
        engine::RunConfig flood;
        flood.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
        flood.rate = 5'000'000; // far beyond what one thread can send
        flood.connections = 64;
        flood.threads = 1;
        flood.duration = 2s;
        const auto saturated = run(flood);
        QVERIFY2(saturated.generator.saturated,
                 qPrintable(QStringLiteral("generator CPU %1%, achieved %2 req/s, %3 late sends")
                                .arg(saturated.generator.cpuPercent)
                                .arg(saturated.schedule.achievedRate)
                                .arg(saturated.schedule.lateSends)));
        QVERIFY(!saturated.generator.advice.empty());
        QVERIFY(saturated.schedule.lateSends > 0);
        QVERIFY2(saturated.schedule.achievedRate < 0.1 * flood.rate, qPrintable(QString::number(saturated.schedule.achievedRate)));

        engine::RunConfig light = flood;
        light.rate = 200;
        const auto calm = run(light);
        QVERIFY2(!calm.generator.saturated, calm.generator.advice.c_str());
        // The calm schedule held: its lateness is wake-up noise, far below the flood's backlog.
        const double slip = 200.0 * calm.schedule.maxLateMs / 1000.0 / 2.0;
        QVERIFY2(std::abs(calm.schedule.achievedRate - 200.0) <= 2.0 + slip,
                 qPrintable(QString::number(calm.schedule.achievedRate)));
        QVERIFY2(calm.schedule.meanLateMs * 20 < saturated.schedule.meanLateMs,
                 qPrintable(QStringLiteral("calm %1 ms vs flood %2 ms late")
                                .arg(calm.schedule.meanLateMs)
                                .arg(saturated.schedule.meanLateMs)));
    }

    void invalidOpenModelPlansAreRefused()
    {
        engine::RunConfig config;
        config.url = "http://127.0.0.1:1/";
        config.duration = 1s;
        config.rate = 100;
        config.stages = {{1s, 10}};
        auto problem = engine::validate(config);
        QVERIFY(problem && problem->find("not both") != std::string::npos);
        config.rate = 0;
        config.warmup = 1s;
        problem = engine::validate(config);
        QVERIFY(problem && problem->find("warm-up") != std::string::npos);
        std::string error;
        QVERIFY(!engine::parseStages("10s", &error));
        QVERIFY(!engine::parseStages("10s:-5", &error));
        QVERIFY(!engine::parseStages("ten:5", &error));
        const auto stages = engine::parseStages("10s:100,30s:1000,10s:0", &error);
        QVERIFY(stages && stages->size() == 3 && (*stages)[1].target == 1000);
    }
};

QTEST_GUILESS_MAIN(TestValidity)
#include "tst_validity.moc"
