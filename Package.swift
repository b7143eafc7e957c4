// swift-tools-version: 6.2
import PackageDescription

/// Our own targets build in Swift 6 language mode with every warning an error.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "planwatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "planwatch", targets: ["planwatch"]),
        .library(name: "PlanWatchCore", targets: ["PlanWatchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // The system zlib (gzip): in every Debian system, headers from zlib1g-dev (scripts/install-deps).
        .systemLibrary(name: "CPlanWatchZlib", providers: [.apt(["zlib1g-dev"])]),
        // The system OpenSSL (https:// in planwatch fetch): libssl3 in every Debian system, headers from libssl-dev.
        .systemLibrary(name: "CPlanWatchTLS", providers: [.apt(["libssl-dev"])]),
        .target(
            name: "PlanWatchCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "PlanWatchStore",
            dependencies: ["PlanWatchCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The progress report's rendering: evaluations, series and catalogue in, HTML out; no I/O.
        .target(
            name: "PlanWatchReport",
            dependencies: ["PlanWatchCore", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict
        ),
        // What every job starts from: the configuration (options > environment > settings > defaults, the embedded
        // seeds), the state directory and its database, the evaluation of the configured targets on it, and the
        // file primitives that never follow a planted link (OwnFolder, AtomicFile, renameat2).
        .target(
            name: "PlanWatchSetup",
            dependencies: ["PlanWatchCore", "PlanWatchStore"],
            swiftSettings: strict,
            plugins: ["EmbedSeedsPlugin"]
        ),
        // One HTTP/1.1 request at a time over a socket with a deadline, plain or TLS on the system OpenSSL; proxies.
        .target(name: "PlanWatchHTTP", dependencies: ["PlanWatchCore", "CPlanWatchTLS"], swiftSettings: strict),
        // A dropped file into the database: one descriptor, decoding (UTF-8, GB18030, gzip, zip), the reading and
        // writing halves, the ingester and its report.
        .target(
            name: "PlanWatchIngest",
            dependencies: [
                "PlanWatchCore", "PlanWatchStore", "PlanWatchSetup", "CPlanWatchZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),
        // `planwatch fetch`: sources downloaded into the inbox.
        .target(
            name: "PlanWatchFetch",
            dependencies: [
                "PlanWatchCore", "PlanWatchStore", "PlanWatchSetup", "PlanWatchHTTP", "PlanWatchIngest",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Everything that leaves the process: the alert log and its reader, the journal, Alertmanager, the metrics
        // file, the progress report's folder, the status table.
        .target(
            name: "PlanWatchOutputs",
            dependencies: [
                "PlanWatchCore", "PlanWatchStore", "PlanWatchSetup", "PlanWatchHTTP", "PlanWatchIngest", "PlanWatchReport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // `planwatch run`: the inbox, its watcher and the work loop wired to the other modules; systemd's protocol.
        .target(
            name: "PlanWatchDaemon",
            dependencies: [
                "PlanWatchCore", "PlanWatchStore", "PlanWatchSetup", "PlanWatchIngest", "PlanWatchOutputs",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "planwatch",
            dependencies: [
                "PlanWatchCore", "PlanWatchStore", "PlanWatchReport", "PlanWatchSetup", "PlanWatchIngest", "PlanWatchFetch",
                "PlanWatchOutputs", "PlanWatchDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "embed-seeds", path: "Plugins/EmbedSeedsTool", swiftSettings: strict),
        .plugin(name: "EmbedSeedsPlugin", capability: .buildTool(), dependencies: ["embed-seeds"]),
        .testTarget(name: "PlanWatchCoreTests", dependencies: ["PlanWatchCore"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "PlanWatchStoreTests", dependencies: ["PlanWatchStore"], swiftSettings: strict),
        .testTarget(name: "PlanWatchReportTests", dependencies: ["PlanWatchReport", "PlanWatchCore"], swiftSettings: strict),
        .testTarget(
            name: "PlanWatchIOTests",
            dependencies: [
                "PlanWatchStore", "PlanWatchSetup", "PlanWatchHTTP", "PlanWatchIngest", "PlanWatchFetch", "PlanWatchOutputs",
                "PlanWatchDaemon",
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        // Runs the real binary on fixtures in temporary directories; depending on it makes `swift test` build it.
        .testTarget(name: "PlanWatchCLITests", dependencies: ["planwatch"], exclude: ["Fixtures"], swiftSettings: strict),
    ]
)
