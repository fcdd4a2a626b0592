// SPDX-License-Identifier: Apache-2.0
#include "metrics/latency_histogram.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using benchdeck::metrics::LatencyHistogram;

namespace {

// Nearest-rank percentile of exact data: what the histogram must approximate.
int64_t exactPercentile(std::vector<int64_t> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto rank = std::max<size_t>(1, size_t(std::ceil(p / 100.0 * double(values.size()))));
    return values[rank - 1];
}

} // namespace

class TestHistogram : public QObject {
    Q_OBJECT
private slots:
    void percentilesMatchExactData_data()
    {
        QTest::addColumn<QString>("distribution");
        QTest::addColumn<int>("seed");
        QTest::newRow("uniform 1us..10s") << QStringLiteral("uniform") << 1;
        QTest::newRow("lognormal around 2ms") << QStringLiteral("lognormal") << 2;
        QTest::newRow("exponential mean 50ms") << QStringLiteral("exponential") << 3;
        QTest::newRow("bimodal 100us / 800ms") << QStringLiteral("bimodal") << 4;
    }

    void percentilesMatchExactData()
    {
        QFETCH(QString, distribution);
        QFETCH(int, seed);
        std::mt19937_64 rng{static_cast<uint64_t>(seed)};
        std::vector<int64_t> values;
        values.reserve(200000);
        LatencyHistogram h;
        for (int i = 0; i < 200000; ++i) {
            double v = 0;
            if (distribution == QLatin1String("uniform")) {
                v = std::uniform_real_distribution<double>(1, 10e6)(rng);
            } else if (distribution == QLatin1String("lognormal")) {
                v = std::lognormal_distribution<double>(std::log(2000.0), 1.0)(rng);
            } else if (distribution == QLatin1String("exponential")) {
                v = std::exponential_distribution<double>(1.0 / 50000.0)(rng);
            } else {
                v = (i % 10 == 0) ? 800000 + double(i % 977) : 100 + double(i % 13);
            }
            const auto micros = std::max<int64_t>(1, int64_t(v));
            values.push_back(micros);
            h.record(micros);
        }
        QCOMPARE(h.count(), uint64_t(values.size()));
        for (const double p : {1.0, 10.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99}) {
            const double exact = double(exactPercentile(values, p));
            const double approx = double(h.valueAtPercentile(p));
            const double relative = std::abs(approx - exact) / exact;
            if (relative > 0.001) {
                QFAIL(qPrintable(QStringLiteral("p%1: histogram %2 vs exact %3 (%4% off)")
                                     .arg(p)
                                     .arg(approx)
                                     .arg(exact)
                                     .arg(relative * 100)));
            }
        }
        QCOMPARE(h.min(), *std::min_element(values.begin(), values.end()));
        QCOMPARE(h.max(), *std::max_element(values.begin(), values.end()));
        double sum = 0;
        for (auto v : values) {
            sum += double(v);
        }
        QVERIFY(std::abs(h.mean() - sum / double(values.size())) < 1e-6 * h.mean());
    }

    void mergeEqualsHistogramOfUnion()
    {
        std::mt19937_64 rng(7);
        std::lognormal_distribution<double> dist(std::log(5000.0), 1.5);
        LatencyHistogram a, b, all;
        for (int i = 0; i < 50000; ++i) {
            const auto v = int64_t(dist(rng));
            (i % 3 == 0 ? a : b).record(v);
            all.record(v);
        }
        LatencyHistogram merged;
        merged.merge(a);
        merged.merge(b);
        QVERIFY(merged.sameDistribution(all));
        for (const double p : {50.0, 90.0, 99.0, 99.9}) {
            QCOMPARE(merged.valueAtPercentile(p), all.valueAtPercentile(p));
        }
        QVERIFY(std::abs(merged.mean() - all.mean()) < 1e-9 * all.mean());
        QVERIFY(std::abs(merged.stdev() - all.stdev()) < 1e-6 * all.stdev());
    }

    void edgeValues()
    {
        LatencyHistogram h;
        QVERIFY(h.empty());
        QCOMPARE(h.valueAtPercentile(99), int64_t(0));
        QCOMPARE(h.mean(), 0.0);

        h.record(0);
        QCOMPARE(h.min(), int64_t(0));
        h.record(-5); // a clock that went backwards must not corrupt the histogram
        QCOMPARE(h.min(), int64_t(0));
        QCOMPARE(h.count(), uint64_t(2));

        h.reset();
        const int64_t sixtySeconds = 60'000'000;
        h.record(sixtySeconds);
        QCOMPARE(h.valueAtPercentile(50), sixtySeconds); // clamped to the exact extremes
        h.record(LatencyHistogram::kHighestTrackable + 1000);
        QCOMPARE(h.max(), LatencyHistogram::kHighestTrackable);

        // Small values are exact: one bucket per microsecond below 2048.
        h.reset();
        for (int64_t v = 1; v < 2048; ++v) {
            h.record(v);
        }
        QCOMPARE(h.valueAtPercentile(50), int64_t(1024));
        QCOMPARE(h.valueAtPercentile(100), int64_t(2047));
    }

    void indexAndValueRoundTrip()
    {
        for (int64_t v : {int64_t(0), int64_t(1), int64_t(2047), int64_t(2048), int64_t(4095), int64_t(4096),
                          int64_t(123456), int64_t(60'000'000), LatencyHistogram::kHighestTrackable}) {
            const size_t index = LatencyHistogram::indexOf(v);
            QVERIFY(index < LatencyHistogram::kCountsLength);
            QVERIFY2(LatencyHistogram::lowestValueAt(index) <= v && v <= LatencyHistogram::highestValueAt(index),
                     qPrintable(QString::number(v)));
        }
    }

    void resetClearsOnlyWhatWasUsedButAllOfIt()
    {
        LatencyHistogram h;
        h.record(10);
        h.record(5'000'000);
        h.reset();
        QVERIFY(h.empty());
        for (const auto c : h.counts()) {
            QCOMPARE(c, uint64_t(0));
        }
    }

    void rebuildsFromStoredCounts()
    {
        LatencyHistogram h;
        for (int i = 1; i < 10000; i += 7) {
            h.record(i * 13);
        }
        const auto copy = LatencyHistogram::fromCounts(h.counts(), h.min(), h.max(), h.sum(), h.sumOfSquares());
        QVERIFY(copy.sameDistribution(h));
        QCOMPARE(copy.valueAtPercentile(99), h.valueAtPercentile(99));
        QCOMPARE(copy.mean(), h.mean());
    }
};

QTEST_GUILESS_MAIN(TestHistogram)
#include "tst_histogram.moc"
