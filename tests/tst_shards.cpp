// SPDX-License-Identifier: Apache-2.0
// Scale-out (docs/scale-out.md): three `run --shard I/3 --out` processes against one local target, merged
// into a session with `merge`. Every load goes to 127.0.0.1 and is bounded by a request count.
#include "cli_process.h"
#include "shard_results.h"
#include "metrics/histogram_codec.h"
#include "store/session_file.h"
#include "target/target_server.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <span>

using namespace std::chrono_literals;

namespace {

QString localUrl(uint16_t port)
{
    return QStringLiteral("http://127.0.0.1:%1/").arg(port);
}

// Starts the shards as separately launched agents would, all told to begin at one wall-clock time.
bool runShards(const QString& url, const QStringList& outFiles, const QStringList& extra, QString* failure)
{
    const qint64 startAt = QDateTime::currentMSecsSinceEpoch() + 5000; // room for a slow start on a busy machine
    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < outFiles.size(); ++i) {
        auto process = std::make_unique<QProcess>();
        QStringList arguments{"run", url, "-n", "3000", "-c", "12", "-t", "1", "--shard",
                              QStringLiteral("%1/%2").arg(i + 1).arg(outFiles.size()), "--out", outFiles.at(i),
                              "--start-at", QString::number(startAt)};
        arguments += extra;
        process->start(QStringLiteral(BENCHDECK_CLI_PATH), arguments);
        processes.push_back(std::move(process));
    }
    bool ok = true;
    for (size_t i = 0; i < processes.size(); ++i) {
        auto& process = *processes[i];
        if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            *failure += QStringLiteral("shard %1: exit %2: %3\n")
                            .arg(i + 1)
                            .arg(process.exitCode())
                            .arg(QString::fromUtf8(process.readAllStandardError()));
            process.kill();
            process.waitForFinished();
            ok = false;
        }
    }
    return ok;
}

} // namespace

class TestShards : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        benchdeck::target::TargetOptions options;
        options.delay = 20ms; // long enough that scheduling noise on a shared machine stays well inside ±20% at p99
        options.threads = 1;
        target_ = std::make_unique<benchdeck::target::TargetServer>(options);
        std::string error;
        QVERIFY2(target_->start(&error), error.c_str());
        QVERIFY(dir_.isValid());
    }

    void shardsMergeIntoOneRun()
    {
        const QStringList files{dir_.filePath("s1.json"), dir_.filePath("s2.json"), dir_.filePath("s3.json")};
        QString failure;
        QVERIFY2(runShards(localUrl(target_->port()), files, {}, &failure), qPrintable(failure));

        // Connections and requests split with the remainder on the first shards: 4+4+4, 1000 each.
        for (const QString& file : files) {
            QCOMPARE(readJsonFile(file).value("shardPlan").toObject().value("connections").toInt(), 4);
            QVERIFY(!readJsonFile(file).value("series").toArray().isEmpty());
            QVERIFY(readJsonFile(file).value("series").toArray().at(0).toObject().value("second").toDouble() > 1.6e9);
        }
        const QString session = dir_.filePath("merged.benchdeck");
        const auto merged = runCli({"merge", files.at(0), files.at(1), files.at(2), "--session", session, "--label",
                                    "three shards"});
        QVERIFY2(merged.exitCode == 0, qPrintable(merged.err));
        QVERIFY2(merged.out.contains("Stored as run"), qPrintable(merged.out));
        // Same plan, started together, and the merged run is exactly the union of the shards.
        const auto checked = checkMergedShards(files, session, 1000);
        QVERIFY2(checked.failure.isEmpty(), qPrintable(checked.failure));
        QCOMPARE(checked.requests, qint64(3000));
        const auto& total = checked.merged->result.total;

        // The same total load from one process.
        const QString single = dir_.filePath("single.json");
        const auto one = runCli({"run", localUrl(target_->port()), "-n", "3000", "-c", "12", "-t", "1", "--out", single});
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        const auto singleLatency = decodeBase64Histogram(readJsonFile(single).value("histograms").toObject().value("latency"));
        QVERIFY(singleLatency.has_value());
        QCOMPARE(qint64(singleLatency->count()), qint64(3000));
        // Both measure the same 20 ms hold: neither goes below it, and their medians agree within a factor
        // that scheduling noise does not reach but a unit, scaling or weighting error in the shard path does.
        // (The merge itself is checked exactly above, against the union of the shards' histograms.)
        for (const auto* histogram : {&total.latency, &*singleLatency}) {
            QVERIFY2(double(histogram->min()) >= 0.98 * 20000, qPrintable(QString::number(histogram->min())));
            QVERIFY(histogram->valueAtPercentile(99) >= histogram->valueAtPercentile(50));
        }
        const double mergedP50 = double(total.latency.valueAtPercentile(50));
        const double singleP50 = double(singleLatency->valueAtPercentile(50));
        QVERIFY2(mergedP50 <= 1.5 * singleP50 && singleP50 <= 1.5 * mergedP50,
                 qPrintable(QStringLiteral("p50: merged %1us vs single process %2us").arg(mergedP50).arg(singleP50)));
    }

    void refusesShardsOfDifferentPlans()
    {
        const QString other = dir_.filePath("other3.json");
        const auto run = runCli({"run", localUrl(target_->port()), "-n", "300", "-c", "12", "-t", "1", "--shard",
                                 "3/3", "--out", other});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString session = dir_.filePath("refused.benchdeck");
        const auto merged = runCli({"merge", dir_.filePath("s1.json"), dir_.filePath("s2.json"), other, "--session",
                                    session});
        QCOMPARE(merged.exitCode, 2);
        QVERIFY2(merged.err.contains("different plan"), qPrintable(merged.err));
        QCOMPARE(merged.err.trimmed().count('\n'), 0);
        QVERIFY(!QFile::exists(session));
    }

    // A shard file is input from another machine: every field is checked like a fresh plan before
    // anything is allocated or stored, and a damaged one is refused in one line.
    void refusesDamagedShardFiles_data()
    {
        QTest::addColumn<QString>("path");   // a JSON pointer-ish "object/key" to change, or a file to merge
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("reason");
        QTest::newRow("huge shard count") << "shard" << QJsonValue(QJsonObject{{"index", 1}, {"count", 2147483647}})
                                          << "shard index";
        QTest::newRow("total beyond the histogram") << "totals/requests" << QJsonValue(1e300) << "disagree";
        QTest::newRow("file url") << "plan/url" << QJsonValue("file:///etc/passwd") << "scheme";
        QTest::newRow("CRLF in a header")
            << "plan/headers" << QJsonValue(QJsonArray{QJsonObject{{"name", "X"}, {"value", "1\r\nEvil: 1"}}})
            << "line break";
        QTest::newRow("huge duration") << "plan/duration_us" << QJsonValue(1e300) << "duration_us";
        QTest::newRow("script label") << "label" << QJsonValue(QString(300, QLatin1Char('x'))) << "label";
        QTest::newRow("control characters in the label") << "label" << QJsonValue("a\x1b[2Jb") << "label";
        QTest::newRow("huge start time") << "durationSeconds" << QJsonValue(1e300) << "duration";
    }

    void refusesDamagedShardFiles()
    {
        QFETCH(QString, path);
        QFETCH(QJsonValue, value);
        QFETCH(QString, reason);
        QJsonObject damaged = readJsonFile(dir_.filePath("s1.json"));
        const QStringList keys = path.split(QLatin1Char('/'));
        if (keys.size() == 1) {
            damaged.insert(keys[0], value);
        } else {
            QJsonObject inner = damaged.value(keys[0]).toObject();
            inner.insert(keys[1], value);
            damaged.insert(keys[0], inner);
        }
        const QString file = dir_.filePath("damaged.json");
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(QJsonDocument(damaged).toJson());
        out.close();
        const QString session = dir_.filePath("damaged.benchdeck");
        const auto merged = runCli({"merge", file, dir_.filePath("s2.json"), dir_.filePath("s3.json"), "--session",
                                    session}, 20000);
        QCOMPARE(merged.exitCode, 2);
        QVERIFY2(merged.err.startsWith("benchdeck-cli: ") && merged.err.contains(reason), qPrintable(merged.err));
        QCOMPARE(merged.err.trimmed().count('\n'), 0);
        QVERIFY(!QFile::exists(session));
    }

    void refusesDuplicateAndMissingShards()
    {
        QFile::copy(dir_.filePath("s2.json"), dir_.filePath("s2-copy.json"));
        const QString session = dir_.filePath("refused.benchdeck");
        const auto duplicate = runCli({"merge", dir_.filePath("s1.json"), dir_.filePath("s2.json"),
                                       dir_.filePath("s2-copy.json"), "--session", session});
        QCOMPARE(duplicate.exitCode, 2);
        QVERIFY2(duplicate.err.contains("shard 2/3 appears twice"), qPrintable(duplicate.err));
        const auto missing = runCli({"merge", dir_.filePath("s1.json"), dir_.filePath("s2.json"), "--session", session});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("shard 3 of 3 missing"), qPrintable(missing.err));
        QVERIFY(!QFile::exists(session));
    }

    void badShardOptionsAreUsageErrors()
    {
        const QString url = localUrl(target_->port());
        const auto zero = runCli({"run", url, "-n", "10", "--shard", "0/3", "--out", dir_.filePath("x.json")});
        QCOMPARE(zero.exitCode, 2);
        QVERIFY2(zero.err.contains("is not I/N"), qPrintable(zero.err));
        const auto noOut = runCli({"run", url, "-n", "10", "--shard", "1/2"});
        QCOMPARE(noOut.exitCode, 2);
        QVERIFY2(noOut.err.contains("--shard needs --out"), qPrintable(noOut.err));
        const auto tooFew = runCli({"run", url, "-n", "10", "-c", "2", "--shard", "1/3", "--out", dir_.filePath("x.json")});
        QCOMPARE(tooFew.exitCode, 2);
        QVERIFY2(tooFew.err.contains("cannot be split"), qPrintable(tooFew.err));
    }

private:
    QTemporaryDir dir_;
    std::unique_ptr<benchdeck::target::TargetServer> target_;
};

QTEST_GUILESS_MAIN(TestShards)
#include "tst_shards.moc"
