import CoalitionData
import DigestApplication
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PreviewServer

/// Issue 34: one data error no longer blanks every month; the problems are
/// grouped by file and severity; what each language lacks is listed item by
/// item; a member's copy opens at the copy.
@Suite("The preview while the data has problems, and for translators")
struct PreviewProblemsTests {
    @Test("a bad row touches its own month only: the others preview from the rest, with the error shown")
    func oneErrorOneMonth() async throws {
        let scratch = try Scratch()
        let workspace = PreviewWorkspace(dataPath: scratch.data, templatesPath: scratch.templates)
        let app = Application(router: PreviewServer.router(workspace: workspace))
        let file = scratch.data + "/commitments.csv"
        let original = try String(contentsOfFile: file, encoding: .utf8)
        // A commitment of May 2019 with a status the data does not know.
        try original.replacingOccurrences(
            of: "Commitments to close the justice gap highlighted at the World Justice Forum,announced",
            with: "Commitments to close the justice gap highlighted at the World Justice Forum,promised"
        ).write(toFile: file, atomically: true, encoding: .utf8)
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("1 problem to fix before anything can be sent"))
                #expect(response.text.contains("months they do not touch preview from the rest of it"))
                #expect(response.text.contains("href=\"/month/2019-06\""))
                #expect(response.text.contains("· waits for a fix"))
            }
            try await client.execute(uri: "/month/2019-06", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("The data has 1 error"))
                #expect(response.text.contains("iframe class=\"desktop\""))
            }
            try await client.execute(uri: "/month/2019-05", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.text.contains("This report cannot be shown yet"))
                #expect(response.text.contains("commitments.csv:11:"))
            }
            // An error that could touch any month (coalition.yaml) still stops every page.
            try original.write(toFile: file, atomically: true, encoding: .utf8)
            let yaml = scratch.data + "/coalition.yaml"
            let settings = try String(contentsOfFile: yaml, encoding: .utf8)
            try settings.replacingOccurrences(of: "goal: 100000", with: "goal: many")
                .write(toFile: yaml, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/month/2019-06", method: .get) { response in
                #expect(response.status == .internalServerError)
            }
            try settings.write(toFile: yaml, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/month/2019-05", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("problems grouped by file, the files with errors first, errors before warnings")
    func grouped() {
        let list = [
            Diagnostic(file: "data/vnr.csv", line: 3, column: 1, severity: .warning, message: "odd"),
            Diagnostic(file: "data/events.csv", line: 9, column: 2, severity: .warning, message: "late"),
            Diagnostic(file: "data/events.csv", line: 4, column: 2, severity: .error, message: "bad date"),
        ]
        let html = PreviewPage.diagnostics(list, templateError: nil)
        let events = html.range(of: "<strong>data/events.csv</strong>: 1 error, 1 warning")?.lowerBound
        let vnr = html.range(of: "<strong>data/vnr.csv</strong>: 1 warning")?.lowerBound
        #expect(events != nil && vnr != nil)
        if let events, let vnr { #expect(events < vnr) }
        let errors = html.range(of: "<h3 class=\"error\">Errors</h3><ul><li class=\"error\"><code>data/events.csv:4:2")
        let warnings = html.range(
            of: "<h3 class=\"warning\">Warnings</h3><ul><li class=\"warning\"><code>data/events.csv:9:2")
        #expect(errors != nil && warnings != nil)
        #expect(html.contains("<details class=\"file\" open><summary><strong>data/events.csv"))
        #expect(html.contains("<details class=\"file\"><summary><strong>data/vnr.csv"))
    }

    @Test("the index lists each language's translation gaps, item by item with the file to write")
    func gaps() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                let page = response.text
                #expect(page.contains("<h2>Translation gaps</h2>"))
                #expect(page.contains("<summary><strong>French</strong>:"))
                #expect(page.contains("<summary><strong>Spanish</strong>:"))
                #expect(page.contains("<li>the notes of 2019-02-19.md (in 2019-02-19.fr.md): from 2019-02</li>"))
                #expect(page.contains("<li>the notes of 2019-02-19.md (in 2019-02-19.es.md): from 2019-02</li>"))
                // What the sample translates is not listed.
                #expect(!page.contains("the notes of 2019-06-11.md"))
            }
        }
    }

    @Test("a member's copy comes first, and the form's answer opens at it")
    func memberCopyFirst() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/month/2019-06?member=9", method: .get) { response in
                let page = response.text
                let copy = try #require(page.range(of: "<h2 id=\"member-copy\">"))
                let newsletter = try #require(page.range(of: "<h2>Newsletter</h2>"))
                #expect(copy.lowerBound < newsletter.lowerBound)
                #expect(page.contains("action=\"/month/2019-06#member-copy\""))
            }
        }
    }
}
