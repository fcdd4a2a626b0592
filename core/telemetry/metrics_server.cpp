// SPDX-License-Identifier: Apache-2.0
#include "metrics_server.h"

#include "metrics/units.h"

#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <strings.h>

namespace benchdeck::telemetry {
namespace {

constexpr int kReadTimeoutMs = 2000;
constexpr size_t kMaxRequestBytes = 16 * 1024;

void sendAll(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) {
            return;
        }
        bytes.remove_prefix(size_t(n));
    }
}

std::string response(std::string_view status, std::string_view contentType, const std::string& body)
{
    return "HTTP/1.1 " + std::string(status) + "\r\nContent-Type: " + std::string(contentType) +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// The Accept header's value, or empty.
std::string_view acceptHeader(std::string_view request)
{
    size_t at = 0;
    while ((at = request.find("\r\n", at)) != std::string_view::npos) {
        at += 2;
        if (request.size() - at > 7 && strncasecmp(request.data() + at, "accept:", 7) == 0) {
            const size_t end = request.find("\r\n", at);
            return request.substr(at + 7, end == std::string_view::npos ? std::string_view::npos : end - at - 7);
        }
    }
    return {};
}

} // namespace

bool parseListenAddress(const std::string& address, std::string* host, uint16_t* port, std::string* error)
{
    const size_t colon = address.rfind(':');
    if (colon == std::string::npos || colon + 1 == address.size()) {
        *error = "'" + address + "' is not HOST:PORT (e.g. 127.0.0.1:9464)";
        return false;
    }
    std::string h = address.substr(0, colon);
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') {
        h = h.substr(1, h.size() - 2);
    } else if (h.find(':') != std::string::npos) {
        *error = "'" + address + "': put an IPv6 address in brackets, e.g. [::1]:9464";
        return false;
    }
    const auto number = units::parseInteger(address.substr(colon + 1));
    if (h.empty() || !number || *number < 0 || *number > 65535) {
        *error = "'" + address + "' is not HOST:PORT with a port from 0 to 65535";
        return false;
    }
    *host = h;
    *port = uint16_t(*number);
    return true;
}

std::unique_ptr<MetricsServer> MetricsServer::start(const std::string& address, Render render, std::string* error)
{
    std::string host;
    uint16_t port = 0;
    if (!parseListenAddress(address, &host, &port, error)) {
        return nullptr;
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (const int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
        *error = "cannot listen on '" + address + "': " + gai_strerror(rc);
        return nullptr;
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
    const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (fd < 0 || ::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
        *error = "cannot listen on '" + address + "': " + std::strerror(errno);
        if (fd >= 0) {
            ::close(fd);
        }
        return nullptr;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
    const uint16_t boundPort = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                                 : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    const bool v6 = found->ai_family == AF_INET6;
    const std::string url = "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(boundPort) + "/metrics";
    const int wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return std::unique_ptr<MetricsServer>(new MetricsServer(fd, wake, boundPort, url, std::move(render)));
}

MetricsServer::MetricsServer(int listenFd, int wakeFd, uint16_t port, std::string url, Render render)
    : listenFd_(listenFd)
    , wakeFd_(wakeFd)
    , port_(port)
    , url_(std::move(url))
    , render_(std::move(render))
{
    thread_ = std::thread([this] { serve(); });
}

MetricsServer::~MetricsServer()
{
    const uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wakeFd_, &one, sizeof one);
    thread_.join();
    ::close(listenFd_);
    ::close(wakeFd_);
}

void MetricsServer::serve()
{
    while (true) {
        pollfd fds[2] = {{listenFd_, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        if (fds[1].revents) {
            return;
        }
        const int client = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client >= 0) {
            answer(client);
            ::close(client);
        }
    }
}

void MetricsServer::answer(int client)
{
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < kMaxRequestBytes) {
        pollfd p{client, POLLIN, 0};
        if (::poll(&p, 1, kReadTimeoutMs) != 1) {
            return; // a client that says nothing does not hold the scrape endpoint
        }
        const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) {
            return;
        }
        request.append(buffer, size_t(n));
    }
    const std::string_view line = std::string_view(request).substr(0, request.find("\r\n"));
    const bool get = line.starts_with("GET ");
    const bool head = line.starts_with("HEAD ");
    if (!get && !head) {
        sendAll(client, response("405 Method Not Allowed", "text/plain; charset=utf-8", "GET /metrics only\n"));
        return;
    }
    const auto target = line.substr(line.find(' ') + 1, line.rfind(' ') - line.find(' ') - 1);
    if (target != "/metrics" && !target.starts_with("/metrics?")) {
        sendAll(client, response("404 Not Found", "text/plain; charset=utf-8", "Benchdeck serves /metrics\n"));
        return;
    }
    const bool openMetrics = acceptHeader(request).find("application/openmetrics-text") != std::string_view::npos;
    const std::string body = render_(openMetrics ? ExpositionFormat::OpenMetrics : ExpositionFormat::PrometheusText);
    scrapes_.fetch_add(1);
    std::string reply = response("200 OK",
                                 openMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                                             : "text/plain; version=0.0.4; charset=utf-8",
                                 body);
    if (head) {
        reply.resize(reply.size() - body.size());
    }
    sendAll(client, reply);
}

} // namespace benchdeck::telemetry
