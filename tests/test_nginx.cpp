// SPDX-License-Identifier: Apache-2.0
#include "test_nginx.h"

#include "test_servers.h"

#include <QFile>
#include <QStandardPaths>

namespace benchdeck::testing {

NginxHttp2Front::NginxHttp2Front(uint16_t upstreamPort, const std::string& certFile, const std::string& keyFile)
{
    QString nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"), {QStringLiteral("/usr/sbin")});
    if (nginx.isEmpty()) {
        error_ = "nginx (Debian nginx-light) is needed; scripts/test.sh installs it";
        return;
    }
    h2cPort_ = refusedPort();
    h2Port_ = refusedPort();
    const QString dir = prefix_.path();
    // Upstream connections are kept alive, as in any real deployment, so that the proxy adds a hop,
    // not a TCP handshake, to each request; the limits fit the validity tests' 2,000 requests in flight.
    const QString conf = QStringLiteral(R"(daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 16384;
pid %1/nginx.pid;
error_log %1/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path %1/body; proxy_temp_path %1/proxy; fastcgi_temp_path %1/fastcgi;
  uwsgi_temp_path %1/uwsgi; scgi_temp_path %1/scgi;
  http2_max_concurrent_streams 1000;
  upstream target { server 127.0.0.1:%2; keepalive 4096; }
  server {
    listen 127.0.0.1:%3 http2;
    listen 127.0.0.1:%4 ssl http2;
    ssl_certificate %5;
    ssl_certificate_key %6;
    location / {
      proxy_pass http://target;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_read_timeout 30s;
    }
  }
}
)")
                             .arg(dir)
                             .arg(upstreamPort)
                             .arg(h2cPort_)
                             .arg(h2Port_)
                             .arg(QString::fromStdString(certFile), QString::fromStdString(keyFile));
    QFile file(dir + QStringLiteral("/nginx.conf"));
    if (!file.open(QIODevice::WriteOnly) || file.write(conf.toUtf8()) < 0) {
        error_ = "cannot write the nginx configuration";
        return;
    }
    file.close();
    nginx_.setProcessChannelMode(QProcess::MergedChannels);
    nginx_.start(nginx, {QStringLiteral("-p"), dir, QStringLiteral("-c"), dir + QStringLiteral("/nginx.conf"),
                         QStringLiteral("-e"), dir + QStringLiteral("/error.log")});
    if (!nginx_.waitForStarted()) {
        error_ = "nginx did not start";
        return;
    }
    if (waitUntilAccepting(h2cPort_) && waitUntilAccepting(h2Port_, std::chrono::seconds(2))) {
        return;
    }
    QFile log(dir + QStringLiteral("/error.log"));
    log.open(QIODevice::ReadOnly);
    error_ = "nginx did not answer: " + (nginx_.readAll() + log.readAll()).toStdString();
}

NginxHttp2Front::~NginxHttp2Front()
{
    nginx_.terminate();
    if (!nginx_.waitForFinished(5000)) {
        nginx_.kill();
        nginx_.waitForFinished();
    }
}

} // namespace benchdeck::testing
