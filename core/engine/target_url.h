// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace benchdeck::engine {

// A request URL checked once, before any traffic: only http and https are ever requested.
struct TargetUrl {
    std::string scheme; // "http" or "https"
    std::string host;   // without brackets for IPv6 literals
    uint16_t port = 0;
    std::string pathAndQuery; // "/" at least
    std::string hostHeader;   // as sent in Host: (port only when not the scheme's default)
    std::string normalized;   // the URL as libcurl will request it
    std::string user;         // from user info, percent-decoded; sent as Basic auth on both request paths
    std::string password;

    bool isTls() const { return scheme == "https"; }
};

std::optional<TargetUrl> parseTargetUrl(std::string_view url, std::string* error);

// The URL with the password of its user info, if any, replaced by "***" ("http://ann:***@host/"):
// what may be printed, stored without --keep-secrets, or put in a report.
std::string maskUrlCredentials(std::string_view url);

} // namespace benchdeck::engine
