// SPDX-License-Identifier: Apache-2.0
#include "engine.h"

#include "connection_support.h"
#include "curl_worker.h"
#include "http1_worker.h"
#include "http2_worker.h"
#include "load_shape.h"
#include "run_shared.h"
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

double toSeconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

// Merges worker slices into ticks, ticks into 1 s intervals and intervals into the run's total.
class Aggregator {
public:
    Aggregator(RunShared& shared, RunResult& result, int workers, const SnapshotCallback& onSnapshot)
        : shared_(shared)
        , result_(result)
        , tickWorkerCpu_(size_t(workers), 0)
        , workerCpu_(size_t(workers), 0)
        , tickWorkerWait_(size_t(workers), 0)
        , workerWait_(size_t(workers), 0)
        , onSnapshot_(onSnapshot)
        , lastEmit_(shared.measureStart)
    {
    }

    void collect(SliceExchange& exchange, size_t worker)
    {
        const uint64_t before = tick_.cpuMicros;
        const uint64_t waitBefore = tick_.waitMicros;
        exchange.collect(tick_);
        tickWorkerCpu_[worker] += tick_.cpuMicros - before;
        tickWorkerWait_[worker] += tick_.waitMicros - waitBefore;
    }

    void collectFinal(SliceExchange& exchange, size_t worker)
    {
        const uint64_t before = tick_.cpuMicros;
        const uint64_t waitBefore = tick_.waitMicros;
        exchange.collectAll(tick_);
        tickWorkerCpu_[worker] += tick_.cpuMicros - before;
        tickWorkerWait_[worker] += tick_.waitMicros - waitBefore;
    }

    void closeTick(Clock::time_point boundary)
    {
        const bool measuring = boundary > shared_.measureStart;
        if (measuring) {
            for (size_t i = 0; i < workerCpu_.size(); ++i) {
                workerCpu_[i] += tickWorkerCpu_[i];
                workerWait_[i] += tickWorkerWait_[i];
            }
        }
        std::fill(tickWorkerCpu_.begin(), tickWorkerCpu_.end(), 0);
        std::fill(tickWorkerWait_.begin(), tickWorkerWait_.end(), 0);
        warmupRequests_ += tick_.warmupRequests;
        tick_.warmupRequests = 0;

        engine::LiveSnapshot snapshot;
        snapshot.warmingUp = !measuring;
        snapshot.tickRps = double(tick_.requests) / toSeconds(shared_.tick);
        snapshot.tickP50 = tick_.latency.valueAtPercentile(50);
        snapshot.tickP90 = tick_.latency.valueAtPercentile(90);
        snapshot.tickP99 = tick_.latency.valueAtPercentile(99);
        snapshot.tickErrors = tick_.errors;
        snapshot.tickErrorsPerSecond = double(tick_.errors) / toSeconds(shared_.tick);
        snapshot.inFlight = tick_.inFlight;
        tick_.inFlight = 0; // a gauge: it must not add up over ticks
        if (measuring) {
            const uint64_t cpu = tick_.cpuMicros;
            tick_.cpuMicros = 0;
            second_.merge(tick_);
            second_.cpuMicros += cpu;
            if ((boundary - shared_.measureStart) % 1s == Clock::duration::zero()) {
                snapshot.completedInterval = emitInterval(boundary);
                snapshot.completedIntervalLatency = &lastIntervalLatency_;
            }
        }
        tick_.reset();
        publish(snapshot, boundary);
    }

    // After the workers have stopped: whatever is left forms the last, possibly shorter, interval.
    void closeRun(Clock::time_point end)
    {
        warmupRequests_ += tick_.warmupRequests;
        tick_.warmupRequests = 0;
        for (size_t i = 0; i < workerCpu_.size(); ++i) {
            workerCpu_[i] += tickWorkerCpu_[i];
            workerWait_[i] += tickWorkerWait_[i];
        }
        second_.merge(tick_);
        tick_.reset();
        const auto measuredEnd = std::clamp(end, shared_.measureStart, shared_.measureEnd);
        engine::LiveSnapshot snapshot;
        snapshot.final = true;
        if (measuredEnd > lastEmit_ && (second_.requests > 0 || measuredEnd > lastEmit_ + 10ms)) {
            snapshot.completedInterval = emitInterval(measuredEnd);
            snapshot.completedIntervalLatency = &lastIntervalLatency_;
        } else {
            result_.total.merge(second_);
            second_.reset();
        }
        result_.total.warmupRequests = warmupRequests_;
        result_.durationSeconds = toSeconds(measuredEnd - shared_.measureStart);
        finishScheduleStats();
        finishGeneratorStats();
        publish(snapshot, measuredEnd);
    }

private:
    metrics::IntervalRecord emitInterval(Clock::time_point end)
    {
        const double seconds = toSeconds(end - lastEmit_);
        const double cpuPercent =
            seconds > 0 ? 100.0 * double(second_.cpuMicros) / (seconds * 1e6 * double(workerCpu_.size())) : 0.0;
        auto record = metrics::summarizeInterval(second_, toSeconds(end - shared_.measureStart), seconds, cpuPercent);
        result_.series.push_back(record);
        lastIntervalLatency_.reset();
        lastIntervalLatency_.merge(second_.latency);
        result_.total.merge(second_);
        second_.reset();
        lastEmit_ = end;
        return record;
    }

    void publish(engine::LiveSnapshot& snapshot, Clock::time_point boundary)
    {
        if (!onSnapshot_) {
            return;
        }
        const auto& config = *shared_.config;
        const auto now = Clock::now();
        snapshot.elapsedSeconds = toSeconds(now - (shared_.measureStart - config.warmup));
        snapshot.measuredSeconds = std::max(0.0, toSeconds(boundary - shared_.measureStart));
        snapshot.requests = result_.total.requests + second_.requests;
        snapshot.errors = result_.total.errors + second_.errors;
        snapshot.bytesReceived = result_.total.bytesReceived + second_.bytesReceived;
        snapshot.warmupRequests = warmupRequests_;
        snapshot.measuredTotal = &result_.total;
        if (!snapshot.final) {
            snapshot.level = shared_.shape != nullptr ? shared_.shape->levelAt(now)
                                                      : (shared_.openModel ? config.rate : double(config.connections));
        }
        const auto planned = plannedDuration(config);
        const double total = toSeconds(config.warmup) + toSeconds(planned);
        if (planned.count() > 0) {
            snapshot.progress = std::clamp(snapshot.elapsedSeconds / total, 0.0, 1.0);
        }
        if (config.requests > 0) {
            const double byCount = double(snapshot.requests) / double(config.requests);
            snapshot.progress = std::max(snapshot.progress, std::clamp(byCount, 0.0, 1.0));
        }
        if (snapshot.final) {
            snapshot.progress = 1;
        }
        if (snapshot.progress > 0 && snapshot.progress < 1) {
            snapshot.etaSeconds = snapshot.elapsedSeconds * (1.0 - snapshot.progress) / snapshot.progress;
            if (planned.count() > 0 && config.requests == 0) {
                snapshot.etaSeconds = std::max(0.0, total - snapshot.elapsedSeconds);
            }
        }
        onSnapshot_(snapshot);
    }

    void finishScheduleStats()
    {
        auto& schedule = result_.schedule;
        const auto& total = result_.total;
        schedule.openModel = shared_.openModel;
        if (!schedule.openModel || result_.durationSeconds <= 0) {
            return;
        }
        const auto& config = *shared_.config;
        if (config.stages.empty()) {
            schedule.targetRate = config.rate;
        } else {
            // The schedule's own count over the measured window is the integral of the rate.
            const double seconds = toSeconds(plannedDuration(config));
            double area = 0;
            double level = 0;
            for (const auto& stage : config.stages) {
                area += (level + stage.target) / 2.0 * toSeconds(stage.duration);
                level = stage.target;
            }
            schedule.targetRate = seconds > 0 ? area / seconds : 0;
        }
        schedule.achievedRate = double(total.scheduledSends) / result_.durationSeconds;
        schedule.lateSends = total.lateSends;
        schedule.meanLateMs = total.lateSends ? double(total.lateMicrosSum) / double(total.lateSends) / 1000.0 : 0;
        schedule.maxLateMs = double(total.maxLateMicros) / 1000.0;
    }

    void finishGeneratorStats()
    {
        auto& generator = result_.generator;
        const double seconds = result_.durationSeconds;
        double sum = 0;
        bool starved = false;
        for (size_t i = 0; i < workerCpu_.size(); ++i) {
            const double percent =
                seconds > 0 ? std::min(100.0, 100.0 * double(workerCpu_[i]) / (seconds * 1e6)) : 0.0;
            generator.workerCpuPercent.push_back(percent);
            sum += percent;
            // Busy: running, or runnable and waiting for a CPU that another process held. A thread that
            // shares its core with a busy neighbour is as much the limit as one that fills a core alone.
            const double busy =
                seconds > 0 ? 100.0 * double(workerCpu_[i] + workerWait_[i]) / (seconds * 1e6) : 0.0;
            generator.saturated = generator.saturated || busy >= 90.0;
            starved = starved || (busy >= 90.0 && percent < 90.0);
        }
        generator.cpuPercent = workerCpu_.empty() ? 0 : sum / double(workerCpu_.size());
        // Sends that left late although a connection was free: the generator fell behind its schedule.
        const auto& total = result_.total;
        const bool behindSchedule = total.loopLateSends > 10 && total.loopLateSends * 100 > total.scheduledSends;
        generator.saturated = generator.saturated || behindSchedule;
        if (behindSchedule && generator.advice.empty()) {
            generator.advice = "sends fell behind the schedule while connections were free, so the load generator "
                               "could not keep up with the rate: add threads (-t), lower the rate, or spread the load "
                               "over more machines";
        }
        // Sends that waited for a free connection: the schedule was not held because every connection
        // (-c, the bound on requests in flight) was busy. The client's setting, not the server, set the pace.
        const bool connectionBound = total.boundLateSends > 10 && total.boundLateSends * 100 > total.scheduledSends;
        generator.saturated = generator.saturated || connectionBound;
        if (connectionBound && !behindSchedule && generator.advice.empty()) {
            generator.advice = "every connection was busy, so sends waited for a free one and the schedule was not "
                               "held: raise -c (the bound on requests in flight) or lower the rate; if the server "
                               "answers slowly, its latency is what filled the connections";
        }
        if (generator.saturated && starved && generator.advice.empty()) {
            generator.advice = "a load-generator thread was busy or waiting for a CPU at least 90% of the time "
                               "(other processes on this machine took CPU from it), so the client may have been "
                               "the bottleneck: stop other work here, use fewer connections, or spread the load "
                               "over more machines";
        }
        if (generator.saturated && generator.advice.empty()) {
            generator.advice = "a load-generator thread was busy at least 90% of the time, so the client may have "
                               "been the bottleneck: add threads (-t), use fewer connections, or spread the load "
                               "over more machines";
        }
    }

    RunShared& shared_;
    RunResult& result_;
    MetricsSlice tick_;
    MetricsSlice second_;
    metrics::LatencyHistogram lastIntervalLatency_;
    std::vector<uint64_t> tickWorkerCpu_;
    std::vector<uint64_t> workerCpu_;
    std::vector<uint64_t> tickWorkerWait_;
    std::vector<uint64_t> workerWait_;
    uint64_t warmupRequests_ = 0;
    const SnapshotCallback& onSnapshot_;
    Clock::time_point lastEmit_;
};

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
    if (result.stopReason == metrics::StopReason::RequestCountReached) {
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
