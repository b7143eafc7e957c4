import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon

/// `planwatch test FILE…`: plan unit tests, like `promtool test rules`.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run plan unit tests: given series, the states, numbers and alerts each target must have.",
        discussion: """
            Each FILE (YAML) names the plan files or folders (plans:, else the configured plans), input series \
            (series: {indicator/REGION: {period: value}}, files: [CSV…]) and cases evaluated in order, each with \
            as_of:, targets: {ID: {state:, pace_ratio: 1.06 ± 0.01, moving_away:, …}} and alerts: [ID KIND…]. \
            The real loader and evaluator run in memory; nothing is read from or written to a database. A failure \
            prints FILE:LINE: TARGET: FIELD: expected X, got Y. Exit 1 when a check fails or a file has problems.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Test files (YAML).", valueName: "file"))
    var files: [String]

    func run() throws {
        var failed = false
        var configured: Configuration?
        for path in files {
            let directory = (absolutePath(path) as NSString).deletingLastPathComponent
            guard let data = FileManager.default.contents(atPath: path) else {
                printError("planwatch: cannot read the test file \(path)")
                failed = true
                continue
            }
            do {
                let test = try PlanTest.load(ConfigFile(path: path, bytes: [UInt8](data)), directory: directory)
                let planSet: PlanSet
                var settings = Settings()
                if test.plans.isEmpty {
                    if configured == nil { configured = try global.loadConfiguration() }
                    planSet = configured!.planSet
                    settings = configured!.settings
                } else {
                    var planFiles: [ConfigFile] = []
                    for plan in test.plans {
                        var isFolder: ObjCBool = false
                        if FileManager.default.fileExists(atPath: plan, isDirectory: &isFolder), isFolder.boolValue {
                            planFiles += try Configuration.planFiles(in: plan, settingsFile: path)
                        } else if let bytes = FileManager.default.contents(atPath: plan) {
                            planFiles.append(ConfigFile(path: plan, bytes: [UInt8](bytes)))
                        } else {
                            throw ConfigErrors([ConfigDiagnostic(file: path, line: nil, message: "the plan file \(plan) cannot be read")])
                        }
                    }
                    planSet = try PlanSet.load(planFiles)
                }
                let rows = try TestCommand.rows(test.files, catalog: planSet.catalog, testFile: path)
                let (failures, checks) = PlanTestRunner.run(test, planSet: planSet, rows: rows, policy: EvaluationPolicy(settings))
                for failure in failures { say(failure.description) }
                if failures.isEmpty {
                    say("\(path): \(counted(checks, "check")) passed")
                } else {
                    say("\(path): \(failures.count) of \(counted(checks, "check")) failed")
                    failed = true
                }
            } catch let errors as ConfigErrors {
                say(errors.description)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// The values of canonical CSV files (indicator,region,period,value, names resolved through the catalogue).
    static func rows(_ files: [String], catalog: Catalog, testFile: String) throws(ConfigErrors) -> [ObservationSet.Key: [Period: Double]] {
        var result: [ObservationSet.Key: [Period: Double]] = [:]
        var problems: [ConfigDiagnostic] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                problems.append(ConfigDiagnostic(file: testFile, line: nil, message: "the CSV file \(file) cannot be read"))
                continue
            }
            var reader = CSVReader()
            var columns: [String: Int]?
            var records: [[String]] = []
            do {
                try [UInt8](data).withUnsafeBytes { bytes in try reader.feed(bytes) { records.append($0.strings) } }
                try reader.finish { records.append($0.strings) }
            } catch {
                problems.append(ConfigDiagnostic(file: file, line: nil, message: "\(error)"))
                continue
            }
            for (number, record) in records.enumerated() {
                guard let header = columns else {
                    var found: [String: Int] = [:]
                    for (index, name) in record.enumerated() { found[name.lowercased().trimmingCharacters(in: .whitespaces)] = index }
                    guard ["indicator", "region", "period", "value"].allSatisfy({ found[$0] != nil }) else {
                        problems.append(ConfigDiagnostic(file: file, line: 1, message: "the header must name indicator, region, period and value"))
                        break
                    }
                    columns = found
                    continue
                }
                func cell(_ name: String) -> String { record.indices.contains(header[name]!) ? record[header[name]!] : "" }
                guard let indicator = catalog.indicator(named: cell("indicator")), let region = catalog.region(named: cell("region")),
                    let period = Period(parsing: cell("period")), let value = Double(cell("value").replacingOccurrences(of: ",", with: ""))
                else {
                    problems.append(ConfigDiagnostic(file: file, line: number + 1, message: "row \(number + 1) is not an observation of the plans' catalogue (\(record.joined(separator: ",")))"))
                    continue
                }
                result[ObservationSet.Key(indicator.id, region.code), default: [:]][period] = value
            }
        }
        if !problems.isEmpty { throw ConfigErrors(problems) }
        return result
    }
}
