// SPDX-License-Identifier: Apache-2.0
#pragma once

// A private nginx (Debian's, own prefix and logs, never the system one) in front of an HTTP/1.1
// server, speaking HTTP/2 to clients: h2c with prior knowledge on one port, h2 over TLS on another.
// It lets HTTP/2 runs meet the calibration target's known delays and pauses. 127.0.0.1 only.

#include <QProcess>
#include <QTemporaryDir>

#include <cstdint>
#include <string>

namespace benchdeck::testing {

class NginxHttp2Front {
public:
    // `upstreamPort`: the HTTP/1.1 server on 127.0.0.1; the certificate and key serve the TLS port.
    NginxHttp2Front(uint16_t upstreamPort, const std::string& certFile, const std::string& keyFile);
    ~NginxHttp2Front();
    NginxHttp2Front(const NginxHttp2Front&) = delete;
    NginxHttp2Front& operator=(const NginxHttp2Front&) = delete;

    // Empty once nginx answers on both ports; otherwise why it did not (its error log included).
    const std::string& error() const { return error_; }
    uint16_t h2cPort() const { return h2cPort_; }
    uint16_t h2Port() const { return h2Port_; }

private:
    QTemporaryDir prefix_;
    QProcess nginx_;
    uint16_t h2cPort_ = 0;
    uint16_t h2Port_ = 0;
    std::string error_;
};

} // namespace benchdeck::testing
