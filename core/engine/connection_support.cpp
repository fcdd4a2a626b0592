// SPDX-License-Identifier: Apache-2.0
#include "connection_support.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace benchdeck::engine {

using metrics::ErrorKind;

ErrorKind connectErrorKind(int error)
{
    switch (error) {
    case ECONNREFUSED: return ErrorKind::ConnectRefused;
    case ETIMEDOUT: return ErrorKind::ConnectTimeout;
    case ECONNRESET: return ErrorKind::ResetOrClosed;
    default: return ErrorKind::Other; // EADDRNOTAVAIL (ports exhausted), EHOSTUNREACH, EMFILE, ...
    }
}

const char* describeErrno(int err)
{
    return err != 0 ? strerrordesc_np(err) : nullptr;
}

Clock::duration backoffAfter(int consecutiveFailures)
{
    const int shift = std::clamp(consecutiveFailures - 1, 0, 6);
    return std::min<Clock::duration>(std::chrono::milliseconds(1) * (1 << shift), std::chrono::milliseconds(50));
}

int startConnect(const RunShared& shared, int epoll, uint32_t tag, ConnectFailure* failure)
{
    const int fd = ::socket(shared.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *failure = {"socket()", errno, ErrorKind::Other}; // EMFILE, ENFILE: this machine's limit
        return -1;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&shared.address), shared.addressLength) < 0 &&
        errno != EINPROGRESS) {
        *failure = {"connect()", errno, connectErrorKind(errno)};
        ::close(fd);
        return -1;
    }
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.u32 = tag;
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
    return fd;
}

int connectOutcome(int fd)
{
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    return error;
}

void watchSocket(int epoll, int fd, uint32_t tag, bool writes)
{
    epoll_event event{};
    event.events = writes ? uint32_t(EPOLLIN | EPOLLOUT) : uint32_t(EPOLLIN);
    event.data.u32 = tag;
    epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event);
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool hasHeader(const RunConfig& config, std::string_view name)
{
    return std::any_of(config.headers.begin(), config.headers.end(),
                       [&](const Header& h) { return equalsIgnoringCase(h.name, name); });
}

std::string basicAuthorization(const std::string& user, const std::string& password)
{
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string bytes = user + ":" + password;
    std::string out = "Basic ";
    for (size_t i = 0; i < bytes.size(); i += 3) {
        const size_t n = std::min<size_t>(3, bytes.size() - i);
        uint32_t chunk = 0;
        for (size_t k = 0; k < 3; ++k) {
            chunk = (chunk << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
        }
        for (size_t k = 0; k < 4; ++k) {
            out += k <= n ? kAlphabet[(chunk >> (18 - 6 * k)) & 0x3f] : '=';
        }
    }
    return out;
}

} // namespace benchdeck::engine
