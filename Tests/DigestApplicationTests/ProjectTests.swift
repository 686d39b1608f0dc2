import CoalitionData
import DigestModel
import Foundation
import Testing

@testable import DigestApplication

let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("Rendering and writing output")
struct ProjectTests {
    let output = NSTemporaryDirectory() + "digest-out-" + UUID().uuidString

    var project: Project {
        Project(
            dataPath: repository.appendingPathComponent("data").path,
            templatesPath: repository.appendingPathComponent("templates").path, outputPath: output)
    }

    @Test("the default month is the latest month with a call")
    func defaultMonth() throws {
        let dataset = try #require(project.load().dataset)
        #expect(Project.defaultMonth(dataset)?.description == "2020-03")
    }

    @Test("files are written under output/<month>/ with no temporary files left")
    func write() throws {
        let dataset = try #require(project.load().dataset)
        let rendered = try project.render(
            dataset, months: [YearMonth(iso: "2020-02")].compactMap { $0 }, formats: [.text, .json])
        let written = try project.write(rendered.map { ($0.month.description, $0.files) })
        #expect(written.map { ($0 as NSString).lastPathComponent } == ["digest.json", "digest.txt"])
        let names = try FileManager.default.contentsOfDirectory(atPath: output + "/2020-02").sorted()
        #expect(names == ["digest.json", "digest.txt"])
        try? FileManager.default.removeItem(atPath: output)
    }

    @Test("a template error stops render before anything is written")
    func templateError() throws {
        let dataset = try #require(project.load().dataset)
        let templates = NSTemporaryDirectory() + "digest-templates-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: templates) }  // best effort: a temporary folder
        try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
        // digest.txt parses; digest.html never closes its section. render
        // writes a month only once all of its files are made.
        try FileManager.default.copyItem(
            atPath: repository.appendingPathComponent("templates/digest.txt.mustache").path,
            toPath: templates + "/digest.txt.mustache")
        try Data("{{#call}}never closed".utf8).write(to: URL(fileURLWithPath: templates + "/digest.html.mustache"))
        var broken = project
        broken.templatesPath = templates
        let months = [YearMonth(iso: "2020-01"), YearMonth(iso: "2020-02")].compactMap { $0 }
        let selection = Project.FormatSelection(formats: [.text, .html], workbook: false, warnings: [])
        #expect(throws: ProjectError.self) { try broken.renderAndWrite(dataset, months: months, selection: selection) }
        #expect(!FileManager.default.fileExists(atPath: output + "/2020-01"))
        #expect(!FileManager.default.fileExists(atPath: output + "/2020-02"))
        // With sound templates the same call writes both months.
        let written = try project.renderAndWrite(dataset, months: months, selection: selection)
        #expect(written.written.count == 4)
        #expect(FileManager.default.fileExists(atPath: output + "/2020-02/digest.html"))
        try? FileManager.default.removeItem(atPath: output)
    }

    @Test("an unwritable output folder is an error, not a crash")
    func unwritable() throws {
        let file = NSTemporaryDirectory() + "digest-file-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: file) }  // best effort: a temporary file
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        var blocked = project
        blocked.outputPath = file  // a file where the folder should be
        #expect(throws: ProjectError.self) { try blocked.write([("2020-02", ["digest.txt": Data("x".utf8)])]) }
    }

    @Test("check warns when a month's newsletter passes 90 KB once encoded")
    func sizeWarning() throws {
        let folder = NSTemporaryDirectory() + "digest-big-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("data").path, toPath: folder)
        let notes = (1...900).map { "- Point \($0): a long update from the regions about paralegals and justice." }
        try Data(("---\ndate: 2019-06-11\n---\n" + notes.joined(separator: "\n")).utf8)
            .write(to: URL(fileURLWithPath: folder + "/calls/2019-06-11.md"))
        var big = project
        big.dataPath = folder
        let dataset = try #require(big.load().dataset)
        let warnings = try big.sizeWarnings(dataset)
        #expect(warnings.count == 1)
        #expect(warnings.first?.file == folder + "/calls/2019-06-11.md")
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.message.hasPrefix("the June 2019 newsletter is ") == true)
        #expect(warnings.first?.message.contains("Gmail clips messages near 102 KB") == true)
        #expect(try project.sizeWarnings(try #require(project.load().dataset)).isEmpty)
    }

    @Test("check measures the newsletter in every language: a long translation is named at its own file")
    func sizeWarningInATranslation() throws {
        let folder = NSTemporaryDirectory() + "digest-big-fr-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("data").path, toPath: folder)
        let notes = (1...900).map {
            "- Point \($0) : une longue nouvelle des régions sur les parajuristes et la justice."
        }
        try Data(("---\ntitle: Une longue traduction\n---\n" + notes.joined(separator: "\n")).utf8)
            .write(to: URL(fileURLWithPath: folder + "/calls/2019-06-11.fr.md"))
        var big = project
        big.dataPath = folder
        let warnings = try big.sizeWarnings(try #require(big.load().dataset))
        #expect(warnings.map(\.file) == [folder + "/calls/2019-06-11.fr.md"])
        #expect(warnings.first?.message.hasPrefix("the June 2019 newsletter in French is ") == true)
    }

    @Test("the dry run's estimate in words: seconds, minutes, hours")
    func sendDuration() {
        #expect(MonthSend.Outbox.duration(35, rate: 10) == "about 4 seconds")
        #expect(MonthSend.Outbox.duration(20_000, rate: 14) == "about 24 minutes")
        #expect(MonthSend.Outbox.duration(100_000, rate: 9) == "about 3 h 5 min")
        #expect(MonthSend.Outbox.duration(1, rate: 100) == "about 1 second")
    }
}
