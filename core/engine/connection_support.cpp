// SPDX-License-Identifier: Apache-2.0
#include "connection_support.h"

#include <strings.h>

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
