import Foundation
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest

/// `planwatch fetch`: gets each fetching source's file (SPEC §9c) and hands what changed to the inbox by the
/// rename protocol (written as a dotfile, renamed whole), where the daemon ingests it like any drop. An http source
/// is asked with its last validators (`If-None-Match`, `If-Modified-Since`): 304 is "not modified"; a 200 whose
/// bytes equal the last file dropped is "unchanged"; so each changed file arrives exactly once. Redirects are
/// followed (five at most). Every attempt and its outcome are recorded; a source failing three times in a row
/// raises a `fetch_failed` data alert.
public struct Fetcher: Sendable {
    public let configuration: Configuration
    public let store: Store
    public var timeout: Double = 30
    public var now: @Sendable () -> Date = { Date() }
    /// Where `https_proxy`, `http_proxy` and `no_proxy` are read (the process's environment).
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init(configuration: Configuration, store: Store) {
        self.configuration = configuration
        self.store = store
    }

    public enum Outcome: String, Sendable {
        case changed, unchanged
        case notModified = "not_modified"
        case notDue = "not_due"
        case failed
    }

    public struct Result: Sendable {
        public var source: String
        public var outcome: Outcome
        /// A sentence for people: what arrived, or what went wrong (source, address, status).
        public var message: String
    }

    /// When a source is next due (seconds since 1970): `every` after the last attempt that worked; nil when it is
    /// due at the next run (no `every`, never fetched, or failed last time).
    public static func nextDue(_ spec: FetchSpec, _ state: FetchState?) -> Double? {
        guard let every = spec.every, let checked = state?.checkedAt, state?.lastOutcome != Outcome.failed.rawValue
        else { return nil }
        return checked + Double(every.approximateSeconds)
    }

    /// One line per source for `planwatch fetch --list`: where it fetches from, how often, the last attempt and
    /// its outcome, and when it is due.
    public static func describe(_ source: DataSource, _ state: FetchState?) -> String {
        guard let spec = source.fetch else { return "\(source.id): does not fetch" }
        let address = terminalSafe(spec.location.address)
        var line = "\(source.id): \(address), " + (spec.every.map { "every \($0)" } ?? "every run")
        if let state, let checked = state.checkedAt {
            let when = rfc3339(Date(timeIntervalSince1970: checked))
            if state.lastOutcome == Outcome.failed.rawValue {
                // Escaped again: an error stored by an older release may hold a server's text raw.
                let error = terminalSafe(state.lastError ?? "unknown error")
                line += "; last tried \(when): failed (\(state.failures) in a row): \(error)"
            } else {
                line += "; last tried \(when): \((state.lastOutcome ?? "").replacingOccurrences(of: "_", with: " "))"
            }
        } else {
            line += "; never fetched"
        }
        if let next = nextDue(spec, state) {
            line += "; due \(rfc3339(Date(timeIntervalSince1970: next)))"
        } else {
            line += "; due at the next run"
        }
        return line
    }

    /// Failures in a row that raise `fetch_failed`.
    public static let failuresBeforeAlert = 3

    /// Fetches `source` if it is due (or `force`): receives it into a `Download`, compares it with the last file
    /// dropped, and drops it into the inbox when it changed.
    public func fetch(_ source: DataSource, force: Bool = false) throws(StoreError) -> Result {
        guard let spec = source.fetch else {
            return Result(source: source.id, outcome: .notDue, message: "\(source.id): does not fetch")
        }
        let state = try store.fetchState(source.id)
        let time = now().timeIntervalSince1970
        if !force, let next = Fetcher.nextDue(spec, state), next > time {
            return Result(
                source: source.id, outcome: .notDue,
                message: "\(source.id): not due until \(rfc3339(Date(timeIntervalSince1970: next)))")
        }
        var arrival = Arrival(address: spec.location.address)
        let download: Download
        do {
            download = try Download(inbox: try inbox(), source: source.id)
        } catch {
            return try failed(source, address: arrival.address, error: "\(error)", state: state, time: time)
        }
        do {
            try receive(spec, state: state, into: download, &arrival)
        } catch {
            download.discard()
            return try failed(
                source, address: arrival.address, error: "\(error)", state: state, time: time, through: arrival.through)
        }
        guard !arrival.notModified else {
            download.discard()
            try store.recordFetch(
                source.id, outcome: Outcome.notModified.rawValue, at: time, etag: nil, lastModified: nil, sha256: nil,
                changed: false, error: nil)
            return Result(
                source: source.id, outcome: .notModified,
                message: "\(source.id): not modified (\(spec.location.address))")
        }
        let digest = download.digest
        if digest == state?.sha256 {
            download.discard()
            try store.recordFetch(
                source.id, outcome: Outcome.unchanged.rawValue, at: time, etag: arrival.etag,
                lastModified: arrival.lastModified, sha256: digest, changed: false, error: nil)
            return Result(
                source: source.id, outcome: .unchanged, message: "\(source.id): unchanged (\(arrival.address))")
        }
        let name = try freeName(for: source.id, head: download.head)
        // Recorded before it enters the inbox, so the daemon never finds it without knowing its source; the vintage
        // of its values that state none (with `fetched`, of every value: the source's reading ignores the file's).
        let vintage = spec.vintage == .lastModified ? Vintage.time(arrival.modifiedAt ?? time) : Vintage.time(time)
        try store.recordFetchedFile(
            FetchedFile(
                name: name, source: source.id, url: arrival.address, fetchedAt: time, sha256: digest, vintage: vintage))
        do {
            try download.drop(as: name)
        } catch {
            try store.forgetFetchedFile(name)
            download.discard()
            return try failed(source, address: arrival.address, error: "\(error)", state: state, time: time)
        }
        try store.recordFetch(
            source.id, outcome: Outcome.changed.rawValue, at: time, etag: arrival.etag,
            lastModified: arrival.lastModified, sha256: digest, changed: true, error: nil)
        return Result(
            source: source.id, outcome: .changed,
            message:
                "\(source.id): \(download.size) bytes from \(arrival.address)\(arrival.through) dropped into the inbox as \(name)"
        )
    }

    /// What a fetch learned on the way: where the file came from (after redirects), its validators, when it was
    /// last changed where it is published (the answer's Last-Modified, a shared file's time), or that it was not.
    private struct Arrival {
        var address: String
        var etag: String?
        var lastModified: String?
        var modifiedAt: Double?
        var notModified = false
        /// The proxy it came through, if any.
        var proxy: HTTPClient.Proxy?
        /// ` through the proxy HOST:PORT`, for the messages.
        var through: String { proxy.map { " through the proxy \($0)" } ?? "" }
    }

    /// The inbox, created when missing.
    private func inbox() throws(HTTPClient.Failure) -> String {
        let inbox = configuration.settings.stateDirectory + "/inbox"
        if !FileManager.default.fileExists(atPath: inbox) {
            do {
                try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
            } catch {
                throw HTTPClient.Failure(description: "cannot create the inbox \(inbox): \(error.localizedDescription)")
            }
        }
        return inbox
    }

    /// Copies a shared file, or asks the address (with the last validators, following redirects) and writes a
    /// 200's body into `download` as it arrives: memory stays flat whatever its size.
    private func receive(
        _ spec: FetchSpec, state: FetchState?, into download: Download, _ arrival: inout Arrival
    ) throws(HTTPClient.Failure) {
        let limit = Int(configuration.settings.maxFileSize)
        switch spec.location {
        case .path(let path):
            arrival.modifiedAt = try download.copy(from: path, limit: limit)
        case .url(let url):
            let timeout = spec.timeout.map { Double(max(1, $0.approximateSeconds)) } ?? self.timeout
            var headers = spec.headers
            if let tag = state?.etag, state?.sha256 != nil { headers["If-None-Match"] = tag }
            if let date = state?.lastModified, state?.sha256 != nil { headers["If-Modified-Since"] = date }
            let sink: HTTPClient.BodySink = { (chunk) throws(HTTPClient.Failure) in try download.append(chunk) }
            // The environment's proxy (https_proxy, http_proxy, no_proxy), asked again at each redirect's host.
            arrival.proxy = try HTTPClient.proxy(for: url, environment: environment)
            var response = try HTTPClient.request(
                "GET", url, headers: headers, timeout: timeout, limit: limit, caFile: spec.caFile, sink: sink,
                proxy: arrival.proxy)
            var hops = 0
            while [301, 302, 303, 307, 308].contains(response.status) {
                hops += 1
                guard hops <= 5, let location = response.headers["location"] else {
                    throw HTTPClient.Failure(
                        description: hops > 5 ? "more than 5 redirects" : "HTTP \(response.status) without a Location")
                }
                let next = HTTPClient.resolve(location, against: arrival.address)
                if HTTPClient.parse(arrival.address)?.secure == true, HTTPClient.parse(next)?.secure == false {
                    throw HTTPClient.Failure(description: "refused a redirect from https to plain http (\(next))")
                }
                arrival.address = next
                arrival.proxy = try HTTPClient.proxy(for: next, environment: environment)
                response = try HTTPClient.request(
                    "GET", next, headers: headers, timeout: timeout, limit: limit, caFile: spec.caFile, sink: sink,
                    proxy: arrival.proxy)
            }
            if response.status == 304 {
                // Only an answer to validators of the last file says "keep what you have"; without them there is
                // nothing kept, and a server that always answers 304 would look healthy while delivering nothing.
                let validators = ["if-none-match", "if-modified-since"]
                let conditional = headers.keys.contains { validators.contains($0.lowercased()) }
                guard conditional else {
                    throw HTTPClient.Failure(description: """
                        HTTP 304 Not Modified to a request without validators (no If-None-Match or If-Modified-Since): \
                        there is no earlier file to compare with, so nothing arrived; the server must answer 200 with \
                        the file (check the address and the server's caching)
                        """)
                }
                arrival.notModified = true
                return
            }
            guard response.status == 200 else {
                let excerpt = response.excerpt(120)
                throw HTTPClient.Failure(
                    description: "HTTP \(response.status)" + (excerpt.isEmpty ? "" : ": \(excerpt)"))
            }
            arrival.etag = response.headers["etag"]
            arrival.lastModified = response.headers["last-modified"]
            arrival.modifiedAt = arrival.lastModified.flatMap(Fetcher.httpDate)
        }
    }

    /// `SOURCE-YYYYMMDDTHHMMSSZ.csv` (`.csv.gz`, `.zip` by the file's first bytes); a second changed file within the
    /// same second (--force) takes a name of its own.
    private func freeName(for source: String, head: [UInt8]) throws(StoreError) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = formatter.string(from: now())
        let ext = ZipMembers.isZip(head) ? "zip" : head.starts(with: [0x1F, 0x8B]) ? "csv.gz" : "csv"
        var name = "\(source)-\(stamp).\(ext)"
        var count = 1
        while try store.fetchedFile(named: name)?.name == name {
            count += 1
            name = "\(source)-\(stamp)-\(count).\(ext)"
        }
        return name
    }

    private func failed(
        _ source: DataSource, address: String, error: String, state: FetchState?, time: Double, through: String = ""
    ) throws(StoreError) -> Result {
        let message = "\(source.id): cannot fetch \(address)\(through): \(error)"
        let run = (state?.failures ?? 0) + 1
        var alerts: [Alert] = []
        if run == Fetcher.failuresBeforeAlert {
            alerts.append(Alert(
                    id: UUID().uuidString.lowercased(), time: rfc3339(now()), severity: .warning, kind: .fetchFailed,
                    file: address,
                    message:
                        "Source \(source.id) failed \(run) times in a row: \(error); its data is not updated until it is fetched again."
                ))
        }
        try store.recordFetch(
            source.id, outcome: Outcome.failed.rawValue, at: time, etag: nil, lastModified: nil, sha256: nil,
            changed: false, error: error, alerts: alerts)
        return Result(source: source.id, outcome: .failed, message: message)
    }
}

extension Fetcher {
    /// An HTTP date (RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`) as seconds since 1970.
    static func httpDate(_ text: String) -> Double? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))?.timeIntervalSince1970
    }
}

extension HTTPClient {
    /// A redirect's Location made absolute against the address it answered.
    static func resolve(_ location: String, against url: String) -> String {
        if location.lowercased().hasPrefix("http://") || location.lowercased().hasPrefix("https://") { return location }
        guard let target = parse(url) else { return location }
        let host = target.host.contains(":") ? "[\(target.host)]" : target.host
        let base = "\(target.secure ? "https" : "http")://\(host):\(target.port)"
        if location.hasPrefix("/") { return base + location }
        let folder = (target.path as NSString).deletingLastPathComponent
        return base + (folder.hasSuffix("/") ? folder : folder + "/") + location
    }
}
