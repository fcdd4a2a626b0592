// SPDX-License-Identifier: Apache-2.0
#include "error_kind.h"

namespace benchdeck::metrics {

std::string_view errorKindName(ErrorKind kind) noexcept
{
    switch (kind) {
    case ErrorKind::Dns: return "dns";
    case ErrorKind::ConnectRefused: return "connect_refused";
    case ErrorKind::ConnectTimeout: return "connect_timeout";
    case ErrorKind::RequestTimeout: return "request_timeout";
    case ErrorKind::ResetOrClosed: return "reset_or_closed";
    case ErrorKind::Tls: return "tls";
    case ErrorKind::Http4xx: return "http_4xx";
    case ErrorKind::Http5xx: return "http_5xx";
    case ErrorKind::Protocol: return "protocol";
    case ErrorKind::Other: return "other";
    }
    return "other";
}

std::string_view errorKindLabel(ErrorKind kind) noexcept
{
    switch (kind) {
    case ErrorKind::Dns: return "host name not resolved";
    case ErrorKind::ConnectRefused: return "connection refused";
    case ErrorKind::ConnectTimeout: return "connect timed out";
    case ErrorKind::RequestTimeout: return "request timed out";
    case ErrorKind::ResetOrClosed: return "connection reset or closed";
    case ErrorKind::Tls: return "TLS failure";
    case ErrorKind::Http4xx: return "HTTP 4xx";
    case ErrorKind::Http5xx: return "HTTP 5xx";
    case ErrorKind::Protocol: return "malformed response";
    case ErrorKind::Other: return "other";
    }
    return "other";
}

} // namespace benchdeck::metrics
