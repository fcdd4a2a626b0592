// SPDX-License-Identifier: Apache-2.0
#include "run_config.h"

#include "duration.h"
#include "scenario_plan.h"
#include "target_url.h"

#include "metrics/units.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <thread>

namespace benchdeck::engine {
namespace {

bool isTokenChar(unsigned char c)
{
    // RFC 9110 token characters: what a header name may be made of.
    static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
    return std::isalnum(c) || kSpecials.find(char(c)) != std::string_view::npos;
}

bool isMethodValid(const std::string& method)
{
    return !method.empty() && std::all_of(method.begin(), method.end(), [](char c) { return isTokenChar(c); });
}

} // namespace

bool libcurlReusesH2cConnections()
{
    // curl pull request 10643: before 8.0.0 a reused prior-knowledge connection got a second HTTP/2
    // layer stacked on it and every request after the first failed with CURLE_HTTP2.
    return curl_version_info(CURLVERSION_NOW)->version_num >= 0x080000;
}

std::optional<std::string> validateHeader(const Header& header)
{
    if (header.name.empty()) {
        return "header name is empty";
    }
    for (unsigned char c : header.name) {
        if (!isTokenChar(c)) {
            return "header name '" + header.name + "' contains characters a header name cannot have";
        }
    }
    for (unsigned char c : header.value) {
        if (c == '\r' || c == '\n' || c == 0) {
            return "header '" + header.name + "' contains a line break or NUL (header injection refused)";
        }
    }
    return std::nullopt;
}

std::optional<Header> parseHeaderLine(const std::string& line, std::string* error)
{
    if (line.find_first_of("\r\n") != std::string::npos) {
        if (error) {
            *error = "header '" + line.substr(0, line.find_first_of("\r\n")) +
                     "…' contains a line break (header injection refused)";
        }
        return std::nullopt;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
        if (error) {
            *error = "header '" + line + "' has no colon: write it as 'Name: value'";
        }
        return std::nullopt;
    }
    auto trim = [](std::string s) {
        const auto first = s.find_first_not_of(" \t");
        const auto last = s.find_last_not_of(" \t");
        return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
    };
    Header header{trim(line.substr(0, colon)), trim(line.substr(colon + 1))};
    if (auto problem = validateHeader(header)) {
        if (error) {
            *error = *problem;
        }
        return std::nullopt;
    }
    return header;
}

std::optional<std::string> validate(const RunConfig& config)
{
    std::string urlError;
    const auto url = parseTargetUrl(config.url, &urlError);
    if (!url) {
        return urlError;
    }
    if (!isMethodValid(config.method)) {
        return "method '" + config.method + "' is not a valid HTTP method token";
    }
    for (const auto& header : config.headers) {
        if (auto problem = validateHeader(header)) {
            return problem;
        }
        // The body's framing is Benchdeck's to write: a second length, or a chunked claim next to a
        // plain body, would make the request ambiguous and each path would send something different.
        std::string lower = header.name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (lower == "content-length" || lower == "transfer-encoding") {
            return "header '" + header.name + "' is set by Benchdeck from the body; leave it out";
        }
    }
    if (config.body.size() > kMaxBodyBytes) {
        return "the body is " + std::to_string(config.body.size() >> 20) + " MiB; at most " +
               std::to_string(kMaxBodyBytes >> 20) + " MiB can be sent";
    }
    if (config.maxRedirects < 0 || config.maxRedirects > 100) {
        return std::string("redirects to follow must be from 0 to 100");
    }
    if (config.connections <= 0 || config.connections > kMaxConnections) {
        return "connections must be from 1 to " + std::to_string(kMaxConnections);
    }
    if (config.streams <= 0 || config.streams > kMaxStreams) {
        return "streams per connection must be from 1 to " + std::to_string(kMaxStreams);
    }
    if (config.streams > 1 && config.httpVersion != HttpVersion::Http2) {
        return std::string("several streams per connection need HTTP/2 (--http2)");
    }
    if (int64_t(config.connections) * config.streams > kMaxConnections) {
        return "connections times streams must be at most " + std::to_string(kMaxConnections);
    }
    if (config.threads < 0 || config.threads > kMaxThreads) {
        return "threads must be from 1 to " + std::to_string(kMaxThreads) + " (or 0 for one per core)";
    }
    if (config.duration.count() < 0 || config.duration > kMaxDuration) {
        return std::string("duration must be positive and at most 7 days");
    }
    if (config.requests > kMaxRequests) {
        return std::string("the request count must be at most 10^12");
    }
    if (!std::isfinite(config.rate) || config.rate < 0 || (config.rate > 0 && config.rate < kMinRate) ||
        config.rate > kMaxLevel) {
        return std::string("the rate must be from 0.01 to 10,000,000 requests per second");
    }
    if (config.openModel && config.stages.empty() && config.rate <= 0) {
        return std::string("the open model needs a positive rate (-r) or rate stages");
    }
    if (config.stages.size() > kMaxStages) {
        return std::string("at most 1000 stages");
    }
    for (const auto& stage : config.stages) {
        if (stage.duration.count() <= 0 || stage.duration > kMaxDuration || !std::isfinite(stage.target) ||
            stage.target < 0 || stage.target > kMaxLevel) {
            return "stage " + formatStages({stage}) + " is out of range (0 < duration <= 7 days, 0 <= level <= 10^7)";
        }
    }
    if (plannedDuration(config) > kMaxDuration) {
        return std::string("the stages last longer than 7 days");
    }
    if (config.rate > 0 && !config.stages.empty()) {
        return std::string("give either a constant rate (-r) or stages, not both");
    }
    if (!config.stages.empty() && config.warmup.count() > 0) {
        return std::string("ramp stages and a warm-up do not mix: make the first stage the warm-up");
    }
    if (config.stages.empty() && config.duration.count() == 0 && config.requests == 0) {
        return std::string("give a duration or a request count, or the run would never end");
    }
    if (config.warmup.count() < 0 || config.warmup > kMaxDuration) {
        return std::string("warm-up must be from 0 to 7 days");
    }
    if (config.requestTimeout > kMaxDuration || config.connectTimeout > kMaxDuration) {
        return std::string("timeouts must be at most 7 days");
    }
    if (config.requestTimeout.count() <= 0 || config.connectTimeout.count() <= 0) {
        return std::string("timeouts must be positive");
    }
    if (config.engine == EngineKind::FastHttp1 && config.httpVersion != HttpVersion::Http1) {
        return std::string("the HTTP/1.1 fast path serves HTTP/1.1 only; use --engine fast with --http2 for HTTP/2");
    }
    if (config.engine == EngineKind::FastHttp2 && config.httpVersion != HttpVersion::Http2) {
        return std::string("the HTTP/2 path serves HTTP/2 only (--http2)");
    }
    if ((config.engine == EngineKind::FastHttp1 || config.engine == EngineKind::FastHttp2) && config.followRedirects) {
        return std::string("Benchdeck's own request paths do not follow redirects; use the libcurl engine (or "
                           "auto) with --follow");
    }
    const bool onLibcurl = config.engine == EngineKind::Curl || (config.engine == EngineKind::Auto && config.followRedirects);
    if (config.httpVersion == HttpVersion::Http2 && !url->isTls() && onLibcurl && !libcurlReusesH2cConnections()) {
        return std::string("HTTP/2 over plain http (h2c) is unreliable with this libcurl (") +
               curl_version_info(CURLVERSION_NOW)->version +
               "): it breaks every reused h2c connection (fixed in curl 8.0). Use https:// for HTTP/2 on libcurl, "
               "or Benchdeck's own HTTP/2 path (--engine auto or fast, without --follow)";
    }
    if (config.scenario) {
        const std::string& origin = config.scenario->origin;
        if (config.url.compare(0, origin.size(), origin) != 0) {
            return "the scenario talks to " + origin + ", not to " + config.url;
        }
        if (config.httpVersion != HttpVersion::Http1 || config.engine == EngineKind::Curl || config.followRedirects) {
            return std::string("scenarios run on the HTTP/1.1 path: --http2, --follow and --engine curl do not "
                               "combine with a scenario yet");
        }
        if (config.scenario->stepCount() == 0) {
            return std::string("the scenario has no steps");
        }
        if (config.method != "GET" || !config.body.empty()) {
            return std::string("a scenario's steps give their own methods and bodies: leave out -X and -d");
        }
    }
    if (config.tick.count() <= 0 || 1000 % config.tick.count() != 0) {
        return std::string("the tick must divide one second");
    }
    return std::nullopt;
}

std::optional<std::vector<Stage>> parseStages(std::string_view text, std::string* error)
{
    std::vector<Stage> stages;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view item = text.substr(start, comma - start);
        const size_t colon = item.find(':');
        if (item.empty() || colon == std::string_view::npos) {
            *error = "stage '" + std::string(item) + "' is not DURATION:LEVEL, as in 10s:100";
            return std::nullopt;
        }
        std::string why;
        const auto duration = parseDuration(item.substr(0, colon), &why);
        if (!duration) {
            *error = "stage '" + std::string(item) + "': " + why;
            return std::nullopt;
        }
        const auto parsed = units::parseNumber(item.substr(colon + 1));
        const double target = parsed.value_or(-1);
        if (!parsed || !(target >= 0) || target > kMaxLevel) {
            *error = "stage '" + std::string(item) + "': the level must be a number from 0";
            return std::nullopt;
        }
        stages.push_back({*duration, target});
        start = comma + 1;
    }
    return stages;
}

std::string formatStages(const std::vector<Stage>& stages)
{
    std::string text;
    for (const auto& stage : stages) {
        text += (text.empty() ? "" : ",") + formatDuration(stage.duration) + ":" + units::shortest(stage.target);
    }
    return text;
}

Micros plannedDuration(const RunConfig& config)
{
    if (config.stages.empty()) {
        return config.duration;
    }
    Micros total{0};
    for (const auto& stage : config.stages) {
        total += stage.duration;
    }
    return total;
}

bool isOpenModel(const RunConfig& config)
{
    return config.rate > 0 || config.openModel;
}

int concurrency(const RunConfig& config)
{
    return config.connections * (config.httpVersion == HttpVersion::Http2 ? config.streams : 1);
}

int effectiveThreads(const RunConfig& config)
{
    const int wanted = config.threads > 0 ? config.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    return std::max(1, std::min(wanted, config.connections));
}

std::string_view engineKindName(EngineKind kind)
{
    switch (kind) {
    case EngineKind::Auto: return "auto";
    case EngineKind::FastHttp1: return "http1-fast";
    case EngineKind::FastHttp2: return "http2-fast";
    case EngineKind::Curl: return "libcurl";
    }
    return "auto";
}

} // namespace benchdeck::engine
