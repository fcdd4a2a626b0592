// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "run_shared.h"
#include "worker_recorder.h"
#include "worker_schedule.h"

#include <curl/curl.h>

#include <memory>
#include <vector>

namespace benchdeck::engine {

// CURLOPT_SSL_CTX_FUNCTION for --cacert: adds the PEM file (a const std::string* path as its data) to
// the system's store rather than replacing it, as Benchdeck's own TLS path does.
CURLcode addCaCertificates(CURL* easy, void* sslContext, void* caCertFile);

// The general path, for what Benchdeck's own paths do not do: following redirects (--follow), and
// any plan forced onto it (--engine curl). Each worker thread drives several multi handles from one epoll set through
// curl_multi_socket_action, because libcurl 7.88 walks its connection cache on every transfer and
// that walk grows with the connections one multi handle holds (measured: ≈ 100 per handle or fewer
// halves the CPU per request at 1,000 connections). Easy handles are reused, request by request.
class CurlWorker {
public:
    static constexpr int kConnectionsPerMulti = 64;

    CurlWorker(RunShared& shared, SliceExchange& exchange, int connections, int workerIndex);
    ~CurlWorker();
    CurlWorker(const CurlWorker&) = delete;
    CurlWorker& operator=(const CurlWorker&) = delete;

    void run();

private:
    struct Multi {
        CurlWorker* worker = nullptr;
        CURLM* handle = nullptr;
        uint32_t index = 0;
        Clock::time_point timerDue = Clock::time_point::max();
        bool dirty = false;
    };
    struct Transfer {
        CURL* easy = nullptr;
        Multi* multi = nullptr;
        Clock::time_point start;
        Clock::time_point retryAt;
        Clock::time_point freeSince;
        int consecutiveConnectFailures = 0;
        int globalIndex = 0;
        bool active = false;
        bool pooled = false; // open model: waiting in the free pool for the schedule
        // What the header check saw of the current response, so that libcurl refuses what the fast
        // path's parser refuses (tests/tst_fault_matrix.cpp).
        bool sawContentLength = false;
        bool sawChunked = false;
        bool malformed = false;
        char errorText[CURL_ERROR_SIZE] = {}; // libcurl's message for the last failure
    };
    struct SlistDeleter {
        void operator()(curl_slist* list) const { curl_slist_free_all(list); }
    };

    static int onSocket(CURL* easy, curl_socket_t socket, int what, void* multiContext, void* socketContext);
    static int onTimer(CURLM* multi, long timeoutMs, void* multiContext);
    static size_t discardBody(char* data, size_t size, size_t count, void* transfer);
    static size_t checkHeader(char* data, size_t size, size_t count, void* transfer);

    void configure(Transfer& transfer);
    void startTransfer(Transfer& transfer, Clock::time_point now,
                       Clock::time_point intended = Clock::time_point::min());
    void dispatchDue(Clock::time_point now);
    void drainCompleted(Multi& multi);
    void complete(Transfer& transfer, CURLcode result);
    void retryIdle(Clock::time_point now);

    RunShared& shared_;
    WorkerRecorder recorder_;
    std::vector<std::unique_ptr<Multi>> multis_;
    std::vector<Transfer> transfers_;
    std::unique_ptr<curl_slist, SlistDeleter> headers_;
    int epoll_ = -1;
    int inFlight_ = 0;
    std::vector<Transfer*> free_;
    WorkerSchedule schedule_;
};

} // namespace benchdeck::engine
