import Testing

@testable import PlanWatchCore

@Suite struct ConfigDiagnosticTests {
    @Test func describesADiagnosticAsFileLineMessage() {
        #expect(ConfigDiagnostic(file: "plans.d/a.yaml", line: 12, message: "broken").description == "plans.d/a.yaml:12: broken")
        #expect(ConfigDiagnostic(file: "plans.d/a.yaml", line: nil, message: "is not valid UTF-8").description == "plans.d/a.yaml: is not valid UTF-8")
    }

    @Test func sortsDiagnosticsByFileThenLineThenMessage() {
        let errors = ConfigErrors([
            ConfigDiagnostic(file: "b.yaml", line: 1, message: "z"),
            ConfigDiagnostic(file: "a.yaml", line: 10, message: "y"),
            ConfigDiagnostic(file: "a.yaml", line: 9, message: "x"),
            ConfigDiagnostic(file: "a.yaml", line: nil, message: "w"),
            ConfigDiagnostic(file: "a.yaml", line: 9, message: "v"),
        ])
        #expect(errors.description == "a.yaml: w\na.yaml:9: v\na.yaml:9: x\na.yaml:10: y\nb.yaml:1: z")
    }
}
