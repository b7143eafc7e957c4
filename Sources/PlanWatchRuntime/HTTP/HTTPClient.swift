import Foundation

/// A blocking HTTP/1.1 client over a socket, with one deadline for connecting, sending and reading: the POSTs of
/// the Alertmanager sender (on its own thread) and the GETs of `planwatch fetch`. Written by hand rather than with
/// URLSession, whose Linux version (FoundationNetworking) loads libcurl at run time and is not part of the static
/// build (`make install` links the Swift runtime statically), and rather than AsyncHTTPClient, which would add
/// SwiftNIO and a vendored BoringSSL (minutes of build on 2 cores) for one request at a time. `https://` goes
/// through the system OpenSSL (`Connection`), verified against the system's CA store or a CA file of the user's.
enum HTTPClient {
    struct Response {
        var status: Int
        var body: String
        /// Header names in lower case.
        var headers: [String: String] = [:]
        var bytes: [UInt8] = []
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `http[s]://host[:port][/path]` split up; nil for anything else.
    static func parse(_ url: String) -> (secure: Bool, host: String, port: UInt16, path: String)? {
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
    static func post(_ url: String, body: [UInt8], timeout: Double, caFile: String? = nil) throws(Failure) -> Response {
        try request("POST", url, headers: ["Content-Type": "application/json"], body: body, timeout: timeout, limit: 1 << 20, caFile: caFile)
    }

    /// One request; the whole answer (at most `limit` bytes of body, else an error) within `timeout` seconds. A
    /// body shorter than its Content-Length, or a chunked body without its last chunk, is an error: the answer
    /// was cut short. `caFile` replaces the system's CA store for an `https://` URL.
    static func request(
        _ method: String, _ url: String, headers extra: [String: String] = [:], body: [UInt8] = [], timeout: Double, limit: Int,
        caFile: String? = nil
    ) throws(Failure) -> Response {
        guard let target = parse(url) else { throw Failure(description: "'\(url)' is not an http:// or https:// URL") }
        let deadline = Date().addingTimeInterval(timeout)
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw Failure(description: "cannot resolve \(target.host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            let connection = Connection(fd: fd, deadline: deadline, timeout: timeout)
            if connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else { lastError = "cannot connect: \(String(cString: strerror(errno)))"; continue }
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                guard poll(&poller, 1, Int32(max(0, deadline.timeIntervalSinceNow * 1000))) == 1 else {
                    lastError = "no connection within \(seconds(timeout)) s"
                    continue
                }
                var code: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
                guard code == 0 else { lastError = "cannot connect: \(String(cString: strerror(code)))"; continue }
            }
            if target.secure { try connection.startTLS(host: target.host, caFile: caFile) }
            let defaultPort = target.port == (target.secure ? 443 : 80)
            let host = target.host.contains(":") ? "[\(target.host)]" : target.host
            var head = "\(method) \(target.path) HTTP/1.1\r\nHost: \(host)\(defaultPort ? "" : ":\(target.port)")\r\nUser-Agent: planwatch\r\nConnection: close\r\n"
            for (name, value) in extra.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
            if method != "GET" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
            head += "\r\n"
            try connection.send(Array(head.utf8) + body)
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            // The whole answer's length, once its headers (with a Content-Length) have arrived: room for it is
            // made at once, and reading stops there.
            var complete: Int?
            var headSeen = false
            while true {
                let count = try connection.receive(into: &buffer)
                if count == 0 { break }
                response += buffer[0..<count]
                if response.count > limit + 65_536 { throw Failure(description: "the answer is larger than \(limit) bytes") }
                if !headSeen, let end = headEnd(response) {
                    headSeen = true
                    complete = contentLength(response[..<end]).map { end + 4 + $0 }
                    if let complete, complete <= limit + 65_536 { response.reserveCapacity(complete) }
                }
                if let complete, response.count >= complete { break }
            }
            return try parseResponse(&response)
        }
        throw Failure(description: lastError)
    }

    /// The status, headers and body of a whole response; `response` becomes the body (moved, not copied).
    static func parseResponse(_ response: inout [UInt8]) throws(Failure) -> Response {
        guard let split = headEnd(response) else {
            throw Failure(description: response.isEmpty ? "the connection closed without an answer" : "the answer was cut short in its headers")
        }
        let head = String(decoding: response[..<split], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw Failure(description: "not an HTTP answer: \(statusLine.prefix(60))")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        response.removeSubrange(..<(split + 4))
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            response = try dechunk(response)
        } else if let length = headers["content-length"].flatMap(Int.init), response.count < length {
            throw Failure(description: "the answer was cut short: \(response.count) of \(length) bytes")
        }
        return Response(status: status, body: String(decoding: response.prefix(4096), as: UTF8.self), headers: headers, bytes: response)
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// A chunked body joined; an error when its last (zero) chunk is missing.
    private static func dechunk(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while true {
            guard let end = (index..<max(index, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else {
                throw Failure(description: "the answer was cut short (a chunk without its size line)")
            }
            let sizeText = String(decoding: bytes[index..<end], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "the answer has a bad chunk size '\(sizeText)'")
            }
            if size == 0 { return result }
            let start = end + 2
            guard start + size <= bytes.count else { throw Failure(description: "the answer was cut short inside a chunk") }
            result += bytes[start..<(start + size)]
            index = start + size + 2
        }
    }

    /// The Content-Length a response's head states, if any.
    private static func contentLength(_ head: ArraySlice<UInt8>) -> Int? {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        guard let line = text.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) else { return nil }
        return Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
    }

    /// `1` for 1.0 seconds, `0.5` for a half.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
