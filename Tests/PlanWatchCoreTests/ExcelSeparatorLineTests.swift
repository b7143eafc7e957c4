import Testing

@testable import PlanWatchCore

@Suite struct ExcelSeparatorLineTests {
    static func separator(_ bytes: [UInt8]) -> (delimiter: UInt8, length: Int)? {
        bytes.withUnsafeBytes { excelSeparatorLine($0) }
    }

    static func separator(_ text: String) -> (delimiter: UInt8, length: Int)? {
        separator(Array(text.utf8))
    }

    @Test(arguments: [
        ("sep=;\nindicator;region\n", UInt8(ascii: ";"), 6),
        ("sep=,\r\nindicator,region\r\n", UInt8(ascii: ","), 7),
        ("sep=\t\nindicator\tregion\n", 0x09, 6),
        ("SEP=|\n", UInt8(ascii: "|"), 6),
        ("\u{FEFF}sep=;\n", UInt8(ascii: ";"), 9),
        ("\u{FEFF}sep=;\r\nx", UInt8(ascii: ";"), 10),
    ])
    func recognisesALeadingSeparatorLine(text: String, delimiter: UInt8, length: Int) throws {
        let found = try #require(Self.separator(text))
        #expect(found.delimiter == delimiter)
        #expect(found.length == length)
    }

    @Test(arguments: [
        "", "sep=", "sep=;", "sep=\n", "sep=\r\n", "sep=;;\n", "sep=;\rx\n", "sep = ;\n", " sep=;\n", "sep:;\n",
        "indicator,region\nsep=;\n", "\"sep=;\"\n", "sep=\"\n", "sep=é\n", "\u{FEFF}\u{FEFF}sep=;\n",
    ])
    func ignoresAnythingElse(text: String) {
        #expect(Self.separator(text) == nil)
    }

    @Test func ignoresANonASCIIDelimiterByte() {
        #expect(Self.separator([0x73, 0x65, 0x70, 0x3D, 0x80, 0x0A]) == nil)
    }

    @Test func readsTheRestAsCSVWithTheHeaderAsRowOneOnLineTwo() throws {
        let bytes = Array("\u{FEFF}sep=;\r\nindicator;region\r\ngdp;\"a\nb\"\r\nx;y\r\n".utf8)
        let found = try #require(Self.separator(bytes))
        var reader = CSVReader(delimiter: found.delimiter, firstLine: 2)
        var records: [ReadRecord] = []
        try bytes[found.length...].withUnsafeBytes { chunk in
            try reader.feed(chunk) { records.append(ReadRecord($0)) }
        }
        try reader.finish { records.append(ReadRecord($0)) }
        #expect(records == [
            ReadRecord(1, line: 2, ["indicator", "region"]), ReadRecord(2, line: 3, ["gdp", "a\nb"]),
            ReadRecord(3, line: 5, ["x", "y"]),
        ])
    }

    @Test func reportsSyntaxErrorsOnTheFileLine() {
        var reader = CSVReader(firstLine: 2)
        #expect(
            throws: CSVSyntaxError(
                row: 2, line: 3, column: 2,
                message: "a quoted field starting on line 3 is never closed; add the closing quote (\")")
        ) {
            try Array("h,i\nv,\"open\n".utf8).withUnsafeBytes { chunk in try reader.feed(chunk) { _ in } }
            try reader.finish { _ in }
        }
    }
}
