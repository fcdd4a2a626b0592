// The server's side of a run: memory and CPU of a local process tree from /proc, a server command
// launched for the run, the CLI's --server-pid/--server-cmd, and the figures' way into the session,
// the comparison report and the decision table. Every child is local and bounded in time; every load
// goes to 127.0.0.1.
#include "comparison/comparison_report.h"
#include "comparison/report_writers.h"
#include "server/process_sampler.h"
#include "store/session_file.h"
#include "workflow/decision_inputs.h"

#include "cli_process.h"

#include <QElapsedTimer>
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

// A python child that holds `mb` MiB, every page written (bytearray * n copies into fresh memory).
std::string allocatingPython(int mb, double sleepSeconds)
{
    return "python3 -c 'import time; b = bytearray(b\"x\") * (" + std::to_string(mb) +
           " << 20); time.sleep(" + std::to_string(sleepSeconds) + ")'";
}

// A python child that spins on one core for `seconds`.
std::string busyPython(double seconds)
{
    return "python3 -c 'import time; t = time.time() + " + std::to_string(seconds) +
           "; any(time.time() > t for _ in iter(int, 1))'";
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

benchdeck::metrics::ServerStats sampleFor(pid_t pid, std::chrono::milliseconds howLong, uint64_t requests,
                                          std::chrono::milliseconds interval = 200ms)
{
    ProcessSampler sampler(pid, interval);
    std::string error;
    if (!sampler.start(&error)) {
        qWarning("sampler failed: %s", error.c_str());
        return {};
    }
    sampler.markMeasureStart();
    std::this_thread::sleep_for(howLong);
    return sampler.finish(requests, std::chrono::duration<double>(howLong).count());
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
        auto child = launchOrFail(allocatingPython(100, 3));
        QVERIFY(child);
        const auto stats = sampleFor(child->pid(), 1500ms, 0);
        QVERIFY(stats.measured);
        QVERIFY2(stats.peakRssMb >= 100, qPrintable(QString::number(stats.peakRssMb)));
        QVERIFY(stats.meanRssMb > 0 && stats.meanRssMb <= stats.peakRssMb);
        // At least 4 samples a second at the default 200 ms (plus the first and the last).
        QVERIFY2(stats.samples.size() >= 6, qPrintable(QString::number(stats.samples.size())));
        QVERIFY(stats.samples.back().t >= 1.4 && stats.samples.back().t < 3);
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
        auto child = launchOrFail(busyPython(5));
        QVERIFY(child);
        std::this_thread::sleep_for(200ms); // past python's start-up
        const auto stats = sampleFor(child->pid(), 1500ms, 1000);
        QVERIFY(stats.measured);
        QVERIFY2(stats.cpuPercent >= 50 && stats.cpuPercent <= 120, qPrintable(QString::number(stats.cpuPercent)));
        // CPU per request is the window's CPU time over the requests given.
        const double used = double(stats.samples.back().cpuMicros);
        QVERIFY(used > 0);
        QVERIFY2(std::abs(stats.cpuMicrosPerRequest - used / 1000) < 1.0,
                 qPrintable(QString::number(stats.cpuMicrosPerRequest)));
        // cpuPercent agrees with the same CPU time over the window.
        QVERIFY(std::abs(stats.cpuPercent - 100 * used / (stats.samples.back().t * 1e6)) < 1.0);
        QCOMPARE(stats.samples.front().cpuMicros, uint64_t(0)); // t = 0 is the baseline
    }

    void treeSumsItsChildren()
    {
        // The shell stays (it waits), with two python children of 40 MiB each.
        const std::string command = allocatingPython(40, 3) + " & " + allocatingPython(40, 3) + " & wait";
        auto shell = launchOrFail(command);
        QVERIFY(shell);
        const auto stats = sampleFor(shell->pid(), 1500ms, 0);
        QVERIFY(stats.measured);
        QVERIFY2(stats.peakRssMb >= 80, qPrintable(QString::number(stats.peakRssMb)));
        QVERIFY2(stats.source.find("and 2 children") != std::string::npos, stats.source.c_str());
    }

    void exitedChildrenKeepTheirCpu()
    {
        // Three children in turn, each busy 0.5 s then gone: the total only grows.
        const std::string command = busyPython(0.5) + "; " + busyPython(0.5) + "; " + busyPython(0.5) + "; sleep 2";
        auto shell = launchOrFail(command);
        QVERIFY(shell);
        const auto stats = sampleFor(shell->pid(), 2500ms, 0, 100ms);
        QVERIFY(stats.measured);
        for (size_t i = 1; i < stats.samples.size(); ++i) {
            QVERIFY2(stats.samples[i].cpuMicros >= stats.samples[i - 1].cpuMicros, qPrintable(QString::number(i)));
        }
        // Each child may lose what it spent after the last sample that saw it (≤ 100 ms here).
        QVERIFY2(stats.samples.back().cpuMicros >= 800000, qPrintable(QString::number(stats.samples.back().cpuMicros)));
    }

    void measurementStartsAfterWarmUp()
    {
        auto child = launchOrFail(busyPython(3));
        QVERIFY(child);
        ProcessSampler sampler(child->pid());
        std::string error;
        QVERIFY(sampler.start(&error));
        sampler.markMeasureStart();
        std::this_thread::sleep_for(600ms);
        sampler.noteProgress(true, 0);      // still warming up: no effect
        sampler.noteProgress(false, 0.1);   // measuring for 0.1 s already
        sampler.noteProgress(false, 5);     // only the first call past warm-up counts
        std::this_thread::sleep_for(600ms);
        const auto stats = sampler.finish(100, 0.7);
        QVERIFY(stats.measured);
        QCOMPARE(stats.samples.front().t, 0.0);
        QCOMPARE(stats.samples.front().cpuMicros, uint64_t(0));
        QVERIFY2(stats.samples.back().t > 0.6 && stats.samples.back().t < 0.9,
                 qPrintable(QString::number(stats.samples.back().t)));
        QVERIFY2(stats.samples.back().cpuMicros < 1000000, "warm-up CPU is not counted");
    }

    void rootThatExitsKeepsWhatWasMeasured()
    {
        auto child = launchOrFail(allocatingPython(30, 0.6));
        QVERIFY(child);
        const auto stats = sampleFor(child->pid(), 1500ms, 0);
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
                                     QString::fromStdString(targetCommand(port)), "--json", "--session", session},
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
    }

    void cliTextSummaryHasAServerLine()
    {
        const uint16_t port = freePort();
        auto server = launchOrFail(targetCommand(port), 500ms);
        QVERIFY(server);
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
        measured.total.requests = 1000;
        measured.server.measured = true;
        measured.server.source = "pid 42 and 1 child";
        measured.server.peakRssMb = 84.25;
        measured.server.meanRssMb = 80.5;
        measured.server.cpuPercent = 97;
        measured.server.cpuMicrosPerRequest = 38;
        measured.server.samples = {{0, 80 << 20, 0}, {0.2, 84 << 20, 190000}, {0.4, 83 << 20, 385000}};
        const auto measuredId = session->beginRun(config, false, &error);
        QVERIFY(measuredId);
        QVERIFY2(session->finishRun(*measuredId, measured, &error), error.c_str());

        config.label = "unmeasured";
        benchdeck::metrics::RunResult plain;
        plain.durationSeconds = 1;
        plain.total.requests = 500;
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
        const auto inputs = benchdeck::workflow::loadDecisionInputs(*session, model);
        QCOMPARE(inputs.facts.size(), size_t(1));
        QCOMPARE(inputs.facts[0].memoryMb.value_or(-1), 84.25);
        QCOMPARE(inputs.facts[0].cpuMicrosPerRequest.value_or(-1), 38.0);
    }

private:
    QTemporaryDir tmp_;
};

QTEST_GUILESS_MAIN(TestServerSampler)
#include "tst_server_sampler.moc"
