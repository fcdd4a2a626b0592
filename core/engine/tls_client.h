// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <openssl/types.h>
typedef struct ssl_session_st SSL_SESSION; // <openssl/ssl.h> names it; the whole header is not needed here

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace benchdeck::engine {

struct RunConfig;
struct TargetUrl;

inline constexpr std::string_view kAlpnHttp11{"\x08http/1.1", 9};
inline constexpr std::string_view kAlpnHttp2{"\x02h2", 3};

struct SslFree {
    void operator()(SSL_CTX* context) const noexcept;
    void operator()(SSL* ssl) const noexcept;
    void operator()(SSL_SESSION* session) const noexcept;
};
using SslContextPtr = std::unique_ptr<SSL_CTX, SslFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;
using SslSessionPtr = std::unique_ptr<SSL_SESSION, SslFree>;

// The run's TLS settings for the fast path, built once before the workers start; each worker then
// creates its connections from it (creating SSL objects from a configured context is thread-safe).
// Verification is on unless the plan says --insecure: the system's trust store, plus the plan's
// --cacert file, and the URL's host checked against the certificate's names (or IP addresses).
class TlsClientContext {
public:
    // `alpn`: the protocols to offer, in ALPN wire format (kAlpnHttp11, kAlpnHttp2).
    static std::optional<TlsClientContext> create(const RunConfig& config, const TargetUrl& url, std::string_view alpn,
                                                  std::string* error);

    // A client connection over `fd`, resuming `resume` when it holds a session; new session tickets
    // the server sends later are stored into `*sessionSlot` (which must outlive the connection).
    SslPtr connect(int fd, const SslSessionPtr& resume, SslSessionPtr* sessionSlot) const;

private:
    SslContextPtr context_;
    std::string serverName_; // SNI: empty for IP literals, which RFC 6066 forbids sending
};

// One step of a non-blocking TLS operation. Failed: TLS itself refused (a certificate, a protocol
// error); Closed: the connection under it was reset or closed, as an overloaded server does.
enum class TlsProgress { Done, WantRead, WantWrite, Failed, Closed };

// Drives the handshake; on Failed or Closed, `*reason` is a static text (no allocation) saying why,
// such as "certificate has expired" or "Hostname mismatch".
TlsProgress tlsHandshake(SSL* ssl, const char** reason);

// read()/send()-like: bytes moved, 0 at the end of the stream (close_notify or a plain close), or -1
// with errno EAGAIN (`*wants` says which readiness to wait for) or ECONNRESET (`*reason` says why).
ssize_t tlsRead(SSL* ssl, char* into, size_t size, TlsProgress* wants, const char** reason);
ssize_t tlsWrite(SSL* ssl, const char* from, size_t size, TlsProgress* wants, const char** reason);

// Whether OpenSSL holds decrypted bytes a level-triggered poll will not announce.
bool tlsHasBufferedBytes(const SSL* ssl);

// The protocol the server chose by ALPN ("h2", "http/1.1"), empty when it chose none.
std::string_view tlsNegotiatedProtocol(const SSL* ssl);

} // namespace benchdeck::engine
