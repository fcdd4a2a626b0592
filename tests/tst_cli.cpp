// SPDX-License-Identifier: Apache-2.0
// benchdeck-cli as scripts and CI see it: exit codes, one-line errors, --json keys, and the target
// and demo commands. Runs the real binary; every load goes to 127.0.0.1 and is bounded.
#include "target/target_server.h"
#include "test_servers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include "cli_process.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace std::chrono_literals;

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

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void badInputIsUsageError_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString ok = QStringLiteral("http://127.0.0.1:9/");
        QTest::newRow("malformed URL") << QStringList{"run", "http//example"} << "is not a URL";
        QTest::newRow("file scheme") << QStringList{"run", "file:///etc/passwd"} << "unsupported scheme 'file'";
        QTest::newRow("ftp scheme") << QStringList{"run", "ftp://127.0.0.1/"} << "unsupported scheme 'ftp'";
        QTest::newRow("gopher scheme") << QStringList{"run", "gopher://127.0.0.1/"} << "unsupported scheme 'gopher'";
        QTest::newRow("no host") << QStringList{"run", "http:///path"} << "malformed URL";
        QTest::newRow("header without colon") << QStringList{"run", ok, "-H", "X-Broken"} << "has no colon";
        QTest::newRow("header with CR/LF") << QStringList{"run", ok, "-H", "X-A: 1\r\nX-B: 2"} << "line break";
        QTest::newRow("zero duration") << QStringList{"run", ok, "-d", "0s"} << "must be greater than zero";
        QTest::newRow("negative duration") << QStringList{"run", ok, "-d", "-5s"} << "must be greater than zero";
        QTest::newRow("bad duration unit") << QStringList{"run", ok, "-d", "10 parsecs"} << "invalid duration";
        QTest::newRow("zero connections") << QStringList{"run", ok, "-c", "0"} << "at least 1";
        QTest::newRow("negative connections") << QStringList{"run", ok, "-c", "-3"} << "at least 1";
        QTest::newRow("zero requests") << QStringList{"run", ok, "-n", "0"} << "at least 1";
        QTest::newRow("unknown flag") << QStringList{"run", ok, "--frobnicate"} << "Unknown option 'frobnicate'";
        QTest::newRow("missing URL") << QStringList{"run"} << "run needs a URL";
        QTest::newRow("two URLs") << QStringList{"run", ok, ok} << "run takes one URL";
        QTest::newRow("bad method") << QStringList{"run", ok, "-m", "GE T"} << "not a valid HTTP method";
        QTest::newRow("missing body file") << QStringList{"run", ok, "--body", "@/no/such/file"} << "cannot read";
        QTest::newRow("bad rate") << QStringList{"run", ok, "-r", "fast"} << "is not a request rate";
        QTest::newRow("zero rate") << QStringList{"run", ok, "-r", "0"} << "is not a request rate";
        QTest::newRow("bad stages") << QStringList{"run", ok, "--stages", "1s:10,soon"} << "--stages: stage 'soon'";
        QTest::newRow("rate with stages") << QStringList{"run", ok, "-r", "5", "--stages", "1s:10"} << "not both";
        QTest::newRow("open without stages") << QStringList{"run", ok, "--open"} << "--open goes with --stages";
        QTest::newRow("session folder missing")
            << QStringList{"run", ok, "--session", "/no/such/folder/x.benchdeck"} << "does not exist";
        QTest::newRow("runs on a foreign file") << QStringList{"runs", "/etc/hostname"} << "not a Benchdeck session";
        QTest::newRow("runs on a missing file") << QStringList{"runs", "/tmp/no-such.benchdeck"} << "no session file";
        QTest::newRow("report without format") << QStringList{"report", "x.benchdeck"} << "needs --format";
        QTest::newRow("report bad format") << QStringList{"report", "x.benchdeck", "-f", "docx", "-o", "x"} << "not one of html";
        QTest::newRow("report on a missing session") << QStringList{"report", "/tmp/none.benchdeck", "-f", "csv", "-o", "/tmp/x.csv"} << "no session file";
        QTest::newRow("malformed threshold") << QStringList{"run", ok, "--threshold", "p98<5ms"} << "unknown metric";
        QTest::newRow("unknown engine") << QStringList{"run", ok, "--engine", "turbo"} << "not one of auto";
        QTest::newRow("unknown command") << QStringList{"explode"} << "unknown command 'explode'";
        QTest::newRow("target bad pause") << QStringList{"target", "--pause", "soon"} << "--pause";
        QTest::newRow("target bad error rate") << QStringList{"target", "--error-rate", "2"} << "--error-rate";
        // Numbers that parse but mean nothing, files that never end, lists with holes.
        QTest::newRow("NaN rate") << QStringList{"run", ok, "-r", "nan"} << "is not a request rate";
        QTest::newRow("infinite rate") << QStringList{"run", ok, "-r", "inf"} << "is not a request rate";
        QTest::newRow("vanishing rate") << QStringList{"run", ok, "-r", "1e-300"} << "is not a request rate";
        QTest::newRow("rate above the ceiling") << QStringList{"run", ok, "-r", "2e7"} << "is not a request rate";
        QTest::newRow("rate with a decimal comma") << QStringList{"run", ok, "-r", "1,5"} << "is not a request rate";
        QTest::newRow("target NaN error rate") << QStringList{"target", "--error-rate", "nan"} << "--error-rate";
        QTest::newRow("body from a device") << QStringList{"run", ok, "--body", "@/dev/zero"} << "not a regular file";
        QTest::newRow("body from a folder") << QStringList{"run", ok, "--body", "@/tmp"} << "not a regular file";
        QTest::newRow("zero threads") << QStringList{"run", ok, "-t", "0"} << "--threads";
        QTest::newRow("too many threads") << QStringList{"run", ok, "-t", "1025"} << "1024";
        QTest::newRow("demo zero threads") << QStringList{"demo", "-t", "0"} << "--threads";
        QTest::newRow("report empty runs")
            << QStringList{"report", "x.benchdeck", "-f", "csv", "-o", "/tmp/x.csv", "--runs", ""} << "--runs";
        QTest::newRow("report runs with a gap")
            << QStringList{"report", "x.benchdeck", "-f", "csv", "-o", "/tmp/x.csv", "--runs", "3,,4"} << "--runs";
        QTest::newRow("report negative run")
            << QStringList{"report", "x.benchdeck", "-f", "csv", "-o", "/tmp/x.csv", "--runs", "-2"}
            << "is not a run id";
        QTest::newRow("user Content-Length") << QStringList{"run", ok, "-H", "Content-Length: 5", "--body", "hi"}
                                             << "set by Benchdeck from the body";
        QTest::newRow("user Transfer-Encoding") << QStringList{"run", ok, "-H", "transfer-encoding: chunked"}
                                                << "set by Benchdeck from the body";
        QTest::newRow("max redirects without follow") << QStringList{"run", ok, "--max-redirects", "3"}
                                                      << "goes with --follow";
        QTest::newRow("too many redirects") << QStringList{"run", ok, "--follow", "--max-redirects", "101"}
                                            << "at most 100";
        QTest::newRow("target bind not an IP") << QStringList{"target", "--bind", "not-an-ip"} << "--bind";
        QTest::newRow("merge a device") << QStringList{"merge", "/dev/zero", "--session", "/tmp/m.benchdeck"}
                                        << "not a regular file";
    }

    void badInputIsUsageError()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const auto outcome = cli(arguments, 10000);
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.err.contains(message), qPrintable(outcome.err));
        QVERIFY2(outcome.err.startsWith(QStringLiteral("benchdeck-cli: ")), qPrintable(outcome.err));
        QCOMPARE(outcome.err.trimmed().count(QLatin1Char('\n')), 0); // one line
        QVERIFY(outcome.out.isEmpty());                               // and no traffic, no report
    }

    void bodyFromFifoOrOversizedFileIsRefused()
    {
        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("fifo"));
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        const QString big = dir.filePath(QStringLiteral("big"));
        QFile file(big);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.resize(64LL * 1024 * 1024 + 1)); // sparse: no disk used
        file.close();
        for (const auto& [path, message] :
             {std::pair{fifo, QStringLiteral("not a regular file")}, std::pair{big, QStringLiteral("64 MiB")}}) {
            const auto outcome = cli({"run", "http://127.0.0.1:9/", "--body", "@" + path}, 10000);
            QCOMPARE(outcome.exitCode, 2); // -1 would mean it hung on the FIFO
            QVERIFY2(outcome.err.startsWith(QStringLiteral("benchdeck-cli: ")) && outcome.err.contains(message),
                     qPrintable(outcome.err));
            QCOMPARE(outcome.err.trimmed().count(QLatin1Char('\n')), 0);
            QVERIFY(outcome.out.isEmpty());
        }
    }

    void urlPasswordIsNeverShownOrStored()
    {
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("pw.benchdeck"));
        const QString junit = dir.filePath(QStringLiteral("pw.xml"));
        const QString url = QStringLiteral("http://user:s3cr3t@127.0.0.1:%1/").arg(benchdeck::testing::refusedPort());
        for (const QStringList& extra : {QStringList{}, QStringList{"--json"}}) {
            const auto outcome = cli(QStringList{"run", url, "-d", "300ms", "-c", "1", "--session", session,
                                                 "--threshold", "p99<1s", "--junit", junit, "--force"} + extra);
            QCOMPARE(outcome.exitCode, 4);
            QVERIFY2(!(outcome.out + outcome.err).contains(QStringLiteral("s3cr3t")),
                     qPrintable(outcome.out + outcome.err));
            QVERIFY2(outcome.err.contains(QStringLiteral("user:***@")), qPrintable(outcome.err));
        }
        const QString report = dir.filePath(QStringLiteral("r.md"));
        QCOMPARE(cli({"report", session, "-f", "md", "-o", report}).exitCode, 0);
        for (const QString& path : {session, junit, report}) {
            QFile written(path);
            QVERIFY(written.open(QIODevice::ReadOnly));
            QVERIFY2(!written.readAll().contains("s3cr3t"), qPrintable(path));
        }
    }

    // A run that never got an answer is failed, says why, and exits 4: a dead port, and https spoken
    // to a plain-http port (every TLS handshake fails and is counted).
    void runsWithoutAnswersFailAndSayWhy()
    {
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("dead.benchdeck"));
        const auto dead = cli({"run", localUrl(benchdeck::testing::refusedPort()), "-d", "300ms", "-c", "2",
                               "--session", session, "--json"});
        QCOMPARE(dead.exitCode, 4);
        const QJsonObject deadJson = QJsonDocument::fromJson(dead.out.toUtf8()).object();
        QCOMPARE(deadJson.value("status").toString(), QStringLiteral("failed"));
        QVERIFY(deadJson.value("errors").toDouble() > 0);
        QCOMPARE(deadJson.value("errors").toDouble(), deadJson.value("requests").toDouble());

        benchdeck::target::TargetServer plain({});
        std::string error;
        QVERIFY2(plain.start(&error), error.c_str());
        const auto tls = cli({"run", QStringLiteral("https://127.0.0.1:%1/").arg(plain.port()), "-d", "500ms", "-c",
                              "2", "--session", session, "--json"});
        QCOMPARE(tls.exitCode, 4);
        const QJsonObject tlsJson = QJsonDocument::fromJson(tls.out.toUtf8()).object();
        QCOMPARE(tlsJson.value("status").toString(), QStringLiteral("failed"));
        QVERIFY2(tlsJson.value("requests").toDouble() > 0, qPrintable(tls.out));
        QCOMPARE(tlsJson.value("errors").toDouble(), tlsJson.value("requests").toDouble());
        QVERIFY2(tlsJson.value("error_kinds").toObject().value("tls").toDouble() > 0, qPrintable(tls.out));
        QVERIFY2(tls.err.contains(QStringLiteral("TLS")), qPrintable(tls.err));

        const auto runs = cli({"runs", session, "--json"});
        QCOMPARE(runs.exitCode, 0);
        const QJsonArray listed = QJsonDocument::fromJson(runs.out.toUtf8()).array();
        QCOMPARE(listed.size(), 2);
        for (const auto& run : listed) {
            QCOMPARE(run.toObject().value("status").toString(), QStringLiteral("failed"));
            QVERIFY(!run.toObject().value("failure_reason").toString().isEmpty());
        }
        const QString csv = dir.filePath(QStringLiteral("dead.csv"));
        QCOMPARE(cli({"report", session, "-f", "csv", "-o", csv}).exitCode, 0);
        QFile report(csv);
        QVERIFY(report.open(QIODevice::ReadOnly));
        QVERIFY2(report.readAll().contains("failed"), "the report flags failed runs");
    }

    // Open-model runs at two rates are two plans: listed, grouped and reported as such, and the plan
    // reads back exactly as run in every form that carries it.
    void plansAreStoredAsRunAndNeverPooled()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("rates.benchdeck"));
        QJsonObject printedPlan;
        for (const char* rate : {"1000", "3000", "1000", "3000"}) {
            const auto run = cli({"run", localUrl(target.port()), "-r", rate, "-d", "500ms", "-t", "1", "--session",
                                  session, "--label", "api", "--json"});
            QCOMPARE(run.exitCode, 0);
            const QJsonObject printed = QJsonDocument::fromJson(run.out.toUtf8()).object();
            QCOMPARE(printed.value("stop_reason").toString(), QStringLiteral("completed")); // the duration ended it
            printedPlan = printed.value("plan").toObject();
            QCOMPARE(printedPlan.value("rate").toDouble(), QString::fromLatin1(rate).toDouble());
            QCOMPARE(printedPlan.value("model").toString(), QStringLiteral("open"));
        }
        const auto listed = cli({"runs", session});
        QVERIFY2(listed.out.contains(QStringLiteral("open model, 1,000 req/s, 500ms")), qPrintable(listed.out));
        QVERIFY2(listed.out.contains(QStringLiteral("open model, 3,000 req/s, 500ms")), qPrintable(listed.out));

        const QString json = dir.filePath(QStringLiteral("rates.json"));
        QCOMPARE(cli({"report", session, "-f", "json", "-o", json}).exitCode, 0);
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray groups = report.value("groups").toArray();
        QCOMPARE(groups.size(), 2); // 1000 with 1000, 3000 with 3000: never one group of four
        for (const auto& group : groups) {
            QCOMPARE(group.toObject().value("run_ids").toArray().size(), 2);
        }
        // The last run's plan: the same JSON in --json, in the session (through the report), and in a shard file.
        const QJsonArray runs = report.value("runs").toArray();
        const QJsonObject storedPlan = runs.last().toObject().value("plan").toObject();
        QCOMPARE(QJsonDocument(storedPlan).toJson(QJsonDocument::Compact),
                 QJsonDocument(printedPlan).toJson(QJsonDocument::Compact));
        const QString shard = dir.filePath(QStringLiteral("shard.json"));
        const auto sharded = cli({"run", localUrl(target.port()), "-r", "3000", "-d", "500ms", "-t", "1", "--shard",
                                  "1/1", "--out", shard, "--label", "api"});
        QCOMPARE(sharded.exitCode, 0);
        QFile shardFile(shard);
        QVERIFY(shardFile.open(QIODevice::ReadOnly));
        const QJsonObject shardPlan = QJsonDocument::fromJson(shardFile.readAll()).object().value("plan").toObject();
        QCOMPARE(QJsonDocument(shardPlan).toJson(QJsonDocument::Compact),
                 QJsonDocument(printedPlan).toJson(QJsonDocument::Compact));

        // A ramp reads back exactly as it ran.
        const auto ramp = cli({"run", localUrl(target.port()), "--stages", "300ms:20,200ms:20,300ms:0", "-t", "1",
                               "--session", session, "--json"});
        QCOMPARE(ramp.exitCode, 0);
        const auto rampListed = cli({"runs", session});
        QVERIFY2(rampListed.out.contains(QStringLiteral("ramp users 0→20 over 300ms, hold 20 for 200ms, 20→0 over 300ms")),
                 qPrintable(rampListed.out));
    }

    // Numbers in and out do not depend on the locale: the same run parsed and reported under
    // de_DE.UTF-8 (decimal comma) and under C gives the same bytes.
    void localeDoesNotChangeNumbers()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("locale.benchdeck"));
        QProcessEnvironment german;
        german.insert(QStringLiteral("LC_ALL"), QStringLiteral("de_DE.UTF-8"));
        german.insert(QStringLiteral("LANG"), QStringLiteral("de_DE.UTF-8"));
        QProcessEnvironment c;
        c.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
        c.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
        const auto run = runCli({"run", localUrl(target.port()), "-d", "1.5s", "-r", "200.5", "-t", "1",
                                 "--threshold", "p99<1.5s", "--session", session},
                                60000, german);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("open model, 200.5 req/s, 1.5s")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("Requests/sec: ")) && !run.out.contains(QRegularExpression("\\d,\\d\\d\\n")),
                 qPrintable(run.out));
        for (const QString& format : {QStringLiteral("csv"), QStringLiteral("md"), QStringLiteral("html")}) {
            QDir(dir.path()).mkpath(QStringLiteral("de"));
            QDir(dir.path()).mkpath(QStringLiteral("c"));
            const QString a = dir.filePath("de/report." + format);
            const QString b = dir.filePath("c/report." + format);
            QCOMPARE(runCli({"report", session, "-f", format, "-o", a, "--title", "t"}, 60000, german).exitCode, 0);
            QCOMPARE(runCli({"report", session, "-f", format, "-o", b, "--title", "t"}, 60000, c).exitCode, 0);
            QFile fa(a);
            QFile fb(b);
            QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
            // Only the generation time may differ between the two.
            const auto strip = [](QByteArray bytes) {
                return QString::fromUtf8(bytes).remove(QRegularExpression("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
            };
            QCOMPARE(strip(fa.readAll()), strip(fb.readAll()));
        }
        // Markdown's charts are SVG files beside it: their axis figures too.
        for (const QString& chart : QDir(dir.filePath(QStringLiteral("c"))).entryList({QStringLiteral("*.svg")})) {
            QFile fa(dir.filePath("de/" + chart));
            QFile fb(dir.filePath("c/" + chart));
            QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
            QCOMPARE(fa.readAll(), fb.readAll());
        }
    }

    // An output path given by mistake never destroys data: a session, the session being read or
    // recorded into, and any SQLite file are refused; another existing file needs --force.
    void outputsNeverReplaceSessions()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("keep.benchdeck"));
        QCOMPARE(cli({"run", localUrl(target.port()), "-n", "200", "-c", "2", "--session", session}).exitCode, 0);
        const auto hash = [](const QString& path) {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256)
                                                  : QByteArray();
        };
        const QByteArray before = hash(session);
        const QString other = dir.filePath(QStringLiteral("other.benchdeck"));
        QVERIFY(QFile::copy(session, other));
        const QList<QStringList> refused{
            {"report", session, "-f", "html", "-o", session},
            {"report", session, "-f", "html", "-o", session, "--force"},
            {"report", session, "-f", "csv", "-o", other, "--force"},
            {"run", localUrl(target.port()), "-n", "10", "--session", session, "--out", session},
            {"run", localUrl(target.port()), "-n", "10", "--session", session, "--junit", session, "--force"},
            {"run", localUrl(target.port()), "-n", "10", "--junit", other, "--threshold", "p99<1s", "--force"},
        };
        for (const auto& arguments : refused) {
            const auto outcome = cli(arguments);
            QVERIFY2(outcome.exitCode == 2, qPrintable(arguments.join(' ') + "\n" + outcome.err));
            QVERIFY2(outcome.err.startsWith(QStringLiteral("benchdeck-cli: ")), qPrintable(outcome.err));
            QCOMPARE(outcome.err.trimmed().count(QLatin1Char('\n')), 0);
        }
        QCOMPARE(hash(session), before);
        QCOMPARE(hash(other), before);

        const QString html = dir.filePath(QStringLiteral("r.html"));
        QCOMPARE(cli({"report", session, "-f", "html", "-o", html}).exitCode, 0);
        const auto again = cli({"report", session, "-f", "html", "-o", html});
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains(QStringLiteral("--force")), qPrintable(again.err));
        QCOMPARE(cli({"report", session, "-f", "html", "-o", html, "--force"}).exitCode, 0);
    }

    void refusedTargetExitsFour()
    {
        const auto outcome = cli({"run", localUrl(benchdeck::testing::refusedPort()), "-d", "300ms", "-c", "2"});
        QCOMPARE(outcome.exitCode, 4);
        QVERIFY2(outcome.err.contains(QStringLiteral("cannot reach")), qPrintable(outcome.err));
        QVERIFY(outcome.err.contains(QStringLiteral("connection refused")));
    }

    void unresolvableHostExitsFour()
    {
        const auto outcome = cli({"run", "http://no-such-host.invalid/", "-d", "300ms", "-c", "1"});
        QCOMPARE(outcome.exitCode, 4);
        QVERIFY2(outcome.err.contains(QStringLiteral("could not resolve host")), qPrintable(outcome.err));
    }

    void silentTargetExitsFourWithTimeout()
    {
        benchdeck::testing::SilentServer silent;
        const auto outcome = cli({"run", localUrl(silent.port()), "-d", "600ms", "-c", "2", "--timeout", "200ms"});
        QCOMPARE(outcome.exitCode, 4);
        QVERIFY2(outcome.err.contains(QStringLiteral("request timed out")), qPrintable(outcome.err));
    }

    // A server that takes connections and never answers, with a timeout longer than the run: the run
    // ends with every request still waiting, says so, and exits 4 instead of "0 requests, 0 errors".
    void neverAnsweringServerFailsWithWaitingRequests()
    {
        benchdeck::testing::SilentServer silent;
        const auto outcome = cli({"run", localUrl(silent.port()), "-d", "500ms", "-c", "3", "-t", "1", "--json"});
        QCOMPARE(outcome.exitCode, 4);
        QVERIFY2(outcome.err.contains(QStringLiteral("3 requests still waiting")), qPrintable(outcome.err));
        const QJsonObject json = QJsonDocument::fromJson(outcome.out.toUtf8()).object();
        QCOMPARE(json.value("status").toString(), QStringLiteral("failed"));
        QCOMPARE(json.value("unanswered_at_end").toInt(), 3);
        QCOMPARE(json.value("requests").toInt(), 0);
    }

    void jsonHasEveryDocumentedKey()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY(target.start(&error));
        const auto outcome = cli({"run", localUrl(target.port()), "-n", "500", "-c", "5", "--json", "--label", "t"});
        QCOMPARE(outcome.exitCode, 0);
        QJsonParseError parseError{};
        const auto document = QJsonDocument::fromJson(outcome.out.toUtf8(), &parseError);
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(outcome.out));
        const QJsonObject json = document.object();
        QCOMPARE(json.value("stop_reason").toString(), QStringLiteral("request_count_reached")); // -n 500 ended it
        QCOMPARE(json.value("status").toString(), QStringLiteral("completed"));
        for (const char* key : {"requests", "errors", "duration_s", "rps", "latency_ms", "status_codes", "error_kinds",
                                "bytes_received", "series", "generator"}) {
            QVERIFY2(json.contains(QLatin1String(key)), key);
        }
        QCOMPARE(json.value("requests").toInteger(), 500);
        QCOMPARE(json.value("errors").toInteger(), 0);
        QCOMPARE(json.value("status_codes").toObject().value("200").toInteger(), 500);
        QCOMPARE(json.value("label").toString(), QStringLiteral("t"));
        const QJsonObject latency = json.value("latency_ms").toObject();
        for (const char* key : {"min", "mean", "stdev", "p50", "p90", "p99", "p999", "max"}) {
            QVERIFY2(latency.contains(QLatin1String(key)), key);
        }
        QVERIFY(latency.value("min").toDouble() <= latency.value("p50").toDouble());
        QVERIFY(latency.value("p50").toDouble() <= latency.value("p99").toDouble());
        QVERIFY(latency.value("p99").toDouble() <= latency.value("max").toDouble());
        const QJsonArray series = json.value("series").toArray();
        QVERIFY(!series.isEmpty());
        for (const char* key : {"t", "requests", "errors", "p50", "p99"}) {
            QVERIFY2(series.first().toObject().contains(QLatin1String(key)), key);
        }
        const QJsonObject generator = json.value("generator").toObject();
        QVERIFY(generator.contains("cpu_percent"));
        QVERIFY(generator.value("saturated").isBool());
        QVERIFY(json.value("bytes_received").toDouble() > 500 * 27); // at least the bodies
        QCOMPARE(target.requestsServed(), uint64_t(500));
    }

    // The example scenario that README points new users to, against a calibration target given by
    // --var: it works (--try), runs with steps in --json, and a check threshold passes.
    void exampleScenarioRunsAgainstTheCalibrationTarget()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY(target.start(&error));
        const QString file = QStringLiteral(BENCHDECK_SOURCE_DIR "/examples/scenarios/calibration-target.json");
        const QString base = QStringLiteral("base=http://127.0.0.1:%1").arg(target.port());
        const auto tried = cli({"run", "--scenario", file, "--var", base, "--try"});
        QVERIFY2(tried.exitCode == 0, qPrintable(tried.out + tried.err));
        QVERIFY(tried.out.contains(QStringLiteral("{{greeting}} = Hello, World!")));
        const auto outcome = cli({"run", "--scenario", file, "--var", base, "-n", "400", "-c", "2", "--json",
                                  "--threshold", "checks>99%", "--threshold", "p99{step=home}<5s"});
        QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.err));
        const QJsonObject json = QJsonDocument::fromJson(outcome.out.toUtf8()).object();
        QCOMPARE(json.value("requests").toInteger(), 400);
        const QJsonArray steps = json.value("steps").toArray();
        QCOMPARE(steps.size(), 3);
        QCOMPARE(steps.at(0).toObject().value("step").toString(), QStringLiteral("home"));
        QCOMPARE(steps.at(2).toObject().value("scenario").toString(), QStringLiteral("order"));
        QCOMPARE(json.value("checks").toObject().value("failed").toInteger(), 0);
        QVERIFY(json.value("iterations").toObject().value("completed").toInteger() > 0);
        QCOMPARE(json.value("thresholds").toArray().size(), 2);
        // A --var that names no possible variable is refused before any traffic.
        const auto refused = cli({"run", "--scenario", file, "--var", "9=x", "--try"});
        QCOMPARE(refused.exitCode, 2);
    }

    void sessionRecordsAndListsRuns()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY(target.start(&error));
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("cli.benchdeck"));
        for (const char* label : {"first", "second"}) {
            const auto run = cli({"run", localUrl(target.port()), "-n", "300", "-c", "3", "--session", session,
                                  "--label", label, "-H", "Authorization: Bearer hush"});
            QCOMPARE(run.exitCode, 0);
            QVERIFY2(run.out.contains(QStringLiteral("Stored as run ")), qPrintable(run.out));
        }
        const auto listing = cli({"runs", session, "--json"});
        QCOMPARE(listing.exitCode, 0);
        const QJsonArray runs = QJsonDocument::fromJson(listing.out.toUtf8()).array();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs[1].toObject().value("label").toString(), QStringLiteral("second"));
        QCOMPARE(runs[1].toObject().value("requests").toInteger(), 300);
        QCOMPARE(runs[1].toObject().value("status").toString(), QStringLiteral("completed"));
        const auto table = cli({"runs", session});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains(QStringLiteral("first")) && table.out.contains(QStringLiteral("completed")));
        QFile raw(session);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(!raw.readAll().contains("hush")); // the credential never reached the file

        // Filed under candidates, runs feed the decision table of reports and the app.
        for (const char* candidate : {"Go (Gin)", "Python (FastAPI)"}) {
            const auto filed = cli({"run", localUrl(target.port()), "-n", "100", "-c", "2", "--session", session,
                                    "--candidate", candidate, "--stack", candidate[0] == 'G' ? "go" : "python"});
            QCOMPARE(filed.exitCode, 0);
        }
        const QString json = dir.filePath(QStringLiteral("report.json"));
        QCOMPARE(cli({"report", session, "--format", "json", "-o", json}).exitCode, 0);
        QFile reportFile(json);
        QVERIFY(reportFile.open(QIODevice::ReadOnly));
        const QJsonObject decision = QJsonDocument::fromJson(reportFile.readAll()).object().value("decision").toObject();
        QCOMPARE(decision.value("candidates").toArray().size(), 2);
        QCOMPARE(decision.value("needs").toArray().size(), 6);
    }

    void textSummaryReadsLikeWrk()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY(target.start(&error));
        const auto outcome = cli({"run", localUrl(target.port()), "-d", "1s", "-c", "4", "-t", "1"});
        QCOMPARE(outcome.exitCode, 0);
        QVERIFY2(outcome.out.contains(QStringLiteral("Running 1s test @ ")), qPrintable(outcome.out));
        QVERIFY(outcome.out.contains(QStringLiteral("1 threads and 4 connections")));
        QVERIFY(outcome.out.contains(QStringLiteral("Requests/sec:")));
        QVERIFY(outcome.out.contains(QStringLiteral("p99.9")));
        QVERIFY(outcome.out.contains(QStringLiteral("Status codes: 200: ")));
        QVERIFY(outcome.out.contains(QStringLiteral("Errors:       0 (0.00%)")));
    }

    void targetCommandServesKnownDelay()
    {
        QProcess target;
        target.start(QStringLiteral(BENCHDECK_CLI_PATH),
                     {"target", "--port", "0", "--delay", "20ms", "--status", "201", "--duration", "20s"});
        QVERIFY(target.waitForReadyRead(5000));
        const QString banner = QString::fromUtf8(target.readLine());
        const auto match = QRegularExpression(QStringLiteral(R"(http://127\.0\.0\.1:(\d+)/)")).match(banner);
        QVERIFY2(match.hasMatch(), qPrintable(banner));
        const auto outcome = cli({"run", QStringLiteral("http://127.0.0.1:%1/").arg(match.captured(1)), "-n", "100",
                                  "-c", "4", "--json"});
        target.terminate(); // SIGTERM: it must stop cleanly and say how much it served
        QVERIFY(target.waitForFinished(5000));
        QCOMPARE(target.exitCode(), 0);
        QVERIFY(QString::fromUtf8(target.readAll()).contains(QStringLiteral("served 100 responses")));
        QCOMPARE(outcome.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(outcome.out.toUtf8()).object();
        QCOMPARE(json.value("status_codes").toObject().value("201").toInteger(), 100);
        const double p50 = json.value("latency_ms").toObject().value("p50").toDouble();
        // Never below the 20 ms hold; above it by what a busy machine adds, within reason.
        QVERIFY2(p50 >= 19.9 && p50 <= 26.0, qPrintable(QString::number(p50)));
    }

    void interruptKeepsResults()
    {
        benchdeck::target::TargetServer target({});
        std::string error;
        QVERIFY(target.start(&error));
        QProcess run;
        run.start(QStringLiteral(BENCHDECK_CLI_PATH), {"run", localUrl(target.port()), "-d", "60s", "-c", "2",
                                                       "-t", "1", "--json"});
        QVERIFY(run.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(target.requestsServed() > 0, 30000); // measuring now, however slow the start
        QElapsedTimer measuring;
        measuring.start();
        QTest::qWait(1000);
        run.terminate(); // what Ctrl-C does, as a signal a script can send
        QVERIFY(run.waitForFinished(5000));
        QCOMPARE(run.exitCode(), 0);
        const QJsonObject json = QJsonDocument::fromJson(run.readAllStandardOutput()).object();
        QCOMPARE(json.value("stop_reason").toString(), QStringLiteral("stopped"));
        QVERIFY(json.value("requests").toInteger() > 0);
        const double duration = json.value("duration_s").toDouble();
        QVERIFY2(duration >= 0.95 && duration <= double(measuring.elapsed()) / 1000.0 + 0.5,
                 qPrintable(QString::number(duration)));
        QCOMPARE(json.value("status").toString(), QStringLiteral("stopped"));
    }

    void versionAndHelp()
    {
        const auto version = cli({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(QStringLiteral("benchdeck-cli ")));
        QVERIFY(version.out.contains(QStringLiteral("libcurl")));
        const auto help = cli({"--help"});
        QCOMPARE(help.exitCode, 0);
        for (const char* command : {"run URL", "target", "demo", "Exit codes"}) {
            QVERIFY2(help.out.contains(QLatin1String(command)), command);
        }
        const auto runHelp = cli({"run", "--help"});
        QCOMPARE(runHelp.exitCode, 0);
        for (const char* option : {"--connections", "--duration", "--requests", "--threads", "--header", "--http2",
                                   "--insecure", "--timeout", "--warmup", "--json", "Exit codes"}) {
            QVERIFY2(runHelp.out.contains(QLatin1String(option)), option);
        }
    }

    void demoPrintsSideBySideTable()
    {
        const auto outcome = cli({"demo", "-d", "500ms", "-c", "4"}, 60000);
        QCOMPARE(outcome.exitCode, 0);
        QVERIFY2(outcome.out.contains(QStringLiteral("backend")), qPrintable(outcome.out));
        for (const char* backend : {"steady", "jittery", "flaky"}) {
            QVERIFY(outcome.out.contains(QRegularExpression(QStringLiteral("\\n%1 +\\d+").arg(backend))));
        }
        // The flaky backend's injected 500s show up as errors; the steady one has none.
        const auto steady = QRegularExpression(QStringLiteral(R"(\nsteady .* 0 +0\.00%)")).match(outcome.out);
        QVERIFY2(steady.hasMatch(), qPrintable(outcome.out));
        const auto flaky = QRegularExpression(QStringLiteral(R"(\nflaky .* (\d+\.\d\d)%)")).match(outcome.out);
        QVERIFY(flaky.hasMatch());
        const double flakyPercent = flaky.captured(1).toDouble();
        QVERIFY2(flakyPercent > 2 && flakyPercent < 9, qPrintable(flaky.captured(1)));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
