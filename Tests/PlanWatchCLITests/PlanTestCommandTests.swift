import Foundation
import Testing

/// Issue 15, item 4: `planwatch test FILE…`, plan unit tests run with the real loader and evaluator, in memory.
@Suite("planwatch test")
struct PlanTestCommandTests {
    @Test func theSeedPlansPassTheirOwnTests() throws {
        try withCLI { cli in
            let folder = CLIRunner.repository.appending(path: "seeds/tests")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
            #expect(files == ["central-region.yaml", "cn-14th-fyp.yaml"])
            let result = try cli.run(["test"] + files.map { folder.appending(path: $0).path })
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout == """
                \(folder.path)/central-region.yaml: 9 checks passed
                \(folder.path)/cn-14th-fyp.yaml: 6 checks passed

                """)
        }
    }

    @Test func aWrongExpectationFailsWithFileLineTargetFieldExpectedAndGot() throws {
        try withCLI { cli in
            let plans = CLIRunner.repository.appending(path: "seeds/plans.d").path
            try cli.write("anhui.csv", "indicator,region,period,value\nurbanization_rate,CN-AH,2023,61.51\nurbanization_rate,安徽省,2024,62.57\n")
            _ = try cli.write("wrong.yaml", """
                plans: \(plans)
                files: [anhui.csv]
                series:
                  urbanization_rate/CN-AH: {2020: 58.33, 2021: 59.39, 2022: 60.16}
                cases:
                  - as_of: 2025-06-30
                    targets:
                      anhui-urbanization-1pp:
                        state: at_risk
                        pace_ratio: 1.5 ± 0.01
                        latest_value: 62.57
                      anhui-urbanisation-1pp: {state: at_risk}
                    alerts: [anhui-urbanization-1pp worse]

                """)
            let result = try cli.run(["test", "wrong.yaml"])
            #expect(result.status == 1)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 5, "\(result.stdout)")
            #expect(lines[0].hasPrefix("wrong.yaml:8: anhui-urbanization-1pp: state: expected at_risk, got on_track (On track: "
                + "average change 1.06 a period since 2020 against 1 needed (1.06 in 2021, 0.77 in 2022, 1.35 in 2023, 1.06 in 2024"))
            // pace 1.06: (62.57 − 58.33) / 4 = 1.06 a year against 1 needed.
            #expect(lines[1] == "wrong.yaml:10: anhui-urbanization-1pp: pace_ratio: expected 1.5 ± 0.01, got 1.06")
            #expect(lines[2] == "wrong.yaml:12: anhui-urbanisation-1pp: target: expected a target of the plans (did you mean 'anhui-urbanization-1pp' or 'hubei-urbanization-1pp' or 'jiangxi-urbanization-1pp'?), got no such target")
            #expect(lines[3] == "wrong.yaml:13: as of 2025-06-30: alerts: expected anhui-urbanization-1pp worse, got anhui-urbanization-1pp first_evaluation")
            #expect(lines[4] == "wrong.yaml: 4 of 5 checks failed")
        }
    }

    /// `stale: true|false` is an expectation of its own, beside the state; `state: stale` is no longer a state.
    @Test func staleIsCheckedAsAFlagBesideTheState() throws {
        try withCLI { cli in
            let plans = CLIRunner.repository.appending(path: "seeds/plans.d").path
            _ = try cli.write("stale.yaml", """
                plans: \(plans)
                series:
                  urbanization_rate/CN-AH: {2020: 58.33, 2021: 59.39, 2022: 60.16, 2023: 61.51, 2024: 62.57}
                cases:
                  - as_of: 2026-04-30
                    targets:
                      anhui-urbanization-1pp: {stale: false}
                  - as_of: 2026-05-01
                    targets:
                      anhui-urbanization-1pp: {stale: true}
                    alerts: [anhui-urbanization-1pp stale]
                  - as_of: 2026-05-01
                    targets:
                      anhui-urbanization-1pp: {stale: false}

                """)
            let result = try cli.run(["test", "stale.yaml"])
            #expect(result.status == 1)
            #expect(result.stdout == """
                stale.yaml:14: anhui-urbanization-1pp: stale: expected false, got true (the 2025 figure overdue since 2026-04-30)
                stale.yaml: 1 of 4 checks failed

                """)
            _ = try cli.write("old.yaml", """
                plans: \(plans)
                cases:
                  - as_of: 2026-05-01
                    targets:
                      anhui-urbanization-1pp: {state: stale}

                """)
            let old = try cli.run(["test", "old.yaml"])
            #expect(old.status == 1)
            #expect(old.stdout.contains("old.yaml:5: 'state' of target 'anhui-urbanization-1pp' is 'stale', which is a flag beside the state now; write stale: true (and the state)"))
        }
    }

    @Test func aBrokenTestFileSaysWhereAndWhat() throws {
        try withCLI { cli in
            _ = try cli.write("broken.yaml", """
                series:
                  urbanization_rate: {2020: 58.33}
                cases:
                  - as_of: 2025-13-01
                    targets:
                      anhui-urbanization-1pp: {state: fine, pace_ratio: lots}

                """)
            let result = try cli.run(["test", "broken.yaml"])
            #expect(result.status == 1)
            #expect(result.stdout == """
                broken.yaml:2: series 'urbanization_rate' must be written indicator/REGION, e.g. urbanization_rate/CN-AH
                broken.yaml:4: 'as_of' of a case is '2025-13-01'; write a date, e.g. 2025-06-30
                broken.yaml:6: 'pace_ratio' of target 'anhui-urbanization-1pp' is 'lots'; write a number, or a number ± a tolerance, e.g. 1.06 ± 0.01
                broken.yaml:6: 'state' of target 'anhui-urbanization-1pp' is 'fine'; use one of achieved, met, on_track, at_risk, off_track, missed, insufficient_data

                """)
        }
    }
}
