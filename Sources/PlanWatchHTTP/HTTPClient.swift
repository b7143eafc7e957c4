import Foundation
import PlanWatchCore

/// A blocking HTTP/1.1 client over a socket, with one deadline for connecting, sending and reading: the POSTs of
/// the Alertmanager sender (on its own thread) and the GETs of `planwatch fetch`. Written by hand rather than with
/// URLSession, whose Linux version (FoundationNetworking) loads libcurl at run time and is not part of the static
/// build (`make install` links the Swift runtime statically), and rather than AsyncHTTPClient, which would add
/// SwiftNIO and a vendored BoringSSL (minutes of build on 2 cores) for one request at a time. `https://` goes
/// through the system OpenSSL (`Connection`), verified against the system's CA store or a CA file of the user's.
package enum HTTPClient {
    package struct Response {
        package var status: Int
        /// The first `excerptLimit` bytes of a body that was not streamed to a sink, as text (for messages).
        package var body: String
        /// Header names in lower case.
        package var headers: [String: String] = [:]

        /// The body's first `length` characters for a message: runs of whitespace as one space, control characters
        /// as visible escapes (it is the server's text, printed to people), `…` when there was more.
        package func excerpt(_ length: Int) -> String {
            let words = body.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return terminalSafe(String(words.prefix(length))) + (words.count > length ? "…" : "")
        }
    }

    /// How much of an answer's body is kept when it is not streamed to a sink (an error page, a redirect, an
    /// Alertmanager's reply): enough for a message. The rest is not read: the connection is closed instead, so a
    /// 500 with a 900 MB page costs 4 KiB of memory and no time, not 900 MB.
    package static let excerptLimit = 4096

    package struct Failure: Error, CustomStringConvertible, Equatable {
        package var description: String

        package init(description: String) {
            self.description = description
        }
    }

    /// `http[s]://host[:port][/path]` split up; nil for anything else.
    package static func parse(_ url: String) -> (secure: Bool, host: String, port: UInt16, path: String)? {
        let secure = url.lowercased().hasPrefix("https://")
        guard secure || url.lowercased().hasPrefix("http://") else { return nil }
        var rest = Substring(url.dropFirst(secure ? "https://".count : "http://".count))
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        rest = rest[slash...]
        var host = String(authority)
        var port: UInt16 = secure ? 443 : 80
        if authority.hasPrefix("[") {  // [::1]:9093
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { guard let number = UInt16(after.dropFirst()) else { return nil }; port = number }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let number = UInt16(authority[authority.index(after: colon)...]) else { return nil }
            port = number
        }
        guard !host.isEmpty else { return nil }
        return (secure, host, port, rest.isEmpty ? "/" : String(rest))
    }

    /// POSTs `body` (JSON) to `url` within `timeout` seconds.
    package static func post(
        _ url: String, body: [UInt8], timeout: Double, caFile: String? = nil
    ) throws(Failure) -> Response {
        try request(
            "POST", url, headers: ["Content-Type": "application/json"], body: body, timeout: timeout, limit: 1 << 20,
            caFile: caFile)
    }

    /// An HTTP proxy (`https_proxy`, `http_proxy`): where to connect, and the `Proxy-Authorization` its URL's
    /// user and password make (Basic).
    package struct Proxy: Equatable, CustomStringConvertible {
        package var host: String
        package var port: UInt16
        package var authorization: String?
        package var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

        /// `http://[USER:PASSWORD@]HOST[:PORT]` (the scheme may be left out; the port defaults to 1080, as curl's).
        package init?(_ text: String) {
            var rest = Substring(text.trimmingCharacters(in: .whitespaces))
            if rest.lowercased().hasPrefix("http://") {
                rest = rest.dropFirst("http://".count)
            } else if rest.contains("://") {
                return nil
            }
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
            if let at = rest.lastIndex(of: "@") {
                let credentials = rest[..<at].removingPercentEncoding ?? String(rest[..<at])
                authorization = "Basic " + Data(credentials.utf8).base64EncodedString()
                rest = rest[rest.index(after: at)...]
            }
            guard
                let parsed = HTTPClient.parse(
                    "http://" + rest + (rest.contains(":") && !rest.hasSuffix("]") ? "" : ":1080"))
            else { return nil }
            host = parsed.host
            port = parsed.port
        }
    }

    /// The proxy the environment names for `url`, curl's way: `https_proxy` (or `HTTPS_PROXY`) for https,
    /// `http_proxy` for http (lower case only: a CGI program's `HTTP_PROXY` comes from a request's `Proxy:` header),
    /// none for a host `no_proxy` (or `NO_PROXY`) lists — `*`, a name, a domain (`.office.internal` or
    /// `office.internal` covers its subdomains), an address. Throws for a proxy URL it cannot read.
    package static func proxy(
        for url: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Failure) -> Proxy? {
        guard let target = parse(url) else { return nil }
        let names = target.secure ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy"]
        guard let name = names.first(where: { !(environment[$0] ?? "").isEmpty }), let text = environment[name] else {
            return nil
        }
        let exceptions = (environment["no_proxy"] ?? environment["NO_PROXY"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        let host = target.host.lowercased()
        for exception in exceptions {
            if exception == "*" { return nil }
            let domain = exception.hasPrefix(".") ? String(exception.dropFirst()) : exception
            let bare = domain.split(separator: ":").first.map(String.init) ?? domain
            if host == bare || host.hasSuffix("." + bare) { return nil }
        }
        guard let proxy = Proxy(text) else {
            throw Failure(
                description:
                    "\(name) is '\(text)', not a proxy address planwatch can use; write http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT)"
            )
        }
        return proxy
    }

    /// Where a 200 answer's body goes as it arrives (`planwatch fetch` writes it to disk, so memory stays flat).
    package typealias BodySink = (UnsafeRawBufferPointer) throws(Failure) -> Void

    /// One request; the answer within `timeout` seconds. With `sink`, a 200 answer's body is handed to it chunk by
    /// chunk (at most `limit` bytes, else an error); a body shorter than its Content-Length, or a chunked body
    /// without its last chunk, is an error: the answer was cut short. Any other body is read only up to its first
    /// `excerptLimit` bytes, kept in `Response.body`. `caFile` replaces the system's CA store for an `https://` URL.
    package static func request(
        _ method: String, _ url: String, headers extra: [String: String] = [:], body: [UInt8] = [], timeout: Double,
        limit: Int,
        caFile: String? = nil, sink: BodySink? = nil, proxy: Proxy? = nil
    ) throws(Failure) -> Response {
        guard let target = parse(url) else { throw Failure(description: "'\(url)' is not an http:// or https:// URL") }
        let deadline = Date().addingTimeInterval(timeout)
        // Through a proxy the connection is to the proxy: a tunnel (CONNECT) for https, the whole URL for http.
        let peer = proxy.map { ($0.host, $0.port) } ?? (target.host, target.port)
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(peer.0, String(peer.1), &hints, &list)
        guard resolved == 0, let first = list else {
            throw Failure(
                description:
                    "cannot resolve \(proxy == nil ? "" : "the proxy ")\(peer.0): \(String(cString: gai_strerror(resolved)))"
            )
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(
                address.pointee.ai_family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            let connection = Connection(fd: fd, deadline: deadline, timeout: timeout)
            if connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else {
                    lastError = "cannot connect: \(String(cString: strerror(errno)))"; continue
                }
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                guard poll(&poller, 1, Int32(max(0, deadline.timeIntervalSinceNow * 1000))) == 1 else {
                    lastError = "no connection within \(seconds(timeout)) s"
                    continue
                }
                var code: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
                guard code == 0 else {
                    lastError =
                        "cannot connect\(proxy.map { " to the proxy \($0)" } ?? ""): \(String(cString: strerror(code)))";
                    continue
                }
            }
            let defaultPort = target.port == (target.secure ? 443 : 80)
            let host = target.host.contains(":") ? "[\(target.host)]" : target.host
            let authority = host + (defaultPort ? "" : ":\(target.port)")
            if let proxy, target.secure { try tunnel(connection, to: "\(host):\(target.port)", through: proxy) }
            if target.secure { try connection.startTLS(host: target.host, caFile: caFile) }
            // Plain http through a proxy names the whole URL, and carries the proxy's credentials.
            let requestTarget = proxy != nil && !target.secure ? "http://\(authority)\(target.path)" : target.path
            var head =
                "\(method) \(requestTarget) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: planwatch\r\nConnection: close\r\n"
            if let credentials = proxy?.authorization, !target.secure {
                head += "Proxy-Authorization: \(credentials)\r\n"
            }
            for (name, value) in extra.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
            if method != "GET" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
            head += "\r\n"
            try connection.send(Array(head.utf8) + body)
            return try receive(connection, method: method, limit: limit, sink: sink)
        }
        throw Failure(description: lastError)
    }

    /// Reads the answer: its head, then its body as its framing says (a length, chunks, or until the server
    /// closes), handed to `sink`, or its first `excerptLimit` bytes kept and the rest left unread.
    private static func receive(
        _ connection: Connection, method: String, limit: Int, sink: BodySink?
    ) throws(Failure) -> Response {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var received: [UInt8] = []
        var end: Int?
        while end == nil {
            let count = try connection.receive(into: &buffer)
            guard count > 0 else {
                throw Failure(
                    description: received.isEmpty
                        ? "the connection closed without an answer" : "the answer was cut short in its headers")
            }
            received += buffer[0..<count]
            end = headEnd(received)
            if end == nil, received.count > 65_536 {
                throw Failure(description: "the answer's headers are larger than 64 KiB")
            }
        }
        var response = try parseHead(received[..<end!])
        let rest = received[(end! + 4)...]
        let streaming = sink != nil && response.status == 200
        var kept: [UInt8] = []
        let bodiless = method == "HEAD" || response.status == 204 || response.status == 304
        var reader = BodyReader(headers: response.headers, limit: streaming ? limit : Int.max, bodiless: bodiless)
        let deliver: BodySink = { (chunk: UnsafeRawBufferPointer) throws(Failure) in
            if streaming {
                try sink!(chunk)
            } else {
                kept.append(contentsOf: chunk.prefix(excerptLimit - kept.count))
            }
        }
        func feed(_ bytes: ArraySlice<UInt8>) throws(Failure) {
            var failure: Failure?
            bytes.withUnsafeBytes { chunk in
                do throws(Failure) { try reader.feed(chunk, deliver) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        try feed(rest)
        // A kept body stops at its excerpt: whatever the server still sends is never read into memory.
        while !reader.isDone, streaming || kept.count < excerptLimit {
            let count = try connection.receive(into: &buffer)
            if count == 0 { try reader.finish(); break }
            try feed(buffer[0..<count])
        }
        response.body = String(decoding: kept, as: UTF8.self)
        return response
    }

    /// Asks the proxy for a tunnel to `authority` (`CONNECT host:port`); anything but a 2xx is a failure naming the
    /// proxy and what it said. What follows the proxy's answer on the connection is the server's TLS.
    private static func tunnel(_ connection: Connection, to authority: String, through proxy: Proxy) throws(Failure) {
        var head = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: planwatch\r\n"
        if let credentials = proxy.authorization { head += "Proxy-Authorization: \(credentials)\r\n" }
        try connection.send(Array((head + "\r\n").utf8))
        // Read byte by byte up to the blank line: nothing of the server's TLS may be taken as the proxy's.
        var answer: [UInt8] = []
        var byte = [UInt8](repeating: 0, count: 1)
        while !answer.suffix(4).elementsEqual([13, 10, 13, 10]) {
            guard try connection.receive(into: &byte) == 1 else {
                throw Failure(
                    description: "the proxy \(proxy) closed the connection instead of opening a tunnel to \(authority)")
            }
            answer.append(byte[0])
            if answer.count > 16_384 {
                throw Failure(description: "the proxy \(proxy) sent an answer with headers larger than 16 KiB")
            }
        }
        let response = try parseHead(answer[..<(answer.count - 4)])
        guard (200..<300).contains(response.status) else {
            let line = terminalSafe(String(decoding: answer.prefix { $0 != 13 }, as: UTF8.self))
            let hint =
                response.status == 407
                ? (proxy.authorization == nil
                    ? "; give its user and password in the proxy URL (http://USER:PASSWORD@HOST:PORT)"
                    : "; check the user and password in the proxy URL") : ""
            throw Failure(description: "the proxy \(proxy) did not open a tunnel to \(authority): \(line)\(hint)")
        }
    }

    /// The status and headers of an answer's head (without its blank line).
    package static func parseHead(_ head: ArraySlice<UInt8>) throws(Failure) -> Response {
        var lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw Failure(description: "not an HTTP answer: \(terminalSafe(String(statusLine.prefix(60))))")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return Response(status: status, body: "", headers: headers)
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// `1` for 1.0 seconds, `0.5` for a half.
    package static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// An answer's body as it arrives, by its framing (RFC 9112 §6): a Content-Length, chunks (sizes in hex, each chunk
/// followed by CRLF, a zero size last; trailers ignored), or everything until the server closes. At most `limit`
/// bytes of body; a body that ends early is an error: the answer was cut short.
package struct BodyReader {
    package enum Framing: Equatable {
        case length(Int)
        case chunked
        case untilClose
    }

    package let framing: Framing
    private let limit: Int
    private(set) var delivered = 0
    private(set) var isDone = false
    /// Chunked: the size line read so far, and what is left of the current chunk (then its CRLF).
    private var sizeLine: [UInt8] = []
    private var chunkLeft = 0
    private var crlfLeft = 0

    package init(headers: [String: String], limit: Int, bodiless: Bool = false) {
        self.limit = limit
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            framing = .chunked
        } else if let length = headers["content-length"].flatMap(Int.init) {
            framing = .length(length)
        } else {
            framing = .untilClose
        }
        if bodiless || framing == .length(0) { isDone = true }
    }

    /// Takes what arrived, handing the body's bytes in it to `deliver`.
    package mutating func feed(
        _ bytes: UnsafeRawBufferPointer, _ deliver: HTTPClient.BodySink
    ) throws(HTTPClient.Failure) {
        var index = 0
        while index < bytes.count, !isDone {
            switch framing {
            case .length(let length):
                let take = min(bytes.count - index, length - delivered)
                try hand(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]), deliver)
                index += take
                if delivered == length { isDone = true }
            case .untilClose:
                try hand(UnsafeRawBufferPointer(rebasing: bytes[index...]), deliver)
                index = bytes.count
            case .chunked:
                if crlfLeft > 0 {
                    crlfLeft -= 1
                    index += 1
                } else if chunkLeft > 0 {
                    let take = min(bytes.count - index, chunkLeft)
                    try hand(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]), deliver)
                    index += take
                    chunkLeft -= take
                    if chunkLeft == 0 { crlfLeft = 2 }
                } else {
                    let byte = bytes[index]
                    index += 1
                    guard byte == 10 else {
                        sizeLine.append(byte)
                        if sizeLine.count > 1024 {
                            throw HTTPClient.Failure(description: "the answer has a chunk size line longer than 1 KiB")
                        }
                        continue
                    }
                    let text = String(decoding: sizeLine, as: UTF8.self).split(separator: ";").first ?? ""
                    sizeLine = []
                    guard let size = Int(text.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16), size >= 0
                    else {
                        throw HTTPClient.Failure(
                            description:
                                "the answer has a bad chunk size '\(text.trimmingCharacters(in: .whitespacesAndNewlines))'"
                        )
                    }
                    if size == 0 { isDone = true } else { chunkLeft = size }
                }
            }
        }
    }

    /// The server closed: fine for a body read until then, else the answer was cut short.
    package mutating func finish() throws(HTTPClient.Failure) {
        switch framing {
        case .untilClose:
            isDone = true
        case .length(let length):
            throw HTTPClient.Failure(description: "the answer was cut short: \(delivered) of \(length) bytes")
        case .chunked:
            throw HTTPClient.Failure(
                description: chunkLeft > 0
                    ? "the answer was cut short inside a chunk"
                    : "the answer was cut short (a chunk without its size line)")
        }
    }

    private mutating func hand(
        _ chunk: UnsafeRawBufferPointer, _ deliver: HTTPClient.BodySink
    ) throws(HTTPClient.Failure) {
        guard !chunk.isEmpty else { return }
        delivered += chunk.count
        if delivered > limit { throw HTTPClient.Failure(description: "the answer is larger than \(limit) bytes") }
        try deliver(chunk)
    }
}
