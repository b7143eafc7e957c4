import Foundation
import Testing

@Suite("planwatch check-config")
struct CheckConfigTests {
    @Test func acceptsTheSeedsAndTheServiceConfig() throws {
        try withCLI { cli in
            let root = CLIRunner.repository.path
            for config in ["seeds", "config", "seeds/planwatch.yaml"] {
                let result = try cli.run(["check-config", "--config", root + "/" + config])
                let file = root + "/" + (config.hasSuffix(".yaml") ? config : config + "/planwatch.yaml")
                #expect(result.status == 0, "\(config): \(result.stderr)")
                #expect(result.stdout == "\(file): OK: 5 plans, 35 targets, 33 indicators, 47 regions, 2 groups\n")
                #expect(result.stderr == "")
            }
        }
    }

    /// Where the service's settings are installed, they are what a command without `--config` reads.
    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/etc/planwatch/planwatch.yaml")))
    func usesTheEmbeddedDefaultWithoutAnyConfig() throws {
        try withCLI { cli in
            let result = try cli.run(["check-config"], embedded: true)
            #expect(result.status == 0)
            #expect(result.stdout == "<embedded seeds>: OK: 5 plans, 35 targets, 33 indicators, 47 regions, 2 groups\n")
        }
    }

    @Test func reportsEveryProblemOfABrokenConfigWithFileAndLine() throws {
        try withCLI { cli in
            let fixture = CLIRunner.fixtures.appending(path: "broken-config").path
            let result = try cli.run(["check-config", "--config", fixture])
            #expect(result.status == 1)
            #expect(result.stdout == "")
            let expected = """
                plans.d/catalog.yaml:7: indicator 'urbanization_rate' is weighted by the unknown indicator 'populaton'
                plans.d/catalog.yaml:11: 'frequency' of indicator 'gdp' is 'yearly'; use one of 'annual', 'quarterly', 'monthly'
                plans.d/catalog.yaml:12: 'publication_lag' of indicator 'gdp' is 'soon', not a duration; write e.g. P6M, P30D or PT5M
                plans.d/catalog.yaml:21: region 'CN-HA' uses the name 'Anhui', which already means region 'CN-AH'; names and aliases must be unique
                plans.d/catalog.yaml:24: region 'CN-HA' has the unknown parent 'CN-XX'; did you mean 'CN-AH (Anhui)' or 'CN-HA (Henan)'?
                plans.d/catalog.yaml:28: group 'CN-CENTRAL' has the unknown member 'CN-HB'; did you mean 'CN-HA (Henan)' or 'CN-AH (Anhui)'?
                plans.d/plan.yaml:4: 'issued' of plan 'broken-plan' is '2021-04-31', not a date; write YYYY-MM-DD
                plans.d/plan.yaml:8: target 'urbanization-65' uses the unknown indicator 'urbanisation_rate'; did you mean 'urbanization_rate (Urbanization rate)'?
                plans.d/plan.yaml:14: target 'no-compare' is missing the required key 'compare'
                plans.d/plan.yaml:14: target 'no-compare' needs exactly one of 'value' (a number) or 'reference' (e.g. {region: CN})
                plans.d/plan.yaml:17: target 'no-compare' uses the unknown region 'CN-AHH'; did you mean 'CN-AH (Anhui)' or 'CN-HA (Henan)'?
                plans.d/plan.yaml:21: 'deadline' of target 'no-compare' (2020) must come after its baseline (2025)
                plans.d/plan.yaml:30: 'count' of target 'every-year' is 6 but the window 2021–2025 has only 5 periods
                plans.d/plan.yaml:31: target 'every-year' has the unknown key 'severty'; did you mean 'severity'?
                plans.d/plan.yaml:32: target 'every-year' is already defined at {DIR}plans.d/plan.yaml:22; target ids must be unique across plans
                plans.d/plan.yaml:32: target 'every-year' is missing the required key 'min_rate'
                planwatch.yaml:3: 'on_bad_rows' of 'ingest' is 'ignore'; use one of 'reject', 'skip'
                """
            let lines = expected.split(separator: "\n").map { fixture + "/" + $0.replacingOccurrences(of: "{DIR}", with: fixture + "/") }
            #expect(result.stderr == (lines + ["17 problems found"]).joined(separator: "\n") + "\n")
        }
    }

    @Test func acceptsTheSettleTimesOfTheScheduleAndRejectsThemOutOfOrderWithFileAndLine() throws {
        try withCLI { cli in
            let plans = CLIRunner.repository.appending(path: "seeds/plans.d").path
            let settings = cli.directory.appending(path: "planwatch.yaml")
            try Data("plans: \(plans)\nschedule:\n  settle: 5s\n  settle_max: 2m\n".utf8).write(to: settings)
            let good = try cli.run(["check-config", "--config", settings.path])
            #expect(good.status == 0)
            #expect(good.stdout == "\(settings.path): OK: 5 plans, 35 targets, 33 indicators, 47 regions, 2 groups\n")
            try Data("plans: \(plans)\nschedule:\n  settle: 2m\n  settle_max: 1m\n".utf8).write(to: settings)
            let bad = try cli.run(["check-config", "--config", settings.path])
            #expect(bad.status == 1)
            #expect(bad.stdout == "")
            #expect(bad.stderr == """
                \(settings.path):3: 'settle' of 'schedule' (PT120S) must not be longer than 'settle_max' (PT60S): \
                files are judged at the latest 'settle_max' after they changed data
                1 problem found

                """)
        }
    }

    @Test func exits78WhenTheSettingsFileIsMissing() throws {
        try withCLI { cli in
            let missing = cli.directory.appending(path: "nowhere.yaml").path
            let result = try cli.run(["check-config", "--config", missing])
            #expect(result.status == 78)
            #expect(result.stderr == "\(missing): no such settings file; pass --config with the path of planwatch.yaml (or its folder)\n")
        }
    }

    @Test func readsTheConfigFromTheEnvironmentWhenNoOptionIsGiven() throws {
        try withCLI { cli in
            let missing = cli.directory.appending(path: "from-env.yaml").path
            let result = try cli.run(["check-config"], environment: ["PLANWATCH_CONFIG": missing])
            #expect(result.status == 78)
            #expect(result.stderr.hasPrefix("\(missing): no such settings file"))
            let option = try cli.run(["check-config", "--config", CLIRunner.repository.path + "/seeds"], environment: ["PLANWATCH_CONFIG": missing])
            #expect(option.status == 0, "the option wins over the environment")
        }
    }
}
