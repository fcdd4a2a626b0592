// SPDX-License-Identifier: Apache-2.0
#include "tls_client.h"

#include "run_config.h"
#include "target_url.h"
#include "tls_memory.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>

namespace benchdeck::engine {
namespace {

// The newest error in this thread's OpenSSL queue, as a static text.
const char* lastErrorReason()
{
    const unsigned long error = ERR_peek_last_error();
    const char* reason = error != 0 ? ERR_reason_error_string(error) : nullptr;
    return reason != nullptr ? reason : "unknown TLS error";
}

std::string describeLastError()
{
    std::string text = lastErrorReason();
    ERR_clear_error();
    return text;
}

// Why a handshake or a record failed, in static text: the verifier's own words when the certificate
// was refused ("certificate has expired", "Hostname mismatch"), else OpenSSL's reason, else the socket's.
const char* failureReason(const SSL* ssl, int sslError)
{
    const unsigned long error = ERR_peek_last_error();
    if (error != 0 && ERR_GET_REASON(error) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
        return X509_verify_cert_error_string(SSL_get_verify_result(ssl));
    }
    if (error != 0) {
        return lastErrorReason();
    }
    if (sslError == SSL_ERROR_SYSCALL && errno != 0) {
        return strerrordesc_np(errno);
    }
    return "the server closed the connection during the TLS handshake";
}

bool isIpLiteral(const std::string& host)
{
    unsigned char address[sizeof(in6_addr)];
    return inet_pton(AF_INET, host.c_str(), address) == 1 || inet_pton(AF_INET6, host.c_str(), address) == 1;
}

// Session tickets arrive after the handshake in TLS 1.3; keeping each connection's newest one lets
// its next connection resume instead of paying for a full handshake, as browsers and wrk do.
int storeSession(SSL* ssl, SSL_SESSION* session)
{
    auto* slot = static_cast<SslSessionPtr*>(SSL_get_app_data(ssl));
    if (slot == nullptr) {
        return 0; // OpenSSL keeps ownership and frees it
    }
    slot->reset(session);
    return 1;
}

ssize_t failedIo(SSL* ssl, int rc, TlsProgress* wants, const char** reason)
{
    const int sslError = SSL_get_error(ssl, rc);
    switch (sslError) {
    case SSL_ERROR_WANT_READ:
        *wants = TlsProgress::WantRead;
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_WANT_WRITE:
        *wants = TlsProgress::WantWrite;
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_ZERO_RETURN: return 0; // close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) a plain close
    case SSL_ERROR_SYSCALL:
        if (ERR_peek_last_error() == 0) {
            const int err = errno;
            if (err == 0) {
                return 0;
            }
            *reason = strerrordesc_np(err);
            errno = err;
            return -1;
        }
        [[fallthrough]];
    default:
        *reason = failureReason(ssl, sslError);
        ERR_clear_error(); // a stale entry would make the next SSL_get_error on this thread lie
        errno = EPROTO;
        return -1;
    }
}

} // namespace

void SslFree::operator()(SSL_CTX* context) const noexcept
{
    SSL_CTX_free(context);
}

void SslFree::operator()(SSL* ssl) const noexcept
{
    // Closing without a close_notify round trip, as load generators do; marking the connection as
    // shut down keeps its session resumable.
    SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(ssl);
}

void SslFree::operator()(SSL_SESSION* session) const noexcept
{
    SSL_SESSION_free(session);
}

std::optional<TlsClientContext> TlsClientContext::create(const RunConfig& config, const TargetUrl& url,
                                                         std::string_view alpn, std::string* error)
{
    ERR_clear_error();
    // Referencing the cache also links its installer into every program that speaks TLS.
    static_cast<void>(tlsSmallBlockCacheInstalled());
    TlsClientContext tls;
    tls.context_.reset(SSL_CTX_new(TLS_client_method()));
    if (!tls.context_) {
        *error = "cannot set up TLS: " + describeLastError();
        return std::nullopt;
    }
    SSL_CTX* context = tls.context_.get();
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    // Many servers close without close_notify; that reads as the end of the stream, as on plain TCP,
    // and the HTTP framing decides whether the response was complete.
    // Renegotiation would make a write wait for a read (and RFC 9113 forbids it on HTTP/2).
    SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    // Requests are small: 4 KiB records keep each connection's write buffer at 4 KiB instead of 17
    // (13 MiB less at 1,000 connections); bodies larger than that simply go out in several records.
    SSL_CTX_set_max_send_fragment(context, 4096);
    // No read-ahead: it saves a read() per record but measured slower over HTTP/2 (240k vs 229k req/s
    // at 50 connections x 10 streams, same nginx), as each read then answers fewer responses at once.
    if (SSL_CTX_set_alpn_protos(context, reinterpret_cast<const unsigned char*>(alpn.data()),
                                unsigned(alpn.size())) != 0) { // 0 is success here
        *error = "cannot set up TLS: " + describeLastError();
        return std::nullopt;
    }
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(context, &storeSession);

    const bool ipLiteral = isIpLiteral(url.host);
    if (!ipLiteral) {
        tls.serverName_ = url.host;
    }
    if (config.insecure) {
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
        return tls;
    }
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_set_default_verify_paths(context) != 1) {
        *error = "cannot read the system's trusted certificates: " + describeLastError();
        return std::nullopt;
    }
    if (!config.caCertFile.empty() &&
        SSL_CTX_load_verify_locations(context, config.caCertFile.c_str(), nullptr) != 1) {
        *error = "cannot read CA certificates from '" + config.caCertFile + "': " + describeLastError();
        return std::nullopt;
    }
    X509_VERIFY_PARAM* param = SSL_CTX_get0_param(context);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int named = ipLiteral ? X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str())
                                : X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), url.host.size());
    if (named != 1) {
        *error = "cannot check certificates against host '" + url.host + "': " + describeLastError();
        return std::nullopt;
    }
    return tls;
}

SslPtr TlsClientContext::connect(int fd, const SslSessionPtr& resume, SslSessionPtr* sessionSlot) const
{
    SslPtr ssl(SSL_new(context_.get()));
    if (!ssl) {
        ERR_clear_error();
        return ssl;
    }
    SSL_set_connect_state(ssl.get());
    if (SSL_set_fd(ssl.get(), fd) != 1 ||
        (!serverName_.empty() && SSL_set_tlsext_host_name(ssl.get(), serverName_.c_str()) != 1)) {
        ERR_clear_error();
        return {};
    }
    if (resume) {
        SSL_set_session(ssl.get(), resume.get()); // a session the server no longer knows just means a full handshake
    }
    SSL_set_app_data(ssl.get(), sessionSlot);
    return ssl;
}

TlsProgress tlsHandshake(SSL* ssl, const char** reason)
{
    errno = 0; // SSL_ERROR_SYSCALL leaves errno as the socket left it: a stale value would lie
    const int rc = SSL_do_handshake(ssl);
    if (rc == 1) {
        return TlsProgress::Done;
    }
    const int sslError = SSL_get_error(ssl, rc);
    switch (sslError) {
    case SSL_ERROR_WANT_READ: return TlsProgress::WantRead;
    case SSL_ERROR_WANT_WRITE: return TlsProgress::WantWrite;
    default: {
        const bool transport = sslError == SSL_ERROR_SYSCALL && ERR_peek_last_error() == 0;
        *reason = failureReason(ssl, sslError);
        ERR_clear_error();
        return transport ? TlsProgress::Closed : TlsProgress::Failed;
    }
    }
}

ssize_t tlsRead(SSL* ssl, char* into, size_t size, TlsProgress* wants, const char** reason)
{
    size_t moved = 0;
    errno = 0;
    const int rc = SSL_read_ex(ssl, into, size, &moved);
    return rc == 1 ? ssize_t(moved) : failedIo(ssl, rc, wants, reason);
}

ssize_t tlsWrite(SSL* ssl, const char* from, size_t size, TlsProgress* wants, const char** reason)
{
    size_t moved = 0;
    errno = 0;
    const int rc = SSL_write_ex(ssl, from, size, &moved);
    return rc == 1 ? ssize_t(moved) : failedIo(ssl, rc, wants, reason);
}

bool tlsHasBufferedBytes(const SSL* ssl)
{
    return SSL_has_pending(ssl) == 1;
}

std::string_view tlsNegotiatedProtocol(const SSL* ssl)
{
    const unsigned char* protocol = nullptr;
    unsigned length = 0;
    SSL_get0_alpn_selected(ssl, &protocol, &length);
    return protocol != nullptr ? std::string_view(reinterpret_cast<const char*>(protocol), length) : std::string_view();
}

} // namespace benchdeck::engine
