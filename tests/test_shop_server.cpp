// SPDX-License-Identifier: Apache-2.0
#include "test_shop_server.h"

#include "test_servers.h"

#include <sys/socket.h>
#include <unistd.h>

#include <string_view>

namespace benchdeck::testing {
namespace {

std::string response(int status, std::string_view body)
{
    const char* reason = status == 200 ? "OK" : status == 401 ? "Unauthorized" : "Bad Request";
    return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: application/json\r\n" +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

// The value of a header (case as the engine sends it), or empty.
std::string headerValue(const std::string& request, std::string_view name)
{
    const std::string key = "\r\n" + std::string(name) + ": ";
    const size_t at = request.find(key);
    if (at == std::string::npos) {
        return {};
    }
    const size_t start = at + key.size();
    return request.substr(start, request.find("\r\n", start) - start);
}

// The text of "field": "value" in a flat JSON body: enough for the login's two fields.
std::string jsonField(const std::string& body, std::string_view field)
{
    const std::string key = "\"" + std::string(field) + "\"";
    size_t at = body.find(key);
    if (at == std::string::npos) {
        return {};
    }
    at = body.find('"', body.find(':', at + key.size()));
    const size_t end = at == std::string::npos ? at : body.find('"', at + 1);
    return end == std::string::npos ? std::string() : body.substr(at + 1, end - at - 1);
}

} // namespace

ShopServer::ShopServer()
{
    fd_ = listenOnLoopback(&port_, 256);
    thread_ = serveEachConnection(fd_, stop_, [this](int client) { serve(client); });
}

ShopServer::~ShopServer()
{
    stop_.store(true);
    thread_.join();
    close(fd_);
}

std::map<std::string, uint64_t> ShopServer::requestsByRoute() const
{
    std::lock_guard lock(mutex_);
    return routes_;
}

std::map<std::string, uint64_t> ShopServer::loginsByUser() const
{
    std::lock_guard lock(mutex_);
    return logins_;
}

void ShopServer::serve(int client)
{
    std::string request;
    while (!stop_.load() && readRequest(client, &request)) {
        const std::string bytes = answer(request);
        size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = send(client, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                break;
            }
            sent += size_t(n);
        }
    }
    close(client);
}

std::string ShopServer::answer(const std::string& request)
{
    const size_t space = request.find(' ');
    const std::string method = request.substr(0, space);
    const std::string path = request.substr(space + 1, request.find(' ', space + 1) - space - 1);
    const std::string body = request.substr(request.find("\r\n\r\n") + 4);
    {
        std::lock_guard lock(mutex_);
        ++routes_[method + " " + path];
    }
    if (method == "POST" && path == "/login") {
        const std::string user = jsonField(body, "user");
        if (user.empty() || jsonField(body, "password").empty()) {
            return response(400, R"({"error": "user and password required"})");
        }
        std::lock_guard lock(mutex_);
        ++logins_[user];
        return response(200, "{\"token\": \"tok-" + user + "\"}");
    }
    if (path == "/items" || path.starts_with("/items/")) {
        if (!headerValue(request, "Authorization").starts_with("Bearer tok-")) {
            unauthorized_.fetch_add(1);
            return response(401, R"({"error": "log in first"})");
        }
        if (path == "/items") {
            return response(200, R"({"items": [{"id": 17}, {"id": 42}], "ok": true})");
        }
        const std::string id = path.substr(7);
        if (id == "17" || id == "42") {
            return response(200, "{\"id\": " + id + ", \"found\": true}");
        }
        return response(200, R"({"found": false})");
    }
    return response(200, "\"ok\"");
}

} // namespace benchdeck::testing
