// SPDX-License-Identifier: Apache-2.0
#include "pushgateway.h"

#include <QByteArray>

#include <curl/curl.h>

#include <memory>

namespace benchdeck::telemetry {
namespace {

// A grouping-key value in the Pushgateway's base64 form (RFC 4648 URL-safe alphabet, padded): the
// gateway decodes %2F back into '/' before it splits the path, so a run label with a '/' (or an empty
// one, "=") can only travel this way.
std::string base64Value(const std::string& value)
{
    if (value.empty()) {
        return "=";
    }
    return QByteArray::fromStdString(value).toBase64(QByteArray::Base64UrlEncoding).toStdString();
}

size_t discard(char*, size_t size, size_t count, void*)
{
    return size * count;
}

} // namespace

std::optional<std::string> pushGroupUrl(const std::string& base, const TelemetryLabels& labels, std::string* error)
{
    if (!base.starts_with("http://") && !base.starts_with("https://")) {
        *error = "--metrics-push: '" + base + "' is not an http:// or https:// URL";
        return std::nullopt;
    }
    std::string url = base;
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url + "/metrics/job/benchdeck/run@base64/" + base64Value(labels.run) + "/shard@base64/" +
           base64Value(labels.shard);
}

bool pushToGateway(const std::string& base, const TelemetryLabels& labels, const std::string& body, std::string* error)
{
    const auto url = pushGroupUrl(base, labels, error);
    if (!url) {
        return false;
    }
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), &curl_easy_cleanup);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
        curl_slist_append(nullptr, "Content-Type: text/plain; version=0.0.4; charset=utf-8"), &curl_slist_free_all);
    char message[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(easy.get(), CURLOPT_URL, url->c_str());
    curl_easy_setopt(easy.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy.get(), CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
    curl_easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &discard);
    curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, message);
    const CURLcode rc = curl_easy_perform(easy.get());
    long status = 0;
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
        *error = "--metrics-push to " + *url + " failed: " + (message[0] ? message : curl_easy_strerror(rc));
        return false;
    }
    if (status < 200 || status >= 300) {
        *error = "--metrics-push to " + *url + " was refused with HTTP " + std::to_string(status);
        return false;
    }
    return true;
}

} // namespace benchdeck::telemetry
