import CoalitionData
import DigestModel
import DigestTestSupport
import Foundation
import Testing

@testable import DigestRender

/// The repository's root folder.
let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Golden files of two sample months. To re-record after an intended change:
/// `RECORD_GOLDEN=1 swift test --filter GoldenTests`, then review the diff.
@Suite("Golden files of the sample data")
struct GoldenTests {
    static let months = ["2019-06", "2020-02"]

    static func render(_ month: String, language: String = "en") throws -> [String: Data] {
        let loaded = DataFolder.load(path: repository.appendingPathComponent("data").path)
        let dataset = try #require(loaded.dataset, "sample data has errors: \(loaded.log.all)")
        let templates = try TemplateSet(folder: repository.appendingPathComponent("templates").path)
        let digest = Digest(dataset: dataset, period: try Period(parsing: month))
        return try DigestRenderer(templates: templates, words: language == "en" ? english : words(language))
            .render(digest)
    }

    /// June 2019 in French and Spanish (notes, events and actions translated
    /// by staff), and May 2019 (notes left in English): read once, by a
    /// fluent reader's standard, then held here.
    @Test(
        "digest.txt and .html in French and Spanish match the golden files",
        arguments: [("2019-06", "fr"), ("2019-06", "es"), ("2019-05", "fr"), ("2019-05", "es")])
    func goldenLanguages(month: String, language: String) throws {
        let files = try Self.render(month, language: language)
        let folder = repository.appendingPathComponent("Tests/DigestRenderTests/Golden/\(month)")
        for name in ["digest.txt", "digest.html"] {
            let actual = try #require(files[name])
            let url = folder.appendingPathComponent(
                name.replacingOccurrences(of: "digest.", with: "digest.\(language)."))
            if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try actual.write(to: url)
                continue
            }
            let expected = try Data(contentsOf: url)
            #expect(
                String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                "\(month)/\(url.lastPathComponent) differs from the golden file; re-record with RECORD_GOLDEN=1"
            )
        }
    }

    @Test("digest.txt, .json, .html and .eml match the golden files", arguments: months)
    func golden(month: String) throws {
        let files = try Self.render(month)
        let folder = repository.appendingPathComponent("Tests/DigestRenderTests/Golden/\(month)")
        for name in ["digest.txt", "digest.json", "digest.html", "digest.eml"] {
            let actual = try #require(files[name])
            let url = folder.appendingPathComponent(name)
            if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try actual.write(to: url)
                continue
            }
            let expected = try Data(contentsOf: url)
            #expect(
                String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                "\(month)/\(name) differs from the golden file; if the change is intended, re-record with RECORD_GOLDEN=1"
            )
        }
    }

    @Test(
        "every sample month's text keeps to 72 columns, 78 at most for a lone address, in every language",
        arguments: ["2018-06", "2018-11", "2019-03", "2019-06", "2019-11", "2020-02", "2020-03"], ["en", "fr", "es"])
    func widths(month: String, language: String) throws {
        let text = String(
            decoding: try #require(try Self.render(month, language: language)["digest.txt"]), as: UTF8.self)
        for line in text.split(separator: "\n") {
            let width = DisplayWidth.of(line)
            let loneAddress = line.split(separator: " ").count <= 2 && line.contains("://")
            // Never past 78; past 72 only for an address that cannot be broken.
            #expect(width <= 78, "over 78 columns: \(line)")
            if width > 72 { #expect(loneAddress, "over 72 columns and not a lone address: \(line)") }
        }
        #expect(text.hasSuffix("\n") && !text.contains("\r"))
    }

    @Test("the JSON holds the fixed keys with their formats")
    func jsonKeys() throws {
        let data = try #require(try Self.render("2020-02")["digest.json"])
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let period = try #require(object["period"] as? [String: Any])
        #expect(period["month"] as? String == "2020-02")
        let call = try #require(object["call"] as? [String: Any])
        #expect(call["date"] as? String == "2020-02-11")
        let next = try #require(object["next_call"] as? [String: Any])
        #expect(next["utc"] as? String == "2020-03-10T14:00:00Z")
        let times = try #require(next["times"] as? [[String: Any]])
        let kathmandu = try #require(times.first { $0["zone"] as? String == "Asia/Kathmandu" })
        #expect(kathmandu["date"] as? String == "2020-03-10")
        #expect(kathmandu["time"] as? String == "19:45")
        #expect(kathmandu["utc_offset"] as? String == "+05:45")
        let petition = try #require(object["petition"] as? [String: Any])
        #expect(petition["total"] as? Int == 2920)
        #expect(petition["new"] as? Int == 140)
        #expect(petition["goal"] as? Int == 100_000)
        #expect(petition["percent_of_goal"] as? Double == 2.9)
        #expect(petition["goal_reached_by"] as? String == "2106-11")
        let commitments = try #require(object["commitments"] as? [String: Any])
        #expect(commitments["new_count"] as? Int == 2)
        #expect(commitments["total"] as? Int == 17)
        let frameworks = try #require(commitments["by_framework"] as? [[String: Any]])
        // "OGP" (2) and "OGP action plan" (3) are one framework, by coalition.yaml's frameworks.
        #expect(frameworks.first?["name"] as? String == "Open Government Partnership")
        #expect(frameworks.first?["count"] as? Int == 5)
        #expect(frameworks.map { $0["name"] as? String }.contains("OGP action plan") == false)
        let vnr = try #require(object["vnr"] as? [String: Any])
        #expect(vnr["year"] as? Int == 2020)
        #expect(vnr["count"] as? Int == 0)
        #expect(vnr["engaged_count"] as? Int == 0)
        // coalition.yaml gives the UN's figure for 2019 only.
        #expect(vnr["presenting_count"] is NSNull)
        #expect(object["events"] is [Any])
        #expect(object["actions"] is [Any])
        // Absent values are written as null, not left out.
        #expect(call.keys.contains("notes_text"))
        #expect(next.keys.contains("title"))
    }

    @Test("same input, same bytes")
    func deterministic() throws {
        #expect(try Self.render("2019-06") == (try Self.render("2019-06")))
    }
}
