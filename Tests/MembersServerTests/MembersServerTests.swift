import CoalitionData
import DigestApplication
import DigestMailing
import DigestTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import ListState
@testable import MembersServer

/// A copy of the sample data with a secret file, and its members' server.
final class Scratch: Sendable {
    let root: String

    deinit { try? FileManager.default.removeItem(atPath: root) }  // best effort: a temporary copy
    let project: Project
    let service: MemberService
    let members: [Member]
    let tokens: MemberTokens

    init() throws {
        root = NSTemporaryDirectory() + "serve-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("data").path, toPath: root + "/data")
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("templates").path, toPath: root + "/templates")
        try "serve-tests-secret-0123456789abcdef\n".write(toFile: root + "/secret", atomically: true, encoding: .utf8)
        let yaml = root + "/data/coalition.yaml"
        var text = try String(contentsOfFile: yaml, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "\n  unsubscribe: ", with: "\n  unsubscribe_secret_file: ../secret\n  unsubscribe: ")
        try text.write(toFile: yaml, atomically: true, encoding: .utf8)
        project = Project(dataPath: root + "/data", templatesPath: root + "/templates", outputPath: root + "/output")
        let mailing = try Mailing.load(project)
        members = mailing.members
        tokens = mailing.tokens
        service = try MemberService(project: project)
    }

    func token(_ index: Int) -> String { tokens.unsubscribeToken(for: members[index]) }

    func app(_ settings: MembersServer.Settings = .init()) throws -> some ApplicationProtocol {
        Application(router: try MembersServer.router(service: service, settings: settings))
    }

    /// The mailboxes suppressed now.
    func suppressed() async throws -> Set<String> { try await service.suppressions.mailboxes() }

    /// The store as SQLite, to read what the protocol does not show.
    var store: SQLiteListStore {
        get throws { try #require(service.suppressions as? SQLiteListStore) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// Collects log lines.
final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite("digest serve: the members' pages")
struct MembersServerTests {
    @Test("GET /unsubscribe asks, with the address masked, and changes nothing")
    func getAsks() async throws {
        let scratch = try Scratch()
        let member = scratch.members[0]
        try await scratch.app().test(.router) { client in
            try await client.execute(uri: "/unsubscribe?m=\(scratch.token(0))", method: .get) { response in
                #expect(response.status == .ok)
                let page = response.text
                let masked = MemberService.mask(member.email)
                #expect(page.contains("Stop the Justice For All digest for \(masked)?"))
                #expect(page.contains("<form method=\"post\" action=\"unsubscribe?m=\(scratch.token(0))\">"))
                #expect(!page.contains(member.email))
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src") == false)
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
        #expect(try await scratch.suppressed().isEmpty)
    }

    @Test("RFC 8058's one-click POST: 200, committed, one-click; a repeat is harmless")
    func oneClick() async throws {
        let scratch = try Scratch()
        let member = scratch.members[3]
        try await scratch.app().test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(
                    uri: "/unsubscribe?m=\(scratch.token(3))", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "List-Unsubscribe=One-Click")
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.location] == nil)
                    #expect(response.text.contains("You are unsubscribed"))
                    #expect(!response.text.contains(member.email))
                }
            }
        }
        #expect(try await scratch.suppressed() == [member.mailbox])
        let entry = try #require(try await scratch.service.suppressions.suppression(of: member.email))
        #expect(entry.reason == .unsubscribed)
        #expect(entry.source == .oneClick)
        // Seen by another connection to the file: on the disk.
        let other = try SQLiteListStore(
            path: scratch.service.suppressions.location, list: scratch.service.suppressions.list)
        #expect(try await other.mailboxes() == [member.mailbox])
    }

    @Test("the page's button is recorded as the page, and multipart one-click as one-click")
    func sources() async throws {
        let scratch = try Scratch()
        try await scratch.app().test(.router) { client in
            try await client.execute(
                uri: "/unsubscribe?m=\(scratch.token(1))", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "action=unsubscribe")
            ) { #expect($0.status == .ok) }
            let multipart =
                "--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n"
            try await client.execute(
                uri: "/unsubscribe?m=\(scratch.token(2))", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=b"], body: ByteBuffer(string: multipart)
            ) { #expect($0.status == .ok) }
        }
        #expect(try await scratch.service.suppressions.suppression(of: scratch.members[1].email)?.source == .page)
        #expect(try await scratch.service.suppressions.suppression(of: scratch.members[2].email)?.source == .oneClick)
    }

    @Test(
        "a forged, truncated, padded or foreign token, and any other path, get the same 404 bytes; nothing suppressed")
    func notFound() async throws {
        let scratch = try Scratch()
        let good = scratch.token(0)
        let foreign = MemberTokens(
            secret: try UnsubscribeSecret(text: "another-list-secret-0123456789ab"), listID: scratch.tokens.listID
        ).unsubscribeToken(for: scratch.members[0])
        let uris = [
            "/unsubscribe?m=" + String(repeating: "A", count: 22), "/unsubscribe?m=" + good.dropLast(),
            "/unsubscribe?m=" + good + "A", "/unsubscribe?m=" + foreign, "/unsubscribe", "/unsubscribe?m=",
            "/preferences?m=" + good.lowercased(), "/", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
            "/unsubscribe/../data/members.csv", "/static/x.css",
        ]
        let bodies = try await scratch.app(.init(rate: 0)).test(.router) { client in
            var bodies: Set<String> = []
            for uri in uris {
                for method in [HTTPRequest.Method.get, .post] {
                    let body = try await client.execute(
                        uri: uri, method: method, body: ByteBuffer(string: "List-Unsubscribe=One-Click")
                    ) { response in
                        #expect(response.status == .notFound, "\(method) \(uri)")
                        return response.text
                    }
                    bodies.insert(body)
                }
            }
            return bodies
        }
        #expect(bodies.count == 1)
        #expect(bodies.first?.contains("This link does not work") == true)
        #expect(try await scratch.suppressed().isEmpty)
    }

    @Test("bodies over 8 KB are refused (413) whether declared or streamed; nothing suppressed")
    func largeBodies() async throws {
        let scratch = try Scratch()
        let big = String(repeating: "x", count: 10 * 1024 * 1024)
        try await scratch.app().test(.router) { client in
            try await client.execute(
                uri: "/unsubscribe?m=\(scratch.token(0))", method: .post, body: ByteBuffer(string: big)
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.connection] == "close")
            }
            try await client.execute(
                uri: "/preferences?m=\(scratch.token(0))", method: .post,
                body: ByteBuffer(string: "action=unsubscribe&x=" + String(repeating: "y", count: 9000))
            ) { #expect($0.status == .contentTooLarge) }
        }
        #expect(try await scratch.suppressed().isEmpty)
    }

    @Test("after unsubscribing, one button undoes it (a POST to the preferences); the digest is then sent again")
    func undo() async throws {
        let scratch = try Scratch()
        let member = scratch.members[4]
        try await scratch.app().test(.router) { client in
            try await client.execute(
                uri: "/unsubscribe?m=\(scratch.token(4))", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "action=unsubscribe")
            ) { response in
                #expect(response.text.contains("You are unsubscribed"))
                #expect(
                    response.text.contains(
                        "<form method=\"post\" action=\"preferences?m=\(scratch.token(4))\">\n<input type=\"hidden\" name=\"action\" value=\"resubscribe\">\n<button type=\"submit\" class=\"secondary\">Undo: keep getting the digest</button>"
                    ))
            }
            #expect(try await scratch.suppressed() == [member.mailbox])
            try await client.execute(
                uri: "/preferences?m=\(scratch.token(4))", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "action=resubscribe")
            ) { response in
                #expect(response.text.contains("The digest will be sent to you again from next month."))
            }
        }
        #expect(try await scratch.suppressed().isEmpty)
    }

    @Test(
        "a link that does not work answers in the visitor's language among the coalition's, the same bytes for every token"
    )
    func notFoundInLanguage() async throws {
        let scratch = try Scratch()
        try await scratch.app(.init(rate: 0)).test(.router) { client in
            var french: Set<String> = []
            for uri in ["/unsubscribe?m=" + String(repeating: "A", count: 22), "/preferences?m=x", "/unsubscribe"] {
                try await client.execute(
                    uri: uri, method: .get, headers: [.acceptLanguage: "fr-CA, fr;q=0.9, en;q=0.5"]
                ) {
                    response in
                    #expect(response.status == .notFound)
                    french.insert(response.text)
                }
            }
            #expect(french.count == 1)
            #expect(french.first?.contains("<html lang=\"fr\">") == true)
            try await client.execute(
                uri: "/unsubscribe?m=x", method: .get, headers: [.acceptLanguage: "de-DE, es;q=0.8, fr;q=0.3"]
            ) { #expect($0.text.contains("<html lang=\"es\">")) }
            // Nothing the coalition writes in, or no header: the coalition's language.
            try await client.execute(uri: "/unsubscribe?m=x", method: .get, headers: [.acceptLanguage: "de, it;q=0.9"])
            {
                #expect($0.text.contains("<html lang=\"en\">") && $0.text.contains("This link does not work"))
            }
        }
    }

    @Test("Accept-Language: by weight, a regional tag for its language, q=0 and * ignored")
    func acceptLanguage() {
        let languages = ["en", "fr", "es"]
        #expect(AcceptLanguage.choose("fr-CA,fr;q=0.9,en;q=0.8", among: languages) == "fr")
        #expect(AcceptLanguage.choose("en;q=0.2, es-MX", among: languages) == "es")
        #expect(AcceptLanguage.choose("fr;q=0, es;q=0.1", among: languages) == "es")
        #expect(AcceptLanguage.choose("*", among: languages) == nil)
        #expect(AcceptLanguage.choose("de", among: languages) == nil)
        #expect(AcceptLanguage.choose(nil, among: languages) == nil)
        #expect(AcceptLanguage.choose("ES", among: languages) == "es")
    }

    @Test("preferences: unsubscribe, then start again on the member's own action")
    func preferences() async throws {
        let scratch = try Scratch()
        let member = scratch.members[5]
        let uri = "/preferences?m=\(scratch.token(5))"
        try await scratch.app().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(
                    response.text.contains("The digest is sent to \(MemberService.mask(member.email)) once a month."))
                #expect(response.text.contains("value=\"unsubscribe\""))
                // Save (the language) is the page's button; Unsubscribe the lesser, outlined one.
                #expect(response.text.contains("<button type=\"submit\" class=\"secondary\">Unsubscribe</button>"))
                #expect(response.text.contains("<button type=\"submit\">Save</button>"))
                // The sample coalition writes in English, French and Spanish: each a choice, in its own name.
                #expect(response.text.contains("<select"))
                #expect(response.text.contains("<option value=\"fr\" lang=\"fr\">Français</option>"))
                #expect(response.text.contains("<option value=\"es\" lang=\"es\">Español</option>"))
            }
            try await client.execute(
                uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "action=unsubscribe")
            ) { response in
                #expect(response.text.contains("you unsubscribed on"))
                #expect(response.text.contains("value=\"resubscribe\""))
            }
            #expect(try await scratch.suppressed() == [member.mailbox])
            try await client.execute(
                uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "action=resubscribe")
            ) { response in
                #expect(response.text.contains("The digest will be sent to you again from next month."))
            }
            #expect(try await scratch.suppressed().isEmpty)
            // A language without a catalogue, or no action: nothing changes.
            for body in ["action=language&language=xx", "action=delete", ""] {
                try await client.execute(
                    uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: body)
                ) { #expect($0.status == .notFound, "\(body)") }
            }
        }
        let events = try await scratch.store.read { db, _ in
            try String.fetchAll(db, sql: "SELECT action || ' ' || source FROM event ORDER BY id")
        }
        #expect(events == ["suppress page", "resubscribe page"])
    }

    @Test("the preferences page says why the digest stopped: a bounce, staff; no ⟦key⟧ anywhere")
    func reasons() async throws {
        let scratch = try Scratch()
        try await scratch.service.suppressions.suppress(
            scratch.members[0].email, reason: .hardBounce, source: .deliveryReport, now: 1_560_000_000)
        try await scratch.service.suppressions.suppress(
            scratch.members[1].email, reason: .staff, source: .command, now: 1_560_000_000)
        try await scratch.app().test(.router) { client in
            try await client.execute(uri: "/preferences?m=\(scratch.token(0))", method: .get) { response in
                #expect(response.text.contains("mail to it was returned as undeliverable on 8 June 2019"))
                #expect(!response.text.contains("⟦"))
            }
            try await client.execute(uri: "/preferences?m=\(scratch.token(1))", method: .get) { response in
                #expect(response.text.contains("since 8 June 2019."))
                #expect(response.text.contains("value=\"resubscribe\""))
                #expect(!response.text.contains("⟦"))
            }
            for uri in ["/unsubscribe?m=x", "/unsubscribe?m=\(scratch.token(2))"] {
                try await client.execute(uri: uri, method: .get) { #expect(!$0.text.contains("⟦")) }
            }
        }
    }

    @Test("a language the coalition writes in can be chosen, is stored with the member, and the page answers in it")
    func language() async throws {
        let scratch = try Scratch()
        let service = try MemberService(project: scratch.project)
        let app = Application(router: try MembersServer.router(service: service, settings: .init()))
        let uri = "/preferences?m=\(scratch.token(0))"
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.text.contains("<option value=\"fr\" lang=\"fr\">Français</option>"))
                #expect(response.text.contains("<option value=\"en\" lang=\"en\" selected>English</option>"))
            }
            try await client.execute(
                uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "action=language&language=fr")
            ) { response in
                #expect(response.text.contains("<html lang=\"fr\">"))
                // The page after the choice is in French, from templates/words/fr.po.
                #expect(response.text.contains("Langue de votre lettre\u{A0}: Français."))
                #expect(response.text.contains("Votre abonnement à la lettre mensuelle"))
                #expect(response.text.contains("<option value=\"fr\" lang=\"fr\" selected>Français</option>"))
            }
        }
        #expect(try await service.suppressions.language(of: scratch.members[0].email) == "fr")
        #expect(try await scratch.suppressed().isEmpty)
    }

    @Test("a member added to members.csv while serving is found without a restart")
    func listChanges() async throws {
        let scratch = try Scratch()
        let path = MemberList.path(dataFolder: scratch.project.dataPath, coalition: scratch.service.dataset.coalition)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if !text.hasSuffix("\n") { text += "\n" }
        #expect(text.hasPrefix("email,name,first_name,country,timezone,organisation,language,status,since\n"))
        let row = "newcomer@example.net,Newcomer,,Kenya,,,,subscribed,2020-03-01"
        // Written whole (a new file, a new size): seen by its identity, whatever the clock.
        try (text + row + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let token = scratch.tokens.token(forKey: "newcomer@example.net")
        try await scratch.app().test(.router) { client in
            try await client.execute(uri: "/unsubscribe?m=\(token)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("n•••@example.net"))
            }
        }
    }

    @Test("more than the rate from one client: 429 with Retry-After")
    func rateLimit() async throws {
        let scratch = try Scratch()
        let statuses = try await scratch.app(.init(rate: 1, burst: 3, clock: { 1000 })).test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 {
                let status = try await client.execute(uri: "/unsubscribe?m=\(scratch.token(0))", method: .get) {
                    response in
                    if response.status == .tooManyRequests { #expect(response.headers[.retryAfter] == "1") }
                    return response.status
                }
                statuses.append(status)
            }
            return statuses
        }
        #expect(statuses == [.ok, .ok, .ok, .tooManyRequests, .tooManyRequests])
    }

    @Test("methods other than GET, HEAD and POST are refused")
    func methods() async throws {
        let scratch = try Scratch()
        try await scratch.app().test(.router) { client in
            for method in [HTTPRequest.Method.put, .delete, .patch] {
                try await client.execute(uri: "/unsubscribe?m=\(scratch.token(0))", method: method) {
                    #expect($0.status == .methodNotAllowed)
                }
            }
        }
        #expect(try await scratch.suppressed().isEmpty)
    }

    @Test("the log holds four characters of a token, no address, no control characters")
    func log() async throws {
        let scratch = try Scratch()
        let lines = LogLines()
        try await scratch.app(.init(log: lines.add)).test(.router) { client in
            try await client.execute(uri: "/unsubscribe?m=\(scratch.token(0))", method: .post) { _ in }
            try await client.execute(uri: "/x%0d%0aforged?m=a%0d%0ab", method: .get) { _ in }
        }
        let log = lines.all
        #expect(log.count == 2)
        #expect(log[0].hasSuffix(" ms"))
        #expect(log[0].contains(" POST /unsubscribe m=\(scratch.token(0).prefix(4))… 200 "))
        #expect(!log.joined().contains(scratch.token(0)))
        #expect(!log.joined().contains("@"))
        #expect(!log.joined().contains("\r"))
        #expect(!log.joined().contains("\n"))
    }
}

@Suite("Trusted proxies and the rate limiter")
struct TrustedProxiesTests {
    let proxies = TrustedProxies(networks: ["127.0.0.1", "10.0.0.0/8", "::1"].compactMap(TrustedProxies.Network.init))

    func address(_ text: String) -> [UInt8]? { TrustedProxies.address(text) }

    @Test("the header is believed from a trusted proxy only, read from the right")
    func client() throws {
        let outside = address("203.0.113.9")
        // From a client directly: its own header is ignored.
        #expect(proxies.client(peer: outside, forwardedFor: ["198.51.100.1"]) == outside)
        // Through the proxy: the rightmost address that is not a proxy.
        #expect(proxies.client(peer: address("127.0.0.1"), forwardedFor: ["198.51.100.1, 203.0.113.9"]) == outside)
        #expect(
            proxies.client(peer: address("127.0.0.1"), forwardedFor: ["203.0.113.9", "10.1.2.3"]) == outside)
        // A client that writes its own X-Forwarded-For before the proxy's cannot choose its address.
        #expect(
            proxies.client(peer: address("127.0.0.1"), forwardedFor: ["1.1.1.1, 203.0.113.9"]) == outside)
        // Garbage ends the walk: the hop that wrote it is the client.
        #expect(
            proxies.client(peer: address("127.0.0.1"), forwardedFor: ["203.0.113.9\r\nX-Evil: 1, 10.0.0.7"])
                == address("10.0.0.7"))
        #expect(proxies.client(peer: address("127.0.0.1"), forwardedFor: ["unknown"]) == address("127.0.0.1"))
        #expect(proxies.client(peer: address("::1"), forwardedFor: ["2001:db8::5"]) == address("2001:db8::5"))
        #expect(address("::ffff:203.0.113.9") == outside)
    }

    @Test("networks and bad entries")
    func networks() throws {
        #expect(TrustedProxies.Network("10.0.0.0/8")?.contains(address("10.200.3.4") ?? []) == true)
        #expect(TrustedProxies.Network("10.0.0.0/8")?.contains(address("11.0.0.1") ?? []) == false)
        #expect(TrustedProxies.Network("fd00::/8")?.contains(address("fd12::1") ?? []) == true)
        for bad in ["10.0.0.0/33", "example.org", "", "1.2.3", "::1/129"] {
            #expect(TrustedProxies.Network(bad) == nil, "\(bad)")
        }
        #expect(throws: TrustedProxies.InvalidEntry.self) { try TrustedProxies(["127.0.0.1", "nginx"]) }
        #expect(TrustedProxies.limitKey(address("2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::/64")
    }

    @Test("the limiter refills with time and forgets full buckets when there are many")
    func limiter() {
        let limiter = RateLimiter(rate: 2, burst: 2)
        #expect(limiter.admit("a", now: 0))
        #expect(limiter.admit("a", now: 0))
        #expect(!limiter.admit("a", now: 0.1))
        #expect(limiter.admit("a", now: 0.6))
        #expect(limiter.admit("b", now: 0.6))
        for index in 0..<10_050 { _ = limiter.admit("c\(index)", now: 100) }
        _ = limiter.admit("late", now: 200)
        #expect(limiter.clients < 100)
        #expect(RateLimiter(rate: 0, burst: 0).admit("x", now: 0))
    }
}
