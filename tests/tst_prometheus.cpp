// SPDX-License-Identifier: Apache-2.0
// The live export as Prometheus sees it: the exposition text itself, the /metrics endpoint, and then
// Debian's real `prometheus` scraping `benchdeck-cli run --metrics-listen` and the real Pushgateway
// taking `--metrics-push`. Everything listens on 127.0.0.1 and every process is stopped by the test.
#include "cli_process.h"
#include "target/target_server.h"
#include "telemetry/live_telemetry.h"
#include "telemetry/metrics_server.h"
#include "telemetry/pushgateway.h"
#include "store/session_file.h"
#include "workflow/load_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QRegularExpression>
#include <QDateTime>

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

using namespace benchdeck;
using namespace std::chrono_literals;

namespace {

struct HttpReply {
    long status = 0;
    QByteArray body;
    QByteArray contentType;
};

size_t append(char* data, size_t size, size_t count, void* target)
{
    static_cast<QByteArray*>(target)->append(data, qsizetype(size * count));
    return size * count;
}

HttpReply httpGet(const QString& url, const char* accept = nullptr, const char* method = nullptr)
{
    HttpReply reply;
    CURL* easy = curl_easy_init();
    curl_slist* headers = accept ? curl_slist_append(nullptr, (std::string("Accept: ") + accept).c_str()) : nullptr;
    const QByteArray address = url.toUtf8();
    curl_easy_setopt(easy, CURLOPT_URL, address.constData());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 5000L);
    if (method) {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
    }
    if (curl_easy_perform(easy) == CURLE_OK) {
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
        char* type = nullptr;
        curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &type);
        reply.contentType = type ? QByteArray(type) : QByteArray();
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
    return reply;
}

// A port nothing listens on right now, for servers that cannot be told to pick their own.
uint16_t freePort()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
}

// The value of the one sample a PromQL instant query returns, or -1.
double queryValue(uint16_t port, const QString& promql)
{
    const QString url = QStringLiteral("http://127.0.0.1:%1/api/v1/query?query=%2")
                            .arg(port)
                            .arg(QString::fromLatin1(QUrl::toPercentEncoding(promql)));
    const auto reply = httpGet(url);
    const auto result = QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("data")).toObject()
                            .value(QStringLiteral("result")).toArray();
    if (result.size() != 1) {
        return -1;
    }
    return result.at(0).toObject().value(QStringLiteral("value")).toArray().at(1).toString().toDouble();
}

// Sample lines of one metric (labels included) in an exposition.
QStringList samples(const QString& text, const QString& name)
{
    QStringList found;
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        if (line.startsWith(name + QLatin1Char('{')) || line.startsWith(name + QLatin1Char(' '))) {
            found << line;
        }
    }
    return found;
}

double sampleValue(const QString& line)
{
    return line.section(QLatin1Char(' '), -1).toDouble();
}

metrics::RunResult syntheticResult()
{
    metrics::RunResult result;
    for (int i = 0; i < 100; ++i) {
        result.total.recordResponse(i < 90 ? 200 : 503, 1000 * (i + 1)); // 1 ms .. 100 ms
    }
    result.total.recordFailure(metrics::ErrorKind::Protocol);
    result.durationSeconds = 1;
    result.finalize();
    return result;
}

struct Child {
    QProcess process;
    ~Child()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
};

} // namespace

class TestPrometheus : public QObject {
    Q_OBJECT

private slots:
    void expositionFollowsTheFormat()
    {
        engine::RunConfig plan;
        plan.url = "http://127.0.0.1:1/";
        plan.connections = 7;
        telemetry::LiveTelemetry live({"quote\" and\nnewline", "http://127.0.0.1:1/", "Go (Gin)", "2/3"}, plan);
        const auto result = syntheticResult();
        live.finish(result);
        const QString om = QString::fromStdString(live.render(telemetry::ExpositionFormat::OpenMetrics));
        QVERIFY(om.endsWith(QStringLiteral("# EOF\n")));
        QVERIFY(om.contains(QStringLiteral("# TYPE benchdeck_requests counter\n")));
        QVERIFY(om.contains(QStringLiteral("# UNIT benchdeck_latency_seconds seconds\n")));
        // Label values escape quotes and newlines; every sample carries run, target, candidate, shard.
        const QString labels = QStringLiteral(
            "{run=\"quote\\\" and\\nnewline\",target=\"http://127.0.0.1:1/\",candidate=\"Go (Gin)\",shard=\"2/3\"");
        QCOMPARE(samples(om, QStringLiteral("benchdeck_requests_total")),
                 QStringList{QStringLiteral("benchdeck_requests_total") + labels + QStringLiteral("} 101")});
        const auto responses = samples(om, QStringLiteral("benchdeck_responses_total"));
        QCOMPARE(responses.size(), 2);
        QVERIFY(responses.at(0).contains(QStringLiteral("status=\"200\"} 90")));
        QVERIFY(responses.at(1).contains(QStringLiteral("status=\"503\"} 10")));
        const auto errors = samples(om, QStringLiteral("benchdeck_errors_total"));
        QCOMPARE(errors.size(), int(metrics::kErrorKindCount));
        QVERIFY(errors.filter(QStringLiteral("kind=\"protocol\"} 1")).size() == 1);
        QVERIFY(errors.filter(QStringLiteral("kind=\"http_5xx\"} 10")).size() == 1);
        // Buckets are cumulative, end in +Inf = count, and agree with the histogram (1..100 ms).
        const auto buckets = samples(om, QStringLiteral("benchdeck_latency_seconds_bucket"));
        QCOMPARE(buckets.size(), int(telemetry::kLatencyBucketsSeconds.size()) + 1);
        double previous = 0;
        for (const auto& line : buckets) {
            QVERIFY2(sampleValue(line) >= previous, qPrintable(line));
            previous = sampleValue(line);
        }
        QVERIFY(buckets.last().contains(QStringLiteral("le=\"+Inf\"} 100")));
        QVERIFY(buckets.filter(QStringLiteral("le=\"0.0005\"} 0")).size() == 1);
        QVERIFY(buckets.filter(QStringLiteral("le=\"0.01\"} 10")).size() == 1);
        QVERIFY(buckets.filter(QStringLiteral("le=\"0.05\"} 50")).size() == 1);
        QVERIFY(buckets.filter(QStringLiteral("le=\"0.1\"} 100")).size() == 1);
        const auto sum = samples(om, QStringLiteral("benchdeck_latency_seconds_sum"));
        QCOMPARE(sum.size(), 1);
        QCOMPARE(sampleValue(sum.at(0)), 5.05); // 1 + 2 + ... + 100 ms
        const auto p99 = samples(om, QStringLiteral("benchdeck_latency_quantiles_seconds")).filter(QStringLiteral("quantile=\"0.99\""));
        QCOMPARE(p99.size(), 1);
        // The run's own percentile, not a second estimate from the buckets.
        QCOMPARE(sampleValue(p99.at(0)), double(result.total.latency.valueAtPercentile(99)) / 1e6);
        QCOMPARE(samples(om, QStringLiteral("benchdeck_running")).size(), 1);
        QVERIFY(samples(om, QStringLiteral("benchdeck_running")).at(0).endsWith(QStringLiteral(" 0")));
        QCOMPARE(samples(om, QStringLiteral("benchdeck_users")).size(), 1); // closed model: users, not a rate

        // The 0.0.4 text format: counters declared with _total, no UNIT, no EOF.
        const QString text = QString::fromStdString(live.render(telemetry::ExpositionFormat::PrometheusText));
        QVERIFY(text.contains(QStringLiteral("# TYPE benchdeck_requests_total counter\n")));
        QVERIFY(!text.contains(QStringLiteral("# UNIT")));
        QVERIFY(!text.contains(QStringLiteral("# EOF")));
        QCOMPARE(samples(text, QStringLiteral("benchdeck_requests_total")), samples(om, QStringLiteral("benchdeck_requests_total")));
    }

    void endpointServesMetricsOnly()
    {
        engine::RunConfig plan;
        plan.url = "http://127.0.0.1:1/";
        plan.rate = 50;
        telemetry::LiveTelemetry live({"r", "t", "", "1/1"}, plan);
        std::string error;
        auto server = telemetry::MetricsServer::start(
            "127.0.0.1:0", [&](telemetry::ExpositionFormat f) { return live.render(f); }, &error);
        QVERIFY2(server, error.c_str());
        QVERIFY(server->port() > 0);
        const auto om = httpGet(QString::fromStdString(server->url()), "application/openmetrics-text; version=1.0.0");
        QCOMPARE(om.status, 200L);
        QVERIFY(om.contentType.startsWith("application/openmetrics-text"));
        QVERIFY(om.body.contains("benchdeck_intended_rate{")); // open model: the schedule's rate
        const auto plain = httpGet(QString::fromStdString(server->url()));
        QCOMPARE(plain.status, 200L);
        QVERIFY(plain.contentType.startsWith("text/plain; version=0.0.4"));
        QCOMPARE(httpGet(QStringLiteral("http://127.0.0.1:%1/").arg(server->port())).status, 404L);
        QCOMPARE(httpGet(QString::fromStdString(server->url()), nullptr, "DELETE").status, 405L);
        QCOMPARE(server->scrapes(), uint64_t(2));

        for (const char* bad : {"9464", "127.0.0.1:", "127.0.0.1:70000", "::1:9464", "host:port"}) {
            std::string host;
            uint16_t port = 0;
            QVERIFY2(!telemetry::parseListenAddress(bad, &host, &port, &error), bad);
        }
        std::string host;
        uint16_t port = 0;
        QVERIFY(telemetry::parseListenAddress("[::1]:9464", &host, &port, &error));
        QCOMPARE(host, std::string("::1"));
        QCOMPARE(port, uint16_t(9464));
        QVERIFY(!telemetry::pushGroupUrl("file:///etc/passwd", {"r", "t", "", "1/1"}, &error));
        QCOMPARE(*telemetry::pushGroupUrl("http://127.0.0.1:9091/", {"a/b c", "t", "", "1/3"}, &error),
                 std::string("http://127.0.0.1:9091/metrics/job/benchdeck/run@base64/YS9iIGM=/shard@base64/MS8z"));
    }

    // The shipped Grafana dashboard is valid JSON with the panels docs/prometheus.md lists, and every
    // query names only metrics this build serves.
    void grafanaDashboardMatchesTheExport()
    {
        QFile file(QStringLiteral(BENCHDECK_SOURCE_DIR "/installers/grafana/benchdeck-dashboard.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError parseError{};
        const auto dashboard = QJsonDocument::fromJson(file.readAll(), &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
        QFile doc(QStringLiteral(BENCHDECK_SOURCE_DIR "/docs/prometheus.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString docs = QString::fromUtf8(doc.readAll());
        engine::RunConfig open;
        open.url = "http://127.0.0.1:1/";
        open.rate = 10;
        engine::RunConfig closed = open;
        closed.rate = 0;
        QString served;
        for (const auto& plan : {open, closed}) {
            telemetry::LiveTelemetry live({"r", "t", "", "1/1"}, plan);
            live.finish(syntheticResult());
            served += QString::fromStdString(live.render(telemetry::ExpositionFormat::PrometheusText));
        }
        const auto panels = dashboard.value(QStringLiteral("panels")).toArray();
        QCOMPARE(panels.size(), 8);
        const QRegularExpression metric(QStringLiteral("benchdeck_[a-z_]+"));
        for (const auto& value : panels) {
            const auto panel = value.toObject();
            const QString title = panel.value(QStringLiteral("title")).toString();
            QVERIFY2(docs.contains(QStringLiteral("| ") + title + QStringLiteral(" |")), qPrintable(title));
            const auto targets = panel.value(QStringLiteral("targets")).toArray();
            QVERIFY2(!targets.isEmpty(), qPrintable(title));
            for (const auto& target : targets) {
                const QString expr = target.toObject().value(QStringLiteral("expr")).toString();
                auto names = metric.globalMatch(expr);
                QVERIFY2(names.hasNext(), qPrintable(expr));
                while (names.hasNext()) {
                    const QString name = names.next().captured(0);
                    QVERIFY2(served.contains(QLatin1Char('\n') + name), qPrintable(name));
                }
            }
        }
    }

    // The app's setting: the runner serves the run in progress, then the last run's final figures,
    // which are the run's own as stored in the session.
    void appRunnerServesItsRuns()
    {
        target::TargetServer target(target::TargetOptions{});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        QTemporaryDir dir;
        workflow::LoadRunner runner;
        QVERIFY2(runner.serveMetrics("127.0.0.1:0", &error), error.c_str());
        const QString url = QString::fromStdString(runner.metricsUrl());
        QVERIFY(url.startsWith(QStringLiteral("http://127.0.0.1:")));
        QCOMPARE(httpGet(url).status, 200L); // nothing run yet: an empty exposition, not an error
        workflow::RunJob job;
        job.config.url = "http://127.0.0.1:" + std::to_string(target.port()) + "/";
        job.config.requests = 700;
        job.config.connections = 2;
        job.config.label = "app run";
        job.candidate = "Go (Gin)";
        const QString session = dir.filePath(QStringLiteral("app.benchdeck"));
        QVERIFY(store::SessionFile::open(session.toStdString(), store::OpenMode::CreateOrOpen, &error));
        QSignalSpy finished(&runner, &workflow::LoadRunner::allFinished);
        QSignalSpy jobDone(&runner, &workflow::LoadRunner::jobFinished);
        QVERIFY(runner.start(session, {job}));
        QVERIFY(finished.wait(60000));
        QCOMPARE(jobDone.size(), 1);
        const auto body = QString::fromUtf8(httpGet(url, "application/openmetrics-text; version=1.0.0").body);
        const auto requests = samples(body, QStringLiteral("benchdeck_requests_total"));
        QCOMPARE(requests.size(), 1);
        QVERIFY2(requests.at(0).contains(QStringLiteral("run=\"app run\"")) &&
                     requests.at(0).contains(QStringLiteral("candidate=\"Go (Gin)\"")),
                 qPrintable(requests.at(0)));
        QCOMPARE(sampleValue(requests.at(0)), 700.0);
        QVERIFY(runner.serveMetrics("", &error));
        QVERIFY(runner.metricsUrl().empty());
        QCOMPARE(httpGet(url).status, 0L); // stopped: nothing listens any more
    }

    // Debian's Prometheus scrapes a real run; its count after the run equals Benchdeck's own.
    void prometheusScrapesARun()
    {
        const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        if (prometheus.isEmpty()) {
            QSKIP("Debian's prometheus is not installed (scripts/deps.sh installs it)");
        }
        target::TargetOptions options;
        options.delay = 1ms;
        target::TargetServer target(options);
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        QTemporaryDir dir;

        // The run waits for --start-at, so that Prometheus is up and scraping before it begins.
        Child cli;
        const qint64 startAt = QDateTime::currentMSecsSinceEpoch() + 5000;
        cli.process.start(QStringLiteral(BENCHDECK_CLI_PATH),
                          {QStringLiteral("run"), QStringLiteral("http://127.0.0.1:%1/").arg(target.port()),
                           QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-d"), QStringLiteral("3s"),
                           QStringLiteral("--label"), QStringLiteral("prom-test"), QStringLiteral("--json"),
                           QStringLiteral("--start-at"), QString::number(startAt), QStringLiteral("--metrics-listen"),
                           QStringLiteral("127.0.0.1:0"), QStringLiteral("--metrics-linger"), QStringLiteral("30s")});
        QVERIFY(cli.process.waitForStarted());
        QString metricsUrl;
        for (int i = 0; i < 50 && metricsUrl.isEmpty(); ++i) {
            cli.process.waitForReadyRead(100);
            const QString err = QString::fromUtf8(cli.process.peek(0)) + QString::fromUtf8(cli.process.readAllStandardError());
            const auto at = err.indexOf(QStringLiteral("http://127.0.0.1:"));
            if (at >= 0) {
                metricsUrl = err.mid(at).section(QLatin1Char('\n'), 0, 0).trimmed();
            }
        }
        QVERIFY2(metricsUrl.endsWith(QStringLiteral("/metrics")), qPrintable(metricsUrl));
        const QString metricsHost = QUrl(metricsUrl).host() + QLatin1Char(':') + QString::number(QUrl(metricsUrl).port());

        const uint16_t promPort = freePort();
        QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: benchdeck\n"
                                    "    static_configs:\n      - targets: ['%1']\n")
                         .arg(metricsHost)
                         .toUtf8());
        config.close();
        Child prom;
        prom.process.setProcessChannelMode(QProcess::MergedChannels);
        prom.process.start(prometheus, {QStringLiteral("--config.file=") + config.fileName(),
                                        QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("data")),
                                        QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(promPort)});
        QVERIFY(prom.process.waitForStarted());

        // Benchdeck's own figure: the run's JSON on stdout, printed before the linger begins.
        QJsonObject own;
        for (int i = 0; i < 300 && own.isEmpty(); ++i) {
            cli.process.waitForReadyRead(100);
            own = QJsonDocument::fromJson(cli.process.peek(1 << 20)).object();
        }
        QVERIFY2(!own.isEmpty(), "the run printed no JSON");
        const double requests = own.value(QStringLiteral("requests")).toDouble();
        QVERIFY(requests > 100);

        // Within a few scrape intervals of the end, Prometheus holds exactly Benchdeck's count.
        const QString query = QStringLiteral("benchdeck_requests_total{run=\"prom-test\",shard=\"1/1\"}");
        double seen = -1;
        for (int i = 0; i < 100 && seen != requests; ++i) {
            QTest::qWait(100);
            seen = queryValue(promPort, query);
        }
        QVERIFY2(seen == requests, qPrintable(QStringLiteral("Prometheus %1, Benchdeck %2; prometheus said: %3")
                                                  .arg(seen)
                                                  .arg(requests)
                                                  .arg(QString::fromUtf8(prom.process.readAll().right(2000)))));
        // The histogram arrived as one: its +Inf bucket is the count of responses.
        QCOMPARE(queryValue(promPort, QStringLiteral("benchdeck_latency_seconds_bucket{run=\"prom-test\",le=\"+Inf\"}")),
                 own.value(QStringLiteral("responses")).toDouble());
        QCOMPARE(queryValue(promPort, QStringLiteral("benchdeck_running{run=\"prom-test\"}")), 0.0);
        // Ctrl-C ends the linger at once.
        ::kill(pid_t(cli.process.processId()), SIGINT);
        QVERIFY(cli.process.waitForFinished(10000));
        QCOMPARE(cli.process.exitCode(), 0);
    }

    // The real Pushgateway takes the final figures of a run that ends before any scrape.
    void pushgatewayReceivesTheFinalFigures()
    {
        const QString gateway = QStandardPaths::findExecutable(QStringLiteral("prometheus-pushgateway"));
        if (gateway.isEmpty()) {
            QSKIP("Debian's prometheus-pushgateway is not installed (scripts/deps.sh installs it)");
        }
        target::TargetServer target(target::TargetOptions{});
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());
        const uint16_t port = freePort();
        Child push;
        push.process.start(gateway, {QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port)});
        QVERIFY(push.process.waitForStarted());
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
        for (int i = 0; i < 100 && httpGet(base + QStringLiteral("/-/ready")).status != 200; ++i) {
            QTest::qWait(100);
        }
        const auto outcome = runCli({QStringLiteral("run"), QStringLiteral("http://127.0.0.1:%1/").arg(target.port()),
                                     QStringLiteral("-n"), QStringLiteral("500"), QStringLiteral("-c"), QStringLiteral("2"),
                                     QStringLiteral("--label"), QStringLiteral("ci/push"), QStringLiteral("--json"),
                                     QStringLiteral("--metrics-push"), base});
        QCOMPARE(outcome.exitCode, 0);
        const auto metrics = QString::fromUtf8(httpGet(base + QStringLiteral("/metrics")).body);
        const auto pushed = samples(metrics, QStringLiteral("benchdeck_requests_total"));
        QCOMPARE(pushed.size(), 1);
        QVERIFY2(pushed.at(0).contains(QStringLiteral("run=\"ci/push\"")), qPrintable(pushed.at(0)));
        QCOMPARE(sampleValue(pushed.at(0)), 500.0);
        // A gateway that is not there fails the command (exit 1) after the run, with the reason.
        const auto refused = runCli({QStringLiteral("run"), QStringLiteral("http://127.0.0.1:%1/").arg(target.port()),
                                     QStringLiteral("-n"), QStringLiteral("10"), QStringLiteral("--metrics-push"),
                                     QStringLiteral("http://127.0.0.1:%1").arg(freePort())});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("--metrics-push")), qPrintable(refused.err));
    }
};

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
