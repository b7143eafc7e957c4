import Testing

@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon

/// Which proxy the environment names for a URL, curl's way (the proxy itself is tested for real with tinyproxy
/// in Tests/proxy/run-proxy-test.sh).
@Suite("HTTP proxy from the environment")
struct ProxyTests {
    typealias Proxy = HTTPClient.Proxy

    @Test func httpsAndHttpHaveTheirOwnVariablesAndHTTPProxyInCapitalsIsNotRead() throws {
        let environment = ["https_proxy": "http://proxy.office.internal:3128", "HTTP_PROXY": "http://injected:80"]
        #expect(try HTTPClient.proxy(for: "https://data.stats.gov.cn/x.csv", environment: environment) == Proxy("proxy.office.internal:3128"))
        #expect(try HTTPClient.proxy(for: "http://data.stats.gov.cn/x.csv", environment: environment) == nil, "HTTP_PROXY can come from a request header (httpoxy)")
        #expect(try HTTPClient.proxy(for: "https://a.example/x", environment: ["HTTPS_PROXY": "proxy:8080"])?.description == "proxy:8080")
        #expect(try HTTPClient.proxy(for: "http://a.example/x", environment: ["http_proxy": "http://proxy/"])?.description == "proxy:1080", "curl's default port")
    }

    @Test func credentialsBecomeBasicAuthorization() throws {
        let proxy = try #require(try HTTPClient.proxy(for: "https://a.example/x", environment: ["https_proxy": "http://planwatch:s3cr%40t@10.0.0.1:3128"]))
        #expect(proxy.host == "10.0.0.1" && proxy.port == 3128)
        #expect(proxy.authorization == "Basic cGxhbndhdGNoOnMzY3JAdA==", "planwatch:s3cr@t")
        #expect(try HTTPClient.proxy(for: "https://a.example/x", environment: ["https_proxy": "http://[::1]:3128"])?.description == "[::1]:3128")
    }

    @Test(arguments: [
        ("*", "https://data.stats.gov.cn/x", true),
        ("stats.gov.cn", "https://data.stats.gov.cn/x", true),
        (".stats.gov.cn", "https://data.stats.gov.cn/x", true),
        ("localhost, 127.0.0.1", "https://127.0.0.1:8443/x", true),
        ("gov.cn.example", "https://data.stats.gov.cn/x", false),
        ("ats.gov.cn", "https://data.stats.gov.cn/x", false),
    ])
    func noProxyListsHostsAndDomains(list: String, url: String, bypassed: Bool) throws {
        let proxy = try HTTPClient.proxy(for: url, environment: ["https_proxy": "http://proxy:3128", "no_proxy": list])
        #expect((proxy == nil) == bypassed)
    }

    @Test func aProxyPlanwatchCannotUseIsAnErrorNamingTheVariable() {
        #expect(throws: HTTPClient.Failure(description: "https_proxy is 'socks5://proxy:1080', not a proxy address planwatch can use; write http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT)")) {
            try HTTPClient.proxy(for: "https://a.example/x", environment: ["https_proxy": "socks5://proxy:1080"])
        }
    }
}
