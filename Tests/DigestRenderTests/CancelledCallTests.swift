import CoalitionData
import DigestModel
import DigestTestSupport
import Foundation
import Testing

@testable import DigestRender

@Suite("A cancelled call in the digest")
struct CancelledCallTests {
    /// The sample data, its schedule going on, with April 2020's call cancelled.
    func render(_ month: String) throws -> [String: Data] {
        let folder = NSTemporaryDirectory() + "digest-cancelled-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("data").path, toPath: folder)
        try continueSchedule(dataFolder: folder)
        try Data("---\ndate: 2020-04-14\nstatus: cancelled\ntitle: April call\n---\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/calls/2020-04-14.md"))
        let dataset = try #require(DataFolder.load(path: folder).dataset)
        let templates = try TemplateSet(folder: repository.appendingPathComponent("templates").path)
        return try DigestRenderer(templates: templates, words: english).render(
            Digest(dataset: dataset, period: try Period(parsing: month)))
    }

    @Test("the month before names it and points to the call after")
    func skipped() throws {
        let files = try render("2020-03")
        let text = String(decoding: try #require(files["digest.txt"]), as: UTF8.self)
        #expect(
            text.contains(
                "The call of Tuesday, 14 April 2020 is cancelled.\n\nTuesday, 12 May 2020 at 10:00 New York time."))
        let html = String(decoding: try #require(files["digest.html"]), as: UTF8.self)
        #expect(html.contains("The call of Tuesday, 14 April 2020 is cancelled.</p>"))
        #expect(html.contains("Tuesday, 12 May 2020 at 10:00 New York time</p>"))
    }

    @Test("its own month says it was cancelled, without notes")
    func ownMonth() throws {
        let files = try render("2020-04")
        let text = String(decoding: try #require(files["digest.txt"]), as: UTF8.self)
        #expect(text.contains("The call of Tuesday, 14 April 2020 was cancelled\n"))
        #expect(!text.contains("No written notes"))
        let html = String(decoding: try #require(files["digest.html"]), as: UTF8.self)
        #expect(html.contains(">The call of Tuesday, 14 April 2020 was cancelled</h2>"))
    }
}
