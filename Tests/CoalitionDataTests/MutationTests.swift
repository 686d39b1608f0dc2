import Foundation
import Testing

@testable import CoalitionData

/// A small seeded generator (SplitMix64), so every run mutates the same way.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The sample data folder of the repository.
let sampleData = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("data").path

@Suite("Random mutations never crash the loaders")
struct MutationTests {
    /// Bytes that matter to the formats: quotes, separators, line ends,
    /// YAML and Markdown punctuation, a broken UTF-8 lead byte, NUL.
    static let interesting: [UInt8] =
        Array("\",\n\r:-#[]{}|>*&!'\\ \t0123456789".utf8) + [0xFF, 0xC3, 0x00, 0x1B, 0x08]

    /// Whole sequences a careless paste or a hostile file brings: a
    /// right-to-left override, a first-strong isolate, C1 CSI, a year far
    /// in the future or the past, a huge count.
    static let sequences: [[UInt8]] = [
        Array("\u{202E}".utf8), Array("\u{2068}".utf8), [0xC2, 0x9B], Array("9999-12-14".utf8), Array("2109".utf8),
        Array("1899-01-01".utf8), Array("999999999999999".utf8), Array("1,2,3".utf8),
    ]

    static func mutate(_ bytes: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0 where !bytes.isEmpty: bytes.remove(at: position)
            case 1 where Bool.random(using: &random):
                bytes.insert(contentsOf: sequences.randomElement(using: &random) ?? [], at: position)
            case 1: bytes.insert(interesting.randomElement(using: &random) ?? 0, at: position)
            case 2 where !bytes.isEmpty: bytes[position] = interesting.randomElement(using: &random) ?? 0
            case 3 where !bytes.isEmpty:
                // Duplicate or drop a slice, as a careless paste would.
                let end = min(bytes.count, position + Int.random(in: 1...40, using: &random))
                if Bool.random(using: &random) {
                    bytes.insert(contentsOf: bytes[position..<end], at: position)
                } else {
                    bytes.removeSubrange(position..<end)
                }
            default: bytes = Array(bytes.prefix(position))  // truncate
            }
        }
        return bytes
    }

    static func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: sampleData + "/" + name)))
    }

    @Test(
        "CSV files: 4,000 mutations",
        arguments: ["commitments.csv", "vnr.csv", "petition.csv", "events.csv", "actions.csv"])
    func csv(name: String) throws {
        let original = try Self.read(name)
        let countries = try CountryTable.standard()
        var random = SeededGenerator(state: 0xC0A1_1710 &+ UInt64(name.utf8.count))
        for _ in 0..<800 {
            let bytes = Self.mutate(original, using: &random)
            var log = DiagnosticLog()
            let (required, optional): ([String], [String])
            switch name {
            case "commitments.csv": (required, optional) = Commitment.columns
            case "vnr.csv": (required, optional) = VNRReview.columns
            case "petition.csv": (required, optional) = PetitionCount.columns
            case "events.csv": (required, optional) = Event.columns
            default: (required, optional) = Action.columns
            }
            var petition: [PetitionCount] = []
            if TextScan.firstInvalidUTF8(bytes) == nil { TextScan.controls(bytes, file: name, log: &log) }
            var table = CSVTable(bytes: bytes, file: name, required: required, optional: optional)
            table.span = RecordSpan(callDates: LocalDate(year: 2020, month: 3, day: 10).map { [$0] } ?? [])
            table.forEachRow(log: &log) { row in
                switch name {
                case "commitments.csv": _ = Commitment.parse(&row, countries: countries, frameworks: nil)
                case "vnr.csv": _ = VNRReview.parse(&row, countries: countries)
                case "petition.csv": PetitionCount.parse(&row, countries: countries).map { petition.append($0) }
                case "events.csv": _ = Event.parse(&row, countries: countries)
                default: _ = Action.parse(&row)
                }
            }
            PetitionCheck.run(petition, file: name, log: &log)
            // A control character never passes: it is an error wherever it lands.
            let hasControl = bytes.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            if hasControl && TextScan.firstInvalidUTF8(bytes) == nil { #expect(log.hasErrors) }
            for diagnostic in log.all {
                #expect(diagnostic.line >= 1 && diagnostic.column >= 1)
                #expect(!diagnostic.message.isEmpty)
            }
        }
    }

    @Test("coalition.yaml: 1,500 mutations")
    func coalition() throws {
        let original = try Self.read("coalition.yaml")
        var random = SeededGenerator(state: 42)
        var failures = 0
        for _ in 0..<1500 {
            let text = String(decoding: Self.mutate(original, using: &random), as: UTF8.self)
            var log = DiagnosticLog()
            let coalition = Coalition.parse(text, file: "coalition.yaml", log: &log)
            // Either a coalition or at least one error explaining why not.
            if coalition == nil {
                failures += 1
                #expect(log.hasErrors)
            }
        }
        #expect(failures > 0)  // the mutations do break things
    }

    @Test("call files: 1,500 mutations")
    func calls() throws {
        let original = try Self.read("calls/2019-02-19.md")
        let countries = try CountryTable.standard()
        var random = SeededGenerator(state: 7)
        let date = LocalDate(year: 2019, month: 2, day: 19)
        for _ in 0..<1500 {
            let text = String(decoding: Self.mutate(original, using: &random), as: UTF8.self)
            var log = DiagnosticLog()
            guard let date else { return }
            let call = Call.parse(text, file: "call.md", fileDate: date, countries: countries, log: &log)
            if call == nil { #expect(log.hasErrors) }
        }
    }
}
