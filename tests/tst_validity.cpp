// Measurement you can trust, checked against known truth: the open model's schedule and its
// coordinated-omission correction, ramps, and the generator's saturation flag. All load goes to a
// local calibration target with a known delay or pause.
#include "engine/engine.h"
#include "target/target_server.h"

#include <QTest>

using namespace benchdeck;
using namespace std::chrono_literals;
using engine::EngineKind;

Q_DECLARE_METATYPE(engine::EngineKind)

namespace {

metrics::RunResult run(const engine::RunConfig& config)
{
    std::atomic<bool> stop{false};
    return engine::runLoad(config, stop);
}

std::string url(const target::TargetServer& server)
{
    return "http://127.0.0.1:" + std::to_string(server.port()) + "/";
}

} // namespace

class TestValidity : public QObject {
    Q_OBJECT

    void bothEngines()
    {
        QTest::addColumn<EngineKind>("kind");
        QTest::newRow("http1-fast") << EngineKind::FastHttp1;
        QTest::newRow("libcurl") << EngineKind::Curl;
    }

private slots:
    void openModelHoldsRateAndMeasuresKnownDelay_data() { bothEngines(); }
    void openModelHoldsRateAndMeasuresKnownDelay()
    {
        QFETCH(EngineKind, kind);
        target::TargetOptions options;
        options.delay = 10ms;
        target::TargetServer server(options);
        std::string error;
        QVERIFY(server.start(&error));
        engine::RunConfig config;
        config.url = url(server);
        config.engine = kind;
        config.rate = 500;
        config.connections = 100;
        config.threads = 1;
        config.duration = 4s;
        const auto result = run(config);
        const double p50 = double(result.total.latency.valueAtPercentile(50)) / 1000.0;
        const double p99 = double(result.total.latency.valueAtPercentile(99)) / 1000.0;
        QVERIFY2(std::abs(p50 - 10.0) <= 0.5, qPrintable(QStringLiteral("p50 %1 ms").arg(p50)));
        QVERIFY2(std::abs(p99 - 10.0) <= 1.0, qPrintable(QStringLiteral("p99 %1 ms").arg(p99)));
        QVERIFY(result.schedule.openModel);
        QCOMPARE(result.schedule.targetRate, 500.0);
        QVERIFY2(std::abs(result.schedule.achievedRate - 500.0) <= 5.0,
                 qPrintable(QString::number(result.schedule.achievedRate)));
        QVERIFY2(std::abs(result.rps() - 500.0) <= 5.0, qPrintable(QString::number(result.rps())));
        QCOMPARE(result.total.errors, uint64_t(0));
        QVERIFY(!result.generator.saturated);
    }

    void coordinatedOmissionIsCorrected()
    {
        // The whole server stops answering for 1 s in the middle of a 5 s run.
        target::TargetOptions options;
        options.pause = target::PauseSpec{2s, 1s};
        target::TargetServer openServer(options);
        target::TargetServer closedServer(options);
        std::string error;
        QVERIFY(openServer.start(&error));

        engine::RunConfig open;
        open.url = url(openServer);
        open.rate = 1000;
        open.connections = 2000;
        open.threads = 1;
        open.duration = 5s;
        engine::RunConfig closed = open;
        closed.rate = 0;
        closed.connections = 10;
        const auto openResult = run(open);
        QVERIFY(closedServer.start(&error)); // its pause counts from now, like the first one's did
        closed.url = url(closedServer);
        const auto closedResult = run(closed);

        // About a fifth of the intended sends fall in or behind the pause, so the open model's p99
        // is most of a second; the closed model waited politely and reports almost nothing.
        const double openP99 = double(openResult.total.latency.valueAtPercentile(99)) / 1000.0;
        const double closedP99 = double(closedResult.total.latency.valueAtPercentile(99)) / 1000.0;
        QVERIFY2(openP99 >= 800, qPrintable(QStringLiteral("open p99 %1 ms").arg(openP99)));
        QVERIFY2(closedP99 < 100, qPrintable(QStringLiteral("closed p99 %1 ms").arg(closedP99)));
        QVERIFY2(closedResult.total.latency.max() >= 900000, // the pause is there, hidden in the tail
                 qPrintable(QStringLiteral("closed max %1 us over %2 requests")
                                .arg(closedResult.total.latency.max())
                                .arg(closedResult.total.requests)));
        QVERIFY2(openResult.total.requests >= 4900, qPrintable(QString::number(openResult.total.requests)));
    }

    void rampStagesFollowTheirShape()
    {
        target::TargetServer server({});
        std::string error;
        QVERIFY(server.start(&error));
        engine::RunConfig config;
        config.url = url(server);
        config.openModel = true;
        config.stages = {{1s, 100}, {2s, 500}, {1s, 0}};
        config.connections = 200;
        config.threads = 1;
        const auto result = run(config);
        QCOMPARE(result.series.size(), size_t(4));
        // Mean rate over each second of a linear ramp: 50, 200, 400, 250.
        const double expected[] = {50, 200, 400, 250};
        for (size_t i = 0; i < 4; ++i) {
            QVERIFY2(std::abs(result.series[i].rps() - expected[i]) <= expected[i] * 0.05 + 3,
                     qPrintable(QStringLiteral("second %1: %2 req/s").arg(i + 1).arg(result.series[i].rps())));
        }
        QVERIFY(std::abs(result.schedule.targetRate - 225.0) < 0.01);

        engine::RunConfig users;
        users.url = url(server);
        users.stages = {{1s, 20}, {1s, 20}};
        users.threads = 1;
        const auto closed = run(users);
        QCOMPARE(closed.connections, 20);
        QVERIFY(closed.series.size() == 2 && closed.series[1].requests > closed.series[0].requests);
    }

    void saturationIsFlaggedOnlyWhenTheGeneratorIsTheLimit()
    {
        target::TargetServer server({});
        std::string error;
        QVERIFY(server.start(&error));
        engine::RunConfig flood;
        flood.url = url(server);
        flood.rate = 5'000'000; // far beyond what one thread can send
        flood.connections = 64;
        flood.threads = 1;
        flood.duration = 2s;
        const auto saturated = run(flood);
        QVERIFY(saturated.generator.saturated);
        QVERIFY(!saturated.generator.advice.empty());
        QVERIFY(saturated.schedule.lateSends > 0);

        engine::RunConfig light = flood;
        light.rate = 200;
        const auto calm = run(light);
        QVERIFY(!calm.generator.saturated);
        // A busy 2-core CI machine may delay a send now and then; the schedule must still hold.
        QVERIFY2(calm.schedule.lateSends * 100 <= calm.total.scheduledSends,
                 qPrintable(QString::number(calm.schedule.lateSends)));
    }

    void invalidOpenModelPlansAreRefused()
    {
        engine::RunConfig config;
        config.url = "http://127.0.0.1:1/";
        config.duration = 1s;
        config.rate = 100;
        config.stages = {{1s, 10}};
        QVERIFY(engine::validate(config)->find("not both") != std::string::npos);
        config.rate = 0;
        config.warmup = 1s;
        QVERIFY(engine::validate(config)->find("warm-up") != std::string::npos);
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
