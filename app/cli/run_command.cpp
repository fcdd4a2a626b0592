// SPDX-License-Identifier: Apache-2.0
#include "cli_support.h"
#include "commands.h"
#include "progress_line.h"
#include "scenario_try.h"

#include "engine/duration.h"
#include "engine/engine.h"
#include "engine/target_url.h"
#include "metrics/histogram_codec.h"
#include "metrics/units.h"
#include "plan/scenario_file.h"
#include "store/output_path.h"
#include "store/run_recorder.h"
#include "store/session_file.h"
#include "workflow/run_jobs.h"
#include "report/run_json.h"
#include "report/run_text.h"
#include "report/junit.h"
#include "report/thresholds.h"
#include "scaleout/shard.h"
#include "server/artifact_size.h"
#include "server/process_sampler.h"
#include "telemetry/live_telemetry.h"
#include "telemetry/metrics_server.h"
#include "telemetry/pushgateway.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QThread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace benchdeck::cli {
namespace {

const QString kRunHelp = QStringLiteral(R"(
Closed model: each of the -c connections keeps one request in flight, over -t worker threads, for
-d (default 10s) or until -n requests have been sent. Benchdeck's own request paths serve http://
and https:// (TLS by OpenSSL, with session resumption): HTTP/1.1, and with --http2 HTTP/2 on nghttp2
(ALPN h2 over https, prior knowledge h2c over http), where each connection carries --streams
concurrent streams and each stream is one user (-c 50 --streams 10: 500 users, like h2load -c50 -m10).
--follow runs on libcurl; the summary names the path that ran. Only http and https URLs are ever
requested. TLS certificates are verified against the system's store (plus --cacert FILE) unless
--insecure.
Durations take ms, s or m (500ms, 10s, 2m).

Scenarios (--scenario FILE, docs/scenarios.md) replace the one URL with steps: log in, list, open an
item, with values extracted from one answer carried into the next request, checks on each answer
(counted apart from transport errors), pauses, CSV data (--data NAME=FILE.csv) and a weighted mix of
scenarios. They run on the HTTP/1.1 path against the one server their first step names; the summary
and --json add a row per step, the iterations and the checks.

Thresholds (--threshold, repeatable) judge the run for CI: METRIC OP LIMIT with METRIC one of rps, mean,
p50, p90, p99, p999, max, errors, checks; OP one of < <= > >=; latencies need us, ms or s (p99<50ms,
p90<1.5s); errors take a percentage or a count (errors<1%, errors<=10); rps a plain number (rps>=5000);
checks the percentage of a scenario's checks that passed (checks>99%). In a scenario run a metric may
name a step: p99{step=login}<100ms. Each is printed as PASS or FAIL with the measured value; --junit
FILE also writes them as a JUnit XML report.

Examples:
  benchdeck-cli run http://127.0.0.1:8080/ -c 50 -d 10s
  benchdeck-cli run https://localhost:8443/api -c 100 -n 100000 --http2 --insecure
  benchdeck-cli run http://127.0.0.1:8080/items -m POST -H 'Content-Type: application/json' --body @item.json
  benchdeck-cli run http://127.0.0.1:8080/ -d 30s --threshold 'p99<50ms' --threshold 'errors<1%' --junit out.xml
  benchdeck-cli run --scenario shop.json --data users=users.csv -c 20 -d 1m --threshold 'p99{step=login}<100ms'

Every run prints (and --json carries) its plan as run and its status: completed, stopped (Ctrl-C), or
failed when not one response came back (refused, DNS, TLS, or a server that never answered: requests
still waiting at the end are counted and said). Numbers are read and written with '.', whatever the
locale. Output files (--out, --junit) never replace a session or any SQLite file; another existing
file only with --force.

Exit codes: 0 ok, 1 failure (such as an unwritable --junit file), 2 usage or input error, 3 a threshold was
crossed, 4 no response came back at all (the reason is printed).
)");

// @FILE: a regular file of at most engine::kMaxBodyBytes, read once. Devices, FIFOs and sockets are
// refused before any read: /dev/zero never ends, and a FIFO blocks until someone writes to it.
bool readBody(const QString& value, std::string* body, std::string* error)
{
    if (!value.startsWith(QLatin1Char('@'))) {
        *body = value.toStdString();
        return true;
    }
    const std::string path = QFile::encodeName(value.mid(1)).toStdString();
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC); // O_NONBLOCK: a FIFO opens at once
    if (fd < 0) {
        *error = "--body: cannot read '" + path + "': " + std::strerror(errno);
        return false;
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        *error = "--body: '" + path + "' is not a regular file (devices, FIFOs, sockets and folders are refused)";
        return false;
    }
    const std::string tooLarge = "--body: '" + path + "' is larger than " +
                                 std::to_string(engine::kMaxBodyBytes >> 20) + " MiB, the most a request body may be";
    if (uint64_t(info.st_size) > engine::kMaxBodyBytes) {
        *error = tooLarge;
        return false;
    }
    body->clear();
    body->reserve(size_t(info.st_size));
    char chunk[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            *error = "--body: cannot read '" + path + "': " + std::strerror(errno);
            return false;
        }
        if (n == 0) {
            return true;
        }
        if (body->size() + size_t(n) > engine::kMaxBodyBytes) { // the file grew while being read
            *error = tooLarge;
            return false;
        }
        body->append(chunk, size_t(n));
    }
}

// --server-pid / --server-cmd: the server's memory and CPU, sampled from /proc while the load runs.
// A command runs only when given on this command line; nothing read from a session launches one.
std::optional<std::string> startServerSampling(const QCommandLineParser& parser, const std::string& targetUrl,
                                               std::unique_ptr<server::LaunchedServer>* launched,
                                               std::unique_ptr<server::ProcessSampler>* sampler)
{
    const bool byPid = parser.isSet(QStringLiteral("server-pid"));
    const bool byCommand = parser.isSet(QStringLiteral("server-cmd"));
    if (byPid && byCommand) {
        return "--server-pid and --server-cmd exclude each other: sample a running server or start one";
    }
    if (parser.isSet(QStringLiteral("server-wait")) && !byCommand) {
        return "--server-wait goes with --server-cmd";
    }
    if (parser.isSet(QStringLiteral("server-artifact")) && !byCommand && !byPid) {
        return "--server-artifact goes with --server-pid or --server-cmd";
    }
    std::string error;
    const auto wait = durationOption(parser, QStringLiteral("server-wait"), &error, true);
    if (!wait) {
        return error;
    }
    pid_t pid = 0;
    if (byPid) {
        const auto value = integerOption(parser, QStringLiteral("server-pid"), 1, &error);
        if (!value || *value > INT_MAX) {
            return value ? "--server-pid: '" + std::to_string(*value) + "' is not a process id" : error;
        }
        pid = pid_t(*value);
    } else if (byCommand) {
        const std::string command = parser.value(QStringLiteral("server-cmd")).toStdString();
        // The run starts once the server answers its URL (that time is its cold start); --server-wait 0
        // starts it at once.
        const std::string url = wait->count() > 0 ? targetUrl : std::string();
        *launched = server::LaunchedServer::launch(
            command, std::chrono::duration_cast<std::chrono::milliseconds>(*wait), &error, url);
        if (!*launched) {
            return "--server-cmd: " + error;
        }
        pid = (*launched)->pid();
        std::fprintf(stderr, "benchdeck-cli: started the server (pid %d), its output goes to %s\n", int(pid),
                     (*launched)->logPath().c_str());
    } else {
        return std::nullopt;
    }
    *sampler = std::make_unique<server::ProcessSampler>(pid);
    if (!(*sampler)->start(&error)) {
        return (byPid ? "--server-pid " + std::to_string(pid) + ": " : "--server-cmd: ") + error;
    }
    return std::nullopt;
}

// Ends the sampling after the run, and stops a server this run started.
metrics::ServerStats finishServerSampling(server::ProcessSampler& sampler, server::LaunchedServer* launched,
                                          const std::vector<std::string>& artifacts, const metrics::RunResult& result)
{
    auto stats = sampler.finish(result.total.requests, result.durationSeconds);
    if (launched) {
        stats.source = "command '" + launched->command() + "', " + stats.source;
        if (launched->coldStart()) {
            stats.coldStartMs = double(launched->coldStart()->count()) / 1000.0;
        }
    }
    if (!artifacts.empty()) {
        std::string error;
        if (const auto bytes = server::artifactBytes(artifacts, &error)) {
            stats.artifactMb = double(*bytes) / (1024.0 * 1024.0);
        } else {
            std::fprintf(stderr, "benchdeck-cli: warning: --server-artifact: %s\n", error.c_str());
        }
    }
    if (launched) {
        std::string status;
        if (launched->hasExited(&status)) {
            std::fprintf(stderr, "benchdeck-cli: warning: the server command %s during the run; the end of its log "
                                 "(%s):\n%s\n", status.c_str(), launched->logPath().c_str(), launched->logTail().c_str());
        }
        launched->stop();
    }
    return stats;
}

} // namespace

int runCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Load-test one HTTP endpoint and report throughput, latency "
                                                    "percentiles and errors."));
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("http:// or https:// URL to load (or "
                                                                       "--scenario FILE instead)."),
                                 QStringLiteral("URL"));
    const auto option = [&](QStringList names, const QString& description, const QString& valueName = {},
                            const QString& defaultValue = {}) {
        parser.addOption(QCommandLineOption(names, description, valueName, defaultValue));
    };
    option({"c", "connections"}, "Concurrent connections (users), each with one request in flight (with --http2 "
                                 "--streams N: N users each). Default 10.",
           "CONNS", "10");
    option({"d", "duration"}, "How long to measure, e.g. 30s. Default 10s unless -n is given.", "DURATION");
    option({"n", "requests"}, "Stop after this many requests (warm-up not counted).", "REQUESTS");
    option({"t", "threads"}, "Worker threads, 1 to 1024. Default: one per core (at most one per connection).", "THREADS", "0");
    option({"m", "method"}, "HTTP method. Default GET.", "METHOD", "GET");
    option({"H", "header"}, "Request header 'Name: value'; repeatable.", "HEADER");
    option({"body"}, "Request body, or @FILE to read it from a regular file (at most 64 MiB).", "TEXT|@FILE");
    option({"http2"}, "Use HTTP/2: negotiated by ALPN over https, with prior knowledge (h2c) over http.");
    option({"streams"}, "With --http2: concurrent streams per connection, each one user (1-1000). Default 1.", "N",
           "1");
    option({"insecure"}, "Do not verify the server's TLS certificate (self-signed test servers).");
    option({"cacert"}, "Also trust the CA certificates in this PEM file (a private CA), besides the "
                       "system's.", "FILE");
    option({"timeout"}, "Request timeout. Default 30s.", "DURATION", "30s");
    option({"connect-timeout"}, "Connect timeout. Default 10s.", "DURATION", "10s");
    option({"warmup"}, "Warm-up before measuring; its requests are not counted. Default 0.", "DURATION", "0");
    option({"follow"}, "Follow redirects (http and https only), at most 10 in a row. Off by default.");
    option({"max-redirects"}, "With --follow: how many redirects in a row to follow (0-100, default 10); one "
                              "more is an error.", "N");
    option({"scenario"}, "Run the multi-step workload in this scenario file (docs/scenarios.md) instead of one URL: "
                         "each user loops through its steps, carrying extracted values from answer to request.",
           "FILE");
    option({"data"}, "With --scenario: read data feeder NAME's rows from this CSV file instead of the one the "
                     "scenario names; repeatable.", "NAME=FILE.csv");
    option({"var"}, "With --scenario: set constant NAME (the file's, or a new one) to VALUE, e.g. "
                    "base=http://127.0.0.1:8081 to run the same scenario against another server; repeatable.",
           "NAME=VALUE");
    option({"try"}, "With --scenario: instead of a load run, run one iteration of each scenario and print every "
                    "request, answer, extracted value and check, to see that the scenario works.");
    option({"label"}, "A name for this run in the output.", "NAME");
    option({"json"}, "Print one JSON object with every figure on stdout instead of the text summary.");
    option({"engine"}, "Request path: auto (default: Benchdeck's own, libcurl for --follow), fast (Benchdeck's "
                       "HTTP/1.1 or HTTP/2 path) or curl (libcurl).", "ENGINE", "auto");
    option({"r", "rate"}, "Open model: send RATE requests per second on a fixed schedule, whatever the "
                          "responses do; latency counts from each request's intended send time "
                          "(coordinated-omission corrected). 0.01 to 10,000,000. -c bounds the requests in "
                          "flight (default 1000).", "RATE");
    option({"stages"}, "Ramp 'D:N,D:N,...': over each D move linearly to N users (or, with --open, N "
                       "requests per second), starting from 0; replaces -d.", "STAGES");
    option({"open"}, "With --stages: the levels are request rates (open model), not users.");
    option({"session"}, "Store the run in this session file (created if missing); see 'benchdeck-cli runs'.",
           "FILE");
    option({"candidate"}, "With --session: file the run under this candidate (created if new), e.g. 'Go (Gin)', "
                          "so the app's decision table can weigh it against other candidates' runs of the same "
                          "plan.", "NAME");
    option({"stack"}, "With --candidate: its stack tag (go, python, node, ...), which sets the decision "
                      "table's default scores.", "TAG");
    option({"keep-secrets"}, "Store credential header values (Authorization, Cookie, API keys...) in the "
                             "session file too. Off by default: the file records only that one was used.");
    option({"threshold"},
           "Pass/fail criterion, e.g. 'p99<50ms', 'errors<1%', 'rps>=1000'; repeatable. Exit 3 when "
           "any is crossed.",
           "EXPR");
    option({"junit"}, "Write the threshold verdicts to FILE as a JUnit XML report, for CI.", "FILE");
    option({"force"}, "Let --out and --junit replace existing files (never a session or other SQLite file).");
    option({"server-pid"}, "Sample this local server process and its children (memory, CPU) during the run.",
           "PID");
    option({"server-cmd"}, "Start the server for this run with /bin/sh -c CMD (own process group, output to a "
                           "log file), sample it like --server-pid, stop it afterwards.", "CMD");
    option({"server-wait"}, "With --server-cmd: wait until the server answers URL (any status below 500), at most "
                            "this long; the wait is reported as its cold start. 0 starts the run at once. Default 30s.",
           "DURATION", "30s");
    option({"server-artifact"}, "With --server-pid or --server-cmd: a file or folder the server is deployed as "
                                "(its binary; an app and its packages); its size is reported as the artifact "
                                "size. Repeatable.", "PATH");
    option({"shard"}, "Scale-out: run shard I of this plan split N ways (connections, rate and -n divided); "
                      "needs --out. See docs/scale-out.md.", "I/N");
    option({"out"}, "Write this run's result (mergeable histograms, per-second series) to FILE as JSON, for "
                    "'benchdeck-cli merge'.", "FILE");
    option({"start-at"}, "Wait until this wall-clock time (milliseconds since the epoch) before starting, so "
                         "separately launched shards start together. Default: now.", "EPOCH_MS");
    option({"metrics-listen"}, "Serve live figures for Prometheus at http://HOST:PORT/metrics (OpenMetrics) "
                               "while the run lasts, e.g. 127.0.0.1:9464. See docs/prometheus.md.", "HOST:PORT");
    option({"metrics-linger"}, "With --metrics-listen: keep serving the final figures this long after the run, so "
                               "the last scrape sees them. Default 15s.", "DURATION", "15s");
    option({"metrics-push"}, "At the end, push the final figures to this Prometheus Pushgateway (group "
                             "job=benchdeck, run, shard), for CI.", "URL");
    if (!parseArguments(parser, arguments, kRunHelp)) {
        return ExitUsage;
    }
    const QStringList positional = parser.positionalArguments();
    const bool scenarioRun = parser.isSet(QStringLiteral("scenario"));
    if (scenarioRun && !positional.isEmpty()) {
        return usageError("give a URL or --scenario FILE, not both: the scenario's steps name their URLs");
    }
    if (!scenarioRun && positional.size() != 1) {
        return usageError(positional.isEmpty() ? "run needs a URL, e.g. benchdeck-cli run http://127.0.0.1:8080/ "
                                                 "(or --scenario FILE)"
                                               : "run takes one URL; unexpected '" +
                                                     positional.at(1).toStdString() + "'");
    }
    if ((parser.isSet(QStringLiteral("data")) || parser.isSet(QStringLiteral("var"))) && !scenarioRun) {
        return usageError("--data and --var go with --scenario");
    }

    engine::RunConfig config;
    std::string error;
    if (scenarioRun) {
        plan::ScenarioOverrides overrides;
        for (const QString& entry : parser.values(QStringLiteral("data"))) {
            const qsizetype equals = entry.indexOf(QLatin1Char('='));
            if (equals <= 0 || equals == entry.size() - 1) {
                return usageError("--data: '" + entry.toStdString() + "' is not NAME=FILE.csv");
            }
            overrides.dataFiles.emplace_back(entry.left(equals).toStdString(), entry.mid(equals + 1).toStdString());
        }
        for (const QString& entry : parser.values(QStringLiteral("var"))) {
            const qsizetype equals = entry.indexOf(QLatin1Char('='));
            if (equals <= 0) {
                return usageError("--var: '" + entry.toStdString() + "' is not NAME=VALUE");
            }
            overrides.variables.emplace_back(entry.left(equals).toStdString(), entry.mid(equals + 1).toStdString());
        }
        config.scenario = plan::loadScenarioPlan(parser.value(QStringLiteral("scenario")).toStdString(), overrides, &error);
        if (!config.scenario) {
            return usageError(error);
        }
        config.url = config.scenario->origin;
    } else {
        config.url = positional.first().toStdString();
    }
    config.method = parser.value(QStringLiteral("method")).toUpper().toStdString();
    config.label = parser.value(QStringLiteral("label")).toStdString();
    config.httpVersion = parser.isSet(QStringLiteral("http2")) ? engine::HttpVersion::Http2 : engine::HttpVersion::Http1;
    config.insecure = parser.isSet(QStringLiteral("insecure"));
    config.caCertFile = parser.value(QStringLiteral("cacert")).toStdString();
    if (!config.caCertFile.empty() && ::access(config.caCertFile.c_str(), R_OK) != 0) {
        return usageError("--cacert: cannot read '" + config.caCertFile + "'");
    }
    config.followRedirects = parser.isSet(QStringLiteral("follow"));
    if (parser.isSet(QStringLiteral("max-redirects"))) {
        const auto redirects = integerOption(parser, QStringLiteral("max-redirects"), 0, &error);
        if (!redirects || *redirects > 100) {
            return usageError(redirects ? std::string("--max-redirects: at most 100") : error);
        }
        if (!config.followRedirects) {
            return usageError("--max-redirects goes with --follow");
        }
        config.maxRedirects = int(*redirects);
    }
    for (const QString& line : parser.values(QStringLiteral("header"))) {
        auto header = engine::parseHeaderLine(line.toStdString(), &error);
        if (!header) {
            return usageError(error);
        }
        config.headers.push_back(*header);
    }
    if (parser.isSet(QStringLiteral("body")) && !readBody(parser.value(QStringLiteral("body")), &config.body, &error)) {
        return usageError(error);
    }
    const auto connections = integerOption(parser, QStringLiteral("connections"), 1, &error);
    // 0 means one thread per core, which is what leaving -t out says; a typed 0 is a mistake.
    const auto threads =
        integerOption(parser, QStringLiteral("threads"), parser.isSet(QStringLiteral("threads")) ? 1 : 0, &error);
    if (!connections || !threads) {
        return usageError(error);
    }
    if (*connections > 100000 || *threads > 1024) {
        return usageError("at most 100000 connections and 1024 threads");
    }
    config.connections = int(*connections);
    config.threads = int(*threads);
    if (parser.isSet(QStringLiteral("requests"))) {
        const auto requests = integerOption(parser, QStringLiteral("requests"), 1, &error);
        if (!requests) {
            return usageError(error);
        }
        config.requests = uint64_t(*requests);
    }
    if (parser.isSet(QStringLiteral("duration"))) {
        const auto duration = durationOption(parser, QStringLiteral("duration"), &error);
        if (!duration) {
            return usageError(error);
        }
        config.duration = *duration;
    } else if (config.requests == 0) {
        config.duration = std::chrono::seconds(10);
    }
    const auto timeout = durationOption(parser, QStringLiteral("timeout"), &error);
    const auto connectTimeout = durationOption(parser, QStringLiteral("connect-timeout"), &error);
    const auto warmup = durationOption(parser, QStringLiteral("warmup"), &error, true);
    if (!timeout || !connectTimeout || !warmup) {
        return usageError(error);
    }
    config.requestTimeout = *timeout;
    config.connectTimeout = *connectTimeout;
    config.warmup = *warmup;
    if (parser.isSet(QStringLiteral("rate"))) {
        const std::string text = parser.value(QStringLiteral("rate")).toStdString();
        const auto rate = units::parseNumber(text); // locale-free; refuses nan, inf and trailing text
        if (!rate || *rate < engine::kMinRate || *rate > engine::kMaxLevel) {
            return usageError("--rate: '" + text +
                              "' is not a request rate (requests per second, from 0.01 to 10,000,000)");
        }
        config.rate = *rate;
        if (!parser.isSet(QStringLiteral("connections"))) {
            config.connections = 1000; // the bound on requests in flight, generous unless the user says
        }
    }
    if (parser.isSet(QStringLiteral("stages"))) {
        auto stages = engine::parseStages(parser.value(QStringLiteral("stages")).toStdString(), &error);
        if (!stages) {
            return usageError("--stages: " + error);
        }
        config.stages = std::move(*stages);
        config.openModel = parser.isSet(QStringLiteral("open"));
        config.duration = {};
        if (config.openModel && !parser.isSet(QStringLiteral("connections"))) {
            config.connections = 1000;
        }
    } else if (parser.isSet(QStringLiteral("open")) && config.rate <= 0) {
        return usageError("--open goes with --stages; for a constant rate use -r RATE");
    }
    if (parser.isSet(QStringLiteral("streams"))) {
        const auto streams = integerOption(parser, QStringLiteral("streams"), 1, &error);
        if (!streams || *streams > engine::kMaxStreams) {
            return usageError(streams ? "--streams: at most " + std::to_string(engine::kMaxStreams) : error);
        }
        config.streams = int(*streams);
    }
    const QString engineName = parser.value(QStringLiteral("engine"));
    if (engineName == QLatin1String("fast")) {
        config.engine = config.httpVersion == engine::HttpVersion::Http2 ? engine::EngineKind::FastHttp2
                                                                          : engine::EngineKind::FastHttp1;
    } else if (engineName == QLatin1String("curl")) {
        config.engine = engine::EngineKind::Curl;
    } else if (engineName != QLatin1String("auto")) {
        return usageError("--engine: '" + engineName.toStdString() + "' is not one of auto, fast, curl");
    }
    if (auto problem = engine::validate(config)) {
        return usageError(*problem);
    }
    if (parser.isSet(QStringLiteral("try"))) {
        if (!scenarioRun) {
            return usageError("--try goes with --scenario");
        }
        return tryScenario(config);
    }
    // Scale-out: the whole plan is kept for the result file's fingerprint; this process runs its share.
    engine::RunConfig wholePlan = config; // its thresholds are added below, with this process's
    scaleout::ShardSpec shardSpec;
    const QString outPath = parser.value(QStringLiteral("out"));
    if (parser.isSet(QStringLiteral("shard"))) {
        auto spec = scaleout::parseShardSpec(parser.value(QStringLiteral("shard")).toStdString(), &error);
        if (!spec) {
            return usageError(error);
        }
        if (!parser.isSet(QStringLiteral("out"))) {
            return usageError("--shard needs --out FILE for the shard's result (merged with 'benchdeck-cli merge')");
        }
        auto shardPlan = scaleout::splitPlan(config, *spec, &error);
        if (!shardPlan) {
            return usageError(error);
        }
        shardSpec = *spec;
        config = std::move(*shardPlan);
    }
    if (parser.isSet(QStringLiteral("out")) && (outPath.isEmpty() || QFileInfo(outPath).isDir() ||
                                                !QFileInfo(outPath).absoluteDir().exists())) {
        return usageError("--out: '" + outPath.toStdString() + "' is not a file name in an existing folder");
    }
    // Output files never replace the session, each other, or an existing file unless --force.
    const bool force = parser.isSet(QStringLiteral("force"));
    std::vector<std::string> inputs;
    if (parser.isSet(QStringLiteral("session"))) {
        inputs.push_back(parser.value(QStringLiteral("session")).toStdString());
    }
    if (parser.isSet(QStringLiteral("out"))) {
        if (auto refused = store::checkOutputPath(outPath.toStdString(), inputs, force, "--out")) {
            return usageError(*refused);
        }
        inputs.push_back(outPath.toStdString());
    }
    std::optional<int64_t> startAtMs;
    if (parser.isSet(QStringLiteral("start-at"))) {
        bool ok = false;
        startAtMs = parser.value(QStringLiteral("start-at")).toLongLong(&ok);
        const int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count();
        if (!ok || *startAtMs <= 0 || *startAtMs > nowMs + 24LL * 3600 * 1000) {
            return usageError("--start-at: '" + parser.value(QStringLiteral("start-at")).toStdString() +
                              "' is not a time in milliseconds since the epoch within the next 24 hours");
        }
    }
    std::optional<scaleout::ShardSeries> shardSeries;
    if (parser.isSet(QStringLiteral("out"))) {
        shardSeries.emplace();
    }
    std::vector<report::Threshold> thresholds;
    if (size_t(parser.values(QStringLiteral("threshold")).size()) > engine::kMaxThresholds) {
        return usageError("--threshold: at most " + std::to_string(engine::kMaxThresholds) + " thresholds");
    }
    for (const QString& expression : parser.values(QStringLiteral("threshold"))) {
        auto threshold = report::parseThreshold(expression.toStdString(), &error);
        if (!threshold) {
            return usageError("--threshold: " + error);
        }
        // Stored with the run's plan (a merge stores the whole plan), so the app judges it as this did.
        config.thresholds.push_back(threshold->expression);
        wholePlan.thresholds.push_back(threshold->expression);
        thresholds.push_back(std::move(*threshold));
    }
    const QString junitPath = parser.value(QStringLiteral("junit"));
    if (parser.isSet(QStringLiteral("junit"))) {
        const QFileInfo info(junitPath);
        if (junitPath.isEmpty() || info.isDir()) {
            return usageError("--junit: '" + junitPath.toStdString() + "' is not a file name");
        }
        if (!info.absoluteDir().exists()) {
            return usageError("--junit: folder '" + info.absolutePath().toStdString() + "' does not exist");
        }
        if (auto refused = store::checkOutputPath(junitPath.toStdString(), inputs, force, "--junit")) {
            return usageError(*refused);
        }
    }

    // Live export: the labels say which run, target, candidate and shard every series belongs to.
    std::unique_ptr<telemetry::LiveTelemetry> telemetry;
    std::unique_ptr<telemetry::MetricsServer> metricsServer;
    std::chrono::microseconds metricsLinger{};
    const QString metricsPush = parser.value(QStringLiteral("metrics-push"));
    telemetry::TelemetryLabels metricLabels;
    if (parser.isSet(QStringLiteral("metrics-listen")) || parser.isSet(QStringLiteral("metrics-push"))) {
        const auto linger = engine::parseDuration(parser.value(QStringLiteral("metrics-linger")).toStdString(), &error,
                                                  /*allowZero=*/true);
        if (!linger || *linger > std::chrono::hours(1)) {
            return usageError("--metrics-linger: " + (linger ? std::string("at most 1h") : error));
        }
        metricsLinger = *linger;
        metricLabels.run = config.label.empty() ? QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString() : config.label;
        metricLabels.target = engine::maskUrlCredentials(config.url);
        metricLabels.candidate = parser.value(QStringLiteral("candidate")).toStdString();
        metricLabels.shard = std::to_string(shardSpec.index) + "/" + std::to_string(shardSpec.count);
        if (parser.isSet(QStringLiteral("metrics-push")) &&
            !telemetry::pushGroupUrl(metricsPush.toStdString(), metricLabels, &error)) {
            return usageError(error);
        }
        telemetry = std::make_unique<telemetry::LiveTelemetry>(metricLabels, config);
    }
    if (parser.isSet(QStringLiteral("metrics-listen"))) {
        auto* live = telemetry.get();
        metricsServer = telemetry::MetricsServer::start(
            parser.value(QStringLiteral("metrics-listen")).toStdString(),
            [live](telemetry::ExpositionFormat format) { return live->render(format); }, &error);
        if (!metricsServer) {
            return usageError("--metrics-listen: " + error);
        }
        std::fprintf(stderr, "benchdeck-cli: serving live metrics at %s\n", metricsServer->url().c_str());
    }

    std::unique_ptr<server::LaunchedServer> launchedServer;
    std::unique_ptr<server::ProcessSampler> serverSampler;
    if (auto problem = startServerSampling(parser, config.url, &launchedServer, &serverSampler)) {
        return usageError(*problem);
    }

    const bool json = parser.isSet(QStringLiteral("json"));
    std::unique_ptr<store::SessionFile> session;
    std::optional<int64_t> runId;
    if (parser.isSet(QStringLiteral("session"))) {
        session = store::SessionFile::open(parser.value(QStringLiteral("session")).toStdString(),
                                           store::OpenMode::CreateOrOpen, &error);
        if (!session) {
            return usageError(error);
        }
        if (!session->migrationBackup().empty()) {
            std::fprintf(stderr, "benchdeck-cli: upgraded %s to the current session format; the original is kept as %s\n",
                         session->path().c_str(), session->migrationBackup().c_str());
        }
        runId = session->beginRun(config, parser.isSet(QStringLiteral("keep-secrets")), &error);
        if (!runId) {
            return usageError(error);
        }
        if (parser.isSet(QStringLiteral("candidate")) &&
            !workflow::fileUnderCandidate(*session, *runId, config, parser.value(QStringLiteral("candidate")).toStdString(),
                                          parser.value(QStringLiteral("stack")).toStdString(), &error)) {
            return usageError(error);
        }
    }
    std::optional<store::RunRecorder> recorder;
    if (runId) {
        recorder.emplace(*session, *runId);
    }
    const auto& stop = installStopOnInterrupt();
    ProgressLine progress(config, stderrIsTerminal());
    if (!json) {
        std::fputs(report::runHeader(config).c_str(), stdout);
        std::fflush(stdout);
    }
    if (startAtMs) {
        scaleout::waitUntilEpochMs(*startAtMs);
    }
    if (serverSampler) {
        serverSampler->markMeasureStart();
    }
    auto result = engine::runLoad(config, stop, [&](const engine::LiveSnapshot& s) {
        if (serverSampler) {
            serverSampler->noteProgress(s.warmingUp, s.measuredSeconds);
        }
        progress.update(s);
        if (telemetry) {
            telemetry->update(s);
        }
        if (recorder && s.completedInterval && s.completedIntervalLatency) {
            recorder->addInterval(*s.completedInterval, metrics::encodeHistogram(*s.completedIntervalLatency));
        }
        if (shardSeries && s.completedInterval && s.completedIntervalLatency) {
            shardSeries->add(*s.completedInterval, *s.completedIntervalLatency);
        }
    });
    progress.clear();
    if (serverSampler) {
        std::vector<std::string> artifacts;
        for (const QString& path : parser.values(QStringLiteral("server-artifact"))) {
            artifacts.push_back(path.toStdString());
        }
        result.server = finishServerSampling(*serverSampler, launchedServer.get(), artifacts, result);
    }
    if (telemetry) {
        telemetry->finish(result);
    }
    if (recorder && !recorder->finish(result, &error)) {
        std::fprintf(stderr, "benchdeck-cli: %s\n", error.c_str());
        return ExitFailure;
    }

    if (shardSeries) {
        const auto series = shardSeries->bySecond(result.startedAt + config.warmup);
        const auto object = scaleout::shardResultToJson(wholePlan, shardSpec, config, result, series,
                                                        parser.isSet(QStringLiteral("keep-secrets")));
        if (!scaleout::writeShardResult(outPath, object, &error)) {
            std::fprintf(stderr, "benchdeck-cli: %s\n", error.c_str());
            return ExitFailure;
        }
    }

    std::vector<report::ThresholdVerdict> verdicts;
    for (const auto& threshold : thresholds) {
        verdicts.push_back(report::evaluate(threshold, result));
    }
    const auto crossed = std::count_if(verdicts.begin(), verdicts.end(), [](const auto& v) { return !v.passed; });

    if (json) {
        QJsonObject object = report::runToJson(config, result);
        QJsonArray verdictArray;
        for (const auto& verdict : verdicts) {
            verdictArray.append(QJsonObject{
                {QStringLiteral("expression"), QString::fromStdString(verdict.expression)},
                {QStringLiteral("passed"), verdict.passed},
                {QStringLiteral("measured"), verdict.measured ? QJsonValue(*verdict.measured) : QJsonValue()},
                {QStringLiteral("unit"), QString::fromStdString(verdict.unit)},
            });
        }
        object.insert(QStringLiteral("thresholds"), verdictArray);
        std::fputs(QJsonDocument(object).toJson(QJsonDocument::Indented).constData(), stdout);
        // stdout stays one JSON object; the verdicts are for the person or log reading along.
        for (const auto& verdict : verdicts) {
            std::fprintf(stderr, "%s\n", verdict.line.c_str());
        }
    } else {
        if (result.stopReason != metrics::StopReason::StartFailed) {
            std::fputs(report::runToText(config, result).c_str(), stdout);
        }
        if (!verdicts.empty()) {
            std::fputs("\n  Thresholds:\n", stdout);
            for (const auto& verdict : verdicts) {
                std::printf("    %s\n", verdict.line.c_str());
            }
        }
    }
    if (session && !json) {
        std::printf("  Stored as run %lld in %s\n", static_cast<long long>(*runId), session->path().c_str());
    }
    std::fflush(stdout);
    bool junitWritten = true;
    if (parser.isSet(QStringLiteral("junit"))) {
        const std::string suite =
            "benchdeck " + (config.label.empty() ? config.method + " " + engine::maskUrlCredentials(config.url)
                                                 : config.label);
        const std::string xml = report::junitXml(suite, verdicts, result.durationSeconds);
        QSaveFile file(junitPath);
        if (!file.open(QIODevice::WriteOnly) || file.write(xml.data(), qint64(xml.size())) != qint64(xml.size()) ||
            !file.commit()) {
            std::fprintf(stderr, "benchdeck-cli: cannot write --junit file '%s': %s\n", qPrintable(junitPath),
                         qPrintable(file.errorString()));
            junitWritten = false;
        }
    }
    bool pushed = true;
    if (telemetry && parser.isSet(QStringLiteral("metrics-push"))) {
        pushed = telemetry::pushToGateway(metricsPush.toStdString(), metricLabels,
                                          telemetry->render(telemetry::ExpositionFormat::PrometheusText), &error);
        if (!pushed) {
            std::fprintf(stderr, "benchdeck-cli: %s\n", error.c_str());
        }
    }
    if (metricsServer && metricsLinger.count() > 0 && !stop.load()) {
        std::fprintf(stderr, "benchdeck-cli: serving the final figures at %s for %s more (Ctrl-C ends)\n",
                     metricsServer->url().c_str(), engine::formatDuration(metricsLinger).c_str());
        const auto until = std::chrono::steady_clock::now() + metricsLinger;
        while (std::chrono::steady_clock::now() < until && !stop.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    metricsServer.reset();
    if (result.targetUnreachable()) {
        std::fprintf(stderr, "benchdeck-cli: cannot reach %s: %s\n", engine::maskUrlCredentials(config.url).c_str(),
                     result.unreachableReason().c_str());
        if (result.total.errorKinds[size_t(metrics::ErrorKind::Tls)] > 0 && !config.insecure) {
            std::fprintf(stderr, "benchdeck-cli: a server with a private CA's certificate needs --cacert CA.pem; "
                                 "--insecure skips verification (test servers only)\n");
        }
        return ExitUnreachable;
    }
    if (!junitWritten || !pushed) {
        return ExitFailure;
    }
    if (crossed > 0) {
        std::fprintf(stderr, "benchdeck-cli: %lld of %zu threshold%s crossed\n", static_cast<long long>(crossed),
                     verdicts.size(), verdicts.size() == 1 ? "" : "s");
        return ExitThresholdCrossed;
    }
    return ExitOk;
}

} // namespace benchdeck::cli
