import CoalitionData
import Foundation
import Testing

@testable import DigestMailing

@Suite("Unsubscribe tokens and the secret")
struct MemberTokensTests {
    let tokens: MemberTokens

    init() throws {
        tokens = MemberTokens(
            secret: try UnsubscribeSecret(text: "0123456789abcdef-test"), listID: "list.lists.example.org")
    }

    @Test("a token finds its member, whatever the case of the domain; others find nobody")
    func verify() throws {
        let members = [
            Member(email: "amina@example.org", status: .subscribed, line: 2),
            Member(email: "Joseph@Example.ORG", status: .unsubscribed, line: 3),
        ]
        let token = tokens.unsubscribeToken(for: members[1])
        #expect(token == tokens.token(forKey: "Joseph@example.org"))
        #expect(tokens.member(withToken: token, in: members)?.line == 3)
        #expect(tokens.member(withToken: tokens.unsubscribeToken(for: members[0]), in: members)?.line == 2)
        #expect(tokens.member(withToken: String(repeating: "A", count: 22), in: members) == nil)
        #expect(tokens.member(withToken: "short", in: members) == nil)
        let other = MemberTokens(
            secret: try UnsubscribeSecret(text: "another secret, sixteen+"), listID: "list.lists.example.org")
        #expect(other.member(withToken: token, in: members) == nil)
        let otherList = MemberTokens(
            secret: try UnsubscribeSecret(text: "0123456789abcdef-test"), listID: "other.lists.example.org")
        #expect(otherList.unsubscribeToken(for: members[0]) != tokens.unsubscribeToken(for: members[0]))
    }

    @Test("HMAC-SHA256, first 16 bytes, base64url: a known value")
    func knownValue() {
        // Computed independently with Python's hmac module, as docs/sending.md shows.
        #expect(tokens.token(forKey: "amina@example.org") == "CcqEU5X85J96ziE7ffNdww")
        #expect(MemberTokens.base64url([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(MemberTokens.base64url([0x01]) == "AQ")
    }

    @Test("the secret: from the environment first, never from inside the data folder, never short")
    func secret() throws {
        let folder = NSTemporaryDirectory() + "secret-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }  // best effort: a temporary folder
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        try "inside-the-data-folder-secret\n".write(toFile: folder + "/data/secret", atomically: true, encoding: .utf8)
        try "outside-the-data-folder-secret\n".write(toFile: folder + "/secret", atomically: true, encoding: .utf8)
        try "short\n".write(toFile: folder + "/short", atomically: true, encoding: .utf8)
        let data = folder + "/data"
        #expect(try UnsubscribeSecret.load(environment: [:], file: nil, dataFolder: data) == nil)
        #expect(
            try UnsubscribeSecret.load(environment: [:], file: "../secret", dataFolder: data)?.bytes
                == Array("outside-the-data-folder-secret".utf8))
        #expect(
            try UnsubscribeSecret.load(
                environment: ["DIGEST_UNSUBSCRIBE_SECRET": "from-the-environment!"], file: "../secret", dataFolder: data
            )?
            .bytes == Array("from-the-environment!".utf8))
        func failure(_ file: String) -> String? {
            do {
                _ = try UnsubscribeSecret.load(environment: [:], file: file, dataFolder: data)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(failure("secret") == MailingError.secretInDataFolder(file: "secret").description)
        #expect(failure("../short") == MailingError.secretTooShort(source: "../short", length: 5).description)
        #expect(failure("../missing") == MailingError.secretUnreadable(file: "../missing").description)
    }
}
