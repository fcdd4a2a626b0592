// SPDX-License-Identifier: Apache-2.0
// The plan's one stored form (plan::toJson/fromJson), its description, and the units module every
// number goes through: round trips, a corpus of refused plans, and locale independence.
#include "engine/target_url.h"
#include "metrics/units.h"
#include "plan/plan_codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <clocale>

using namespace benchdeck;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(engine::RunConfig)

namespace {

engine::RunConfig basePlan()
{
    engine::RunConfig config;
    config.url = "http://127.0.0.1:8080/items?page=2";
    config.connections = 50;
    config.threads = 2;
    config.duration = 30s;
    return config;
}

QByteArray compact(const QJsonObject& json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

} // namespace

class TestPlan : public QObject {
    Q_OBJECT

private slots:
    void roundTripIsExact_data()
    {
        QTest::addColumn<engine::RunConfig>("config");
        QTest::addColumn<QString>("description");

        QTest::newRow("closed") << basePlan() << "closed model, 50 users, 30s";

        auto open = basePlan();
        open.rate = 1000;
        open.connections = 1000;
        QTest::newRow("open rate") << open << "open model, 1,000 req/s, 30s";

        auto fractional = basePlan();
        fractional.rate = 2.5;
        QTest::newRow("fractional rate") << fractional << "open model, 2.5 req/s, 30s";

        auto ramp = basePlan();
        ramp.duration = {};
        ramp.stages = {{10s, 100}, {30s, 100}, {10s, 0}};
        QTest::newRow("ramp users") << ramp << "ramp users 0→100 over 10s, hold 100 for 30s, 100→0 over 10s";

        auto rampOpen = ramp;
        rampOpen.openModel = true;
        rampOpen.stages = {{1500ms, 1234567}, {2s, 500}};
        QTest::newRow("ramp rate") << rampOpen << "ramp rate 0→1,234,567 over 1.5s, 1,234,567→500 over 2s (req/s)";

        auto counted = basePlan();
        counted.duration = {};
        counted.requests = 100000;
        counted.warmup = 290ms;
        QTest::newRow("count and warm-up") << counted << "closed model, 50 users, 100,000 requests, warm-up 290ms";

        auto request = basePlan();
        request.method = "POST";
        request.headers = {{"Content-Type", "application/json"}, {"X-Trace", "a b c"}};
        request.body = "{\"name\":\"ünïcode\"}";
        request.followRedirects = true;
        request.insecure = true;
        request.requestTimeout = 1500ms;
        QTest::newRow("request fields") << request << "closed model, 50 users, 30s";

        auto binary = basePlan();
        binary.body = std::string("\x00\xff\xfe\x01", 4);
        QTest::newRow("binary body") << binary << "closed model, 50 users, 30s";

        auto judged = basePlan();
        judged.thresholds = {"p99<50ms", "errors<1%"};
        QTest::newRow("thresholds") << judged << "closed model, 50 users, 30s";

        // HTTP/2 streams are users; a CA file that is gone by now still decodes (the plan is history).
        auto multiplexed = basePlan();
        multiplexed.url = "https://localhost:8443/";
        multiplexed.httpVersion = engine::HttpVersion::Http2;
        multiplexed.streams = 10;
        multiplexed.caCertFile = "/nonexistent/private-ca.pem";
        QTest::newRow("http2 streams and CA file") << multiplexed << "closed model, 500 users (50 connections × 10 streams), 30s";
    }

    void roundTripIsExact()
    {
        QFETCH(engine::RunConfig, config);
        QFETCH(QString, description);
        const QJsonObject json = plan::toJson(config, plan::Secrets::Keep);
        std::string error;
        const auto back = plan::fromJson(json, &error);
        QVERIFY2(back, error.c_str());
        // Reads back as run: the same JSON, field for field, and the same words.
        QCOMPARE(compact(plan::toJson(*back, plan::Secrets::Keep)), compact(json));
        QCOMPARE(back->url, config.url);
        QCOMPARE(back->body, config.body);
        QCOMPARE(back->rate, config.rate);
        QCOMPARE(back->stages.size(), config.stages.size());
        for (size_t i = 0; i < config.stages.size(); ++i) {
            QCOMPARE(back->stages[i].duration, config.stages[i].duration);
            QCOMPARE(back->stages[i].target, config.stages[i].target);
        }
        QCOMPARE(back->warmup, config.warmup);
        QCOMPARE(back->requests, config.requests);
        QCOMPARE(back->thresholds, config.thresholds);
        QCOMPARE(engine::isOpenModel(*back), engine::isOpenModel(config));
        QCOMPARE(QString::fromStdString(plan::describe(*back)), description);
        QCOMPARE(QString::fromStdString(plan::describe(json)), description);
    }

    void differentLoadShapesNeverEncodeEqually()
    {
        auto a = basePlan();
        a.rate = 1000;
        auto b = a;
        b.rate = 3000;
        auto closed = basePlan();
        closed.connections = 1000;
        QVERIFY(compact(plan::toJson(a, plan::Secrets::Withhold)) != compact(plan::toJson(b, plan::Secrets::Withhold)));
        QVERIFY(plan::loadShapeKey(plan::toJson(a, plan::Secrets::Withhold)) !=
                plan::loadShapeKey(plan::toJson(b, plan::Secrets::Withhold)));
        QVERIFY(plan::loadShapeKey(plan::toJson(a, plan::Secrets::Withhold)) !=
                plan::loadShapeKey(plan::toJson(closed, plan::Secrets::Withhold)));
        // Two servers under one plan: address, headers and body are theirs, the load shape is shared.
        auto other = a;
        other.url = "https://10.0.0.1/other";
        other.headers = {{"Accept", "text/plain"}};
        QCOMPARE(plan::loadShapeKey(plan::toJson(other, plan::Secrets::Withhold)),
                 plan::loadShapeKey(plan::toJson(a, plan::Secrets::Withhold)));
    }

    void secretsAreWithheldAndSaidSo()
    {
        auto config = basePlan();
        config.url = "http://ann:s3cret@127.0.0.1:8080/";
        config.headers = {{"Authorization", "Bearer abc"}, {"X-Api-Key", "k"}, {"Accept", "*/*"}};
        bool withheld = false;
        const QJsonObject json = plan::toJson(config, plan::Secrets::Withhold, &withheld);
        QVERIFY(withheld);
        const QByteArray text = compact(json);
        QVERIFY2(!text.contains("s3cret") && !text.contains("Bearer abc") && !text.contains("\"k\""), text.constData());
        QVERIFY(text.contains("ann:***@"));
        std::string error;
        const auto back = plan::fromJson(json, &error);
        QVERIFY2(back, error.c_str());
        QVERIFY(back->headers[0].withheld && back->headers[0].value.empty());
        QVERIFY(!back->headers[2].withheld);
        QCOMPARE(back->headers[2].value, std::string("*/*"));
        bool kept = true;
        const QByteArray keptText = compact(plan::toJson(config, plan::Secrets::Keep, &kept));
        QVERIFY(!kept);
        QVERIFY(keptText.contains("s3cret") && keptText.contains("Bearer abc"));
    }

    void refusesWhatWasNeverAPlan_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("reason");
        QTest::newRow("file url") << "url" << QJsonValue("file:///etc/passwd") << "scheme";
        QTest::newRow("header with CRLF")
            << "headers" << QJsonValue(QJsonArray{QJsonObject{{"name", "X"}, {"value", "a\r\nInjected: 1"}}})
            << "line break";
        QTest::newRow("header name with space")
            << "headers" << QJsonValue(QJsonArray{QJsonObject{{"name", "Bad Name"}, {"value", "1"}}}) << "header name";
        QTest::newRow("huge duration") << "duration_us" << QJsonValue(1e300) << "duration_us";
        QTest::newRow("negative duration") << "duration_us" << QJsonValue(-1) << "duration_us";
        QTest::newRow("fractional count") << "requests" << QJsonValue(1.5) << "whole number";
        QTest::newRow("huge count") << "requests" << QJsonValue(1e18) << "requests";
        QTest::newRow("zero connections") << "connections" << QJsonValue(0) << "connections";
        QTest::newRow("rate as text") << "rate" << QJsonValue("1000") << "rate";
        QTest::newRow("tiny rate") << "rate" << QJsonValue(1e-300) << "rate";
        QTest::newRow("unknown model") << "model" << QJsonValue("half-open") << "model";
        QTest::newRow("unknown engine") << "engine" << QJsonValue("quantum") << "engine";
        QTest::newRow("stage without duration")
            << "stages" << QJsonValue(QJsonArray{QJsonObject{{"target", 10}}}) << "duration_us";
        QTest::newRow("missing method") << "method" << QJsonValue() << "method";
        QTest::newRow("thresholds not a list") << "thresholds" << QJsonValue("p99<5ms") << "thresholds";
        QTest::newRow("threshold not text") << "thresholds" << QJsonValue(QJsonArray{42}) << "thresholds";
        QTest::newRow("old format") << "plan_format" << QJsonValue(1) << "plan not recorded";
        QTest::newRow("newer format") << "plan_format" << QJsonValue(3) << "newer";
    }

    void refusesWhatWasNeverAPlan()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, reason);
        QJsonObject json = plan::toJson(basePlan(), plan::Secrets::Keep);
        if (value.isUndefined() || value.isNull()) {
            json.remove(field);
        } else {
            json.insert(field, value);
        }
        std::string error;
        QVERIFY(!plan::fromJson(json, &error));
        QVERIFY2(QString::fromStdString(error).contains(reason), error.c_str());
        QCOMPARE(QString::fromStdString(plan::describe(json)), QStringLiteral("plan not recorded"));
    }

    void maskUrlCredentials_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("masked");
        QTest::newRow("user and password") << "http://ann:pw@host:80/x"
                                           << "http://ann:***@host:80/x";
        QTest::newRow("user only") << "https://ann@host/"
                                   << "https://ann@host/";
        QTest::newRow("none") << "http://host/a@b"
                              << "http://host/a@b";
        QTest::newRow("at in password") << "http://ann:p@ss@host/"
                                        << "http://ann:***@host/";
        QTest::newRow("empty password") << "http://ann:@host/"
                                        << "http://ann:***@host/";
    }

    void maskUrlCredentials()
    {
        QFETCH(QString, url);
        QFETCH(QString, masked);
        QCOMPARE(QString::fromStdString(engine::maskUrlCredentials(url.toStdString())), masked);
    }

    void unitsIgnoreTheLocale()
    {
        // Under a decimal-comma locale printf would write "1,50" and strtod stop at the '.'.
        const char* previous = std::setlocale(LC_ALL, nullptr);
        const std::string saved = previous ? previous : "C";
        const bool german = std::setlocale(LC_ALL, "de_DE.UTF-8") != nullptr;
        QVERIFY2(german, "de_DE.UTF-8 is not installed: scripts/deps.sh generates it");
        QCOMPARE(units::fixed(1.5, 2), std::string("1.50"));
        QCOMPARE(units::fixed(-0.001, 2), std::string("0.00"));
        QCOMPARE(units::trimmed(1.50, 3), std::string("1.5"));
        QCOMPARE(units::trimmed(2.0, 3), std::string("2"));
        QCOMPARE(units::grouped(1234567), std::string("1,234,567"));
        QCOMPARE(units::level(2.5), std::string("2.5"));
        QCOMPARE(units::latency(850), std::string("850us"));
        QCOMPARE(units::latency(12'300), std::string("12.30ms"));
        QCOMPARE(units::latency(1'500'000), std::string("1.50s"));
        QCOMPARE(units::percent(12.345, 1), std::string("12.3%"));
        QCOMPARE(units::bytes(1536), std::string("1.5 KiB"));
        QCOMPARE(units::parseNumber("1.5").value_or(-1), 1.5);
        QCOMPARE(units::parseNumber("+2e3").value_or(-1), 2000.0);
        QVERIFY(!units::parseNumber("1,5"));
        QVERIFY(!units::parseNumber("nan"));
        QVERIFY(!units::parseNumber("inf"));
        QVERIFY(!units::parseNumber("1e999"));
        QVERIFY(!units::parseNumber("1.5s"));
        QVERIFY(!units::parseNumber(""));
        QCOMPARE(units::parseInteger("42").value_or(-1), int64_t(42));
        QVERIFY(!units::parseInteger("4.2"));
        QVERIFY(!units::parseInteger("99999999999999999999"));
        // A plan made under that locale is written with '.' and reads back equal.
        auto config = basePlan();
        config.rate = 2.5;
        config.duration = 1500ms;
        const QJsonObject json = plan::toJson(config, plan::Secrets::Keep);
        QCOMPARE(QString::fromStdString(plan::describe(config)), QStringLiteral("open model, 2.5 req/s, 1.5s"));
        std::string error;
        QVERIFY2(plan::fromJson(json, &error), error.c_str());
        std::setlocale(LC_ALL, saved.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPlan)
#include "tst_plan.moc"
