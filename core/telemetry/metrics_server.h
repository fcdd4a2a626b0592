// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live_telemetry.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace benchdeck::telemetry {

// Serves GET /metrics on one address for Prometheus to scrape, on a thread of its own: one request
// per connection, answered from `render` and closed. Anything else gets 404 or 405. OpenMetrics when
// the scraper asks for it (Prometheus does), the 0.0.4 text format otherwise.
class MetricsServer {
public:
    using Render = std::function<std::string(ExpositionFormat)>;

    // `address` is HOST:PORT ("127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464"); port 0 picks a free one.
    static std::unique_ptr<MetricsServer> start(const std::string& address, Render render, std::string* error);
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    uint16_t port() const { return port_; }
    std::string url() const { return url_; }
    uint64_t scrapes() const { return scrapes_.load(); }

private:
    MetricsServer(int listenFd, int wakeFd, uint16_t port, std::string url, Render render);
    void serve();
    void answer(int client);

    int listenFd_ = -1;
    int wakeFd_ = -1;
    uint16_t port_ = 0;
    std::string url_;
    Render render_;
    std::atomic<uint64_t> scrapes_{0};
    std::thread thread_;
};

// Splits "HOST:PORT" (IPv6 hosts in brackets). False, with a reason, when it is not one.
bool parseListenAddress(const std::string& address, std::string* host, uint16_t* port, std::string* error);

} // namespace benchdeck::telemetry
