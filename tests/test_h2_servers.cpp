// SPDX-License-Identifier: Apache-2.0
#include "test_h2_servers.h"

#include "test_servers.h"

#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace benchdeck::testing {
namespace {


class UniqueFd {
public:
    explicit UniqueFd(int fd) : fd_(fd) {}
    ~UniqueFd() { close(fd_); }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

struct SslDelete {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
};
struct SessionDelete {
    void operator()(nghttp2_session* session) const { nghttp2_session_del(session); }
};
struct CallbacksDelete {
    void operator()(nghttp2_session_callbacks* callbacks) const { nghttp2_session_callbacks_del(callbacks); }
};

std::string opensslError()
{
    char text[256] = "unknown error";
    if (const unsigned long code = ERR_get_error(); code != 0) {
        ERR_error_string_n(code, text, sizeof text);
    }
    return text;
}

// Without "h2" in the client's list the handshake still completes (no ALPN), so that the client, not
// a TLS alert, reports the server as one that does not speak HTTP/2; the connection is then dropped.
int selectH2(SSL*, const unsigned char** out, unsigned char* outLength, const unsigned char* in,
             unsigned int inLength, void*)
{
    for (unsigned int i = 0; i < inLength; i += 1u + in[i]) {
        if (in[i] == 2 && i + 3 <= inLength && std::memcmp(in + i + 1, "h2", 2) == 0) {
            *out = in + i + 1;
            *outLength = 2;
            return SSL_TLSEXT_ERR_OK;
        }
    }
    return SSL_TLSEXT_ERR_NOACK;
}

nghttp2_nv header(const char* name, const char* value)
{
    nghttp2_nv nv{};
    nv.name = reinterpret_cast<uint8_t*>(const_cast<char*>(name));
    nv.value = reinterpret_cast<uint8_t*>(const_cast<char*>(value));
    nv.namelen = std::strlen(name);
    nv.valuelen = std::strlen(value);
    nv.flags = NGHTTP2_NV_FLAG_NONE;
    return nv;
}

} // namespace

void H2Server::TlsContextDelete::operator()(ssl_ctx_st* context) const
{
    SSL_CTX_free(context);
}

struct H2Server::Connection {
    Connection(H2Server& owner, int client) : server(owner), fd(client) {}

    H2Server& server;
    UniqueFd fd; // declared before them: closed after the TLS state and the session that use it
    std::unique_ptr<SSL, SslDelete> ssl;
    std::unique_ptr<nghttp2_session, SessionDelete> session;
    uint64_t responses = 0;
    int32_t goawayLastId = -1; // once goawayAfter is reached: the last stream that will be answered
    bool goawaySubmitted = false;

    bool refused(int32_t streamId) const { return goawayLastId >= 0 && streamId > goawayLastId; }

    static int onBeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* userData)
    {
        auto& c = *static_cast<Connection*>(userData);
        if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST &&
            !c.refused(frame->hd.stream_id)) {
            c.server.streamsSeen_.fetch_add(1);
        }
        return 0;
    }

    // A request is complete when END_STREAM arrives, on its HEADERS or on its last DATA; bodies are
    // left to nghttp2, which drops them and keeps the flow-control windows open by itself.
    static int onFrameRecv(nghttp2_session* session, const nghttp2_frame* frame, void* userData)
    {
        auto& c = *static_cast<Connection*>(userData);
        const int32_t id = frame->hd.stream_id;
        if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) ||
            (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) == 0 || c.refused(id)) {
            return 0; // a refused stream is closed when the GOAWAY goes out, and the client retries it
        }
        H2Server& s = c.server;
        if (s.options_.stallFirstStream && id == 1) {
            return 0;
        }
        const uint64_t ordinal = s.requestsEnded_.fetch_add(1) + 1;
        if (s.options_.resetEvery != 0 && ordinal % s.options_.resetEvery == 0) {
            if (nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_INTERNAL_ERROR) != 0) {
                return NGHTTP2_ERR_CALLBACK_FAILURE;
            }
            s.resets_.fetch_add(1);
            return 0;
        }
        const nghttp2_nv headers[] = {header(":status", "200"), header("content-type", "text/plain")};
        nghttp2_data_provider body{};
        body.source.fd = 0; // bytes of the body served so far, see readBody
        body.read_callback = readBody;
        if (nghttp2_submit_response(session, id, headers, 2, &body) != 0) {
            return NGHTTP2_ERR_CALLBACK_FAILURE;
        }
        s.responses_.fetch_add(1);
        // Frozen now, not when the GOAWAY is sent, so that no stream opened after the last response
        // that counts gets answered.
        if (++c.responses == s.options_.goawayAfter) {
            c.goawayLastId = nghttp2_session_get_last_proc_stream_id(session);
        }
        return 0;
    }

    // nghttp2 keeps its own copy of the provider per stream and hands that copy back on every call,
    // so its source can hold the stream's position in the body.
    static ssize_t readBody(nghttp2_session*, int32_t, uint8_t* buffer, size_t length, uint32_t* flags,
                            nghttp2_data_source* source, void*)
    {
        static constexpr std::string_view body = "ok";
        const size_t offset = size_t(source->fd);
        const size_t n = std::min(length, body.size() - offset);
        std::memcpy(buffer, body.data() + offset, n);
        source->fd = int(offset + n);
        if (offset + n == body.size()) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
        }
        return ssize_t(n);
    }

    // A timeout (SO_RCVTIMEO / SO_SNDTIMEO) makes OpenSSL report WANT_READ / WANT_WRITE: try again.
    bool retryable(int result) const
    {
        const int error = SSL_get_error(ssl.get(), result);
        return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
    }

    bool handshake()
    {
        ssl.reset(SSL_new(server.tls_.get()));
        if (!ssl || SSL_set_fd(ssl.get(), fd.get()) != 1) {
            return false;
        }
        while (!server.stop_.load()) {
            const int result = SSL_accept(ssl.get());
            if (result == 1) {
                const unsigned char* protocol = nullptr;
                unsigned int length = 0;
                SSL_get0_alpn_selected(ssl.get(), &protocol, &length);
                return length == 2 && std::memcmp(protocol, "h2", 2) == 0;
            }
            if (!retryable(result)) {
                return false;
            }
        }
        return false;
    }

    // Bytes read, 0 for nothing yet, -1 when the connection is over (EOF or error).
    ssize_t readSome(uint8_t* buffer, size_t size)
    {
        if (ssl) {
            const int n = SSL_read(ssl.get(), buffer, int(size));
            return n > 0 ? n : (retryable(n) ? 0 : -1);
        }
        const ssize_t n = recv(fd.get(), buffer, size, 0);
        return n > 0 ? n : ((n < 0 && (errno == EAGAIN || errno == EINTR)) ? 0 : -1);
    }

    bool writeAll(std::string_view bytes)
    {
        while (!bytes.empty() && !server.stop_.load()) {
            ssize_t n = 0;
            if (ssl) {
                // A retry passes the same bytes again, as OpenSSL requires after WANT_WRITE.
                const int written = SSL_write(ssl.get(), bytes.data(), int(bytes.size()));
                n = written > 0 ? written : (retryable(written) ? 0 : -1);
            } else {
                n = send(fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
                n = n >= 0 ? n : ((errno == EAGAIN || errno == EINTR) ? 0 : -1);
            }
            if (n < 0) {
                return false;
            }
            bytes.remove_prefix(size_t(n));
        }
        return bytes.empty();
    }

    // Gathers everything nghttp2 has to send and writes it at once, rather than a syscall per frame.
    bool flush(std::string& out)
    {
        out.clear();
        while (true) {
            const uint8_t* data = nullptr;
            const ssize_t n = nghttp2_session_mem_send(session.get(), &data);
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                break;
            }
            out.append(reinterpret_cast<const char*>(data), size_t(n));
        }
        return out.empty() || writeAll(out);
    }

    // Closing with unread bytes in the receive buffer makes the kernel send RST, and that can destroy
    // the last responses and the GOAWAY before the client has read them: half-close, drain, then close.
    void lingeringClose()
    {
        if (ssl) {
            SSL_shutdown(ssl.get());
        }
        shutdown(fd.get(), SHUT_WR);
        char sink[4096];
        for (int i = 0; i < 20 && !server.stop_.load(); ++i) {
            pollfd p{fd.get(), POLLIN, 0};
            if (poll(&p, 1, 50) == 1 && recv(fd.get(), sink, sizeof sink, 0) <= 0) {
                return;
            }
        }
    }

    void run()
    {
        nghttp2_session_callbacks* rawCallbacks = nullptr;
        if (nghttp2_session_callbacks_new(&rawCallbacks) != 0) {
            return;
        }
        const std::unique_ptr<nghttp2_session_callbacks, CallbacksDelete> callbacks(rawCallbacks);
        nghttp2_session_callbacks_set_on_begin_headers_callback(rawCallbacks, onBeginHeaders);
        nghttp2_session_callbacks_set_on_frame_recv_callback(rawCallbacks, onFrameRecv);
        nghttp2_session* rawSession = nullptr;
        if (nghttp2_session_server_new(&rawSession, rawCallbacks, this) != 0) {
            return;
        }
        session.reset(rawSession);
        const nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100}};
        if (nghttp2_submit_settings(rawSession, NGHTTP2_FLAG_NONE, settings, 1) != 0) {
            return;
        }

        std::array<uint8_t, 32 * 1024> buffer{};
        std::string out;
        while (!server.stop_.load()) {
            if (!flush(out)) {
                return;
            }
            // Submitted only once every response so far is on the wire, so that the client has them
            // complete before it learns of the GOAWAY (nghttp2 would put it between HEADERS and DATA).
            if (goawayLastId >= 0 && !goawaySubmitted) {
                if (nghttp2_submit_goaway(rawSession, NGHTTP2_FLAG_NONE, goawayLastId, NGHTTP2_NO_ERROR,
                                          nullptr, 0) != 0) {
                    return;
                }
                goawaySubmitted = true;
                server.goaways_.fetch_add(1);
                continue;
            }
            // After a GOAWAY has gone out and its last streams are done, nghttp2 wants neither.
            if (nghttp2_session_want_read(rawSession) == 0 && nghttp2_session_want_write(rawSession) == 0) {
                lingeringClose();
                return;
            }
            // Decrypted bytes that OpenSSL holds already would not wake poll().
            if (!ssl || SSL_pending(ssl.get()) == 0) {
                pollfd p{fd.get(), POLLIN, 0};
                if (poll(&p, 1, 50) != 1) {
                    continue;
                }
            }
            const ssize_t n = readSome(buffer.data(), buffer.size());
            if (n < 0 || (n > 0 && nghttp2_session_mem_recv(rawSession, buffer.data(), size_t(n)) < 0)) {
                return;
            }
        }
    }
};

H2Server::H2Server(H2ServerOptions options)
    : options_(std::move(options))
{
    if (!options_.certFile.empty() && !options_.keyFile.empty()) {
        tls_.reset(SSL_CTX_new(TLS_server_method()));
        if (!tls_ || SSL_CTX_use_certificate_chain_file(tls_.get(), options_.certFile.c_str()) != 1 ||
            SSL_CTX_use_PrivateKey_file(tls_.get(), options_.keyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
            throw std::runtime_error("H2Server: " + opensslError());
        }
        SSL_CTX_set_min_proto_version(tls_.get(), TLS1_2_VERSION); // HTTP/2 forbids anything older
        SSL_CTX_set_options(tls_.get(), SSL_OP_IGNORE_UNEXPECTED_EOF);
        SSL_CTX_set_alpn_select_cb(tls_.get(), selectH2, nullptr);
    }
    fd_ = listenOnLoopback(&port_);
    thread_ = std::thread([this] {
        std::vector<std::thread> connections;
        while (!stop_.load()) {
            const int client = acceptWithTimeout(fd_);
            if (client >= 0) {
                accepted_.fetch_add(1);
                connections.emplace_back([this, client] { serve(client); });
            }
        }
        for (auto& t : connections) {
            t.join();
        }
    });
}

H2Server::~H2Server()
{
    stop_.store(true);
    thread_.join();
    close(fd_);
}

void H2Server::serve(int client)
{
    // OpenSSL writes with write(), not send(MSG_NOSIGNAL): a client that went away must not kill the
    // test process.
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &blocked, nullptr);
    // The socket stays blocking, but no read or write waits longer than this, so stop_ is seen in time.
    const timeval tick{0, 100 * 1000};
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
    setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tick, sizeof tick);
    // Each flush is one write; Nagle would hold a GOAWAY back behind an unacknowledged response.
    const int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    Connection connection(*this, client);
    if (!tls_ || connection.handshake()) {
        connection.run();
    }
}

} // namespace benchdeck::testing
