// SPDX-License-Identifier: Apache-2.0
// The server's side of a run: memory and CPU of a local process tree from /proc, a server command
// launched for the run, the CLI's --server-pid/--server-cmd, and the figures' way into the session,
// the comparison report and the decision table. Every child is local and bounded in time; every load
// goes to 127.0.0.1.
#include "comparison/comparison_report.h"
#include "comparison/report_writers.h"
#include "server/artifact_size.h"
#include "server/process_sampler.h"
#include "store/session_file.h"
#include "workflow/decision_inputs.h"

#include "cli_process.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <climits>
#include <thread>

using namespace std::chrono_literals;
using benchdeck::server::LaunchedServer;
using benchdeck::server::ProcessSampler;

namespace {

constexpr double kMb = 1024.0 * 1024.0;

// The real interpreter: `python3` on PATH may be a version-manager shim (a shell script that forks
// helpers before it execs python), which would add descendants and seconds of start-up to every child.
std::string python()
{
    static const std::string path = [] {
        QProcess probe;
        probe.start(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral("import sys; print(sys.executable)")});
        probe.waitForFinished(60000);
        const std::string found = QString::fromUtf8(probe.readAllStandardOutput()).trimmed().toStdString();
        return found.empty() ? std::string("python3") : found;
    }();
    return path;
}

// A python child that holds `mb` MiB (every page written), creates `ready` when it does, then sleeps.
std::string allocatingPython(int mb, const QString& ready, double sleepSeconds = 60)
{
    return "'" + python() + "' -c 'import time; b = bytearray(b\"x\") * (" + std::to_string(mb) +
           " << 20); open(\"" + ready.toStdString() + "\", \"w\").close(); time.sleep(" +
           std::to_string(sleepSeconds) + ")'";
}

// A python child that burns `cpuSeconds` of its own CPU time (not wall time, which load stretches),
// after `gate` exists when one is given; then creates `done` (when given) and idles, or exits.
std::string spinningPython(double cpuSeconds, const QString& gate = {}, const QString& done = {})
{
    std::string code = "import os, time\n";
    if (!gate.isEmpty()) {
        code += "while not os.path.exists(\"" + gate.toStdString() + "\"): time.sleep(0.01)\n";
    }
    code += "t = time.process_time()\nwhile time.process_time() - t < " + std::to_string(cpuSeconds) + ": pass\n";
    if (!done.isEmpty()) {
        code += "open(\"" + done.toStdString() + "\", \"w\").close()\ntime.sleep(60)\n";
    }
    return "'" + python() + "' -c '" + code + "'";
}

std::unique_ptr<LaunchedServer> launchOrFail(const std::string& command, std::chrono::milliseconds settle = 0ms)
{
    std::string error;
    auto server = LaunchedServer::launch(command, settle, &error);
    if (!server) {
        qWarning("launch failed: %s", error.c_str());
    }
    return server;
}

uint16_t freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
}

// Whether something still listens on the port (the launched target would).
bool listening(uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

// benchdeck-cli with TMPDIR pointed at `tmp`, so launched servers' logs land in the test's folder.
CliOutcome runCli(const QStringList& arguments, const QString& tmp, int timeoutMs = 60000)
{
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("TMPDIR"), tmp);
    return runCli(arguments, timeoutMs, environment);
}

std::string targetCommand(uint16_t port)
{
    return "exec '" + std::string(BENCHDECK_CLI_PATH) + "' target --port " + std::to_string(port);
}

} // namespace

class TestServerSampler : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        qputenv("TMPDIR", tmp_.path().toLocal8Bit()); // where LaunchedServer writes its logs
    }

    void peakRssOfAnAllocatingChild()
    {
        const QString ready = tmp_.filePath(QStringLiteral("rss-ready"));
        auto child = launchOrFail("exec " + allocatingPython(100, ready));
        QVERIFY(child);
        ProcessSampler sampler(child->pid()); // every 200 ms
        std::string error;
        QVERIFY2(sampler.start(&error), error.c_str());
        sampler.markMeasureStart();
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(ready), 60000);
        std::this_thread::sleep_for(1000ms); // time for the sampling thread's own points
        const auto stats = sampler.finish(0, 0);
        const double window = double(clock.elapsed()) / 1000.0;
        QVERIFY(stats.measured);
        QVERIFY2(stats.peakRssMb >= 100, qPrintable(QString::number(stats.peakRssMb)));
        QVERIFY(stats.meanRssMb > 0 && stats.meanRssMb <= stats.peakRssMb);
        // The first, the last and the thread's own; never more than one per interval (no burst after a stall).
        QVERIFY2(stats.samples.size() >= 3 && double(stats.samples.size()) <= window / 0.2 + 3,
                 qPrintable(QStringLiteral("%1 samples in %2 s").arg(stats.samples.size()).arg(window)));
        QVERIFY(stats.samples.back().t >= 1.0 && stats.samples.back().t <= window + 0.01);
        uint64_t peak = 0;
        for (const auto& sample : stats.samples) {
            peak = std::max(peak, sample.rssBytes);
        }
        QCOMPARE(double(peak) / kMb, stats.peakRssMb);
        QVERIFY2(stats.source.rfind("pid " + std::to_string(child->pid()), 0) == 0, stats.source.c_str());
        QCOMPARE(stats.cpuMicrosPerRequest, 0.0); // no requests given
    }

    void cpuOfABusyChild()
    {
        // One CPU second spun between the start of the window and `done`: the window holds exactly that
        // second (give or take clock ticks and python's start-up), whatever share of a core it got.
        const QString gate = tmp_.filePath(QStringLiteral("cpu-gate"));
        const QString done = tmp_.filePath(QStringLiteral("cpu-done"));
        auto child = launchOrFail("exec " + spinningPython(1.0, gate, done));
        QVERIFY(child);
        ProcessSampler sampler(child->pid(), 100ms);
        std::string error;
        QVERIFY2(sampler.start(&error), error.c_str());
        sampler.markMeasureStart();
        QElapsedTimer clock;
        clock.start();
        QFile(gate).open(QIODevice::WriteOnly);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(done), 60000);
        const auto stats = sampler.finish(1000, 0);
        QVERIFY(stats.measured);
        const double used = double(stats.samples.back().cpuMicros);
        QVERIFY2(used >= 0.97e6 && used <= 1.5e6, qPrintable(QString::number(used)));
        // One thread: never more than one core, whatever share the scheduler gave it.
        QVERIFY2(stats.cpuPercent > 0 && stats.cpuPercent <= 105, qPrintable(QString::number(stats.cpuPercent)));
        QVERIFY(stats.samples.back().t <= double(clock.elapsed()) / 1000.0 + 0.01);
        // CPU per request is the window's CPU time over the requests given.
        QVERIFY2(std::abs(stats.cpuMicrosPerRequest - used / 1000) < 1.0,
                 qPrintable(QString::number(stats.cpuMicrosPerRequest)));
        // cpuPercent agrees with the same CPU time over the window.
        QVERIFY(std::abs(stats.cpuPercent - 100 * used / (stats.samples.back().t * 1e6)) < 1.0);
        QCOMPARE(stats.samples.front().cpuMicros, uint64_t(0)); // t = 0 is the baseline
    }

    void treeSumsItsChildren()
    {
        // The shell stays (it waits), with two python children of 40 MiB each: exactly two descendants.
        const QString ready1 = tmp_.filePath(QStringLiteral("tree-1"));
        const QString ready2 = tmp_.filePath(QStringLiteral("tree-2"));
        auto shell = launchOrFail(allocatingPython(40, ready1) + " & " + allocatingPython(40, ready2) + " & wait");
        QVERIFY(shell);
        ProcessSampler sampler(shell->pid());
        std::string error;
        QVERIFY2(sampler.start(&error), error.c_str());
        sampler.markMeasureStart();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(ready1) && QFile::exists(ready2), 60000);
        const auto stats = sampler.finish(0, 0); // its last sample sees both, allocated
        QVERIFY(stats.measured);
        QVERIFY2(stats.peakRssMb >= 80, qPrintable(QString::number(stats.peakRssMb)));
        QVERIFY2(stats.source.find("and 2 children") != std::string::npos, stats.source.c_str());
    }

    void exitedChildrenKeepTheirCpu()
    {
        // Three children in turn, each burning 0.5 s of CPU then gone: the total only grows.
        const QString done = tmp_.filePath(QStringLiteral("exited-done"));
        const std::string spin = spinningPython(0.5);
        auto shell = launchOrFail(spin + "; " + spin + "; " + spin + "; : > '" + done.toStdString() + "'; exec sleep 60");
        QVERIFY(shell);
        ProcessSampler sampler(shell->pid(), 100ms);
        std::string error;
        QVERIFY2(sampler.start(&error), error.c_str());
        sampler.markMeasureStart();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(done), 60000);
        const auto stats = sampler.finish(0, 0);
        QVERIFY(stats.measured);
        for (size_t i = 1; i < stats.samples.size(); ++i) {
            QVERIFY2(stats.samples[i].cpuMicros >= stats.samples[i - 1].cpuMicros, qPrintable(QString::number(i)));
        }
        // 1.5 s spun. Each child may lose what it spent after the last sample that saw it (one interval,
        // more if the sampler was starved): dropping exited children would leave about 0, double counting
        // would pass 1.8 s.
        const auto total = stats.samples.back().cpuMicros;
        QVERIFY2(total >= 1'000'000 && total <= 1'800'000, qPrintable(QString::number(total)));
    }

    void measurementStartsAfterWarmUp()
    {
        // Busy during the warm-up (0.4 s of CPU), idle once measured: counting the warm-up would show.
        const QString idle = tmp_.filePath(QStringLiteral("warm-idle"));
        auto child = launchOrFail("exec " + spinningPython(0.4, {}, idle));
        QVERIFY(child);
        ProcessSampler sampler(child->pid(), 100ms);
        std::string error;
        QVERIFY(sampler.start(&error));
        sampler.markMeasureStart();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(idle), 60000);
        std::this_thread::sleep_for(600ms); // idle well before the back-dated start below
        QElapsedTimer sinceNote;
        sinceNote.start();
        sampler.noteProgress(true, 0);    // still warming up: no effect
        sampler.noteProgress(false, 0.1); // measuring for 0.1 s already
        sampler.noteProgress(false, 5);   // only the first call past warm-up counts
        std::this_thread::sleep_for(300ms);
        const auto stats = sampler.finish(100, 0.4);
        const double upper = double(sinceNote.elapsed()) / 1000.0 + 0.1;
        QVERIFY(stats.measured);
        QCOMPARE(stats.samples.front().t, 0.0);
        QCOMPARE(stats.samples.front().cpuMicros, uint64_t(0));
        QVERIFY2(stats.samples.back().t >= 0.4 && stats.samples.back().t <= upper + 0.005,
                 qPrintable(QStringLiteral("%1 (at most %2)").arg(stats.samples.back().t).arg(upper)));
        // At least 400,000 µs went into the warm-up; the measured, idle part holds a few clock ticks at most.
        QVERIFY2(stats.samples.back().cpuMicros <= 30000, qPrintable(QString::number(stats.samples.back().cpuMicros)));
    }

    void rootThatExitsKeepsWhatWasMeasured()
    {
        const QString ready = tmp_.filePath(QStringLiteral("exit-ready"));
        auto child = launchOrFail("exec " + allocatingPython(30, ready, 1.0));
        QVERIFY(child);
        ProcessSampler sampler(child->pid(), 100ms);
        std::string error;
        QVERIFY(sampler.start(&error));
        sampler.markMeasureStart();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(ready), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(benchdeck::server::checkProcess(child->pid()).has_value(), 60000); // exited
        const auto stats = sampler.finish(0, 0);
        QVERIFY(stats.measured);
        QVERIFY2(stats.peakRssMb >= 30, qPrintable(QString::number(stats.peakRssMb)));
        QVERIFY2(stats.source.find("exited before the end") != std::string::npos, stats.source.c_str());
    }

    void badPidIsAnError()
    {
        std::string error;
        ProcessSampler missing(INT_MAX - 7);
        QVERIFY(!missing.start(&error));
        QVERIFY2(error.find("no process with pid") != std::string::npos, error.c_str());
        ProcessSampler zero(0);
        QVERIFY(!zero.start(&error));
        QVERIFY2(error.find("not a process id") != std::string::npos, error.c_str());
        QVERIFY(!missing.finish(10, 1).measured);
    }

    void commandThatExitsEarlyIsAnError()
    {
        std::string error;
        QElapsedTimer timer;
        timer.start();
        auto server = LaunchedServer::launch("echo starting; echo 'fatal: port in use' >&2; exit 7", 5s, &error);
        QVERIFY(!server);
        QVERIFY2(timer.elapsed() < 3000, "the wait ends when the command does");
        QVERIFY2(error.find("exited with status 7") != std::string::npos, error.c_str());
        QVERIFY2(error.find("fatal: port in use") != std::string::npos, error.c_str());
        QVERIFY2(error.find("starting") != std::string::npos, error.c_str());

        QVERIFY(!LaunchedServer::launch("no-such-command-for-benchdeck", 2s, &error));
        QVERIFY2(error.find("status 127") != std::string::npos && error.find("not found") != std::string::npos,
                 error.c_str());
        QVERIFY(!LaunchedServer::launch("   ", 0ms, &error));
        QVERIFY2(error.find("empty") != std::string::npos, error.c_str());
    }

    void launchedServerStopsItsWholeGroup()
    {
        auto server = launchOrFail("sleep 30 & sleep 30 & echo ready; wait", 300ms);
        QVERIFY(server);
        QVERIFY(!server->hasExited());
        QVERIFY(QFile::exists(QString::fromStdString(server->logPath())));
        QVERIFY2(server->logTail().find("ready") != std::string::npos, server->logTail().c_str());
        ProcessSampler sampler(server->pid());
        std::string error;
        QVERIFY(sampler.start(&error));
        QTRY_VERIFY(sampler.maxDescendants() == 2);
        sampler.stop();
        QElapsedTimer timer;
        timer.start();
        QVERIFY(server->stop()); // SIGTERM is enough
        QVERIFY(timer.elapsed() < 2500);
        QVERIFY(server->hasExited());
        QVERIFY(benchdeck::server::checkProcess(server->pid()).has_value());

        // One that ignores SIGTERM gets SIGKILL after 3 s.
        auto stubborn = launchOrFail("trap '' TERM; sleep 30 & wait", 300ms);
        QVERIFY(stubborn);
        timer.restart();
        QVERIFY(!stubborn->stop());
        QVERIFY(timer.elapsed() >= 2900 && timer.elapsed() < 6000);
        QVERIFY(stubborn->hasExited());
    }

    void cliSamplesALaunchedServer()
    {
        const uint16_t port = freePort();
        QVERIFY(port != 0);
        const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(port);
        const QString session = tmp_.filePath(QStringLiteral("server.benchdeck"));
        const auto outcome = runCli({"run", url, "-n", "2000", "-c", "4", "--server-cmd",
                                     QString::fromStdString(targetCommand(port)), "--server-wait", "5s", "--json",
                                     "--session", session},
                                    tmp_.path());
        QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.err));
        const auto object = QJsonDocument::fromJson(outcome.out.toUtf8()).object();
        const auto server = object.value(QStringLiteral("server")).toObject();
        QVERIFY2(server.value(QStringLiteral("measured")).toBool(), qPrintable(outcome.out));
        QVERIFY(server.value(QStringLiteral("peak_rss_mb")).toDouble() > 0);
        QVERIFY(server.value(QStringLiteral("mean_rss_mb")).toDouble() > 0);
        QVERIFY(server.value(QStringLiteral("cpu_percent")).isDouble());
        QVERIFY(server.value(QStringLiteral("cpu_us_per_request")).isDouble());
        QVERIFY(server.value(QStringLiteral("source")).toString().startsWith(QStringLiteral("command '")));
        // The run began once the launched server answered; that wait is its cold start.
        const double coldStart = server.value(QStringLiteral("cold_start_ms")).toDouble();
        QVERIFY2(coldStart > 0 && coldStart < 5000, qPrintable(QString::number(coldStart)));
        const auto samples = server.value(QStringLiteral("samples")).toArray();
        QVERIFY(samples.size() >= 1);
        for (const char* key : {"t", "rss_mb", "cpu_us"}) {
            QVERIFY2(samples.first().toObject().value(QLatin1String(key)).isDouble(), key);
        }
        QCOMPARE(object.value(QStringLiteral("requests")).toDouble(), 2000.0);
        QVERIFY2(!listening(port), "the launched server is stopped after the run");

        // The session keeps it: summary and samples come back with the run.
        std::string error;
        auto file = benchdeck::store::SessionFile::open(session.toStdString(), benchdeck::store::OpenMode::ReadOnly,
                                                        &error);
        QVERIFY2(file, error.c_str());
        const auto runs = file->listRuns(&error);
        QCOMPARE(runs.size(), size_t(1));
        const auto run = file->loadRun(runs.front().id, &error);
        QVERIFY2(run, error.c_str());
        QVERIFY(run->result.server.measured);
        QCOMPARE(run->result.server.peakRssMb, server.value(QStringLiteral("peak_rss_mb")).toDouble());
        QCOMPARE(qsizetype(run->result.server.samples.size()), samples.size());
        QCOMPARE(QString::fromStdString(run->result.server.source), server.value(QStringLiteral("source")).toString());
        QCOMPARE(run->result.server.coldStartMs, coldStart);

        // A command that never answers the URL within --server-wait: a clear refusal, nothing run.
        const auto silent = runCli({"run", url, "-n", "10", "--server-cmd", "exec sleep 30", "--server-wait", "1s"},
                                   tmp_.path());
        QCOMPARE(silent.exitCode, 2);
        QVERIFY2(silent.err.contains(QStringLiteral("did not answer GET ") + url), qPrintable(silent.err));
    }

    // What a server is deployed as: regular files summed once each (a hard link, or a file named twice
    // through a folder and itself, counts once), symbolic links not followed, a missing path refused.
    void artifactSizeCountsEachFileOnce()
    {
        QTemporaryDir dir;
        const QString app = dir.filePath(QStringLiteral("app"));
        QVERIFY(QDir().mkpath(app + QStringLiteral("/lib")));
        const auto write = [](const QString& path, qint64 bytes) {
            QFile file(path);
            return file.open(QIODevice::WriteOnly) && file.write(QByteArray(bytes, 'x')) == bytes;
        };
        QVERIFY(write(app + QStringLiteral("/server"), 1000));
        QVERIFY(write(app + QStringLiteral("/lib/a.so"), 300));
        QVERIFY(::link(qPrintable(app + QStringLiteral("/lib/a.so")), qPrintable(app + QStringLiteral("/lib/b.so"))) == 0);
        QVERIFY(QFile::link(QStringLiteral("/usr/lib"), app + QStringLiteral("/lib/system")));
        std::string error;
        const std::vector<std::string> paths{app.toStdString(), (app + QStringLiteral("/server")).toStdString()};
        const auto bytes = benchdeck::server::artifactBytes(paths, &error);
        QVERIFY2(bytes, error.c_str());
        QCOMPARE(*bytes, uint64_t(1300));
        const std::vector<std::string> missing{(app + QStringLiteral("/nothing")).toStdString()};
        QVERIFY(!benchdeck::server::artifactBytes(missing, &error));
        QVERIFY2(error.find("not found") != std::string::npos, error.c_str());
    }

    void cliTextSummaryHasAServerLine()
    {
        const uint16_t port = freePort();
        auto server = launchOrFail(targetCommand(port), 500ms);
        QVERIFY(server);
        QTRY_VERIFY_WITH_TIMEOUT(listening(port), 30000); // a busy machine may take more than 500 ms
        const auto outcome = runCli({"run", QStringLiteral("http://127.0.0.1:%1/").arg(port), "-n", "2000",
                                     "--server-pid", QString::number(server->pid())},
                                    tmp_.path());
        QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.err));
        const QString expected = QStringLiteral("(pid %1)").arg(server->pid());
        QVERIFY2(outcome.out.contains(QStringLiteral("  Server:       peak RSS ")), qPrintable(outcome.out));
        QVERIFY2(outcome.out.contains(QStringLiteral(" µs/request ") + expected), qPrintable(outcome.out));
        QVERIFY2(!server->hasExited(), "--server-pid never stops the process it sampled");
    }

    void cliRefusesBadServerOptions_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("no such pid") << QStringList{"--server-pid", QString::number(INT_MAX - 7)}
                                     << "no process with pid";
        QTest::newRow("pid not a number") << QStringList{"--server-pid", "nginx"} << "--server-pid";
        QTest::newRow("both") << QStringList{"--server-pid", "1", "--server-cmd", "true"} << "exclude each other";
        QTest::newRow("wait alone") << QStringList{"--server-wait", "2s"} << "goes with --server-cmd";
        QTest::newRow("bad wait") << QStringList{"--server-cmd", "sleep 5", "--server-wait", "soon"}
                                  << "--server-wait";
        QTest::newRow("command exits") << QStringList{"--server-cmd", "echo 'listen: address in use' >&2; exit 1"}
                                       << "listen: address in use";
    }

    void cliRefusesBadServerOptions()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, message);
        const auto outcome = runCli(QStringList{"run", "http://127.0.0.1:9/", "-n", "10"} + extra, tmp_.path(), 20000);
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.err.contains(message), qPrintable(outcome.err));
        QVERIFY2(!outcome.err.contains(QStringLiteral("cannot reach")), "refused before any traffic");
    }

    void storeKeepsServerStats()
    {
        namespace store = benchdeck::store;
        const std::string path = tmp_.filePath(QStringLiteral("store.benchdeck")).toStdString();
        std::string error;
        auto session = store::SessionFile::open(path, store::OpenMode::CreateOrOpen, &error);
        QVERIFY2(session, error.c_str());
        benchdeck::engine::RunConfig config;
        config.url = "http://127.0.0.1:9/";
        config.label = "measured";

        benchdeck::metrics::RunResult measured;
        measured.durationSeconds = 1;
        for (int i = 0; i < 1000; ++i) {
            measured.total.recordResponse(200, 1000);
        }
        measured.server.measured = true;
        measured.server.source = "pid 42 and 1 child";
        measured.server.peakRssMb = 84.25;
        measured.server.meanRssMb = 80.5;
        measured.server.cpuPercent = 97;
        measured.server.cpuMicrosPerRequest = 38;
        measured.server.samples = {{0, 80 << 20, 0}, {0.2, 84 << 20, 190000}, {0.4, 83 << 20, 385000}};
        const auto measuredId = session->beginRun(config, false, &error);
        QVERIFY(measuredId);
        measured.finalize();
        QVERIFY2(session->finishRun(*measuredId, measured, &error), error.c_str());

        config.label = "unmeasured";
        benchdeck::metrics::RunResult plain;
        plain.durationSeconds = 1;
        for (int i = 0; i < 500; ++i) {
            plain.total.recordResponse(200, 1000);
        }
        plain.finalize();
        const auto plainId = session->beginRun(config, false, &error);
        QVERIFY(plainId);
        QVERIFY2(session->finishRun(*plainId, plain, &error), error.c_str());

        const auto back = session->loadRun(*measuredId, &error);
        QVERIFY2(back, error.c_str());
        const auto& server = back->result.server;
        QVERIFY(server.measured);
        QCOMPARE(server.source, measured.server.source);
        QCOMPARE(server.peakRssMb, 84.25);
        QCOMPARE(server.meanRssMb, 80.5);
        QCOMPARE(server.cpuPercent, 97.0);
        QCOMPARE(server.cpuMicrosPerRequest, 38.0);
        QCOMPARE(server.samples.size(), size_t(3));
        QCOMPARE(server.samples[1].t, 0.2);
        QCOMPARE(server.samples[1].rssBytes, uint64_t(84) << 20);
        QCOMPARE(server.samples[2].cpuMicros, uint64_t(385000));
        const auto other = session->loadRun(*plainId, &error);
        QVERIFY(other && !other->result.server.measured && other->result.server.samples.empty());

        // The comparison report's Memory column: peak RSS when measured, "not measured" otherwise.
        namespace comparison = benchdeck::comparison;
        comparison::ReportRequest request;
        const auto report = comparison::buildReport(*session, request, &error);
        QVERIFY2(report, error.c_str());
        const auto json = comparison::toJson(*report);
        const auto runs = json.value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 2);
        const auto memoryOf = [&](int i) {
            return runs[i].toObject().value(QStringLiteral("summary")).toObject().value(QStringLiteral("memory_mb"));
        };
        QCOMPARE(memoryOf(0).toDouble(), 84.25);
        QVERIFY(memoryOf(1).isNull());
        const std::string markdown = comparison::toMarkdown(*report, "");
        QVERIFY2(markdown.find("| 84.2 MB |") != std::string::npos || markdown.find("| 84.3 MB |") != std::string::npos,
                 markdown.c_str());
        QVERIFY(markdown.find("| not measured |") != std::string::npos);
        const std::string html = comparison::toHtml(*report);
        QVERIFY(html.find(" MB</td>") != std::string::npos && html.find("<td>not measured</td>") != std::string::npos);

        // The decision table's measured facts.
        store::Candidate candidate;
        candidate.name = "Go";
        candidate.stack = "go";
        QVERIFY2(session->saveCandidate(candidate, &error), error.c_str());
        store::Target target;
        target.candidateId = candidate.id;
        target.request.url = config.url;
        QVERIFY2(session->saveTarget(target, false, &error), error.c_str());
        QVERIFY2(session->attachRun(*measuredId, target.id, 0, &error), error.c_str());
        const auto model = benchdeck::workflow::loadDecisionModel(*session, &error);
        const std::vector<int64_t> chosen{*measuredId};
        const auto inputs = benchdeck::workflow::decisionInputs(*session, model, chosen);
        QVERIFY2(inputs.refusal.empty(), inputs.refusal.c_str());
        QCOMPARE(inputs.facts[0].runIds, chosen);
        QCOMPARE(inputs.facts.size(), size_t(1));
        QCOMPARE(inputs.facts[0].memoryMb.value_or(-1), 84.25);
        QCOMPARE(inputs.facts[0].cpuMicrosPerRequest.value_or(-1), 38.0);
    }

private:
    QTemporaryDir tmp_;
};

QTEST_GUILESS_MAIN(TestServerSampler)
#include "tst_server_sampler.moc"
