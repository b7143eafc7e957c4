// The system OpenSSL (Debian: libssl3, headers from libssl-dev), for https:// in planwatch fetch. Linked from the
// system rather than vendored (swift-nio-ssl's BoringSSL) so that Debian's security updates of libssl3 reach
// planwatch without a rebuild, as they do for libsqlite3 and zlib. The functions OpenSSL defines as macros are
// wrapped here, because Swift imports functions, not function-like macros.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

static inline long planwatch_tls_set_server_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

static inline int planwatch_tls_set_minimum_tls12(SSL_CTX *context) {
    return (int)SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
}

static inline void planwatch_tls_ignore_unexpected_eof(SSL_CTX *context) {
    // A server that closes without close_notify ends the body like a plain connection does; a body shorter
    // than its Content-Length, or a chunked body without its last chunk, is still caught by the HTTP parser.
    SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF);
}
