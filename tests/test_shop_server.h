// SPDX-License-Identifier: Apache-2.0
#pragma once

// A small shop API for scenario tests, on 127.0.0.1 at a port the kernel picks. It insists on the
// flow a scenario must carry through: POST /login {"user": U, "password": P} answers
// {"token": "tok-U"}; GET /items and GET /items/ID need "Authorization: Bearer tok-U" (401 without);
// /items lists {"items": [{"id": 17}, {"id": 42}], "ok": true}; /items/17 and /items/42 answer
// {"id": N, "found": true}, any other id {"found": false} (status 200: only a check can tell).
// Any other path answers 200 "ok". It counts what it saw, for tests to compare with the client's figures.

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace benchdeck::testing {

class ShopServer {
public:
    ShopServer();
    ~ShopServer();
    ShopServer(const ShopServer&) = delete;
    ShopServer& operator=(const ShopServer&) = delete;

    uint16_t port() const { return port_; }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
    // Requests by "METHOD /path" with the item id kept ("GET /items/17").
    std::map<std::string, uint64_t> requestsByRoute() const;
    // Logins by user name.
    std::map<std::string, uint64_t> loginsByUser() const;
    uint64_t unauthorized() const { return unauthorized_.load(); }

private:
    void serve(int client);
    std::string answer(const std::string& request);

    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> unauthorized_{0};
    mutable std::mutex mutex_;
    std::map<std::string, uint64_t> routes_;
    std::map<std::string, uint64_t> logins_;
    std::thread thread_;
};

} // namespace benchdeck::testing
