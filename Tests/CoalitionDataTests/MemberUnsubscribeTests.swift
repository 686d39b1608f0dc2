import Foundation
import Testing

@testable import CoalitionData

/// `digest members unsubscribe` (issue 13, part 2): one cell changes, every
/// other byte of the list stays.
@Suite("Unsubscribing a member")
struct MemberUnsubscribeTests {
    static func withList(_ text: String, _ body: (String) throws -> Void) throws {
        let folder = NSTemporaryDirectory() + "unsubscribe-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/members.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try body(path)
    }

    @Test("only the member's status cell changes; quoting, accents and CRLF line ends elsewhere stay")
    func oneCell() throws {
        let text =
            "email,name,country,organisation,status,since\r\n"
            + "amina@example.org,\"Odhiambo, Amina\",KE,\"Haki \"\"Mashinani\"\"\",subscribed,2018-06-12\r\n"
            + "lucia@Example.ORG,Lucía Fernández,AR,\"ACIJ,\nBuenos Aires\",\"Subscribed\",2018-06-12\r\n"
            + "jose@example.org,José,MX,,subscribed,\r\n"
        try Self.withList(text) { path in
            let outcome = try MemberList.unsubscribe("lucia@example.org", path: path)
            #expect(outcome == .unsubscribed(line: 3))
            let after = try String(contentsOfFile: path, encoding: .utf8)
            #expect(after == text.replacingOccurrences(of: "\"Subscribed\"", with: "\"unsubscribed\""))
            let members = try #require(MemberList.load(path: path).members)
            #expect(members.map(\.status) == [.subscribed, .unsubscribed, .subscribed])
            // Again: nothing to do, nothing written.
            #expect(try MemberList.unsubscribe("lucia@EXAMPLE.org", path: path) == .already(line: 3))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == after)
            #expect(try MemberList.unsubscribe("jose@example.org", path: path) == .unsubscribed(line: 5))
            #expect(
                try String(contentsOfFile: path, encoding: .utf8)
                    == after.replacingOccurrences(of: "José,MX,,subscribed,", with: "José,MX,,unsubscribed,"))
        }
    }

    static func message(_ address: String, _ path: String) -> String? {
        do {
            _ = try MemberList.unsubscribe(address, path: path)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("an unknown address or a list with errors: nothing written, no address in the message")
    func refusals() throws {
        let text = "email,status\namina@example.org,subscribed\n"
        try Self.withList(text) { path in
            let message = Self.message("AMINA@example.org", path)
            let expected = path + ": error: no member has that address (the part after the @ may differ in case only)"
            #expect(message == expected)
            #expect(message?.lowercased().contains("amina") == false)
            let unchanged = try String(contentsOfFile: path, encoding: .utf8)
            #expect(unchanged == text)
        }
        try Self.withList("email,status\namina@example,subscribed\n") { path in
            let message = Self.message("amina@example", path)
            let expected = path + ": error: the member list has 1 error; run digest check and fix it first"
            #expect(message == expected)
        }
    }
}
