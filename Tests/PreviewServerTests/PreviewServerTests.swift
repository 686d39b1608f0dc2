import DigestApplication
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PreviewServer

let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A copy of the sample data and templates that a test may change,
/// removed when the test is done with it.
final class Scratch: Sendable {
    let data: String
    let templates: String

    deinit { try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent) }  // best effort

    init() throws {
        let root = NSTemporaryDirectory() + "preview-test-" + UUID().uuidString
        data = root + "/data"
        templates = root + "/templates"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("data").path, toPath: data)
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("templates").path, toPath: templates)
    }
}

func sampleApp() -> some ApplicationProtocol {
    let workspace = PreviewWorkspace(
        dataPath: repository.appendingPathComponent("data").path,
        templatesPath: repository.appendingPathComponent("templates").path)
    return Application(router: PreviewServer.router(workspace: workspace))
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

@Suite("The preview server")
struct PreviewServerTests {
    @Test("the index lists months newest first, quarters and years, with security headers")
    func index() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                let page = response.text
                let march = try #require(page.range(of: "/month/2020-03"))
                let june = try #require(page.range(of: "/month/2018-06"))
                #expect(march.lowerBound < june.lowerBound)
                #expect(page.contains("href=\"/period/2019-Q3\""))
                #expect(page.contains("href=\"/period/2019\""))
                #expect(!page.contains("problems"))
            }
        }
    }

    @Test("a month page: both widths in sandboxed frames, text, JSON, downloads, size")
    func month() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/month/2020-02", method: .get) { response in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains("<iframe class=\"desktop\" src=\"/month/2020-02/digest.html\""))
                #expect(page.contains("<iframe class=\"phone\" src=\"/month/2020-02/digest.html\""))
                // Desktop, phone, phone in dark mode: sandboxed, no script, of the preview's origin.
                #expect(page.components(separatedBy: "sandbox=\"allow-same-origin\"").count == 4)
                #expect(page.contains("Justice For All digest — February 2020"))  // the text, escaped into <pre>
                #expect(page.contains("&quot;month&quot;: &quot;2020-02&quot;"))  // the JSON, escaped
                #expect(page.contains("href=\"/month/2020-02/digest.eml?download=1\""))
                #expect(page.contains("href=\"/month/2020-02/report.xlsx?download=1\""))
                #expect(page.contains("KB</strong> once encoded for mail; Gmail clips messages near 102 KB"))
            }
        }
    }

    @Test("a month page starts as an inbox lists the message, links its neighbours, folds the view model away")
    func monthForStaff() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/month/2019-06", method: .get) { response in
                let page = response.text
                let inbox = try #require(page.range(of: "<section class=\"inbox\""))
                let frames = try #require(page.range(of: "<div class=\"frames\">"))
                let text = try #require(page.range(of: "<pre class=\"text\">"))
                #expect(inbox.lowerBound < frames.lowerBound && frames.lowerBound < text.lowerBound)
                #expect(page.contains("<p class=\"sender\">Justice For All Campaign</p>"))
                #expect(
                    page.contains(
                        "<p class=\"subject\">Justice For All — June 2019: Rome declaration, Ottawa and HLPF planning</p>"
                    ))
                #expect(page.contains("<a rel=\"prev\" href=\"/month/2019-05\">← May 2019</a>"))
                #expect(page.contains("<a rel=\"next\" href=\"/month/2019-07\">July 2019 →</a>"))
                #expect(page.contains("<details class=\"authors\"><summary>For template authors"))
                #expect(!page.contains("class=\"button\""))  // downloads are one row of plain links
            }
            try await client.execute(uri: "/month/2018-06", method: .get) { response in
                #expect(!response.text.contains("rel=\"prev\""))
            }
        }
    }

    @Test("the index groups workbooks by year with their quarters; the range form opens a period page")
    func periodsForStaff() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                let page = response.text
                #expect(
                    page.contains(
                        "<li><a href=\"/period/2019\">2019</a> <span class=\"quarters\"><a href=\"/period/2019-Q4\">Q4</a>"
                    ))
                #expect(page.contains("<form class=\"range\" method=\"get\" action=\"/period\">"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
            }
            try await client.execute(uri: "/period?range=2019-01..2019-06", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/period/2019-01..2019-06")
            }
            try await client.execute(uri: "/period/2019-01..2019-06", method: .get) { response in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains("<h2>Month by month</h2>"))
                #expect(page.components(separatedBy: "<tr><th><a href=\"/month/2019-").count == 7)
                #expect(page.contains("<tr><th><a href=\"/month/2019-06\">June 2019</a></th>"))
            }
        }
    }

    @Test(
        "downloads carry their content type and disposition",
        arguments: [
            ("/month/2020-02/digest.eml", "message/rfc822", "attachment; filename=\"digest-2020-02.eml\""),
            (
                "/month/2020-02/report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "attachment; filename=\"report-2020-02.xlsx\""
            ),
            (
                "/month/2020-02/digest.txt?download=1", "text/plain; charset=utf-8",
                "attachment; filename=\"digest-2020-02.txt\""
            ),
            (
                "/period/2019-Q3/report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "attachment; filename=\"report-2019-Q3.xlsx\""
            ),
        ])
    func downloads(uri: String, type: String, disposition: String) async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == type)
                #expect(response.headers[.contentDisposition] == disposition)
                #expect(response.body.readableBytes > 1000)
            }
        }
    }

    @Test("the newsletter itself is served for a sandboxed frame, not as an attachment")
    func newsletter() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/month/2020-02/digest.html", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentDisposition] == nil)
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("sandbox") && policy.contains("default-src 'none'"))
                #expect(response.text.hasPrefix("<!DOCTYPE html>"))
            }
        }
    }

    @Test("a quarter's page shows its figures and workbook")
    func period() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/period/2019-Q3", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Q3 2019 (July–September)"))
                #expect(response.text.contains("<tr><th>Calls held</th><td>3</td></tr>"))
                #expect(response.text.contains("href=\"/period/2019-Q3/report.xlsx\""))
            }
        }
    }

    @Test(
        "paths outside the routes, traversal and malformed or unknown months are 404",
        arguments: [
            "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/month/..%2F..%2Fetc%2Fpasswd", "/month/2020-13",
            "/month/2031-01", "/month/2020-02/../../etc/passwd", "/month/2020-02/passwd", "/month/2020-02%2Fdigest.eml",
            "/period/2019-Q5", "/period/2030-03", "/period/1999", "/period?range=2019-13", "/static/../Package.swift",
            "/data/coalition.yaml",
            "/templates/digest.txt.mustache", "/output", "/month/2020-02/digest.html/..",
        ])
    func notFound(uri: String) async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .notFound)
                #expect(!response.text.contains("root:"))
            }
        }
    }

    @Test("a period far outside the record is refused at once, naming the record's months")
    func outOfReach() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/period/1001-01..9999-12", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(
                    response.text.contains(
                        "the record runs from 2018-06 to 2020-03, so a period must lie between 2016-06 and 2022-03"))
            }
            try await client.execute(uri: "/period/2016-06..2022-03", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("what another site's page asks for is refused; the preview's own pages and the address bar are served")
    func crossSite() async throws {
        guard let site = HTTPField.Name("Sec-Fetch-Site"), let mode = HTTPField.Name("Sec-Fetch-Mode") else {
            Issue.record("header names")
            return
        }
        try await sampleApp().test(.router) { client in
            // An <img src="http://127.0.0.1:8080/period/…"> on another site.
            for (from, how, uri) in [
                ("cross-site", "no-cors", "/period/2019"), ("same-site", "no-cors", "/month/2020-02/report.xlsx"),
                ("cross-site", "navigate", "/period/2019"), ("cross-site", "cors", "/"),
            ] {
                try await client.execute(uri: uri, method: .get, headers: [site: from, mode: how]) { response in
                    #expect(response.status == .forbidden, "\(from) \(how) \(uri)")
                    #expect(response.text.hasPrefix("This preview answers only its own pages."))
                }
            }
            for (from, how, uri) in [
                ("same-origin", "no-cors", "/period/2019"), ("none", "navigate", "/month/2020-02"),
                ("cross-site", "navigate", "/"),
            ] {
                try await client.execute(uri: uri, method: .get, headers: [site: from, mode: how]) { response in
                    #expect(response.status == .ok, "\(from) \(how) \(uri)")
                }
            }
        }
    }

    @Test("a workbook that cannot be made is an error page with the cause, never an empty download")
    func workbookFails() async throws {
        // A file where the work folder should be made: libxlsxwriter never gets to start.
        let blocked = NSTemporaryDirectory() + "preview-blocked-" + UUID().uuidString
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocked))
        defer { try? FileManager.default.removeItem(atPath: blocked) }
        let workspace = PreviewWorkspace(
            project: Project(
                dataPath: repository.appendingPathComponent("data").path,
                templatesPath: repository.appendingPathComponent("templates").path),
            temporaryFolder: blocked)
        let app = Application(router: PreviewServer.router(workspace: workspace))
        try await app.test(.router) { client in
            for uri in ["/period/2019/report.xlsx", "/month/2020-02/report.xlsx"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .internalServerError, "\(uri)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.text.contains("This report could not be made"))
                    #expect(response.text.contains(blocked))
                }
            }
            // The month's other files are still there.
            try await client.execute(uri: "/month/2020-02/digest.txt", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("HEAD works; other methods are 405")
    func methods() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/month/2020-02", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
            for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
                try await client.execute(uri: "/", method: method) { response in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == "GET, HEAD")
                }
            }
        }
    }

    @Test("an edit shows on the next load; a data error is a readable page, and fixing it brings the page back")
    func live() async throws {
        let scratch = try Scratch()
        let workspace = PreviewWorkspace(dataPath: scratch.data, templatesPath: scratch.templates)
        let app = Application(router: PreviewServer.router(workspace: workspace))
        let call = scratch.data + "/calls/2020-02-11.md"
        let original = try String(contentsOfFile: call, encoding: .utf8)
        try await app.test(.router) { client in
            let before = try await client.execute(uri: "/version", method: .get) { $0.text }
            try original.replacingOccurrences(
                of: "title: Innovating Justice, CSW and the regions", with: "title: Edited title"
            )
            .write(toFile: call, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/month/2020-02", method: .get) { response in
                #expect(response.text.contains("The February call: Edited title"))
            }
            let after = try await client.execute(uri: "/version", method: .get) { $0.text }
            #expect(after != before)

            try original.replacingOccurrences(of: "date: 2020-02-11", with: "date: 2020-02-30")
                .write(toFile: call, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/month/2020-02", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(
                    response.text.contains("calls/2020-02-11.md:2:7: error: date &quot;2020-02-30&quot; does not exist")
                )
                #expect(response.text.contains("This report cannot be shown yet"))
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("1 problem to fix before anything can be sent"))
            }
            try original.write(toFile: call, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/month/2020-02", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a template error is a page with file, line and column")
    func templateError() async throws {
        let scratch = try Scratch()
        try "Hello {{#call}} never closed".write(
            toFile: scratch.templates + "/digest.txt.mustache", atomically: true, encoding: .utf8)
        let workspace = PreviewWorkspace(dataPath: scratch.data, templatesPath: scratch.templates)
        try await Application(router: PreviewServer.router(workspace: workspace)).test(.router) { client in
            try await client.execute(uri: "/month/2020-02", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.text.contains("digest.txt.mustache:1:"))
            }
        }
    }

    @Test("a language whose catalogue is broken: its pages name the file and line; the other languages still show")
    func brokenCatalogue() async throws {
        let scratch = try Scratch()
        let path = scratch.templates + "/words/fr.po"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "msgstr \"À venir\"", with: "msgstr \"À venir")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0 == "msgstr \"À venir" }) + 1
        let workspace = PreviewWorkspace(dataPath: scratch.data, templatesPath: scratch.templates)
        try await Application(router: PreviewServer.router(workspace: workspace)).test(.router) { client in
            try await client.execute(uri: "/month/2020-02?lang=fr", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.text.contains("words/fr.po:\(line):"))
                #expect(response.text.contains("the fr pages are left out until this is fixed"))
            }
            try await client.execute(uri: "/month/2020-02?lang=es", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/month/2020-02", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.text.contains("words/fr.po:\(line):"))  // listed with the data's problems
            }
        }
    }

    @Test("nothing is written into output/ or anywhere in the folders")
    func writesNothing() async throws {
        let scratch = try Scratch()
        let before = try FileManager.default.subpathsOfDirectory(atPath: scratch.data).sorted()
        let workspace = PreviewWorkspace(dataPath: scratch.data, templatesPath: scratch.templates)
        try await Application(router: PreviewServer.router(workspace: workspace)).test(.router) { client in
            for uri in ["/", "/month/2020-02", "/month/2020-02/report.xlsx", "/period/2019/report.xlsx"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .ok) }
            }
        }
        #expect(try FileManager.default.subpathsOfDirectory(atPath: scratch.data).sorted() == before)
        #expect(
            !FileManager.default.fileExists(atPath: (scratch.data as NSString).deletingLastPathComponent + "/output"))
    }

    @Test("data from the files is escaped on every page")
    func escaping() async throws {
        let workspace = PreviewWorkspace(
            dataPath: repository.appendingPathComponent("Tests/Fixtures/injection").path,
            templatesPath: repository.appendingPathComponent("templates").path)
        try await Application(router: PreviewServer.router(workspace: workspace)).test(.router) { client in
            for uri in ["/", "/month/2020-02", "/period/2020"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(!response.text.contains("<script>"))
                    #expect(!response.text.contains("<img"))
                }
            }
        }
    }
}
