// SPDX-License-Identifier: Apache-2.0
#include "curl_worker.h"

#include "load_shape.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>
#include <strings.h>

namespace benchdeck::engine {
namespace {

using metrics::ErrorKind;

constexpr int kMaxEvents = 256;

uint64_t packSocket(uint32_t multiIndex, curl_socket_t socket)
{
    return (uint64_t(multiIndex) << 32) | uint32_t(socket);
}

bool mentions(const char* text, const char* word)
{
    return std::strstr(text, word) != nullptr;
}

// libcurl 7.88 reports answers that are not HTTP under several codes, and a broken chunked body under
// the same code as a broken connection; its message tells them apart.
ErrorKind classify(CURLcode result, CURL* easy, const char* message)
{
    switch (result) {
    case CURLE_UNSUPPORTED_PROTOCOL: // validated plans are http(s): this is an HTTP/0.9 or garbage reply
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING: return ErrorKind::Protocol;
    case CURLE_OUT_OF_MEMORY:
        // 7.88's header buffer stops at 100 KiB and says so only through this code, with no message
        // (tst_fault_matrix's "huge headers"); the fast path's parser stops at 80 KiB of headers.
        return ErrorKind::Protocol;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return ErrorKind::Dns;
    case CURLE_COULDNT_CONNECT: return ErrorKind::ConnectRefused;
    case CURLE_OPERATION_TIMEDOUT: {
        // CONNECT_TIME_T reads 0 on a reused connection in 7.88; PRETRANSFER says the request went out.
        curl_off_t requestSent = 0;
        curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &requestSent);
        return requestSent > 0 ? ErrorKind::RequestTimeout : ErrorKind::ConnectTimeout;
    }
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return ErrorKind::Tls;
    case CURLE_RECV_ERROR:
        return mentions(message, "chunk") ? ErrorKind::Protocol : ErrorKind::ResetOrClosed;
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return ErrorKind::ResetOrClosed;
    default: return ErrorKind::Other;
    }
}

} // namespace

CurlWorker::CurlWorker(RunShared& shared, SliceExchange& exchange, int connections, int workerIndex)
    : shared_(shared)
    , recorder_(shared, exchange)
    , transfers_(size_t(std::max(connections, 1)))
    , epoll_(epoll_create1(EPOLL_CLOEXEC))
    , schedule_(shared, workerIndex)
{
    for (size_t i = 0; i < transfers_.size(); ++i) {
        transfers_[i].globalIndex = workerIndex + int(i) * shared.workers;
    }
    const auto& config = *shared.config;
    curl_slist* list = nullptr;
    for (const auto& header : config.headers) {
        // "Name;" is libcurl's way of sending a header with an empty value.
        const std::string line = header.value.empty() ? header.name + ";" : header.name + ": " + header.value;
        list = curl_slist_append(list, line.c_str());
    }
    // libcurl would add a form Content-Type to every body and "Expect: 100-continue" to large ones;
    // both paths must send the same request, so neither is added unless the user asks.
    const auto userSets = [&](std::string_view name) {
        return std::any_of(config.headers.begin(), config.headers.end(), [&](const Header& h) {
            return h.name.size() == name.size() && strncasecmp(h.name.c_str(), name.data(), name.size()) == 0;
        });
    };
    if (!userSets("Content-Type")) {
        list = curl_slist_append(list, "Content-Type:");
    }
    if (!userSets("Expect")) {
        list = curl_slist_append(list, "Expect:");
    }
    headers_.reset(list);

    const size_t multiCount = (transfers_.size() + kConnectionsPerMulti - 1) / kConnectionsPerMulti;
    for (size_t i = 0; i < multiCount; ++i) {
        auto multi = std::make_unique<Multi>();
        multi->worker = this;
        multi->index = uint32_t(i);
        multi->handle = curl_multi_init();
        curl_multi_setopt(multi->handle, CURLMOPT_SOCKETFUNCTION, &CurlWorker::onSocket);
        curl_multi_setopt(multi->handle, CURLMOPT_SOCKETDATA, multi.get());
        curl_multi_setopt(multi->handle, CURLMOPT_TIMERFUNCTION, &CurlWorker::onTimer);
        curl_multi_setopt(multi->handle, CURLMOPT_TIMERDATA, multi.get());
        curl_multi_setopt(multi->handle, CURLMOPT_MAXCONNECTS, long(kConnectionsPerMulti));
        if (config.httpVersion == HttpVersion::Http2) {
            curl_multi_setopt(multi->handle, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
        }
        multis_.push_back(std::move(multi));
    }
    for (size_t i = 0; i < transfers_.size(); ++i) {
        transfers_[i].multi = multis_[i / kConnectionsPerMulti].get();
        configure(transfers_[i]);
    }
}

CurlWorker::~CurlWorker()
{
    for (auto& transfer : transfers_) {
        if (transfer.active) {
            curl_multi_remove_handle(transfer.multi->handle, transfer.easy);
        }
        curl_easy_cleanup(transfer.easy);
    }
    for (auto& multi : multis_) {
        curl_multi_cleanup(multi->handle);
    }
    if (epoll_ >= 0) {
        ::close(epoll_);
    }
}

void CurlWorker::configure(Transfer& transfer)
{
    const auto& config = *shared_.config;
    CURL* easy = curl_easy_init();
    transfer.easy = easy;
    curl_easy_setopt(easy, CURLOPT_URL, shared_.url.normalized.c_str());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
    // Only web protocols, ever, including where a redirect points.
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, config.followRedirects ? 1L : 0L);
    // libcurl's default is no limit: one request followed a redirect loop 5,297 times.
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, long(config.maxRedirects));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "benchdeck/" BENCHDECK_VERSION);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &CurlWorker::discardBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &CurlWorker::checkHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.errorText);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, long(config.requestTimeout.count() / 1000));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, long(config.connectTimeout.count() / 1000));
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, config.insecure ? 0L : 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, config.insecure ? 0L : 2L);
    if (!config.caCertFile.empty()) {
        // Added to the system's store rather than replacing it (CURLOPT_CAINFO would), as the fast path does.
        curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, &addCaCertificates);
        curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, &config.caCertFile);
    }
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    if (config.httpVersion == HttpVersion::Http2) {
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
                         long(shared_.url.isTls() ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE));
        curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_1_1));
    }
    if (config.method == "HEAD") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (config.method != "GET" || !config.body.empty()) {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, config.method.c_str());
    }
    const bool bodyExpected = config.method == "POST" || config.method == "PUT" || config.method == "PATCH";
    if (!config.body.empty() || bodyExpected) {
        // Content-Length even when empty, as the fast path sends it.
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, config.body.data());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(config.body.size()));
    }
    if (headers_) {
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get());
    }
}

CURLcode addCaCertificates(CURL*, void* sslContext, void* caCertFile)
{
    const auto& file = *static_cast<const std::string*>(caCertFile);
    const bool loaded = SSL_CTX_load_verify_locations(static_cast<SSL_CTX*>(sslContext), file.c_str(), nullptr) == 1;
    ERR_clear_error();
    return loaded ? CURLE_OK : CURLE_SSL_CACERT_BADFILE;
}

size_t CurlWorker::discardBody(char*, size_t size, size_t count, void*)
{
    return size * count;
}

// Refuses, as the fast path's http-parser does, what libcurl 7.88 would take: a 101 to a request that
// asked for no upgrade (libcurl then reads the new protocol as body), a repeated Content-Length, and a
// Content-Length beside chunked encoding (request-smuggling territory). Returning less than the line
// ends the transfer with CURLE_WRITE_ERROR, which `malformed` turns into a protocol error.
size_t CurlWorker::checkHeader(char* data, size_t size, size_t count, void* context)
{
    auto& transfer = *static_cast<Transfer*>(context);
    const std::string_view line(data, size * count);
    const auto named = [&](std::string_view name) {
        return line.size() > name.size() && strncasecmp(line.data(), name.data(), name.size()) == 0;
    };
    if (line.starts_with("HTTP/")) { // a new response, an interim one too, starts its own headers
        transfer.sawContentLength = false;
        transfer.sawChunked = false;
        const auto space = line.find(' ');
        transfer.malformed = space != std::string_view::npos && line.substr(space + 1).starts_with("101");
    } else if (named("content-length:")) {
        transfer.malformed = transfer.sawContentLength || transfer.sawChunked;
        transfer.sawContentLength = true;
    } else if (named("transfer-encoding:")) {
        transfer.sawChunked = true;
        transfer.malformed = transfer.sawContentLength;
    }
    return transfer.malformed ? 0 : line.size();
}

int CurlWorker::onSocket(CURL*, curl_socket_t socket, int what, void* multiContext, void* socketContext)
{
    auto* multi = static_cast<Multi*>(multiContext);
    const int epoll = multi->worker->epoll_;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nullptr);
        curl_multi_assign(multi->handle, socket, nullptr);
        return 0;
    }
    epoll_event ev{};
    ev.events = ((what & CURL_POLL_IN) ? uint32_t(EPOLLIN) : 0u) | ((what & CURL_POLL_OUT) ? uint32_t(EPOLLOUT) : 0u);
    ev.data.u64 = packSocket(multi->index, socket);
    if (socketContext == nullptr) {
        if (epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &ev) != 0) {
            epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &ev);
        }
        curl_multi_assign(multi->handle, socket, multi);
    } else {
        epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &ev);
    }
    return 0;
}

int CurlWorker::onTimer(CURLM*, long timeoutMs, void* multiContext)
{
    auto* multi = static_cast<Multi*>(multiContext);
    multi->timerDue = timeoutMs < 0 ? Clock::time_point::max() : Clock::now() + std::chrono::milliseconds(timeoutMs);
    return 0;
}

void CurlWorker::dispatchDue(Clock::time_point now)
{
    Clock::time_point intended;
    while (!free_.empty() && schedule_.takeDue(now, &intended)) {
        Transfer& transfer = *free_.back();
        free_.pop_back();
        transfer.pooled = false;
        recorder_.scheduled(intended, now, transfer.freeSince);
        startTransfer(transfer, now, intended);
    }
}

void CurlWorker::startTransfer(Transfer& transfer, Clock::time_point now, Clock::time_point intended)
{
    const bool scheduled = intended != Clock::time_point::min();
    if (!scheduled && shared_.openModel) {
        // Only the schedule starts requests in the open model: back to the pool.
        if (!transfer.pooled && !transfer.active) {
            transfer.pooled = true;
            transfer.freeSince = now;
            free_.push_back(&transfer);
        }
        return;
    }
    if (!scheduled && !schedule_.userMaySend(transfer.globalIndex, now)) {
        return;
    }
    transfer.start = scheduled ? intended : now;
    transfer.active = true;
    transfer.malformed = false;
    transfer.errorText[0] = '\0';
    ++inFlight_;
    curl_multi_add_handle(transfer.multi->handle, transfer.easy);
}

void CurlWorker::run()
{
    std::array<epoll_event, kMaxEvents> events{};
    auto now = Clock::now();
    recorder_.start(now);
    if (shared_.openModel) {
        schedule_.start();
    }
    for (auto& transfer : transfers_) {
        startTransfer(transfer, now);
    }
    dispatchDue(now);
    int running = 0;
    auto nextRetryScan = now;
    while (!schedule_.finished(now, inFlight_)) {
        auto wakeAt = std::min(recorder_.nextFlip(), nextRetryScan);
        if (!free_.empty()) {
            wakeAt = std::min(wakeAt, schedule_.next());
        }
        for (const auto& multi : multis_) {
            wakeAt = std::min(wakeAt, multi->timerDue);
        }
        // Idle transfers (after a failure or a completed count) are retried on each wake-up.
        const int n = waitForEvents(epoll_, events.data(), kMaxEvents,
                                    std::clamp<Clock::duration>(wakeAt - now, Clock::duration::zero(),
                                                                std::chrono::milliseconds(50)));
        for (int i = 0; i < n; ++i) {
            const uint64_t key = events[size_t(i)].data.u64;
            Multi& multi = *multis_[size_t(key >> 32)];
            const uint32_t what = events[size_t(i)].events;
            const int flags = ((what & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((what & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
                              ((what & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(multi.handle, curl_socket_t(uint32_t(key)), flags, &running);
            multi.dirty = true;
        }
        now = Clock::now();
        for (auto& multi : multis_) {
            if (multi->timerDue <= now) {
                multi->timerDue = Clock::time_point::max();
                curl_multi_socket_action(multi->handle, CURL_SOCKET_TIMEOUT, 0, &running);
                multi->dirty = true;
            }
            if (multi->dirty) {
                multi->dirty = false;
                drainCompleted(*multi);
            }
        }
        now = Clock::now();
        if (shared_.openModel) {
            dispatchDue(now);
        }
        recorder_.flipIfDue(now, inFlight_);
        if (now >= nextRetryScan) {
            retryIdle(now);
            nextRetryScan = now + std::chrono::milliseconds(10);
        }
    }
    recorder_.finish(inFlight_);
}

void CurlWorker::retryIdle(Clock::time_point now)
{
    for (auto& transfer : transfers_) {
        if (!transfer.active && !transfer.pooled && transfer.retryAt <= now) {
            startTransfer(transfer, now);
        }
    }
}

void CurlWorker::drainCompleted(Multi& multi)
{
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.handle, &left)) {
        if (message->msg != CURLMSG_DONE) {
            continue;
        }
        Transfer* transfer = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
        complete(*transfer, message->data.result);
    }
}

void CurlWorker::complete(Transfer& transfer, CURLcode result)
{
    const auto now = Clock::now();
    CURL* easy = transfer.easy;
    --inFlight_;
    if (result == CURLE_OK) {
        long status = 0;
        curl_off_t connect = 0, appConnect = 0, startTransfer = 0, downloaded = 0;
        long headerBytes = 0, newConnections = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connect);
        curl_easy_getinfo(easy, CURLINFO_APPCONNECT_TIME_T, &appConnect);
        curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &startTransfer);
        curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
        curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &headerBytes);
        curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &newConnections);
        if (newConnections > 0) {
            curl_off_t nameLookup = 0;
            curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &nameLookup);
            recorder_.connected(connect - nameLookup, appConnect > connect ? appConnect - connect : 0);
        }
        const auto firstByte = transfer.start + std::chrono::microseconds(startTransfer);
        recorder_.response(transfer.start, now, int(status), uint64_t(headerBytes) + uint64_t(downloaded), firstByte);
        transfer.consecutiveConnectFailures = 0;
    } else {
        const ErrorKind kind = transfer.malformed ? ErrorKind::Protocol : classify(result, easy, transfer.errorText);
        recorder_.failure(transfer.start, now, kind, "libcurl",
                          transfer.errorText[0] != '\0' ? transfer.errorText : curl_easy_strerror(result));
        if (kind != ErrorKind::RequestTimeout && kind != ErrorKind::ResetOrClosed) {
            // Retrying at once would spin a core on a dead target; back off as real clients do.
            ++transfer.consecutiveConnectFailures;
            const int shift = std::min(transfer.consecutiveConnectFailures - 1, 6);
            transfer.retryAt = now + std::min<Clock::duration>(std::chrono::milliseconds(1 << shift),
                                                               std::chrono::milliseconds(50));
        }
    }
    curl_multi_remove_handle(transfer.multi->handle, easy);
    transfer.active = false;
    if (transfer.retryAt <= now) {
        startTransfer(transfer, now);
    }
}

} // namespace benchdeck::engine
