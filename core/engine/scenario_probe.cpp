// SPDX-License-Identifier: Apache-2.0
#include "scenario_probe.h"

#include "connection_support.h"
#include "curl_worker.h"
#include "scenario_runner.h"
#include "target_url.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>

namespace benchdeck::engine {
namespace {

struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Exchange {
    std::string sentHeaders; // the request's header block as libcurl wrote it
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool truncated = false;
};

std::string trimmed(std::string_view text)
{
    const size_t first = text.find_first_not_of(" \t\r\n");
    const size_t last = text.find_last_not_of(" \t\r\n");
    return first == std::string_view::npos ? std::string() : std::string(text.substr(first, last - first + 1));
}

size_t onHeader(char* data, size_t size, size_t count, void* context)
{
    auto& exchange = *static_cast<Exchange*>(context);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        exchange.headers.clear(); // an interim answer's headers (100 Continue) are not the answer's
    } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
        exchange.headers.emplace_back(trimmed(line.substr(0, colon)), trimmed(line.substr(colon + 1)));
    }
    return size * count;
}

size_t onBody(char* data, size_t size, size_t count, void* context)
{
    auto& exchange = *static_cast<Exchange*>(context);
    const size_t bytes = size * count;
    const size_t room = ScenarioRunner::kMaxCapturedBody - std::min(ScenarioRunner::kMaxCapturedBody, exchange.body.size());
    exchange.truncated = exchange.truncated || bytes > room;
    exchange.body.append(data, std::min(bytes, room));
    return bytes;
}

int onDebug(CURL*, curl_infotype type, char* data, size_t size, void* context)
{
    if (type == CURLINFO_HEADER_OUT) {
        static_cast<Exchange*>(context)->sentHeaders.append(data, size);
    }
    return 0;
}

// "Name: value" lines of a header block, without its request line.
std::vector<std::pair<std::string, std::string>> headerLines(std::string_view block)
{
    std::vector<std::pair<std::string, std::string>> headers;
    bool first = true;
    for (size_t start = 0; start < block.size();) {
        const size_t end = std::min(block.find('\n', start), block.size());
        const std::string_view line = block.substr(start, end - start);
        const size_t colon = line.find(':');
        if (!first && colon != std::string_view::npos) {
            headers.emplace_back(trimmed(line.substr(0, colon)), trimmed(line.substr(colon + 1)));
        }
        first = false;
        start = end + 1;
    }
    return headers;
}

bool hasHeaderNamed(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name)
{
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return equalsIgnoringCase(h.first, name); });
}

} // namespace

bool ProbeStep::passed() const
{
    return sent && problem.empty() && std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.second; });
}

std::vector<ProbeStep> tryOnce(const ScenarioPlan& plan, const RunConfig& config, size_t scenarioIndex,
                               const std::atomic<bool>* cancel)
{
    std::vector<ProbeStep> steps;
    const auto& program = *plan.program;
    if (scenarioIndex >= program.scenarios().size()) {
        return steps;
    }
    scenario::VariableValues values(program.variables());
    program.startIteration(values);
    std::mt19937_64 random(std::random_device{}());
    for (size_t f = 0; f < program.feeders().size(); ++f) {
        const auto& feeder = program.feeders()[f];
        if (feeder.table.rows.empty()) {
            continue;
        }
        const size_t row = feeder.mode == scenario::FeederMode::Random
                               ? std::uniform_int_distribution<size_t>(0, feeder.table.rows.size() - 1)(random)
                               : 0;
        program.applyFeederRow(values, f, row);
    }
    scenario::RenderContext context{random, 1};
    const auto& compiled = program.scenarios()[scenarioIndex];
    for (const auto& step : compiled.steps) {
        if (cancel != nullptr && cancel->load()) {
            break;
        }
        ProbeStep probe;
        probe.scenario = compiled.name;
        probe.step = step.name;
        probe.method = step.method;
        std::string missing;
        std::vector<std::pair<std::string, std::string>> headers;
        for (const auto& header : config.headers) {
            headers.emplace_back(header.name, header.value);
        }
        bool rendered = step.url.render(values, context, probe.url, &missing);
        for (size_t i = 0; rendered && i < step.headers.size(); ++i) {
            std::string value;
            rendered = step.headers[i].second.render(values, context, value, &missing);
            headers.emplace_back(step.headers[i].first, std::move(value));
        }
        rendered = rendered && step.body.render(values, context, probe.requestBody, &missing);
        std::string why;
        if (!rendered) {
            probe.problem = "{{" + missing + "}} has no value in this iteration";
        } else if (!isOnOrigin(probe.url, plan.origin)) {
            probe.problem = "the URL is not on the run's server, " + plan.origin;
        } else if (!parseTargetUrl(probe.url, &why)) {
            probe.problem = why;
        } else if (std::any_of(headers.begin(), headers.end(), [](const auto& h) {
                       return h.second.find_first_of("\r\n") != std::string::npos;
                   })) {
            probe.problem = "a header value holds a line break (header injection refused)";
        }
        if (!probe.problem.empty()) {
            probe.requestHeaders = std::move(headers);
            steps.push_back(std::move(probe));
            break;
        }

        std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
        std::unique_ptr<curl_slist, SlistDeleter> list;
        const auto append = [&](const std::string& line) {
            list.reset(curl_slist_append(list.release(), line.c_str()));
        };
        for (const auto& [name, value] : headers) {
            append(name + ": " + value);
        }
        // libcurl's own additions that the load path never sends: a form content type for bodies, and
        // Expect: 100-continue for large ones.
        if (!hasHeaderNamed(headers, "Content-Type")) {
            append("Content-Type:");
        }
        append("Expect:");
        Exchange exchange;
        CURL* handle = easy.get();
        curl_easy_setopt(handle, CURLOPT_URL, probe.url.c_str());
        curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(handle, CURLOPT_USERAGENT, "benchdeck/" BENCHDECK_VERSION);
        curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_1_1));
        curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list.get());
        curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &onHeader);
        curl_easy_setopt(handle, CURLOPT_HEADERDATA, &exchange);
        curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &onBody);
        curl_easy_setopt(handle, CURLOPT_WRITEDATA, &exchange);
        curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, &onDebug);
        curl_easy_setopt(handle, CURLOPT_DEBUGDATA, &exchange);
        curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L); // only for CURLINFO_HEADER_OUT: nothing is printed
        curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, long(config.requestTimeout.count() / 1000));
        curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, long(config.connectTimeout.count() / 1000));
        curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, config.insecure ? 0L : 1L);
        curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, config.insecure ? 0L : 2L);
        if (!config.caCertFile.empty()) {
            curl_easy_setopt(handle, CURLOPT_SSL_CTX_FUNCTION, &addCaCertificates);
            curl_easy_setopt(handle, CURLOPT_SSL_CTX_DATA, &config.caCertFile);
        }
        if (step.method == "HEAD") {
            curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
        } else {
            curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, step.method.c_str());
        }
        const bool bodyExpected = step.method == "POST" || step.method == "PUT" || step.method == "PATCH";
        if (!probe.requestBody.empty() || bodyExpected) {
            curl_easy_setopt(handle, CURLOPT_POSTFIELDS, probe.requestBody.data());
            curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(probe.requestBody.size()));
        }
        char errorText[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, errorText);
        const auto start = std::chrono::steady_clock::now();
        const CURLcode result = curl_easy_perform(handle);
        probe.milliseconds =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        probe.sent = true;
        probe.requestHeaders = exchange.sentHeaders.empty() ? headers : headerLines(exchange.sentHeaders);
        if (result != CURLE_OK) {
            probe.problem = errorText[0] != '\0' ? errorText : curl_easy_strerror(result);
            steps.push_back(std::move(probe));
            break;
        }
        long status = 0;
        curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
        probe.status = int(status);
        probe.responseHeaders = exchange.headers;
        std::vector<std::pair<std::string_view, std::string_view>> views;
        for (const auto& [name, value] : exchange.headers) {
            views.emplace_back(name, value);
        }
        const scenario::ResponseView view{probe.status, views, exchange.body};
        for (size_t i = 0; i < step.extractors.size(); ++i) {
            ProbeStep::Extraction extraction;
            extraction.variable = step.extractors[i].variable();
            extraction.found = step.extractors[i].apply(view, extraction.value);
            if (extraction.found) {
                values.set(step.extractorVariables[i], extraction.value);
            }
            probe.extracted.push_back(std::move(extraction));
        }
        for (const auto& check : step.checks) {
            probe.checks.emplace_back(check.describe(), check.passes(view));
        }
        probe.bodyTruncated = exchange.truncated || exchange.body.size() > kMaxProbeBody;
        probe.responseBody = exchange.body.substr(0, kMaxProbeBody);
        steps.push_back(std::move(probe));
    }
    return steps;
}

} // namespace benchdeck::engine
