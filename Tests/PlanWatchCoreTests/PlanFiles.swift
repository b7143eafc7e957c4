@testable import PlanWatchCore

/// Builds plan files for the loader tests and loads them over the catalogue fixture (`Fixtures/catalog.yaml`).
enum PlanFiles {
    /// Lines 1–5 of every plan file built by `plan(_:)`; its targets start on line 6.
    static let header = """
        plan:
          id: test-plan
          title: Test plan
          issued: 2021-04-23
        targets:

        """

    /// A level target on lines 6–13, to vary one key at a time.
    static let levelTarget = """
          - id: t1
            kind: level
            indicator: urbanization_rate
            region: CN-AH
            compare: ">="
            value: 70
            baseline: 2020
            deadline: 2025

        """

    static func plan(_ targets: String, path: String = "plan.yaml") -> ConfigFile {
        ConfigFile(path: path, text: header + targets)
    }

    static func file(_ text: String, path: String = "plan.yaml") -> ConfigFile {
        ConfigFile(path: path, text: text)
    }

    /// Every diagnostic of loading the catalogue fixture and `files`, as `file:line: message`; empty when they load.
    static func diagnostics(_ files: ConfigFile...) throws -> [String] {
        do {
            _ = try PlanSet.load([try Fixtures.configFile("catalog.yaml")] + files)
            return []
        } catch let errors as ConfigErrors {
            return errors.diagnostics.map(\.description)
        }
    }

    /// Loads the catalogue fixture and `files`, which must be free of problems.
    static func load(_ files: ConfigFile...) throws -> PlanSet {
        try PlanSet.load([try Fixtures.configFile("catalog.yaml")] + files)
    }
}
