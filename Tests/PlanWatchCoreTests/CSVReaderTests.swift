import Testing

@testable import PlanWatchCore

@Suite struct CSVReaderTests {
    static let bom = "\u{FEFF}"

    @Test func splitsPlainFieldsAndNumbersRecordsFromOne() throws {
        #expect(try readCSV("a,b,c\n1,2,3\n") == [ReadRecord(1, line: 1, ["a", "b", "c"]), ReadRecord(2, line: 2, ["1", "2", "3"])])
    }

    @Test func keepsCommasInsideQuotedFields() throws {
        #expect(try readCSV("id,name\n1,\"Hefei, Anhui\",x\n") == [
            ReadRecord(1, line: 1, ["id", "name"]), ReadRecord(2, line: 2, ["1", "Hefei, Anhui", "x"]),
        ])
    }

    @Test func turnsDoubledQuotesIntoOneQuote() throws {
        #expect(try readCSV("\"say \"\"hi\"\"\",\"\"\"\"\n") == [ReadRecord(1, line: 1, ["say \"hi\"", "\""])])
    }

    @Test func keepsLineBreaksInsideQuotesAndCountsRecordsApartFromLines() throws {
        let records = try readCSV("h1,h2\n\"first\nsecond\nthird\",x\nnext,y\n")
        #expect(records == [
            ReadRecord(1, line: 1, ["h1", "h2"]),
            ReadRecord(2, line: 2, ["first\nsecond\nthird", "x"]),
            ReadRecord(3, line: 5, ["next", "y"]),
        ])
    }

    @Test func keepsCRLFInsideQuotesAndCountsItAsOneLine() throws {
        #expect(try readCSV("\"a\r\nb\",c\r\nd,e\r\n") == [
            ReadRecord(1, line: 1, ["a\r\nb", "c"]), ReadRecord(2, line: 3, ["d", "e"]),
        ])
    }

    @Test func endsRecordsAtCRLF() throws {
        #expect(try readCSV("a,b\r\nc,d\r\n") == [ReadRecord(1, line: 1, ["a", "b"]), ReadRecord(2, line: 2, ["c", "d"])])
    }

    @Test func endsRecordsAtALoneCR() throws {
        #expect(try readCSV("a,b\rc,d\r\"e\"\rf") == [
            ReadRecord(1, line: 1, ["a", "b"]), ReadRecord(2, line: 2, ["c", "d"]), ReadRecord(3, line: 3, ["e"]),
            ReadRecord(4, line: 4, ["f"]),
        ])
    }

    @Test func skipsAByteOrderMarkAtTheStart() throws {
        #expect(try readCSV(Self.bom + "indicator,region\n") == [ReadRecord(1, line: 1, ["indicator", "region"])])
    }

    @Test func skipsAByteOrderMarkBeforeAQuotedField() throws {
        #expect(try readCSV(Self.bom + "\"a,b\",c\n") == [ReadRecord(1, line: 1, ["a,b", "c"])])
    }

    @Test func keepsAByteOrderMarkThatIsNotAtTheStart() throws {
        #expect(try readCSV("a,\(Self.bom)b\n\(Self.bom)c\n") == [
            ReadRecord(1, line: 1, ["a", "\(Self.bom)b"]), ReadRecord(2, line: 2, ["\(Self.bom)c"]),
        ])
    }

    @Test func skipsOnlyTheFirstOfTwoByteOrderMarks() throws {
        #expect(try readCSV(Self.bom + Self.bom + "x\n") == [ReadRecord(1, line: 1, ["\(Self.bom)x"])])
    }

    @Test(arguments: [[1], [2], [1, 1], [1, 2], [3], [2, 1, 1]])
    func skipsAByteOrderMarkSplitAcrossChunks(chunks: [Int]) throws {
        #expect(try readCSV(Self.bom + "ab,c\n", chunks: chunks) == [ReadRecord(1, line: 1, ["ab", "c"])])
    }

    @Test(arguments: [[], [1], [2], [1, 1]])
    func keepsTheBytesOfAnIncompleteByteOrderMarkAsData(chunks: [Int]) throws {
        let records = try readCSV([0xEF, 0xBB, 0x41, 0x2C, 0x42, 0x0A], chunks: chunks)
        #expect(records == [ReadRecord(number: 1, line: 1, fields: [[0xEF, 0xBB, 0x41], [0x42]])])
    }

    @Test func readsEmptyFieldsBetweenDelimiters() throws {
        #expect(try readCSV("a,,b\n") == [ReadRecord(1, line: 1, ["a", "", "b"])])
    }

    @Test func readsATrailingDelimiterAsOneMoreEmptyField() throws {
        #expect(try readCSV("a,b,\nc,d,") == [ReadRecord(1, line: 1, ["a", "b", ""]), ReadRecord(2, line: 2, ["c", "d", ""])])
    }

    @Test func readsALineOfOnlyADelimiterAsTwoEmptyFields() throws {
        #expect(try readCSV(",\n") == [ReadRecord(1, line: 1, ["", ""])])
    }

    @Test func readsQuotedEmptyFields() throws {
        #expect(try readCSV("\"\",x\n\"\"\n\"\",\"\"") == [
            ReadRecord(1, line: 1, ["", "x"]), ReadRecord(2, line: 2, [""]), ReadRecord(3, line: 3, ["", ""]),
        ])
    }

    @Test func readsTheLastRecordWithOrWithoutATrailingNewline() throws {
        let expected = [ReadRecord(1, line: 1, ["a", "b"]), ReadRecord(2, line: 2, ["c", "d"])]
        #expect(try readCSV("a,b\nc,d") == expected)
        #expect(try readCSV("a,b\nc,d\n") == expected)
        #expect(try readCSV("a,b\nc,d\r\n") == expected)
        #expect(try readCSV("a,b\nc,\"d\"") == expected)
    }

    @Test func skipsBlankLinesButCountsThemInRecordNumbers() throws {
        let records = try readCSV("h\n\n\r\nv\n\nw\n\n")
        #expect(records == [ReadRecord(1, line: 1, ["h"]), ReadRecord(4, line: 4, ["v"]), ReadRecord(6, line: 6, ["w"])])
    }

    @Test func readsNothingFromAnEmptyFileOrOneHoldingOnlyAByteOrderMark() throws {
        #expect(try readCSV("") == [])
        #expect(try readCSV(Self.bom) == [])
        #expect(try readCSV("\n\n") == [])
    }

    @Test func treatsAQuoteInsideAnUnquotedFieldAsData() throws {
        #expect(try readCSV("5\" screen,x\n") == [ReadRecord(1, line: 1, ["5\" screen", "x"])])
    }

    @Test func splitsOnASemicolonDelimiterAndKeepsCommas() throws {
        let records = try readCSV("indicator;value\ngdp;\"1,5;2\";x\nrate;1,5\n", delimiter: UInt8(ascii: ";"))
        #expect(records == [
            ReadRecord(1, line: 1, ["indicator", "value"]), ReadRecord(2, line: 2, ["gdp", "1,5;2", "x"]),
            ReadRecord(3, line: 3, ["rate", "1,5"]),
        ])
    }

    @Test func rejectsUnterminatedQuoteAtEndOfFile() {
        #expect(
            throws: CSVSyntaxError(
                row: 3, line: 3, column: 2,
                message: "a quoted field starting on line 3 is never closed; add the closing quote (\")")
        ) {
            try readCSV("indicator,note\ngdp,fine\ngdp,\"open\nstill open\n")
        }
    }

    @Test func countsBlankLinesInTheRowOfAnUnterminatedQuote() {
        #expect(
            throws: CSVSyntaxError(
                row: 3, line: 3, column: 1,
                message: "a quoted field starting on line 3 is never closed; add the closing quote (\")")
        ) {
            try readCSV("h\n\n\"never closed")
        }
    }

    @Test func rejectsACharacterAfterAClosingQuote() {
        #expect(
            throws: CSVSyntaxError(
                row: 2, line: 2, column: 2,
                message: "unexpected character after the closing quote of a quoted field; quote the whole field and double any quote inside it (\"\")")
        ) {
            try readCSV("a,b,c\n1,\"2\"x,3\n")
        }
    }

    @Test func reportsTheLineOfACharacterAfterAClosingQuoteInAMultiLineField() {
        #expect(
            throws: CSVSyntaxError(
                row: 2, line: 3, column: 1,
                message: "unexpected character after the closing quote of a quoted field; quote the whole field and double any quote inside it (\"\")")
        ) {
            try readCSV("h\n\"a\nb\" ,c\n")
        }
    }

    @Test(arguments: [[1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [8]])
    func reportsTheSameSyntaxErrorHoweverTheInputIsChunked(chunks: [Int]) {
        #expect(
            throws: CSVSyntaxError(
                row: 2, line: 2, column: 2,
                message: "unexpected character after the closing quote of a quoted field; quote the whole field and double any quote inside it (\"\")")
        ) {
            try readCSV("a,b\nx,\"y\"z\n", chunks: chunks)
        }
    }

    @Test func rejectsARecordLongerThanTheLimit() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: CSVReader.maxRecordBytes + 1)
        #expect(
            throws: CSVSyntaxError(
                row: 1, line: 1, column: 1,
                message: "the row is longer than 64 MiB; this does not look like a CSV file (check for a missing closing quote or a binary file)")
        ) {
            try readCSV(bytes, chunks: [1 << 20])
        }
    }

    @Test func describesASyntaxErrorWithRowLineAndField() {
        let error = CSVSyntaxError(row: 4, line: 6, column: 2, message: "broken")
        #expect(error.description == "row 4 (line 6), field 2: broken")
    }
}

/// An input and the records it must give, read whole, a byte at a time and in random chunks.
struct ChunkingCase: CustomTestStringConvertible, Sendable {
    var name: String
    var bytes: [UInt8]
    var delimiter: UInt8 = UInt8(ascii: ",")
    var expected: [ReadRecord]

    var testDescription: String { name }

    static let all: [ChunkingCase] = [
        ChunkingCase(
            name: "plain", bytes: Array("a,b,c\n1,2,3\n".utf8),
            expected: [ReadRecord(1, line: 1, ["a", "b", "c"]), ReadRecord(2, line: 2, ["1", "2", "3"])]),
        ChunkingCase(
            name: "BOM, CRLF, quotes", bytes: Array("\u{FEFF}id,name\r\n1,\"x, y\"\r\n2,\"say \"\"hi\"\"\"\r\n".utf8),
            expected: [
                ReadRecord(1, line: 1, ["id", "name"]), ReadRecord(2, line: 2, ["1", "x, y"]),
                ReadRecord(3, line: 3, ["2", "say \"hi\""]),
            ]),
        ChunkingCase(
            name: "multi-line field and blank line", bytes: Array("\"multi\nline\",z\n\nlast,\"\"\n".utf8),
            expected: [ReadRecord(1, line: 1, ["multi\nline", "z"]), ReadRecord(3, line: 4, ["last", ""])]),
        ChunkingCase(
            name: "mixed line ends", bytes: Array("a\rb\r\nc\n\r\r\nd".utf8),
            expected: [
                ReadRecord(1, line: 1, ["a"]), ReadRecord(2, line: 2, ["b"]), ReadRecord(3, line: 3, ["c"]),
                ReadRecord(6, line: 6, ["d"]),
            ]),
        ChunkingCase(
            name: "empty fields", bytes: Array("a,,b\na,b,\n,\n\"\"\n".utf8),
            expected: [
                ReadRecord(1, line: 1, ["a", "", "b"]), ReadRecord(2, line: 2, ["a", "b", ""]),
                ReadRecord(3, line: 3, ["", ""]), ReadRecord(4, line: 4, [""]),
            ]),
        ChunkingCase(
            name: "two BOMs", bytes: Array("\u{FEFF}\u{FEFF}x,\u{FEFF}\n".utf8),
            expected: [ReadRecord(1, line: 1, ["\u{FEFF}x", "\u{FEFF}"])]),
        ChunkingCase(
            name: "partial BOM", bytes: [0xEF, 0xBB, 0x41, 0x0A, 0x42],
            expected: [ReadRecord(number: 1, line: 1, fields: [[0xEF, 0xBB, 0x41]]), ReadRecord(2, line: 2, ["B"])]),
        ChunkingCase(
            name: "quoted fields at the end, no newline", bytes: Array("\"\",\"a\"\"\"".utf8),
            expected: [ReadRecord(1, line: 1, ["", "a\""])]),
        ChunkingCase(
            name: "trailing delimiter, no newline", bytes: Array("x,y\nlast,".utf8),
            expected: [ReadRecord(1, line: 1, ["x", "y"]), ReadRecord(2, line: 2, ["last", ""])]),
        ChunkingCase(
            name: "CRLF inside quotes", bytes: Array("\"a\r\nb\",c\r\nd,e\r\n".utf8),
            expected: [ReadRecord(1, line: 1, ["a\r\nb", "c"]), ReadRecord(2, line: 3, ["d", "e"])]),
        ChunkingCase(
            name: "semicolons", bytes: Array("x;\"y;z\";w\r\n1,5;2;\"3\"".utf8), delimiter: UInt8(ascii: ";"),
            expected: [ReadRecord(1, line: 1, ["x", "y;z", "w"]), ReadRecord(2, line: 2, ["1,5", "2", "3"])]),
        ChunkingCase(
            name: "Chinese text", bytes: Array("指标,地区\n城镇化率,\"安徽省\"\n".utf8),
            expected: [ReadRecord(1, line: 1, ["指标", "地区"]), ReadRecord(2, line: 2, ["城镇化率", "安徽省"])]),
    ]
}

@Suite struct CSVReaderChunkingTests {
    @Test(arguments: ChunkingCase.all)
    func readsTheSameRecordsWhenFedWhole(input: ChunkingCase) throws {
        #expect(try readCSV(input.bytes, delimiter: input.delimiter) == input.expected)
    }

    @Test(arguments: ChunkingCase.all)
    func readsTheSameRecordsWhenFedOneByteAtATime(input: ChunkingCase) throws {
        let chunks = [Int](repeating: 1, count: input.bytes.count)
        #expect(try readCSV(input.bytes, chunks: chunks, delimiter: input.delimiter) == input.expected)
    }

    @Test(arguments: ChunkingCase.all, 1...8)
    func readsTheSameRecordsWhenFedInRandomChunks(input: ChunkingCase, seed: Int) throws {
        let chunks = randomChunks(count: input.bytes.count, seed: UInt64(seed))
        #expect(try readCSV(input.bytes, chunks: chunks, delimiter: input.delimiter) == input.expected, "chunks \(chunks)")
    }
}

@Suite struct CSVRecordTests {
    @Test func givesFieldsAsTextAndReportsInvalidUTF8() throws {
        var reader = CSVReader()
        var records: [CSVRecord] = []
        try [UInt8]([0x61, 0x2C, 0xFF, 0x62, 0x0A]).withUnsafeBytes { chunk in
            try reader.feed(chunk) { records.append($0) }
        }
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.count == 2)
        #expect(record.string(0) == "a")
        #expect(record.string(1) == nil)
        #expect(record.strings == ["a", "\u{FFFD}b"])
        #expect(Array(record.field(1)) == [0xFF, 0x62])
    }

    @Test func buildsARecordFromStrings() {
        let record = CSVRecord(["gdp", "", "CN"], number: 3, line: 5)
        #expect(record.count == 3)
        #expect(record.strings == ["gdp", "", "CN"])
        #expect(record.number == 3)
        #expect(record.line == 5)
    }
}
