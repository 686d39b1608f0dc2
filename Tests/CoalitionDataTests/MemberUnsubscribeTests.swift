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
        try Self.withList(text) { path throws in
            let outcome = try MemberList.unsubscribe("lucia@example.org", path: path)
            #expect(outcome == .unsubscribed(lines: [3]))
            let after = try String(contentsOfFile: path, encoding: .utf8)
            #expect(after == text.replacingOccurrences(of: "\"Subscribed\"", with: "\"unsubscribed\""))
            let members = try #require(MemberList.load(path: path).members)
            #expect(members.map(\.status) == [.subscribed, .unsubscribed, .subscribed])
            // Again: nothing to do, nothing written.
            #expect(try MemberList.unsubscribe("Lucia@EXAMPLE.org", path: path) == .already(lines: [3]))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == after)
            #expect(try MemberList.unsubscribe("jose@example.org", path: path) == .unsubscribed(lines: [5]))
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
        try Self.withList(text) { path throws in
            let message = Self.message("nobody.here@example.org", path)
            let expected = path + ": error: no member has that address (capital letters do not matter)"
            #expect(message == expected)
            #expect(message?.lowercased().contains("nobody") == false)
            let unchanged = try String(contentsOfFile: path, encoding: .utf8)
            #expect(unchanged == text)
        }
        try Self.withList("email,status\namina@example,subscribed\n") { path in
            let message = Self.message("amina@example", path)
            let expected = path + ": error: the member list has 1 error; run digest check and fix it first"
            #expect(message == expected)
        }
    }

    @Test("a lone CR inside a quoted cell: the right member changes, found by the reader's own offsets")
    func loneCarriageReturn() throws {
        // The reader counts the lone CR as a line break; a rewrite that
        // counted only LF once flipped the member on the next row.
        let text =
            "email,name,status\n" + "t1@example.org,\"Two\rlines\",subscribed\n" + "t2@example.org,Second,subscribed\n"
        try Self.withList(text) { path throws in
            let loaded = MemberList.load(path: path)
            let warnings = loaded.log.all.filter { $0.severity == .warning }.map { "\($0.line):\($0.column)" }
            #expect(warnings == ["2:16"])
            let members = try #require(loaded.members)
            #expect(members.map(\.line) == [2, 4])
            #expect(try MemberList.unsubscribe("t1@example.org", path: path) == .unsubscribed(lines: [2]))
            #expect(
                try String(contentsOfFile: path, encoding: .utf8)
                    == text.replacingOccurrences(of: "lines\",subscribed", with: "lines\",unsubscribed"))
            #expect(try MemberList.unsubscribe("t2@example.org", path: path) == .unsubscribed(lines: [4]))
            #expect(MemberList.load(path: path).members?.map(\.status) == [.unsubscribed, .unsubscribed])
        }
    }

    @Test("addresses that differ only in capitals are one member: every row of the mailbox changes")
    func capitals() throws {
        let text = "email,status\nDup@example.org,subscribed\nother@example.org,subscribed\ndup@EXAMPLE.ORG,bounced\n"
        try Self.withList(text) { path throws in
            let loaded = MemberList.load(path: path)
            #expect(
                loaded.log.all.map(\.message) == [
                    "this address differs from the one on line 2 only in capital letters; they are treated as one member (one message; unsubscribing either stops both), so keep one of the two rows"
                ])
            #expect(loaded.log.all.map(\.line) == [4])
            #expect(try MemberList.unsubscribe("DUP@example.org", path: path) == .unsubscribed(lines: [2, 4]))
            #expect(
                try String(contentsOfFile: path, encoding: .utf8)
                    == "email,status\nDup@example.org,unsubscribed\nother@example.org,subscribed\ndup@EXAMPLE.ORG,unsubscribed\n"
            )
        }
    }

    @Test("a symbolic link stays a link; the file it points to is changed")
    func symbolicLink() throws {
        let text = "email,status\namina@example.org,subscribed\n"
        try Self.withList(text) { path throws in
            let real = (path as NSString).deletingLastPathComponent + "/real-members.csv"
            try FileManager.default.moveItem(atPath: path, toPath: real)
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "real-members.csv")
            #expect(try MemberList.unsubscribe("amina@example.org", path: path) == .unsubscribed(lines: [2]))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == "real-members.csv")
            #expect(
                try String(contentsOfFile: real, encoding: .utf8) == "email,status\namina@example.org,unsubscribed\n")
        }
    }
}
