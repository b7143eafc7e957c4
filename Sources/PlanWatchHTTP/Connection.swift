import CPlanWatchTLS
import Foundation

/// One connected, non-blocking socket for `HTTPClient`, plain or wrapped in TLS (the system OpenSSL), whose reads
/// and writes wait at most until a deadline. TLS verifies the server's certificate against the system's CA store
/// (`/etc/ssl/certs`, Debian's ca-certificates) or, when given, a CA file of the user's own, and checks that the
/// certificate names the host (or the IP address) the URL names.
package final class Connection {
    private let fd: Int32
    private let deadline: Date
    private let timeout: Double
    private var context: OpaquePointer?
    private var tls: OpaquePointer?

    /// Takes over `fd`, connected: it is closed with the connection.
    package init(fd: Int32, deadline: Date, timeout: Double) {
        self.fd = fd
        self.deadline = deadline
        self.timeout = timeout
    }

    /// Wraps the connection in TLS: the handshake, the certificate verified for `host`.
    package func startTLS(host: String, caFile: String?) throws(HTTPClient.Failure) {
        // OpenSSL writes with write(2), not send(2) with MSG_NOSIGNAL: a server that hangs up mid-request would
        // end the process with SIGPIPE. Ignored, the write fails with EPIPE and the request with a reason.
        _ = Connection.ignoreBrokenPipes
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw HTTPClient.Failure(description: "cannot start TLS: \(Connection.openSSLError())")
        }
        self.context = context
        planwatch_tls_set_minimum_tls12(context)
        planwatch_tls_ignore_unexpected_eof(context)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        if let caFile {
            guard access(caFile, R_OK) == 0 else {
                throw HTTPClient.Failure(
                    description: "cannot read the CA file \(caFile): \(String(cString: strerror(errno)))")
            }
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                throw HTTPClient.Failure(
                    description:
                        "the CA file \(caFile) holds no certificate OpenSSL can read; give ca_file a PEM file of CA certificates"
                )
            }
        } else {
            SSL_CTX_set_default_verify_paths(context)
        }
        guard let tls = SSL_new(context) else {
            throw HTTPClient.Failure(description: "cannot start TLS: \(Connection.openSSLError())")
        }
        self.tls = tls
        // The name to verify: an IP address is matched against the certificate's IP entries, a name against its
        // DNS entries (and sent as SNI, which an address never is).
        var address = in6_addr()
        let isAddress = inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
        if isAddress {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(tls), host)
        } else {
            planwatch_tls_set_server_name(tls, host)
            SSL_set1_host(tls, host)
        }
        SSL_set_fd(tls, fd)
        while true {
            ERR_clear_error()
            let result = SSL_connect(tls)
            if result == 1 { break }
            let code = SSL_get_error(tls, result)
            if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE {
                guard wait(code == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT) else {
                    throw HTTPClient.Failure(description: "no TLS handshake within \(HTTPClient.seconds(timeout)) s")
                }
                continue
            }
            let verified = SSL_get_verify_result(tls)
            if verified != X509_V_OK {
                let reason = String(cString: X509_verify_cert_error_string(verified))
                let hint = "; if a CA of your own signed it, give its certificate as ca_file"
                throw HTTPClient.Failure(
                    description:
                        "the server's certificate is not trusted\(caFile.map { " by \($0)" } ?? ""): \(reason)\(caFile == nil ? hint : "")"
                )
            }
            throw HTTPClient.Failure(description: "the TLS handshake failed: \(Connection.openSSLError(code: code))")
        }
    }

    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    deinit {
        if let tls { SSL_free(tls) }
        if let context { SSL_CTX_free(context) }
        close(fd)
    }

    /// Waits until the socket is ready for `events` or the deadline passes (false).
    private func wait(_ events: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            let ready = poll(&poller, 1, Int32(max(0, deadline.timeIntervalSinceNow * 1000)))
            if ready < 0, errno == EINTR { continue }
            return ready == 1
        }
    }

    /// Sends all of `bytes` before the deadline.
    package func send(_ bytes: [UInt8]) throws(HTTPClient.Failure) {
        var offset = 0
        while offset < bytes.count {
            if let tls {
                ERR_clear_error()
                let written = bytes[offset...].withUnsafeBytes {
                    SSL_write(tls, $0.baseAddress, Int32(clamping: $0.count))
                }
                if written > 0 { offset += Int(written); continue }
                let code = SSL_get_error(tls, written)
                guard code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE else {
                    throw HTTPClient.Failure(
                        description: "the connection broke while sending: \(Connection.openSSLError(code: code))")
                }
                guard wait(code == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT) else {
                    throw HTTPClient.Failure(description: "timed out sending after \(HTTPClient.seconds(timeout)) s")
                }
            } else {
                guard wait(POLLOUT) else {
                    throw HTTPClient.Failure(description: "timed out sending after \(HTTPClient.seconds(timeout)) s")
                }
                let sent = bytes[offset...].withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if sent < 0 {
                    if errno == EAGAIN || errno == EINTR { continue }
                    throw HTTPClient.Failure(
                        description: "the connection broke while sending: \(String(cString: strerror(errno)))")
                }
                offset += sent
            }
        }
    }

    /// Reads what has arrived into `buffer` (waiting for it until the deadline); 0 at the end of the stream.
    package func receive(into buffer: inout [UInt8]) throws(HTTPClient.Failure) -> Int {
        while true {
            if let tls {
                // TLS may hold decrypted bytes the socket no longer shows: read first, wait only when it asks.
                ERR_clear_error()
                let count = buffer.withUnsafeMutableBytes { SSL_read(tls, $0.baseAddress, Int32(clamping: $0.count)) }
                if count > 0 { return Int(count) }
                let code = SSL_get_error(tls, count)
                if code == SSL_ERROR_ZERO_RETURN { return 0 }
                guard code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE else {
                    throw HTTPClient.Failure(
                        description: "the connection broke while reading: \(Connection.openSSLError(code: code))")
                }
                guard wait(code == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT) else {
                    throw HTTPClient.Failure(description: "no answer within \(HTTPClient.seconds(timeout)) s")
                }
            } else {
                guard wait(POLLIN) else {
                    throw HTTPClient.Failure(description: "no answer within \(HTTPClient.seconds(timeout)) s")
                }
                let count = recv(fd, &buffer, buffer.count, 0)
                if count < 0 {
                    if errno == EAGAIN || errno == EINTR { continue }
                    throw HTTPClient.Failure(
                        description: "the connection broke while reading: \(String(cString: strerror(errno)))")
                }
                return count
            }
        }
    }

    /// OpenSSL's reason for the last failure on this thread (its queue of errors), or what `code` means.
    private static func openSSLError(code: Int32? = nil) -> String {
        let error = ERR_get_error()
        if error != 0, let reason = ERR_reason_error_string(error) { return String(cString: reason) }
        switch code {
        case SSL_ERROR_SYSCALL?:
            return errno == 0 ? "the server closed the connection" : String(cString: strerror(errno))
        case let code?: return "OpenSSL error \(code)"
        case nil: return "unknown OpenSSL error"
        }
    }
}
