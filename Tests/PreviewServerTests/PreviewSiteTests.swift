import DigestApplication
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PreviewServer

/// The preview serves the web archive at `/site/` (issue 12).
@Suite("The preview serves the web archive")
struct PreviewSiteTests {
    @Test("index, months, feed and calendar files, each with its type; nothing else")
    func files() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/site", method: .get) { response in
                #expect(response.status == .movedPermanently)
                #expect(response.headers[.location] == "/site/")
            }
            try await client.execute(uri: "/site/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(
                    response.text.contains(
                        "<a class=\"entry\" href=\"2019-06.html\"><span class=\"month\">June 2019</span>"))
                let policy = response.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.hasPrefix("default-src 'none'; style-src 'unsafe-inline';"))
                #expect(!policy.contains("script-src"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
            try await client.execute(uri: "/site/2019-06.html", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<a rel=\"next\" href=\"2019-07.html\">July 2019 →</a>"))
            }
            try await client.execute(uri: "/site/feed.xml", method: .get) { response in
                #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
                #expect(response.text.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""))
            }
            try await client.execute(uri: "/site/call-2019-07-09.ics", method: .get) { response in
                #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
                #expect(response.text.hasPrefix("BEGIN:VCALENDAR\r\n"))
            }
            for uri in [
                "/site/2031-01.html", "/site/..%2FPackage.swift", "/site/../Package.swift", "/site/%2e%2e/data",
                "/site/index.html/x", "/site/.site-files",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(!response.text.contains("swift-tools-version"))
                }
            }
            try await client.execute(uri: "/site/index.html", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
            }
        }
    }

    @Test("the archive in every language, in folders, as digest archive writes it")
    func languages() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/site/fr", method: .get) { response in
                #expect(response.status == .movedPermanently)
                #expect(response.headers[.location] == "/site/fr/")
            }
            try await client.execute(uri: "/site/fr/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<html lang=\"fr\""))
                #expect(response.text.contains("juin 2019"))
            }
            try await client.execute(uri: "/site/es/2019-06.html", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<html lang=\"es\""))
                #expect(response.text.contains("junio de 2019"))
            }
            try await client.execute(uri: "/site/de/", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("an edit to the data shows in the archive on the next load")
    func rebuilt() async throws {
        let scratch = try Scratch()
        let workspace = PreviewWorkspace(dataPath: scratch.data, templatesPath: scratch.templates)
        let app = Application(router: PreviewServer.router(workspace: workspace))
        let call = scratch.data + "/calls/2020-02-11.md"
        let original = try String(contentsOfFile: call, encoding: .utf8)
        try await app.test(.router) { client in
            try await client.execute(uri: "/site/", method: .get) { response in
                #expect(!response.text.contains("Edited title"))
            }
            try original.replacingOccurrences(
                of: "title: Innovating Justice, CSW and the regions", with: "title: Edited title"
            )
            .write(toFile: call, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/site/", method: .get) { response in
                #expect(response.text.contains("<span class=\"held\">Edited title</span>"))
            }
            try original.replacingOccurrences(of: "date: 2020-02-11", with: "date: 2020-02-30")
                .write(toFile: call, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/site/2020-02.html", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.text.contains("This report cannot be shown yet"))
            }
        }
    }

    @Test("the index counts the members and shows no address")
    func memberCount() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.text.contains("Members: 40, 35 subscribed."))
                #expect(!response.text.contains("@example.org"))
            }
        }
    }
}
