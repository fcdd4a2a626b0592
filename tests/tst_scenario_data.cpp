// SPDX-License-Identifier: Apache-2.0
// The data side of scenarios: CSV parsing (RFC 4180 quoting, line ends, BOM, and an error naming the
// line for every malformed file), file loading, the feeder cursors as concurrent workers use them,
// and the weighted round-robin that splits iterations between scenarios.
#include "scenario/csv_data.h"
#include "scenario/weighted_mix.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <latch>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using benchdeck::scenario::CsvTable;
using benchdeck::scenario::FeederCursor;
using benchdeck::scenario::FeederMode;
using benchdeck::scenario::FeederRng;
using benchdeck::scenario::loadCsvFile;
using benchdeck::scenario::parseCsv;
using benchdeck::scenario::WeightedMix;

namespace {

std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), size_t(bytes.size())};
}

QStringList toStringList(const std::vector<std::string>& values)
{
    QStringList list;
    for (const auto& value : values) {
        list << QString::fromStdString(value);
    }
    return list;
}

QList<QStringList> toRows(const CsvTable& table)
{
    QList<QStringList> rows;
    for (const auto& row : table.rows) {
        rows << toStringList(row);
    }
    return rows;
}

std::optional<WeightedMix> mixOf(const QList<double>& weights, std::string* error)
{
    const std::vector<double> values(weights.begin(), weights.end());
    return WeightedMix::create(values, error);
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestScenarioData : public QObject {
    Q_OBJECT

private slots:
    // ---- CSV parsing -------------------------------------------------------------------------

    void parsesCsv_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<QList<QStringList>>("rows");

        const QStringList idName{"id", "name"};
        const QList<QStringList> annBob{{"1", "ann"}, {"2", "bob"}};
        QTest::newRow("LF") << QByteArray("id,name\n1,ann\n2,bob\n") << idName << annBob;
        QTest::newRow("LF, no final newline") << QByteArray("id,name\n1,ann\n2,bob") << idName << annBob;
        QTest::newRow("CRLF") << QByteArray("id,name\r\n1,ann\r\n2,bob\r\n") << idName << annBob;
        QTest::newRow("CRLF, no final newline") << QByteArray("id,name\r\n1,ann\r\n2,bob") << idName << annBob;
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF"
                                           "id,name\n1,ann\n2,bob\n")
                             << idName << annBob;
        QTest::newRow("empty lines at the end") << QByteArray("id,name\n1,ann\n2,bob\n\n\r\n\n") << idName << annBob;
        QTest::newRow("quoted fields") << QByteArray("\"id\",\"name\"\n\"1\",\"ann\"\n2,\"bob\"\n") << idName
                                       << annBob;
        QTest::newRow("comma in quotes") << QByteArray("id,address\n1,\"Main St, 5\"\n2,\"a,b,,c\"\n")
                                         << QStringList{"id", "address"}
                                         << QList<QStringList>{{"1", "Main St, 5"}, {"2", "a,b,,c"}};
        QTest::newRow("doubled quotes") << QByteArray("id,quote\n1,\"she said \"\"hi\"\"\"\n2,\"\"\"\"\n")
                                        << QStringList{"id", "quote"}
                                        << QList<QStringList>{{"1", "she said \"hi\""}, {"2", "\""}};
        QTest::newRow("newline in quotes") << QByteArray("id,note\n1,\"two\nlines\"\n2,x\n")
                                           << QStringList{"id", "note"}
                                           << QList<QStringList>{{"1", "two\nlines"}, {"2", "x"}};
        QTest::newRow("CRLF in quotes kept") << QByteArray("id,note\r\n1,\"a\r\nb\"\r\n")
                                             << QStringList{"id", "note"} << QList<QStringList>{{"1", "a\r\nb"}};
        QTest::newRow("empty fields") << QByteArray("a,b,c\n,,\n1,,3\n") << QStringList{"a", "b", "c"}
                                      << QList<QStringList>{{"", "", ""}, {"1", "", "3"}};
        QTest::newRow("trailing comma at the end of the file")
            << QByteArray("a,b\n1,") << QStringList{"a", "b"} << QList<QStringList>{{"1", ""}};
        QTest::newRow("quoted empty value, one column") << QByteArray("id\n\"\"\n2\n") << QStringList{"id"}
                                                        << QList<QStringList>{{""}, {"2"}};
        QTest::newRow("header names trimmed") << QByteArray(" id ,\" user.name \",x-y_2\n1,2,3\n")
                                              << QStringList{"id", "user.name", "x-y_2"}
                                              << QList<QStringList>{{"1", "2", "3"}};
        QTest::newRow("data spaces kept") << QByteArray("id,name\n1, ann \n") << idName
                                          << QList<QStringList>{{"1", " ann "}};
        QTest::newRow("bare quote in an unquoted field") << QByteArray("id,size\n1,5\" screen\n")
                                                         << QStringList{"id", "size"}
                                                         << QList<QStringList>{{"1", "5\" screen"}};
    }

    void parsesCsv()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QStringList, columns);
        QFETCH(QList<QStringList>, rows);

        std::string error;
        const auto table = parseCsv(view(csv), &error);
        QVERIFY2(table, error.c_str());
        QCOMPARE(toStringList(table->columns), columns);
        QCOMPARE(toRows(*table), rows);
    }

    void refusesMalformedCsv_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<int>("line"); // 0: the message names no line
        QTest::addColumn<QStringList>("words");

        QTest::newRow("too few fields") << QByteArray("a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3\n")
                                        << 7 << QStringList{"3 fields, the header has 4"};
        QTest::newRow("too many fields") << QByteArray("a,b\n1,2\n1,2,3\n") << 3
                                         << QStringList{"3 fields, the header has 2"};
        QTest::newRow("one field") << QByteArray("a,b\n1,2\n1\n") << 3 << QStringList{"1 field, the header has 2"};
        QTest::newRow("lines counted through quoted newlines")
            << QByteArray("id,note\n1,\"a\nb\"\n2,x,y\n") << 4 << QStringList{"3 fields, the header has 2"};
        QTest::newRow("lines counted through quoted CRLF")
            << QByteArray("id,note\r\n1,\"a\r\nb\"\r\n2,x,y\r\n") << 4 << QStringList{"3 fields, the header has 2"};
        QTest::newRow("column without a name") << QByteArray("id,,name\n1,2,3\n") << 1
                                               << QStringList{"column 2 has no name"};
        QTest::newRow("column named with spaces only")
            << QByteArray("id,   ,name\n1,2,3\n") << 1 << QStringList{"column 2 has no name"};
        QTest::newRow("name starting with a digit") << QByteArray("id,1st\n1,2\n") << 1
                                                    << QStringList{"column 2", "'1st'", "not a variable name"};
        QTest::newRow("name with a space inside") << QByteArray("id,user name\n1,2\n") << 1
                                                  << QStringList{"column 2", "'user name'", "not a variable name"};
        QTest::newRow("repeated name") << QByteArray("id,name,id\n1,2,3\n") << 1
                                       << QStringList{"column 3 repeats the name 'id' of column 1"};
        QTest::newRow("unterminated quote") << QByteArray("id,note\n1,a\n2,b\n3,\"never closed\n4,x\n") << 4
                                            << QStringList{"unterminated quoted field"};
        QTest::newRow("unterminated quote in the header") << QByteArray("\"id,name\n1,2\n") << 1
                                                          << QStringList{"unterminated quoted field"};
        QTest::newRow("text after a closing quote") << QByteArray("id,note\n1,\"a\"b\n") << 2
                                                    << QStringList{"after the closing quote of field 2"};
        QTest::newRow("empty line between rows") << QByteArray("id\n1\n\n2\n") << 3 << QStringList{"empty line"};
        QTest::newRow("empty line before the header") << QByteArray("\r\nid\n1\n") << 1 << QStringList{"empty line"};
        QTest::newRow("empty file") << QByteArray() << 0 << QStringList{"no data rows", "empty"};
        QTest::newRow("BOM only") << QByteArray("\xEF\xBB\xBF") << 0 << QStringList{"no data rows", "empty"};
        QTest::newRow("empty lines only") << QByteArray("\n\r\n\n") << 0 << QStringList{"no data rows", "empty"};
        QTest::newRow("header only") << QByteArray("id,name\n") << 0 << QStringList{"no data rows", "only the header"};
        QTest::newRow("header only, no newline")
            << QByteArray("id,name") << 0 << QStringList{"no data rows", "only the header"};
    }

    void refusesMalformedCsv()
    {
        QFETCH(QByteArray, csv);
        QFETCH(int, line);
        QFETCH(QStringList, words);

        std::string error;
        QVERIFY2(!parseCsv(view(csv), &error), "a malformed file was accepted");
        const QString message = QString::fromStdString(error);
        if (line > 0) {
            QVERIFY2(message.startsWith(QStringLiteral("line %1: ").arg(line)), qPrintable(message));
        } else {
            QVERIFY2(!message.startsWith(QStringLiteral("line ")), qPrintable(message));
        }
        for (const QString& word : words) {
            QVERIFY2(message.contains(word), qPrintable(message));
        }
        QVERIFY(!parseCsv(view(csv), nullptr)); // no error wanted: still refused, and no crash
    }

    // ---- CSV files ---------------------------------------------------------------------------

    void loadsCsvFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("users.csv");
        QVERIFY(writeFile(path, "user,password\r\nann,\"p,1\"\r\nbob,p2\r\n"));

        std::string error;
        const auto table = loadCsvFile(path.toStdString(), &error);
        QVERIFY2(table, error.c_str());
        QCOMPARE(toStringList(table->columns), (QStringList{"user", "password"}));
        QCOMPARE(toRows(*table), (QList<QStringList>{{"ann", "p,1"}, {"bob", "p2"}}));
    }

    void reportsUnreadableAndMalformedFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::string error;

        const std::string missing = dir.filePath("missing.csv").toStdString();
        QVERIFY(!loadCsvFile(missing, &error));
        QCOMPARE(QString::fromStdString(error), QString::fromStdString("cannot read " + missing) +
                                                    QStringLiteral(": No such file or directory"));

        QVERIFY(!loadCsvFile(dir.path().toStdString(), &error));
        QVERIFY2(QString::fromStdString(error).startsWith(QStringLiteral("cannot read ") + dir.path()), error.c_str());
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("directory")), error.c_str());

        const QString malformed = dir.filePath("short.csv");
        QVERIFY(writeFile(malformed, "a,b\n1,2\n3\n"));
        QVERIFY(!loadCsvFile(malformed.toStdString(), &error));
        QCOMPARE(QString::fromStdString(error), malformed + QStringLiteral(": line 3: 1 field, the header has 2"));
    }

    // ---- feeder cursors ----------------------------------------------------------------------

    void uniqueFeederHandsOutEveryRowOnce()
    {
        constexpr size_t kRows = 1000;
        constexpr size_t kThreads = 4;
        FeederCursor cursor(FeederMode::Unique, kRows);
        std::vector<std::vector<size_t>> drawn(kThreads);
        std::vector<int> drawnAfterTheEnd(kThreads, 0);
        {
            std::latch start(kThreads); // all four draw at once, so the counter really is contended
            std::vector<std::jthread> workers;
            for (size_t t = 0; t < kThreads; ++t) {
                workers.emplace_back([&, t] {
                    FeederRng rng(t + 1);
                    start.arrive_and_wait();
                    while (const auto row = cursor.next(rng)) {
                        drawn[t].push_back(*row);
                    }
                    for (int i = 0; i < 100; ++i) {
                        if (cursor.next(rng)) {
                            ++drawnAfterTheEnd[t];
                        }
                    }
                });
            }
        } // the workers join here

        std::vector<size_t> all;
        for (const auto& rows : drawn) {
            all.insert(all.end(), rows.begin(), rows.end());
        }
        std::sort(all.begin(), all.end());
        QCOMPARE(all.size(), kRows);
        for (size_t i = 0; i < kRows; ++i) {
            QCOMPARE(all[i], i);
        }
        for (size_t t = 0; t < kThreads; ++t) {
            QCOMPARE(drawnAfterTheEnd[t], 0);
        }
        FeederRng rng(99);
        QVERIFY(!cursor.next(rng));
    }

    void sequentialFeederWraps()
    {
        FeederCursor cursor(FeederMode::Sequential, 3);
        FeederRng rng(1);
        std::vector<size_t> picked;
        for (int i = 0; i < 7; ++i) {
            const auto row = cursor.next(rng);
            QVERIFY(row);
            picked.push_back(*row);
        }
        QCOMPARE(picked, (std::vector<size_t>{0, 1, 2, 0, 1, 2, 0}));
    }

    void sequentialFeederSharedByThreadsUsesRowsEvenly()
    {
        constexpr size_t kRows = 3;
        constexpr size_t kThreads = 4;
        constexpr int kDrawsPerThread = 300;
        FeederCursor cursor(FeederMode::Sequential, kRows);
        std::vector<std::vector<int>> counts(kThreads, std::vector<int>(kRows, 0));
        {
            std::latch start(kThreads);
            std::vector<std::jthread> workers;
            for (size_t t = 0; t < kThreads; ++t) {
                workers.emplace_back([&, t] {
                    FeederRng rng(t + 1);
                    start.arrive_and_wait();
                    for (int i = 0; i < kDrawsPerThread; ++i) {
                        if (const auto row = cursor.next(rng); row && *row < kRows) {
                            ++counts[t][*row];
                        }
                    }
                });
            }
        }
        for (size_t row = 0; row < kRows; ++row) {
            int total = 0;
            for (const auto& perThread : counts) {
                total += perThread[row];
            }
            QCOMPARE(total, int(kThreads) * kDrawsPerThread / int(kRows));
        }
    }

    void randomFeederStaysInRangeAndReachesEveryRow()
    {
        constexpr size_t kRows = 10;
        constexpr int kDraws = 10'000;
        FeederCursor cursor(FeederMode::Random, kRows);
        FeederRng rng(42);
        std::vector<int> counts(kRows, 0);
        for (int i = 0; i < kDraws; ++i) {
            const auto row = cursor.next(rng);
            QVERIFY(row);
            QVERIFY2(*row < kRows, qPrintable(QString::number(*row)));
            ++counts[*row];
        }
        for (size_t row = 0; row < kRows; ++row) {
            // 1000 expected, standard deviation about 30: 200 either way is more than six of them.
            QVERIFY2(counts[row] > 800 && counts[row] < 1200,
                     qPrintable(QStringLiteral("row %1 drawn %2 times").arg(row).arg(counts[row])));
        }
    }

    void feederOverNoRowsGivesNothing()
    {
        FeederRng rng(1);
        for (const FeederMode mode : {FeederMode::Sequential, FeederMode::Random, FeederMode::Unique}) {
            FeederCursor cursor(mode, 0);
            QVERIFY(!cursor.next(rng));
        }
    }

    // ---- weighted mix ------------------------------------------------------------------------

    void mixFollowsWeights_data()
    {
        QTest::addColumn<QList<double>>("weights");
        QTest::newRow("70/20/10") << QList<double>{70.0, 20.0, 10.0};
        QTest::newRow("0.7/0.2/0.1") << QList<double>{0.7, 0.2, 0.1};
        QTest::newRow("thirds") << QList<double>{1.0, 1.0, 1.0};
        QTest::newRow("1/2/3/4") << QList<double>{1.0, 2.0, 3.0, 4.0};
        QTest::newRow("12.5/3/0.25") << QList<double>{12.5, 3.0, 0.25};
        QTest::newRow("one scenario") << QList<double>{5.0};
    }

    void mixFollowsWeights()
    {
        QFETCH(QList<double>, weights);
        std::string error;
        auto mix = mixOf(weights, &error);
        QVERIFY2(mix, error.c_str());
        QCOMPARE(mix->size(), size_t(weights.size()));

        constexpr int kPicks = 100'000;
        std::vector<int> counts(weights.size(), 0);
        for (int i = 0; i < kPicks; ++i) {
            const size_t pick = mix->next();
            if (pick >= counts.size()) {
                QFAIL(qPrintable(QStringLiteral("pick %1 is out of range").arg(pick)));
            }
            ++counts[pick];
        }
        const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
        for (qsizetype i = 0; i < weights.size(); ++i) {
            const double share = weights[i] / total;
            const double expected = kPicks * share;
            const QString detail =
                QStringLiteral("scenario %1: %2 picks, %3 expected").arg(i).arg(counts[i]).arg(expected);
            QVERIFY2(std::abs(counts[i] / double(kPicks) - share) < 0.01, qPrintable(detail));
            QVERIFY2(std::abs(counts[i] - expected) <= 3, qPrintable(detail));
            QVERIFY2(std::abs(mix->share(size_t(i)) - share) < 1e-5, qPrintable(detail));
        }
        const auto shares = mix->shares();
        QCOMPARE(shares.size(), size_t(weights.size()));
        QVERIFY(std::abs(std::accumulate(shares.begin(), shares.end(), 0.0) - 1.0) < 1e-9);
    }

    void mixInterleaves()
    {
        auto mix = mixOf({70.0, 20.0, 10.0}, nullptr);
        QVERIFY(mix);
        // 7 of every 10 picks go to the first scenario, so runs of 3 cannot be avoided; a longer run
        // would mean picks come in blocks.
        size_t previous = mix->next();
        int run = 1;
        int longestRun = 1;
        for (int i = 1; i < 100'000; ++i) {
            const size_t pick = mix->next();
            run = pick == previous ? run + 1 : 1;
            longestRun = std::max(longestRun, run);
            QVERIFY2(pick == 0 || pick != previous, qPrintable(QStringLiteral("scenario %1 twice in a row").arg(pick)));
            previous = pick;
        }
        QVERIFY2(longestRun <= 3, qPrintable(QStringLiteral("a run of %1").arg(longestRun)));
    }

    void equalWeightsAlternate()
    {
        auto mix = mixOf({1.0, 1.0}, nullptr);
        QVERIFY(mix);
        for (size_t i = 0; i < 1000; ++i) {
            QCOMPARE(mix->next(), i % 2);
        }
    }

    void mixIsReproducible()
    {
        auto first = mixOf({5.0, 3.0, 2.0}, nullptr);
        auto second = mixOf({5.0, 3.0, 2.0}, nullptr);
        QVERIFY(first && second);
        for (int i = 0; i < 1000; ++i) {
            QCOMPARE(first->next(), second->next());
        }
    }

    void tinyWeightStillRuns()
    {
        auto mix = mixOf({1e-9, 1.0}, nullptr);
        QVERIFY(mix);
        QVERIFY(mix->share(0) > 0);
        int picked = 0;
        for (int i = 0; i < 1'000'001; ++i) {
            picked += mix->next() == 0 ? 1 : 0;
        }
        QCOMPARE(picked, 1);
    }

    void hugeWeightsDoNotOverflow()
    {
        std::string error;
        auto mix = mixOf({1e308, 1e308}, &error);
        QVERIFY2(mix, error.c_str());
        QCOMPARE(mix->share(0), 0.5);
        QCOMPARE(mix->share(1), 0.5);
    }

    void refusesInvalidWeights_data()
    {
        constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
        constexpr double kInfinity = std::numeric_limits<double>::infinity();
        QTest::addColumn<QList<double>>("weights");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("no weights") << QList<double>{} << QStringList{"at least one"};
        QTest::newRow("zero") << QList<double>{1.0, 0.0} << QStringList{"weight 2 is 0", "greater than 0"};
        QTest::newRow("negative") << QList<double>{-3.0, 1.0} << QStringList{"weight 1 is -3", "greater than 0"};
        QTest::newRow("fractional negative") << QList<double>{1.0, 2.0, -0.5}
                                             << QStringList{"weight 3 is -0.5", "greater than 0"};
        QTest::newRow("NaN") << QList<double>{1.0, kNaN} << QStringList{"weight 2 is not a number"};
        QTest::newRow("infinite") << QList<double>{kInfinity} << QStringList{"weight 1 is infinite"};
        QTest::newRow("negative infinite") << QList<double>{1.0, -kInfinity} << QStringList{"weight 2 is infinite"};
    }

    void refusesInvalidWeights()
    {
        QFETCH(QList<double>, weights);
        QFETCH(QStringList, words);
        std::string error;
        QVERIFY2(!mixOf(weights, &error), "invalid weights were accepted");
        const QString message = QString::fromStdString(error);
        for (const QString& word : words) {
            QVERIFY2(message.contains(word), qPrintable(message));
        }
        QVERIFY(!mixOf(weights, nullptr));
    }
};

QTEST_APPLESS_MAIN(TestScenarioData)
#include "tst_scenario_data.moc"
