// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace benchdeck::metrics {

// Why a request did not end in a successful response. The names are part of the CLI's JSON contract.
enum class ErrorKind : uint8_t {
    Dns,
    ConnectRefused,
    ConnectTimeout,
    RequestTimeout,
    ResetOrClosed,
    Tls,
    Http4xx,
    Http5xx,
    Protocol, // an answer that is not valid HTTP: bad status line, framing or headers, unasked-for 101
    Other,
};
inline constexpr size_t kErrorKindCount = 10;

std::string_view errorKindName(ErrorKind kind) noexcept;   // "connect_refused", ...
std::string_view errorKindLabel(ErrorKind kind) noexcept;  // "connection refused", for people
constexpr ErrorKind errorKindAt(size_t index) noexcept { return static_cast<ErrorKind>(index); }

// Transport failures mean the server never answered; HTTP errors are answers.
constexpr bool isTransportError(ErrorKind kind) noexcept
{
    return kind != ErrorKind::Http4xx && kind != ErrorKind::Http5xx;
}

} // namespace benchdeck::metrics
