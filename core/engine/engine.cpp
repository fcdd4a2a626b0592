// SPDX-License-Identifier: Apache-2.0
#include "engine.h"

#include "aggregator.h"
#include "connection_support.h"
#include "curl_worker.h"
#include "http1_worker.h"
#include "http2_worker.h"
#include "load_shape.h"
#include "run_shared.h"
#include "scenario_plan.h"
#include "scenario_runner.h"
#include "tls_client.h"

#include <curl/curl.h>
#include <nghttp2/nghttp2.h>
#include <openssl/crypto.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <latch>
#include <memory>
#include <mutex>
#include <thread>

namespace benchdeck::engine {
namespace {

using metrics::MetricsSlice;
using metrics::RunResult;
using namespace std::chrono_literals;

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string serializeRequest(const RunConfig& config, const TargetUrl& url)
{
    std::string request = config.method + " " + url.pathAndQuery + " HTTP/1.1\r\n";
    // URL credentials go out as Basic auth, as libcurl sends them: both paths send the same request.
    if (!url.user.empty() && !hasHeader(config, "Authorization")) {
        request += "Authorization: " + basicAuthorization(url.user, url.password) + "\r\n";
    }
    if (!hasHeader(config, "Host")) {
        request += "Host: " + url.hostHeader + "\r\n";
    }
    if (!hasHeader(config, "User-Agent")) {
        request += "User-Agent: benchdeck/" BENCHDECK_VERSION "\r\n";
    }
    if (!hasHeader(config, "Accept")) {
        request += "Accept: */*\r\n";
    }
    for (const auto& header : config.headers) {
        request += header.name + ": " + header.value + "\r\n";
    }
    const bool bodyExpected = config.method == "POST" || config.method == "PUT" || config.method == "PATCH";
    if (!config.body.empty() || bodyExpected) { // framing headers from the user are refused by validate()
        request += "Content-Length: " + std::to_string(config.body.size()) + "\r\n";
    }
    request += "\r\n";
    request += config.body;
    return request;
}

// Resolves once for the whole run and prefers an address that accepts a connection, so that
// "localhost" reaches a server listening on 127.0.0.1 only even when ::1 comes first.
bool resolveAddress(RunShared& shared, std::string* error)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(shared.url.port);
    if (const int rc = getaddrinfo(shared.url.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        *error = "could not resolve host '" + shared.url.host + "': " + gai_strerror(rc);
        return false;
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
    const addrinfo* chosen = found;
    for (const addrinfo* a = found; a != nullptr && found->ai_next != nullptr; a = a->ai_next) {
        const int fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            continue;
        }
        bool reachable = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0;
        if (!reachable && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            int soError = 0;
            socklen_t length = sizeof soError;
            reachable = poll(&p, 1, 1000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0 &&
                        soError == 0;
        }
        ::close(fd);
        if (reachable) {
            chosen = a;
            break;
        }
    }
    std::memcpy(&shared.address, chosen->ai_addr, chosen->ai_addrlen);
    shared.addressLength = chosen->ai_addrlen;
    return true;
}

template <typename Worker>
void workerMain(RunShared& shared, SliceExchange& exchange, int connections, int index, std::latch& ready,
                std::latch& go, std::atomic<int>& finished, Clock::time_point& finishedAt)
{
    // OpenSSL writes TLS records with write(), not send(MSG_NOSIGNAL): a server that closes mid-write
    // would raise SIGPIPE and kill the whole process. Blocked in this thread, it becomes EPIPE.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    {
        Worker worker(shared, exchange, connections, index);
        ready.count_down();
        go.wait();
        worker.run();
        finishedAt = Clock::now();
    }
    finished.fetch_add(1, std::memory_order_release);
}

} // namespace

EngineKind chooseEngine(const RunConfig& config)
{
    if (config.engine != EngineKind::Auto) {
        return config.engine;
    }
    std::string ignored;
    const auto url = parseTargetUrl(config.url, &ignored);
    if (config.scenario) {
        return EngineKind::FastHttp1;
    }
    if (!url || config.followRedirects) {
        return EngineKind::Curl;
    }
    return config.httpVersion == HttpVersion::Http2 ? EngineKind::FastHttp2 : EngineKind::FastHttp1;
}

std::string opensslVersion()
{
    return OpenSSL_version(OPENSSL_VERSION);
}

std::string nghttp2Version()
{
    return nghttp2_version(0)->version_str;
}

std::string libcurlVersion()
{
    return curl_version_info(CURLVERSION_NOW)->version;
}

RunResult runLoad(const RunConfig& config, const std::atomic<bool>& stopRequested, const SnapshotCallback& onSnapshot)
{
    initCurlOnce();
    RunResult result;
    result.startedAt = std::chrono::system_clock::now();
    auto failStart = [&](std::string message) {
        result.startError = std::move(message);
        result.stopReason = metrics::StopReason::StartFailed;
        result.finishedAt = std::chrono::system_clock::now();
        result.finalize();
        return std::move(result);
    };
    if (auto problem = validate(config)) {
        return failStart(*problem);
    }
    if (config.scenario && !config.scenario->program) {
        return failStart("the scenario was read back from a stored plan without its data: read its file "
                         "again to run it");
    }
    RunShared shared;
    shared.config = &config;
    std::string error;
    shared.url = *parseTargetUrl(config.url, &error);
    // Checked here rather than by validate(): a stored plan stays readable when its CA file is gone.
    if (shared.url.isTls() && !config.caCertFile.empty() && ::access(config.caCertFile.c_str(), R_OK) != 0) {
        return failStart("cannot read the CA certificate file '" + config.caCertFile + "'");
    }
    const EngineKind kind = chooseEngine(config);
    result.engineName = std::string(engineKindName(kind));
    std::optional<TlsClientContext> tls;
    const bool ownPath = kind == EngineKind::FastHttp1 || kind == EngineKind::FastHttp2;
    if (ownPath) {
        if (!resolveAddress(shared, &error)) {
            return failStart(error);
        }
        if (shared.url.isTls()) {
            tls = TlsClientContext::create(config, shared.url, kind == EngineKind::FastHttp2 ? kAlpnHttp2 : kAlpnHttp11,
                                           &error);
            if (!tls) {
                return failStart(error);
            }
            shared.tls = &*tls;
        }
    }
    if (kind == EngineKind::FastHttp1) {
        shared.requestBytes = serializeRequest(config, shared.url);
    }

    // A closed ramp needs as many users as its highest stage: connections, or on HTTP/2 streams.
    const int streams = config.httpVersion == HttpVersion::Http2 ? config.streams : 1;
    int connections = config.connections;
    if (!config.stages.empty() && !isOpenModel(config)) {
        double peak = 0;
        for (const auto& stage : config.stages) {
            peak = std::max(peak, stage.target);
        }
        connections = std::max(1, int(std::ceil(peak / streams - 1e-9)));
    }
    if (kind == EngineKind::Curl) {
        connections *= streams; // libcurl's transfers are the users; it multiplexes them itself
    }
    RunConfig sized = config;
    sized.connections = connections;
    const int threads = effectiveThreads(sized);
    result.threads = threads;
    result.connections = connections;
    shared.workers = threads;
    shared.connections = connections;
    shared.openModel = isOpenModel(config);
    shared.closedRamp = !config.stages.empty() && !shared.openModel;
    std::vector<std::unique_ptr<SliceExchange>> exchanges;
    for (int i = 0; i < threads; ++i) {
        exchanges.push_back(std::make_unique<SliceExchange>());
    }
    std::optional<ScenarioShared> scenario;
    if (config.scenario) {
        scenario.emplace(config, *config.scenario, shared.url.hostHeader);
        shared.scenario = &*scenario;
        for (auto& exchange : exchanges) {
            exchange->prepareScenario(scenario->stepCount());
        }
        for (const auto& compiled : config.scenario->program->scenarios()) {
            for (const auto& step : compiled.steps) {
                result.stepLabels.push_back({compiled.name, step.name});
            }
        }
    }
    shared.tick = config.tick;
    shared.countLimited = config.requests > 0;
    shared.remaining.store(int64_t(config.requests));

    std::latch ready(threads);
    std::latch go(1);
    std::atomic<int> finished{0};
    std::vector<Clock::time_point> finishTimes(static_cast<size_t>(threads));
    std::vector<std::jthread> workers;
    for (int i = 0; i < threads; ++i) {
        const int share = connections / threads + (i < connections % threads ? 1 : 0);
        auto& exchange = *exchanges[size_t(i)];
        auto& finishedAt = finishTimes[size_t(i)];
        if (kind == EngineKind::FastHttp1) {
            workers.emplace_back([&, share, i] {
                workerMain<Http1Worker>(shared, exchange, share, i, ready, go, finished, finishedAt);
            });
        } else if (kind == EngineKind::FastHttp2) {
            workers.emplace_back([&, share, i] {
                workerMain<Http2Worker>(shared, exchange, share, i, ready, go, finished, finishedAt);
            });
        } else {
            workers.emplace_back([&, share, i] {
                workerMain<CurlWorker>(shared, exchange, share, i, ready, go, finished, finishedAt);
            });
        }
    }
    ready.wait();
    // The clock starts once every worker is built, so set-up time never eats into the measured window.
    shared.measureStart = Clock::now() + config.warmup;
    const Micros planned = plannedDuration(config);
    if (planned.count() > 0) {
        shared.measureEnd = shared.measureStart + planned;
    }
    // The open model's schedule runs from the start of the warm-up; ramps start with measurement.
    LoadShape shape(shared.openModel ? config.rate : double(connections), config.stages,
                    config.stages.empty() ? shared.measureStart - config.warmup : shared.measureStart);
    shared.shape = &shape;
    result.startedAt = std::chrono::system_clock::now();
    go.count_down();

    Aggregator aggregator(shared, result, threads, onSnapshot);
    auto boundary = shared.nextBoundaryAfter(Clock::now());
    while (true) {
        std::this_thread::sleep_until(boundary + 2ms);
        // The run's last stretch is never closed as a tick: the workers stop mid-tick, so what they
        // hold is collected after they are joined and forms the last, possibly shorter, interval.
        if (stopRequested.load()) {
            result.stopReason = metrics::StopReason::UserStopped;
            break;
        }
        if (finished.load(std::memory_order_acquire) == threads) {
            // Workers also finish when the duration is up: only a count reached first is the count.
            result.stopReason = config.requests > 0 && Clock::now() < shared.measureEnd
                                    ? metrics::StopReason::RequestCountReached
                                    : metrics::StopReason::Completed;
            if (scenario && scenario->exhausted()) {
                result.stopReason = metrics::StopReason::DataExhausted;
                result.stopMessage = scenario->exhaustedMessage();
            }
            break;
        }
        if (boundary >= shared.measureEnd) {
            result.stopReason = metrics::StopReason::Completed;
            break;
        }
        // A busy worker flips after its current batch of events; give it a moment rather than
        // pushing its tick into the next one.
        for (int wait = 0; wait < 20; ++wait) {
            if (std::all_of(exchanges.begin(), exchanges.end(), [](const auto& e) { return e->hasPublished(); })) {
                break;
            }
            std::this_thread::sleep_for(1ms);
        }
        for (size_t i = 0; i < exchanges.size(); ++i) {
            aggregator.collect(*exchanges[i], i);
        }
        aggregator.closeTick(boundary);
        boundary += shared.tick;
    }
    auto end = std::min(Clock::now(), shared.measureEnd);
    shared.stop.store(true);
    workers.clear(); // joins
    if (result.stopReason == metrics::StopReason::RequestCountReached ||
        result.stopReason == metrics::StopReason::DataExhausted) {
        // The last worker finished somewhere inside the last tick: the window ends there, not at the tick.
        end = *std::max_element(finishTimes.begin(), finishTimes.end());
    }
    for (size_t i = 0; i < exchanges.size(); ++i) {
        aggregator.collectFinal(*exchanges[i], i);
    }
    aggregator.closeRun(end);
    result.finishedAt = std::chrono::system_clock::now();
    result.finalize();
    return result;
}

} // namespace benchdeck::engine
