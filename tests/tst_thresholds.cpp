// SPDX-License-Identifier: Apache-2.0
// Thresholds as CI sees them: parsing (good and bad expressions), verdicts against a run with known
// figures, the JUnit XML report, and `benchdeck-cli run --threshold/--junit` end to end. Every load
// goes to an in-process target on 127.0.0.1 and is bounded by a request count.
#include "report/junit.h"
#include "report/thresholds.h"
#include "target/target_server.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include "cli_process.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>
#include <cmath>

using benchdeck::report::Threshold;
using benchdeck::report::ThresholdComparison;
using benchdeck::report::ThresholdMetric;
using benchdeck::report::ThresholdVerdict;

Q_DECLARE_METATYPE(ThresholdMetric)
Q_DECLARE_METATYPE(ThresholdComparison)

namespace {

using Outcome = CliOutcome;

Outcome cli(const QStringList& arguments, int timeoutMs = 60000)
{
    return runCli(arguments, timeoutMs);
}

QString localUrl(uint16_t port)
{
    return QStringLiteral("http://127.0.0.1:%1/").arg(port);
}

// 1000 requests over 2 s: 900 answered 200 in 10 ms, 90 answered 200 in 20 ms, 10 answered 503 in
// 500 ms. So p50 = p90 = 10 ms, p99 = 20 ms, p99.9 = max = 500 ms, mean 15.8 ms, 1% errors, 500 req/s.
benchdeck::metrics::RunResult knownRun()
{
    benchdeck::metrics::RunResult result;
    for (int i = 0; i < 900; ++i) {
        result.total.recordResponse(200, 10'000);
    }
    for (int i = 0; i < 90; ++i) {
        result.total.recordResponse(200, 20'000);
    }
    for (int i = 0; i < 10; ++i) {
        result.total.recordResponse(503, 500'000);
    }
    result.durationSeconds = 2.0;
    result.finalize();
    return result;
}

ThresholdVerdict verdictFor(const char* expression, const benchdeck::metrics::RunResult& result)
{
    std::string error;
    const auto threshold = benchdeck::report::parseThreshold(expression, &error);
    if (!threshold) {
        qFatal("threshold '%s' did not parse: %s", expression, error.c_str());
    }
    return benchdeck::report::evaluate(*threshold, result);
}

struct XmlSummary {
    bool wellFormed = false;
    QString error;
    int testsuites = 0;
    int testsuite = 0;
    int testcases = 0;
    int failures = 0;
    QXmlStreamAttributes suite;
    QStringList caseNames;
    QStringList classnames;
    QStringList failureMessages;
};

XmlSummary readJunit(const QByteArray& xml)
{
    XmlSummary summary;
    QXmlStreamReader reader(xml);
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement) {
            continue;
        }
        const auto name = reader.name();
        if (name == QLatin1String("testsuites")) {
            ++summary.testsuites;
        } else if (name == QLatin1String("testsuite")) {
            ++summary.testsuite;
            summary.suite = reader.attributes();
        } else if (name == QLatin1String("testcase")) {
            ++summary.testcases;
            summary.caseNames << reader.attributes().value(QLatin1String("name")).toString();
            summary.classnames << reader.attributes().value(QLatin1String("classname")).toString();
        } else if (name == QLatin1String("failure")) {
            ++summary.failures;
            summary.failureMessages << reader.attributes().value(QLatin1String("message")).toString();
        }
    }
    summary.wellFormed = !reader.hasError();
    summary.error = reader.errorString();
    return summary;
}

} // namespace

class TestThresholds : public QObject {
    Q_OBJECT
private slots:
    void parsesGoodExpressions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<ThresholdMetric>("metric");
        QTest::addColumn<ThresholdComparison>("comparison");
        QTest::addColumn<double>("limit");
        using M = ThresholdMetric;
        using C = ThresholdComparison;
        const QString micro = QString::fromUtf8("\xc2\xb5");
        QTest::newRow("p99 ms") << "p99<50ms"
                                << "p99<50ms" << M::P99 << C::Less << 50e3;
        QTest::newRow("p50 <=") << "p50<=2ms"
                                << "p50<=2ms" << M::P50 << C::LessOrEqual << 2e3;
        QTest::newRow("mean") << "mean<10ms"
                              << "mean<10ms" << M::Mean << C::Less << 10e3;
        QTest::newRow("p90 fractional s") << "p90<1.5s"
                                          << "p90<1.5s" << M::P90 << C::Less << 1.5e6;
        QTest::newRow("p999") << "p999<200ms"
                              << "p999<200ms" << M::P999 << C::Less << 200e3;
        QTest::newRow("max s") << "max<1s"
                               << "max<1s" << M::Max << C::Less << 1e6;
        QTest::newRow("errors percent") << "errors<1%"
                                        << "errors<1%" << M::ErrorPercent << C::Less << 1.0;
        QTest::newRow("errors count") << "errors<=10"
                                      << "errors<=10" << M::ErrorCount << C::LessOrEqual << 10.0;
        QTest::newRow("rps >") << "rps>1000"
                               << "rps>1000" << M::Rps << C::Greater << 1000.0;
        QTest::newRow("rps >=") << "rps>=5000"
                                << "rps>=5000" << M::Rps << C::GreaterOrEqual << 5000.0;
        QTest::newRow("spaces") << "  p99 < 50 ms  "
                                << "p99<50ms" << M::P99 << C::Less << 50e3;
        QTest::newRow("tabs") << "p90\t<=\t1s"
                              << "p90<=1s" << M::P90 << C::LessOrEqual << 1e6;
        QTest::newRow("upper case") << "P99<50MS"
                                    << "p99<50ms" << M::P99 << C::Less << 50e3;
        QTest::newRow("us") << "p50<250us"
                            << "p50<250us" << M::P50 << C::Less << 250.0;
        QTest::newRow("micro sign") << QString("p50<250" + micro + "s") << QString("p50<250" + micro + "s") << M::P50
                                    << C::Less << 250.0;
        QTest::newRow("errors spaced percent") << "errors < 0.5 %"
                                               << "errors<0.5%" << M::ErrorPercent << C::Less << 0.5;
        QTest::newRow("errors none") << "errors<=0"
                                     << "errors<=0" << M::ErrorCount << C::LessOrEqual << 0.0;
        QTest::newRow("errors 100%") << "errors>=100%"
                                     << "errors>=100%" << M::ErrorPercent << C::GreaterOrEqual << 100.0;
        QTest::newRow("p99.9 alias") << "p99.9<300ms"
                                     << "p99.9<300ms" << M::P999 << C::Less << 300e3;
        QTest::newRow("mean >=") << "mean>=0.5ms"
                                 << "mean>=0.5ms" << M::Mean << C::GreaterOrEqual << 500.0;
        QTest::newRow("rps fractional") << "rps > 12.5"
                                        << "rps>12.5" << M::Rps << C::Greater << 12.5;
        QTest::newRow("leading dot") << "max<=.5s"
                                     << "max<=.5s" << M::Max << C::LessOrEqual << 500e3;
        QTest::newRow("a step's p99") << "p99{step=login}<100ms"
                                      << "p99{step=login}<100ms" << M::P99 << C::Less << 100e3;
        QTest::newRow("a step in quotes, spaced") << "p99 { step = \"list items\" } < 1s"
                                                  << "p99{step=list items}<1s" << M::P99 << C::Less << 1e6;
        QTest::newRow("checks") << "checks>99%"
                                << "checks>99%" << M::ChecksPassedPercent << C::Greater << 99.0;
        QTest::newRow("a step's checks") << "checks{step=shop/item}>=99.9%"
                                         << "checks{step=shop/item}>=99.9%" << M::ChecksPassedPercent
                                         << C::GreaterOrEqual << 99.9;
    }

    void parsesGoodExpressions()
    {
        QFETCH(QString, text);
        QFETCH(QString, expression);
        QFETCH(ThresholdMetric, metric);
        QFETCH(ThresholdComparison, comparison);
        QFETCH(double, limit);
        std::string error;
        const auto threshold = benchdeck::report::parseThreshold(text.toStdString(), &error);
        QVERIFY2(threshold.has_value(), error.c_str());
        QCOMPARE(QString::fromStdString(threshold->expression), expression);
        QCOMPARE(threshold->metric, metric);
        QCOMPARE(threshold->comparison, comparison);
        QCOMPARE(threshold->limit, limit);
    }

    void refusesBadExpressions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown metric") << "p98<5ms"
                                        << "unknown metric 'p98' (use rps, mean, p50, p90, p99, p999, max, errors, checks)";
        QTest::newRow("unknown word") << "latency<5ms"
                                      << "unknown metric 'latency'";
        QTest::newRow("no unit") << "p99<50"
                                 << "'p99<50' needs a unit: ms, s or us";
        QTest::newRow("no comparison") << "p99 50ms"
                                       << "missing comparison";
        QTest::newRow("metric only") << "p99"
                                     << "missing comparison";
        QTest::newRow("empty") << ""
                               << "empty threshold";
        QTest::newRow("blank") << "   "
                               << "empty threshold";
        QTest::newRow("no metric") << "<50ms"
                                   << "has no metric";
        QTest::newRow("not a threshold") << "%%"
                                         << "is not a threshold";
        QTest::newRow("equals") << "p99=50ms"
                                << "unsupported comparison '='";
        QTest::newRow("double equals") << "p99==50ms"
                                       << "unsupported comparison '=='";
        QTest::newRow("reversed") << "p99=<50ms"
                                  << "unsupported comparison '=<'";
        QTest::newRow("no limit") << "p99<"
                                  << "missing limit after '<'";
        QTest::newRow("negative") << "p99<-5ms"
                                  << "must not be negative";
        QTest::newRow("word limit") << "p99<fastms"
                                    << "expected a number after '<'";
        QTest::newRow("two dots") << "p99<1.2.3ms"
                                  << "'1.2.3' is not a number";
        QTest::newRow("minutes") << "p99<50m"
                                 << "unknown unit 'm' for p99 (use ms, s or us)";
        QTest::newRow("latency percent") << "p99<5%"
                                         << "unknown unit '%'";
        QTest::newRow("rps unit") << "rps>1000ms"
                                  << "rps takes a plain number";
        QTest::newRow("fractional count") << "errors<1.5"
                                          << "whole number";
        QTest::newRow("over 100%") << "errors<150%"
                                   << "cannot exceed 100";
        QTest::newRow("errors in ms") << "errors<5ms"
                                      << "errors takes a percentage";
        QTest::newRow("two in one") << "p99<50ms,p50<10ms"
                                    << "give each threshold separately";
        QTest::newRow("trailing word") << "p99<50ms please"
                                       << "unexpected 'please'";
        QTest::newRow("checks without %") << "checks>99"
                                          << "checks takes the percentage of checks that passed";
        QTest::newRow("braces without a step") << "p99{user=ann}<1ms"
                                               << "only a step can be named in braces";
        QTest::newRow("a step without a name") << "p99{step=}<1ms"
                                               << "the step has no name";
        QTest::newRow("unclosed brace") << "p99{step=login<1ms"
                                        << "'{' without '}'";
        QTest::newRow("never passes") << "p99<0ms"
                                      << "can never pass";
    }

    void refusesBadExpressions()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        std::string error;
        const auto threshold = benchdeck::report::parseThreshold(text.toStdString(), &error);
        QVERIFY(!threshold.has_value());
        const QString why = QString::fromStdString(error);
        QVERIFY2(why.contains(message), qPrintable(why));
        QVERIFY2(!why.contains(QLatin1Char('\n')), qPrintable(why));
    }

    void evaluatesKnownRun_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("passed");
        QTest::addColumn<double>("measured");
        QTest::addColumn<QString>("unit");
        QTest::addColumn<QString>("line");
        QTest::newRow("p50 pass") << "p50<11ms" << true << 10.0 << "ms"
                                  << "PASS p50<11ms (measured 10.0";
        QTest::newRow("p50 fail") << "p50<9ms" << false << 10.0 << "ms"
                                  << "FAIL p50<9ms (measured 10.0";
        QTest::newRow("p50 in us") << "p50>5000us" << true << 10.0 << "ms"
                                   << "PASS p50>5000us (measured 10.0";
        QTest::newRow("p90") << "p90<=10.5ms" << true << 10.0 << "ms"
                             << "PASS p90<=10.5ms";
        QTest::newRow("p99 pass") << "p99<25ms" << true << 20.0 << "ms"
                                  << "PASS p99<25ms (measured 20.0";
        QTest::newRow("p99 in s") << "p99 < 0.025 s" << true << 20.0 << "ms"
                                  << "PASS p99<0.025s";
        QTest::newRow("p99 fail") << "p99<15ms" << false << 20.0 << "ms"
                                  << "FAIL p99<15ms";
        QTest::newRow("p999 fail") << "p999<200ms" << false << 500.0 << "ms"
                                   << "FAIL p999<200ms (measured 50";
        QTest::newRow("max pass") << "max<1s" << true << 500.0 << "ms"
                                  << "PASS max<1s (measured 500ms)";
        QTest::newRow("max at limit") << "max>=0.5s" << true << 500.0 << "ms"
                                      << "PASS max>=0.5s (measured 500ms)";
        QTest::newRow("mean") << "mean<16ms" << true << 15.8 << "ms"
                              << "PASS mean<16ms (measured 15.8ms)";
        QTest::newRow("errors % fail") << "errors<1%" << false << 1.0 << "%"
                                       << "FAIL errors<1% (measured 1.00%)";
        QTest::newRow("errors % pass") << "errors<=1%" << true << 1.0 << "%"
                                       << "PASS errors<=1% (measured 1.00%)";
        QTest::newRow("errors count pass") << "errors<=10" << true << 10.0 << "count"
                                           << "PASS errors<=10 (measured 10)";
        QTest::newRow("errors count fail") << "errors<10" << false << 10.0 << "count"
                                           << "FAIL errors<10 (measured 10)";
        QTest::newRow("rps pass") << "rps>400" << true << 500.0 << "req/s"
                                  << "PASS rps>400 (measured 500.0 req/s)";
        QTest::newRow("rps fail") << "rps>=600" << false << 500.0 << "req/s"
                                  << "FAIL rps>=600";
        QTest::newRow("rps ceiling") << "rps<1000" << true << 500.0 << "req/s"
                                     << "PASS rps<1000";
    }

    void evaluatesKnownRun()
    {
        QFETCH(QString, expression);
        QFETCH(bool, passed);
        QFETCH(double, measured);
        QFETCH(QString, unit);
        QFETCH(QString, line);
        const auto result = knownRun();
        QCOMPARE(result.total.requests, uint64_t(1000));
        QCOMPARE(result.total.errors, uint64_t(10));
        const auto verdict = verdictFor(qPrintable(expression), result);
        const QString text = QString::fromStdString(verdict.line);
        QCOMPARE(verdict.passed, passed);
        QVERIFY(verdict.measured.has_value());
        // Latencies carry the histogram's 3 significant digits.
        QVERIFY2(std::abs(*verdict.measured - measured) <= measured * 0.001,
                 qPrintable(QString::number(*verdict.measured)));
        QCOMPARE(QString::fromStdString(verdict.unit), unit);
        QVERIFY2(text.startsWith(line), qPrintable(text));
        QCOMPARE(QString::fromStdString(verdict.expression), QString(text.section(QLatin1Char(' '), 1, 1)));
    }

    void judgesAStepAndTheChecks()
    {
        // Two steps: login answers 100 times in 5 ms and passes its one check; item answers 100 times
        // in 50 ms and fails one of its two checks 10 times. The run's p99 is the item's.
        benchdeck::metrics::RunResult result;
        result.total.scenario.emplace(2);
        result.stepLabels = {{"shop", "login"}, {"shop", "item"}};
        auto& steps = result.total.scenario->steps;
        for (int i = 0; i < 100; ++i) {
            result.total.recordResponse(200, 5'000);
            steps[0].latency.record(5'000);
            result.total.recordResponse(200, 50'000);
            steps[1].latency.record(50'000);
        }
        steps[0].requests = steps[1].requests = 100;
        steps[0].checks = 100;
        steps[1].checks = 200;
        steps[1].checksFailed = 10;
        result.durationSeconds = 1;
        result.finalize();
        QVERIFY(verdictFor("p99{step=login}<10ms", result).passed);
        QVERIFY(!verdictFor("p99<10ms", result).passed);
        QVERIFY(verdictFor("p99{step=shop/login}<10ms", result).passed);
        QVERIFY(verdictFor("rps{step=item}>=100", result).passed);
        const auto checks = verdictFor("checks>99%", result);
        QVERIFY(!checks.passed);
        QCOMPARE(*checks.measured, 100.0 * 290 / 300);
        QCOMPARE(QString::fromStdString(checks.line), QString("FAIL checks>99% (measured 96.67%)"));
        QVERIFY(verdictFor("checks{step=login}>=100%", result).passed);
        QVERIFY(!verdictFor("checks{step=item}>96%", result).passed);
        const auto missing = verdictFor("p99{step=logout}<1s", result);
        QVERIFY(!missing.passed && !missing.measured);
        QVERIFY2(missing.line.find("no step named \"logout\"") != std::string::npos, missing.line.c_str());
        // A single-URL run has no steps and no checks: such thresholds fail and say why.
        const auto plain = knownRun();
        QVERIFY(verdictFor("p99{step=login}<1s", plain).line.find("not a scenario run") != std::string::npos);
        QVERIFY(verdictFor("checks>99%", plain).line.find("no checks were evaluated") != std::string::npos);
    }

    void measuredFigureNeverContradictsVerdict()
    {
        benchdeck::metrics::RunResult result;
        result.total.recordResponse(200, 49'996);
        result.durationSeconds = 1;
        result.finalize();
        const auto pass = verdictFor("p99<50ms", result);
        QVERIFY(pass.passed);
        QCOMPARE(QString::fromStdString(pass.line), QStringLiteral("PASS p99<50ms (measured 49.996ms)"));
        const auto fail = verdictFor("p99>=50ms", result);
        QVERIFY(!fail.passed);
        QCOMPARE(QString::fromStdString(fail.line), QStringLiteral("FAIL p99>=50ms (measured 49.996ms)"));
        const auto sub = verdictFor("max<1ms", result);
        QCOMPARE(QString::fromStdString(sub.line), QStringLiteral("FAIL max<1ms (measured 50.0ms)"));
        benchdeck::metrics::RunResult fast;
        fast.total.recordResponse(200, 850);
        fast.durationSeconds = 1;
        fast.finalize();
        QCOMPARE(QString::fromStdString(verdictFor("p50<1ms", fast).line),
                 QStringLiteral("PASS p50<1ms (measured 850us)"));
    }

    void emptyRunFailsRpsAndLatency()
    {
        const benchdeck::metrics::RunResult empty;
        const auto rps = verdictFor("rps<1000", empty);
        QVERIFY(!rps.passed);
        QCOMPARE(QString::fromStdString(rps.line), QStringLiteral("FAIL rps<1000 (no requests were measured)"));
        QVERIFY(!verdictFor("rps>=1", empty).passed);
        const auto p99 = verdictFor("p99<1s", empty);
        QVERIFY(!p99.passed);
        QVERIFY(!p99.measured.has_value());
        QCOMPARE(QString::fromStdString(p99.line), QStringLiteral("FAIL p99<1s (no responses to measure)"));
        const auto errors = verdictFor("errors<1%", empty); // 0% of nothing
        QVERIFY(errors.passed);
        QCOMPARE(*errors.measured, 0.0);
        QVERIFY(verdictFor("errors<=0", empty).passed);
    }

    void junitReportIsWellFormed()
    {
        const auto result = knownRun();
        std::vector<ThresholdVerdict> verdicts = {verdictFor("p99<25ms", result), verdictFor("errors<1%", result),
                                                  verdictFor("rps>=400", result)};
        const std::string xml = benchdeck::report::junitXml("benchdeck \"GET\" <&> run", verdicts, 2.0);
        const QByteArray bytes = QByteArray::fromStdString(xml);
        const auto summary = readJunit(bytes);
        QVERIFY2(summary.wellFormed, qPrintable(summary.error + "\n" + QString::fromUtf8(bytes)));
        QCOMPARE(summary.testsuites, 1);
        QCOMPARE(summary.testsuite, 1);
        QCOMPARE(summary.testcases, 3);
        QCOMPARE(summary.failures, 1);
        QCOMPARE(summary.suite.value(QLatin1String("name")).toString(), QStringLiteral("benchdeck \"GET\" <&> run"));
        QCOMPARE(summary.suite.value(QLatin1String("tests")).toString(), QStringLiteral("3"));
        QCOMPARE(summary.suite.value(QLatin1String("failures")).toString(), QStringLiteral("1"));
        QCOMPARE(summary.suite.value(QLatin1String("time")).toString(), QStringLiteral("2.000"));
        QCOMPARE(summary.caseNames, (QStringList{"p99<25ms", "errors<1%", "rps>=400"}));
        QCOMPARE(summary.classnames, (QStringList(3, QStringLiteral("benchdeck.thresholds"))));
        QCOMPARE(summary.failureMessages, QStringList{QStringLiteral("FAIL errors<1% (measured 1.00%)")});
        QVERIFY(bytes.contains("name=\"p99&lt;25ms\""));
        QVERIFY(bytes.contains("&amp;"));
        QVERIFY(!bytes.contains("name=\"p99<25ms\""));
        QVERIFY(!bytes.contains("<&>"));

        const auto none = readJunit(QByteArray::fromStdString(benchdeck::report::junitXml("empty", {}, 0)));
        QVERIFY(none.wellFormed);
        QCOMPARE(none.testcases, 0);
        QCOMPARE(none.suite.value(QLatin1String("tests")).toString(), QStringLiteral("0"));
    }

    void cliPassingThresholdsExitZero()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        const auto outcome = cli({"run", localUrl(target.port()), "-n", "300", "-c", "2", "-t", "1", "--threshold",
                                  "p99<10s", "--threshold", "errors < 1%", "--threshold", "rps>1"});
        QCOMPARE(outcome.exitCode, 0);
        QVERIFY2(outcome.out.contains(QStringLiteral("Thresholds:")), qPrintable(outcome.out));
        QVERIFY(outcome.out.contains(QStringLiteral("PASS p99<10s (measured ")));
        QVERIFY(outcome.out.contains(QStringLiteral("PASS errors<1% (measured 0.00%)")));
        QVERIFY(outcome.out.contains(QStringLiteral("PASS rps>1 (measured ")));
        QVERIFY2(!outcome.err.contains(QStringLiteral("crossed")), qPrintable(outcome.err));
    }

    void cliCrossedThresholdExitsThree()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        const auto outcome = cli({"run", localUrl(target.port()), "-n", "200", "-c", "2", "-t", "1", "--threshold",
                                  "p99<1us", "--threshold", "errors<=0"});
        QCOMPARE(outcome.exitCode, 3);
        QVERIFY2(outcome.out.contains(QStringLiteral("FAIL p99<1us (measured ")), qPrintable(outcome.out));
        QVERIFY(outcome.out.contains(QStringLiteral("PASS errors<=0 (measured 0)")));
        QVERIFY2(outcome.err.contains(QStringLiteral("1 of 2 thresholds crossed")), qPrintable(outcome.err));
    }

    void cliMalformedThresholdIsUsageErrorBeforeTraffic()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        for (const char* bad : {"p99<50", "p98<5ms", "p99 50ms"}) {
            const auto outcome =
                cli({"run", localUrl(target.port()), "-n", "50", "--threshold", "p99<1s", "--threshold", bad}, 10000);
            QCOMPARE(outcome.exitCode, 2);
            QVERIFY2(outcome.err.startsWith(QStringLiteral("benchdeck-cli: --threshold: ")), qPrintable(outcome.err));
            QCOMPARE(outcome.err.trimmed().count(QLatin1Char('\n')), 0);
            QVERIFY(outcome.out.isEmpty());
        }
        const auto noUnit = cli({"run", localUrl(target.port()), "--threshold", "p99<50"}, 10000);
        QVERIFY2(noUnit.err.contains(QStringLiteral("'p99<50' needs a unit: ms, s or us")), qPrintable(noUnit.err));
        QTemporaryDir dir;
        const auto missingFolder = cli({"run", localUrl(target.port()), "-n", "50", "--threshold", "p99<1s", "--junit",
                                        dir.filePath(QStringLiteral("no/such/out.xml"))},
                                       10000);
        QCOMPARE(missingFolder.exitCode, 2);
        QVERIFY2(missingFolder.err.contains(QStringLiteral("does not exist")), qPrintable(missingFolder.err));
        QCOMPARE(target.requestsServed(), uint64_t(0)); // no traffic was sent
    }

    void cliJsonAndJunit()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        QTemporaryDir dir;
        const QString junitPath = dir.filePath(QStringLiteral("thresholds.xml"));
        const auto outcome =
            cli({"run", localUrl(target.port()), "-n", "200", "-c", "2", "-t", "1", "--json", "--label", "ci <run>",
                 "--threshold", "p99<10s", "--threshold", "p50<1us", "--junit", junitPath});
        QCOMPARE(outcome.exitCode, 3);
        QJsonParseError parseError{};
        const QJsonObject json = QJsonDocument::fromJson(outcome.out.toUtf8(), &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(outcome.out));
        QCOMPARE(json.value("requests").toInteger(), 200);
        const QJsonArray thresholds = json.value("thresholds").toArray();
        QCOMPARE(thresholds.size(), 2);
        const QJsonObject first = thresholds[0].toObject();
        QCOMPARE(first.value("expression").toString(), QStringLiteral("p99<10s"));
        QCOMPARE(first.value("passed").toBool(), true);
        QCOMPARE(first.value("unit").toString(), QStringLiteral("ms"));
        QVERIFY(first.value("measured").toDouble() > 0);
        QCOMPARE(thresholds[1].toObject().value("passed").toBool(), false);
        QVERIFY2(outcome.err.contains(QStringLiteral("PASS p99<10s")), qPrintable(outcome.err));
        QVERIFY(outcome.err.contains(QStringLiteral("FAIL p50<1us")));

        QFile file(junitPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto summary = readJunit(file.readAll());
        QVERIFY2(summary.wellFormed, qPrintable(summary.error));
        QCOMPARE(summary.testcases, 2);
        QCOMPARE(summary.failures, 1);
        QCOMPARE(summary.caseNames, (QStringList{"p99<10s", "p50<1us"}));
        QCOMPARE(summary.suite.value(QLatin1String("name")).toString(), QStringLiteral("benchdeck ci <run>"));
        QVERIFY(summary.failureMessages.first().startsWith(QStringLiteral("FAIL p50<1us (measured ")));

        // Without --json the verdicts go to stdout, and all passing means exit 0 with the file written.
        const auto passing = cli(
            {"run", localUrl(target.port()), "-n", "100", "-c", "1", "--threshold", "p99<10s", "--junit", junitPath,
             "--force"}); // replaces the file of the run above, as CI reruns do
        QCOMPARE(passing.exitCode, 0);
        QFile again(junitPath);
        QVERIFY(again.open(QIODevice::ReadOnly));
        const auto passed = readJunit(again.readAll());
        QVERIFY(passed.wellFormed);
        QCOMPARE(passed.testcases, 1);
        QCOMPARE(passed.failures, 0);
    }

    void cliJunitWriteErrorExitsOne()
    {
        if (!QDir(QStringLiteral("/proc")).exists()) {
            QSKIP("needs /proc as a folder no file can be created in");
        }
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        const auto outcome = cli({"run", localUrl(target.port()), "-n", "50", "-c", "1", "--threshold", "p99<10s",
                                  "--junit", "/proc/benchdeck-thresholds.xml"});
        QCOMPARE(outcome.exitCode, 1);
        QVERIFY2(outcome.err.contains(QStringLiteral("cannot write --junit file")), qPrintable(outcome.err));
    }

    void cliUnreachableStillExitsFour()
    {
        uint16_t port = 0;
        {
            benchdeck::target::TargetServer probe({});
            std::string error;
            QVERIFY2(probe.start(&error), error.c_str());
            port = probe.port();
        } // stopped: the port now refuses connections
        const auto outcome = cli({"run", localUrl(port), "-d", "300ms", "-c", "1", "--threshold", "p99<1us"});
        QCOMPARE(outcome.exitCode, 4);
        QVERIFY2(outcome.err.contains(QStringLiteral("cannot reach")), qPrintable(outcome.err));
        // Refused attempts still count as requests, but no response means no latency to judge.
        QVERIFY2(outcome.out.contains(QStringLiteral("FAIL p99<1us (no responses to measure)")),
                 qPrintable(outcome.out));
    }
};

QTEST_GUILESS_MAIN(TestThresholds)
#include "tst_thresholds.moc"
