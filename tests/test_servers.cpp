// SPDX-License-Identifier: Apache-2.0
#include "test_servers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string_view>
#include <vector>

namespace benchdeck::testing {

int listenOnLoopback(uint16_t* port, int backlog)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(fd, backlog);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    *port = ntohs(address.sin_port);
    return fd;
}

// Waits for a connection for up to 50 ms so that the accepting loop notices stop requests.
int acceptWithTimeout(int fd)
{
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) != 1) {
        return -1;
    }
    return accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
}

std::thread serveEachConnection(int fd, const std::atomic<bool>& stop, std::function<void(int client)> serve)
{
    return std::thread([fd, &stop, serve = std::move(serve)] {
        std::vector<std::thread> connections;
        while (!stop.load()) {
            const int client = acceptWithTimeout(fd);
            if (client >= 0) {
                connections.emplace_back(serve, client);
            }
        }
        for (auto& t : connections) {
            t.join();
        }
    });
}

bool readRequest(int fd, std::string* request)
{
    char buffer[4096];
    request->clear();
    size_t headerEnd = std::string::npos;
    size_t wanted = 0;
    while (true) {
        if (headerEnd == std::string::npos) {
            headerEnd = request->find("\r\n\r\n");
            if (headerEnd != std::string::npos) {
                const auto at = request->find("Content-Length: ");
                const size_t length = at != std::string::npos && at < headerEnd
                                          ? size_t(std::stoul(request->substr(at + 16)))
                                          : 0;
                wanted = headerEnd + 4 + length;
            }
        }
        if (headerEnd != std::string::npos && request->size() >= wanted) {
            return true;
        }
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 2000) != 1) {
            return false;
        }
        const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            return false;
        }
        request->append(buffer, size_t(n));
    }
}

uint16_t refusedPort()
{
    uint16_t port = 0;
    const int fd = listenOnLoopback(&port);
    close(fd);
    return port;
}

bool portAccepts(uint16_t port)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool accepted = fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    if (fd >= 0) {
        close(fd);
    }
    return accepted;
}

bool waitUntilAccepting(uint16_t port, std::chrono::milliseconds patience)
{
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (!portAccepts(port)) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

SilentServer::SilentServer()
{
    fd_ = listenOnLoopback(&port_, 1024);
}

SilentServer::~SilentServer()
{
    close(fd_);
}

ResettingServer::ResettingServer()
{
    fd_ = listenOnLoopback(&port_);
    thread_ = std::thread([this] {
        while (!stop_.load()) {
            const int client = acceptWithTimeout(fd_);
            if (client < 0) {
                continue;
            }
            std::string request;
            readRequest(client, &request);
            const linger reset{1, 0};
            setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
            close(client);
        }
    });
}

ResettingServer::~ResettingServer()
{
    stop_.store(true);
    thread_.join();
    close(fd_);
}

RecordingServer::RecordingServer(std::string response, bool closeAfterEach)
    : response_(std::move(response))
    , closeAfterEach_(closeAfterEach)
{
    fd_ = listenOnLoopback(&port_);
    thread_ = serveEachConnection(fd_, stop_, [this](int client) {
        std::string request;
        while (!stop_.load() && readRequest(client, &request)) {
            seen_.fetch_add(1);
            {
                std::lock_guard lock(mutex_);
                if (first_.empty()) {
                    first_ = request;
                }
            }
            send(client, response_.data(), response_.size(), MSG_NOSIGNAL);
            if (closeAfterEach_) {
                break;
            }
        }
        close(client);
    });
}

RecordingServer::~RecordingServer()
{
    stop_.store(true);
    thread_.join();
    close(fd_);
}

std::string RecordingServer::firstRequest() const
{
    std::lock_guard lock(mutex_);
    return first_;
}

namespace {

void sendAll(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) {
            return;
        }
        bytes.remove_prefix(size_t(n));
    }
}

// Holds a connection open until the server stops or the client goes away.
void holdOpen(int fd, const std::atomic<bool>& stop)
{
    char sink[4096];
    while (!stop.load()) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) == 1 && recv(fd, sink, sizeof sink, 0) <= 0) {
            return;
        }
    }
}

} // namespace

FaultServer::FaultServer(Fault fault)
    : fault_(fault)
{
    fd_ = listenOnLoopback(&port_, 256);
    thread_ = serveEachConnection(fd_, stop_, [this](int client) { serve(client); });
}

FaultServer::~FaultServer()
{
    stop_.store(true);
    thread_.join();
    close(fd_);
}

void FaultServer::serve(int client)
{
    static const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    std::string request;
    while (!stop_.load() && readRequest(client, &request)) {
        seen_.fetch_add(1);
        switch (fault_) {
        case Fault::Reset: {
            const linger reset{1, 0};
            setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
            close(client);
            return;
        }
        case Fault::CloseAfterResponse:
            sendAll(client, ok);
            close(client);
            return;
        case Fault::ConnectionCloseHeader:
            sendAll(client, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            close(client);
            return;
        case Fault::BodyUntilClose:
            sendAll(client, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody until close");
            close(client);
            return;
        case Fault::CloseMidBody:
            sendAll(client, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
            close(client);
            return;
        case Fault::Stall:
            holdOpen(client, stop_);
            close(client);
            return;
        case Fault::Trickle:
            sendAll(client, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            for (int i = 0; i < 1000 && !stop_.load(); ++i) {
                sendAll(client, "x");
                pollfd p{client, POLLIN, 0};
                if (poll(&p, 1, 50) == 1) {
                    char sink[512];
                    if (recv(client, sink, sizeof sink, 0) <= 0) {
                        break; // the client gave up
                    }
                }
            }
            close(client);
            return;
        case Fault::MalformedStatus:
            sendAll(client, "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok");
            break;
        case Fault::NotHttp:
            sendAll(client, "SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n");
            close(client);
            return;
        case Fault::HugeHeaders:
            sendAll(client, "HTTP/1.1 200 OK\r\nX-Huge: " + std::string(256 * 1024, 'a') +
                                "\r\nContent-Length: 2\r\n\r\nok");
            break;
        case Fault::BadChunking:
            sendAll(client, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n");
            break;
        case Fault::DuplicateContentLength:
            sendAll(client, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!");
            break;
        case Fault::LengthAndChunked:
            sendAll(client, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
            break;
        case Fault::InterimResponses:
            sendAll(client, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + ok);
            break;
        case Fault::SwitchingProtocols:
            sendAll(client, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: chat\r\nConnection: Upgrade\r\n\r\n");
            holdOpen(client, stop_);
            close(client);
            return;
        case Fault::RedirectLoop:
            sendAll(client, "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
            break;
        }
    }
    close(client);
}

} // namespace benchdeck::testing
