// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/error_kind.h"
#include "run_config.h"
#include "run_shared.h"

#include <string>
#include <string_view>

namespace benchdeck::engine {

// What Benchdeck's own request paths (HTTP/1.1 and HTTP/2) share about connections and requests, so
// that both classify, back off and authenticate alike.

// The error kind of a failed connect() (or of SO_ERROR after a non-blocking one).
metrics::ErrorKind connectErrorKind(int error);

// strerror's text for `err`, or nullptr for 0: thread-safe, static, no allocation (glibc 2.32+).
const char* describeErrno(int err);

// Retrying a refused connection at once would spin a core and flood the counters; real clients back
// off, and so do these paths, from 1 ms doubling to 50 ms.
Clock::duration backoffAfter(int consecutiveFailures);

bool equalsIgnoringCase(std::string_view a, std::string_view b);
bool hasHeader(const RunConfig& config, std::string_view name);

// Why a connection could not even be started: the call that failed, its errno, and the error kind.
struct ConnectFailure {
    const char* what = nullptr;
    int error = 0;
    metrics::ErrorKind kind = metrics::ErrorKind::Other;
};

// Opens a non-blocking TCP connection to the run's address (TCP_NODELAY, close-on-exec) and watches
// it in `epoll` for reads and writes under `tag`: the fd, or -1 with `*failure` said.
int startConnect(const RunShared& shared, int epoll, uint32_t tag, ConnectFailure* failure);
// The outcome of a non-blocking connect once its socket is writable: 0, or its errno.
int connectOutcome(int fd);
// Reads are always watched; writes only when `writes`.
void watchSocket(int epoll, int fd, uint32_t tag, bool writes);

// "Basic dXNlcjpwYXNz": what URL credentials become, on every path, as libcurl sends them.
std::string basicAuthorization(const std::string& user, const std::string& password);

} // namespace benchdeck::engine
