// SPDX-License-Identifier: Apache-2.0
#include "target_url.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace benchdeck::engine {
namespace {

struct UrlDeleter {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
    void operator()(char* s) const { curl_free(s); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

std::optional<std::string> part(CURLU* url, CURLUPart which, unsigned flags = 0)
{
    char* raw = nullptr;
    if (curl_url_get(url, which, &raw, flags) != CURLUE_OK || raw == nullptr) {
        return std::nullopt;
    }
    CurlString owned(raw);
    return std::string(owned.get());
}

bool hasControlCharacters(std::string_view s)
{
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            return true;
        }
    }
    return false;
}

} // namespace

std::optional<TargetUrl> parseTargetUrl(std::string_view text, std::string* error)
{
    auto fail = [&](std::string message) -> std::optional<TargetUrl> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };
    if (text.empty()) {
        return fail("the URL is empty");
    }
    if (hasControlCharacters(text) || text.find(' ') != std::string_view::npos) {
        return fail("the URL contains spaces or control characters");
    }
    const auto schemeEnd = text.find("://");
    if (schemeEnd == std::string_view::npos) {
        std::string message = "'";
        message.append(text).append("' is not a URL: it needs a scheme, as in http://host:port/path");
        return fail(std::move(message)); // built by append: GCC 12 misreads the operator+ chain (-Wrestrict)
    }
    std::string scheme(text.substr(0, schemeEnd));
    for (auto& c : scheme) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    if (scheme != "http" && scheme != "https") {
        return fail("unsupported scheme '" + scheme + "': only http and https can be load-tested");
    }

    const auto afterScheme = text.substr(schemeEnd + 3);
    if (afterScheme.empty() || afterScheme.front() == '/' || afterScheme.front() == '?' ||
        afterScheme.front() == '#') {
        return fail("malformed URL '" + std::string(text) + "': no host");
    }

    std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
    const std::string owned(text);
    if (const CURLUcode rc = curl_url_set(url.get(), CURLUPART_URL, owned.c_str(), 0); rc != CURLUE_OK) {
        return fail("malformed URL '" + owned + "': " + curl_url_strerror(rc));
    }
    TargetUrl result;
    result.scheme = scheme;
    auto host = part(url.get(), CURLUPART_HOST);
    if (!host || host->empty()) {
        return fail("malformed URL '" + owned + "': no host");
    }
    result.host = *host;
    if (result.host.size() > 2 && result.host.front() == '[' && result.host.back() == ']') {
        result.host = result.host.substr(1, result.host.size() - 2);
    }
    const auto port = part(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
    result.port = port ? uint16_t(std::stoi(*port)) : uint16_t(scheme == "https" ? 443 : 80);
    const auto explicitPort = part(url.get(), CURLUPART_PORT);
    result.hostHeader = *host + (explicitPort ? ":" + *explicitPort : std::string());
    result.pathAndQuery = part(url.get(), CURLUPART_PATH).value_or("/");
    if (result.pathAndQuery.empty()) {
        result.pathAndQuery = "/";
    }
    if (const auto query = part(url.get(), CURLUPART_QUERY)) {
        result.pathAndQuery += "?" + *query;
    }
    result.normalized = part(url.get(), CURLUPART_URL).value_or(owned);
    result.user = part(url.get(), CURLUPART_USER, CURLU_URLDECODE).value_or("");
    result.password = part(url.get(), CURLUPART_PASSWORD, CURLU_URLDECODE).value_or("");
    return result;
}

std::string maskUrlCredentials(std::string_view url)
{
    const auto schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos) {
        return std::string(url);
    }
    const size_t authorityStart = schemeEnd + 3;
    const size_t authorityEnd = std::min(url.find_first_of("/?#", authorityStart), url.size());
    const std::string_view authority = url.substr(authorityStart, authorityEnd - authorityStart);
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos) {
        return std::string(url);
    }
    const auto colon = authority.substr(0, at).find(':');
    if (colon == std::string_view::npos) {
        return std::string(url); // a user name alone is no secret
    }
    std::string masked(url.substr(0, authorityStart + colon + 1));
    masked += "***";
    masked += url.substr(authorityStart + at);
    return masked;
}

} // namespace benchdeck::engine
