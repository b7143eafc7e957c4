import Foundation
import Testing

@testable import PlanWatchCore

@Suite struct SettingsTests {
    static func load(_ text: String, directory: String = "/etc/planwatch") throws(ConfigErrors) -> Settings {
        try Settings.load(ConfigFile(path: "planwatch.yaml", text: text), directory: directory)
    }

    /// The diagnostics of loading `text` as `planwatch.yaml`, as `file:line: message`; empty when it loads.
    static func diagnostics(_ text: String) -> [String] {
        diagnostics(ConfigFile(path: "planwatch.yaml", text: text))
    }

    static func diagnostics(_ file: ConfigFile) -> [String] {
        do {
            _ = try Settings.load(file, directory: "/etc/planwatch")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    /// Alertmanager over http or https; a ca_file (relative to the settings' folder) only for https.
    @Test func readsAnAlertmanagerOverHttpOrHttpsWithItsCAFile() throws {
        let plain = try Self.load("alerts:\n  alertmanager: {url: \"http://127.0.0.1:9093/\"}\n")
        #expect(plain.alertmanagerURL == "http://127.0.0.1:9093" && plain.alertmanagerCAFile == nil)
        let tls = try Self.load("alerts:\n  alertmanager: {url: \"https://am.office.internal:9093\", ca_file: am-ca.pem}\n")
        #expect(tls.alertmanagerURL == "https://am.office.internal:9093")
        #expect(tls.alertmanagerCAFile == "/etc/planwatch/am-ca.pem")
        #expect(Self.diagnostics("alerts:\n  alertmanager: {url: \"http://127.0.0.1:9093\", ca_file: /etc/ca.pem}\n") == [
            "planwatch.yaml:2: 'ca_file' of 'alertmanager' is for an https:// address; 'http://127.0.0.1:9093' is plain http",
        ])
        #expect(Self.diagnostics("alerts:\n  alertmanager: {url: \"ftp://127.0.0.1\"}\n") == [
            "planwatch.yaml:2: 'url' of 'alertmanager' is 'ftp://127.0.0.1'; write Alertmanager's address, e.g. http://127.0.0.1:9093 (or https:// for a TLS listener)",
        ])
    }

    @Test(arguments: ["", "# all defaults\n"])
    func usesTheDefaultsForAnEmptyFile(text: String) throws {
        let settings = try Self.load(text)
        #expect(settings.plansDirectory == "/etc/planwatch/plans.d")
        #expect(settings.stateDirectory == "/var/lib/planwatch")
        #expect(settings.logDirectory == "/var/log/planwatch")
        #expect(settings.database == "planwatch.sqlite")
        #expect(settings.databasePath == "/var/lib/planwatch/planwatch.sqlite")
        #expect(settings.onBadRows == .reject)
        #expect(settings.maxFileSize == 1 << 30)
        #expect(settings.onTrackRatio == 0.95)
        #expect(settings.atRiskRatio == 0.60)
        #expect(settings.staleGrace == CalendarDuration(days: 30))
    }

    @Test func readsTheReportSettings() throws {
        let defaults = try Self.load("state_dir: /srv/pw\n")
        #expect(defaults.reportPath == "/srv/pw/report")
        #expect(defaults.reportEnabled)
        #expect(defaults.reportLanguage == "en")
        let set = try Self.load("report:\n  dir: html\n  lang: zh\n  enabled: false\n")
        #expect(set.reportPath == "/etc/planwatch/html")
        #expect(set.reportLanguage == "zh")
        #expect(!set.reportEnabled)
        #expect(Self.diagnostics("report:\n  lang: fr\n  enabled: maybe\n  colour: red\n") == [
            "planwatch.yaml:2: 'lang' of 'report' is 'fr'; use en or zh",
            "planwatch.yaml:3: 'enabled' of 'report' is 'maybe'; write true or false",
            "planwatch.yaml:4: 'report' has the unknown key 'colour'; known keys: dir, enabled, lang",
        ])
    }

    @Test func readsEverySettingResolvingPathsAgainstTheFilesFolder() throws {
        let directory = Fixtures.directory.appending(path: "settings").path
        let settings = try Settings.load(try Fixtures.configFile("settings/planwatch.yaml"), directory: directory)
        var expected = Settings()
        expected.plansDirectory = directory + "/plans"
        expected.stateDirectory = directory + "/state"
        expected.logDirectory = "/var/log/planwatch-test"
        expected.database = "db/planwatch-test.sqlite"
        expected.onBadRows = .skip
        expected.maxFileSize = 500 << 20
        expected.onTrackRatio = 0.9
        expected.atRiskRatio = 0.5
        expected.staleGrace = CalendarDuration(months: 2)
        #expect(settings == expected)
        #expect(settings.databasePath == directory + "/state/db/planwatch-test.sqlite")
    }

    @Test func readsTheSettleTimesOfTheSchedule() throws {
        let defaults = try Self.load("")
        #expect(defaults.settle == CalendarDuration(seconds: 2))
        #expect(defaults.settleMax == CalendarDuration(seconds: 60))
        let set = try Self.load("schedule:\n  settle: 10s\n  settle_max: PT5M\n")
        #expect(set.settle == CalendarDuration(seconds: 10))
        #expect(set.settleMax == CalendarDuration(seconds: 300))
        #expect(try Self.load("schedule:\n  settle: 0s\n").settle == CalendarDuration(seconds: 0))
    }

    @Test func rejectsSettleTimesThatAreNoDurationsOrOutOfOrder() {
        #expect(Self.diagnostics("schedule:\n  settle: soon\n  settle_max: 0s\n") == [
            "planwatch.yaml:2: 'settle' of 'schedule' is 'soon', not a duration; write e.g. P6M, P30D or PT5M",
            "planwatch.yaml:3: 'settle_max' of 'schedule' must be at least one second",
        ])
        #expect(Self.diagnostics("schedule:\n  settle_max: 30s\n  settle: 1m\n  setle: 2s\n") == [
            "planwatch.yaml:3: 'settle' of 'schedule' (PT60S) must not be longer than 'settle_max' (PT30S): files are "
                + "judged at the latest 'settle_max' after they changed data",
            "planwatch.yaml:4: 'schedule' has the unknown key 'setle'; did you mean 'settle'?",
        ])
    }

    @Test func keepsAnAbsoluteDatabasePath() throws {
        #expect(try Self.load("database: /data/pw.sqlite\n").databasePath == "/data/pw.sqlite")
    }

    @Test func resolvesRelativePathsAgainstADirectoryWithATrailingSlash() throws {
        let settings = try Self.load("plans: ./mine\nstate_dir: .\nlog_dir: ../logs\n", directory: "/srv/pw/")
        #expect(settings.plansDirectory == "/srv/pw/mine")
        #expect(settings.stateDirectory == "/srv/pw")
        #expect(settings.logDirectory == "/srv/pw/../logs")
    }

    @Test(arguments: [
        ("plans.d", "/etc/planwatch", "/etc/planwatch/plans.d"),
        ("/opt/plans", "/etc/planwatch", "/opt/plans"),
        ("./././plans", "/etc/planwatch", "/etc/planwatch/plans"),
        (".", "/etc/planwatch//", "/etc/planwatch"),
        ("./", "/etc/planwatch", "/etc/planwatch"),
        ("plans.d", "", "plans.d"),
        ("plans.d", "relative/dir", "relative/dir/plans.d"),
    ])
    func resolvesAPathAgainstADirectory(path: String, directory: String, expected: String) {
        #expect(Settings.resolve(path, against: directory) == expected)
    }

    @Test func loadsTheInstalledSettingsAsTheDefaults() throws {
        let file = Fixtures.repository.appending(path: "config/planwatch.yaml")
        let settings = try Settings.load(
            ConfigFile(path: "planwatch.yaml", bytes: [UInt8](try Data(contentsOf: file))), directory: "/etc/planwatch")
        var expected = Settings()
        expected.plansDirectory = "/etc/planwatch/plans.d"
        #expect(settings == expected)
    }

    @Test func loadsTheSeedSettings() throws {
        let file = Fixtures.repository.appending(path: "seeds/planwatch.yaml")
        let settings = try Settings.load(
            ConfigFile(path: "planwatch.yaml", bytes: [UInt8](try Data(contentsOf: file))), directory: "/usr/share/planwatch")
        #expect(settings.plansDirectory == "/usr/share/planwatch/plans.d")
    }

    // MARK: sizes

    @Test(arguments: [
        ("1GiB", Int64(1) << 30), ("500MiB", 500 << 20), ("2GB", 2_000_000_000), ("1024", 1024), ("10KB", 10_000),
        ("10 kb", 10_000), (" 64 MiB ", 64 << 20), ("512B", 512), ("3G", 3 << 30), ("0", 0),
    ])
    func parsesSizes(text: String, bytes: Int64) {
        #expect(Settings.parseSize(text) == bytes)
    }

    @Test(arguments: ["", "GiB", "1.5GiB", "-1GiB", "1TB", "1 GiBs", "99999999999GiB", "99999999999999999999", "１GiB"])
    func rejectsTextThatIsNoSize(text: String) {
        #expect(Settings.parseSize(text) == nil)
    }

    @Test func rejectsABadSizeNamingItsLine() {
        #expect(Self.diagnostics("ingest:\n  max_file_size: 1.5GiB\n") == [
            "planwatch.yaml:2: 'max_file_size' is '1.5GiB', not a size; write e.g. 500MiB or 2GB",
        ])
    }

    @Test func rejectsASizeTooLargeToCount() {
        #expect(Self.diagnostics("ingest:\n  max_file_size: 99999999999GiB\n") == [
            "planwatch.yaml:2: 'max_file_size' is '99999999999GiB', not a size; write e.g. 500MiB or 2GB",
        ])
    }

    // MARK: problems

    @Test func rejectsAnUnknownKeySuggestingTheClosest() {
        #expect(Self.diagnostics("# settings\nplan: plans.d\n") == [
            "planwatch.yaml:2: the settings file has the unknown key 'plan'; did you mean 'plans'?",
        ])
    }

    @Test func rejectsAnUnknownNestedKeySuggestingTheClosest() {
        #expect(Self.diagnostics("ingest:\n  on_bad_row: skip\n") == [
            "planwatch.yaml:2: 'ingest' has the unknown key 'on_bad_row'; did you mean 'on_bad_rows'?",
        ])
    }

    @Test func rejectsAtRiskAboveOnTrack() {
        #expect(Self.diagnostics("evaluation:\n  on_track: 0.5\n  at_risk: 0.7\n") == [
            "planwatch.yaml:3: 'at_risk' (0.7) must not be above 'on_track' (0.5)",
        ])
    }

    @Test func rejectsAnOnTrackBelowTheDefaultAtRisk() {
        #expect(Self.diagnostics("evaluation:\n  on_track: 0.5\n") == [
            "planwatch.yaml:2: 'at_risk' (0.6) must not be above 'on_track' (0.5)",
        ])
    }

    @Test func acceptsAtRiskEqualToOnTrack() throws {
        let settings = try Self.load("evaluation:\n  on_track: 0.8\n  at_risk: 0.8\n")
        #expect(settings.onTrackRatio == 0.8)
        #expect(settings.atRiskRatio == 0.8)
    }

    @Test func rejectsAnUnknownBadRowPolicy() {
        #expect(Self.diagnostics("ingest:\n  on_bad_rows: drop\n") == [
            "planwatch.yaml:2: 'on_bad_rows' of 'ingest' is 'drop'; use one of 'reject', 'skip'",
        ])
    }

    @Test func rejectsASectionThatIsNotAMapping() {
        #expect(Self.diagnostics("ingest: skip\n") == ["planwatch.yaml:1: 'ingest' must be a mapping of keys to values"])
    }

    @Test func rejectsAFileThatIsNotAMapping() {
        #expect(Self.diagnostics("- plans.d\n") == ["planwatch.yaml:1: the settings file must be a mapping of keys to values"])
    }

    @Test func rejectsInvalidYAMLNamingTheLine() {
        #expect(Self.diagnostics("plans: plans.d\nstate_dir: \"/var/lib\n") == [
            "planwatch.yaml:3: is not valid YAML: while scanning a quoted scalar found unexpected end of stream",
        ])
    }

    @Test func rejectsADuplicateKeyNamingItsLine() {
        #expect(Self.diagnostics("state_dir: /a\nplans: x\nstate_dir: /b\n") == [
            "planwatch.yaml:1: is not valid YAML: the key 'state_dir' appears more than once in the same mapping; keep one",
        ])
    }

    @Test func rejectsAFileThatIsNotUTF8() {
        #expect(Self.diagnostics(ConfigFile(path: "planwatch.yaml", bytes: [0x70, 0x6C, 0x61, 0x6E, 0x73, 0x3A, 0x20, 0xC0, 0x0A])) == [
            "planwatch.yaml: is not valid UTF-8; save it as UTF-8",
        ])
    }

    @Test func reportsEveryProblemOfABrokenSettingsFileInLineOrder() throws {
        #expect(Self.diagnostics(try Fixtures.configFile("settings/broken.yaml")) == [
            "settings/broken.yaml:1: the settings file has the unknown key 'plan'; did you mean 'plans'?",
            "settings/broken.yaml:3: 'on_bad_rows' of 'ingest' is 'drop'; use one of 'reject', 'skip'",
            "settings/broken.yaml:4: 'max_file_size' is '1.5GiB', not a size; write e.g. 500MiB or 2GB",
            "settings/broken.yaml:5: 'ingest' has the unknown key 'maximum'; known keys: max_archive_members, max_file_size, on_bad_rows, source_tolerance",
            "settings/broken.yaml:7: 'on_track' of 'evaluation' must be a number, not 'high'",
            "settings/broken.yaml:9: 'stale_grace' of 'evaluation' is '30 days', not a duration; write e.g. P6M, P30D or PT5M",
        ])
    }
}
