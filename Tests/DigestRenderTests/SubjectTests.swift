import CoalitionData
import DigestModel
import DigestTestSupport
import Foundation
import Testing

@testable import DigestRender

@Suite("The subject line")
struct SubjectTests {
    /// The sample data, with `mail.subject` set to `pattern` when given.
    func view(_ month: String, pattern: String? = nil) throws -> DigestView {
        let folder = NSTemporaryDirectory() + "digest-subject-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("data").path, toPath: folder)
        if let pattern {
            let yaml = try String(contentsOfFile: folder + "/coalition.yaml", encoding: .utf8)
                .replacingOccurrences(of: "mail:\n", with: "mail:\n  subject: \"\(pattern)\"\n")
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: folder + "/coalition.yaml"))
        }
        let dataset = try #require(DataFolder.load(path: folder).dataset)
        let templates = try TemplateSet(folder: repository.appendingPathComponent("templates").path)
        return try DigestRenderer(templates: templates, words: english).view(
            for: Digest(dataset: dataset, period: try Period(parsing: month)))
    }

    @Test("by default, what is inside: the call's title when it has one")
    func defaults() throws {
        #expect(
            try view("2019-06").subject == "Justice For All — June 2019: Rome declaration, Ottawa and HLPF planning")
        // "March coalition call" only names the month: no title, the plain subject.
        #expect(try view("2020-03").subject == "Justice For All digest — March 2020")
    }

    @Test("mail.subject is a Mustache line over the view model")
    func pattern() throws {
        #expect(
            try view(
                "2019-06", pattern: "{{coalition.name}}: {{petition.total_text}} signatures in {{period.month_name}}"
            )
            .subject == "Justice For All: 1,575 signatures in June 2019")
        // An empty value leaves no dangling separator.
        #expect(
            try view("2020-03", pattern: "{{coalition.name}} — {{period.month_name}}: {{call.title}}").subject
                == "Justice For All — March 2020")
    }

    @Test("a mail.subject that does not parse is an error at its line in coalition.yaml")
    func badPattern() throws {
        let pattern = Coalition.Pattern(
            text: "{{#call}} never closed", file: "data/coalition.yaml", line: 39, column: 12)
        #expect(throws: RenderError.self) { try DigestRenderer.subjectTemplate(pattern) }
        do throws(RenderError) {
            _ = try DigestRenderer.subjectTemplate(pattern)
        } catch {
            #expect(error.description.hasPrefix("data/coalition.yaml:39:12: mail.subject is not a valid Mustache line"))
        }
    }

    @Test("the view model of a month whose mail.subject does not parse is the error, never the default subject")
    func badPatternInTheView() throws {
        #expect(throws: RenderError.self) { try view("2019-06", pattern: "{{#call}} never closed") }
        do {
            _ = try view("2019-06", pattern: "{{#call}} never closed")
        } catch let error as RenderError {
            #expect(error.description.contains("coalition.yaml:"))
            #expect(error.description.contains("mail.subject is not a valid Mustache line"))
        }
    }
}
