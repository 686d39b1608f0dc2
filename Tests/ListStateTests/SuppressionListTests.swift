import Foundation
import GRDB
import MIME
import Testing

@testable import ListState

#if canImport(Glibc)
    import Glibc
#endif

@Suite("The suppression list")
final class SuppressionListTests {
    let folder = NSTemporaryDirectory() + "state-test-" + UUID().uuidString

    // Each test has its own instance: its folder goes with it.
    deinit { try? FileManager.default.removeItem(atPath: folder) }  // absent when the test made none

    static let listA = ListID("coalition.lists.a.example.org")!
    static let listB = ListID("coalition.lists.b.example.org")!

    func list(_ id: ListID = SuppressionListTests.listA) throws -> SQLiteListStore {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try SQLiteListStore(path: folder + "/suppressions.sqlite", list: id)
    }

    @Test("an address is suppressed once, whatever its capitals; resubscribing lifts it; the history stays")
    func suppressAndResubscribe() async throws {
        let list = try list()
        #expect(try await list.suppress("Amina@Example.org", reason: .unsubscribed, source: .oneClick, now: 1))
        #expect(try await !list.suppress("amina@example.org", reason: .staff, source: .command, now: 2))
        #expect(try await list.suppression(of: "AMINA@example.ORG")?.reason == .unsubscribed)
        #expect(try await list.mailboxes() == ["amina@example.org"])
        #expect(try await list.counts() == [.unsubscribed: 1])
        let lifted = try await list.resubscribe("amina@example.org", source: .page, now: 3)
        #expect(lifted?.source == .oneClick)
        #expect(try await list.mailboxes().isEmpty)
        #expect(try await list.resubscribe("amina@example.org", source: .page, now: 4) == nil)
        let events = try await list.read { db, _ in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") }
        #expect(events == 3)
    }

    @Test("one hard bounce suppresses; soft bounces in 3 of the last 5 sends; a report counts once")
    func bounces() async throws {
        let list = try list()
        let limits = Bounce.Limits()
        let sends = ["2019-06", "2019-05", "2019-04", "2019-03", "2019-02"]
        var outcome = try await list.recordBounce(
            Bounce(address: "gone@example.org", month: "2019-06", kind: .hard, status: "5.1.1", report: "r1"),
            source: .deliveryReport, limits: limits, sends: sends, now: 1)
        #expect(outcome == .init(counted: true, suppressed: .hardBounce))
        outcome = try await list.recordBounce(
            Bounce(address: "gone@example.org", month: "2019-06", kind: .hard, status: "5.1.1", report: "r1"),
            source: .deliveryReport, limits: limits, sends: sends, now: 2)
        #expect(outcome == .init(counted: false, suppressed: nil))

        for (index, month) in ["2019-02", "2019-04"].enumerated() {
            outcome = try await list.recordBounce(
                Bounce(address: "full@example.org", month: month, kind: .soft, status: "4.2.2", report: "s\(index)"),
                source: .deliveryReport, limits: limits, sends: sends, now: 3)
            #expect(outcome == .init(counted: true, suppressed: nil))
        }
        // A second report for a month already counted does not make a third month.
        outcome = try await list.recordBounce(
            Bounce(address: "full@example.org", month: "2019-04", kind: .soft, status: "4.2.2", report: "s9"),
            source: .deliveryReport, limits: limits, sends: sends, now: 4)
        #expect(outcome.suppressed == nil)
        outcome = try await list.recordBounce(
            Bounce(address: "full@example.org", month: "2019-06", kind: .soft, status: "4.2.2", report: "s2"),
            source: .deliveryReport, limits: limits, sends: sends, now: 5)
        #expect(outcome.suppressed == .softBounces)
        // Soft bounces long ago, outside the last five sends, do not count.
        for (index, month) in ["2018-01", "2018-02", "2018-03"].enumerated() {
            outcome = try await list.recordBounce(
                Bounce(address: "old@example.org", month: month, kind: .soft, status: "4.4.1", report: "o\(index)"),
                source: .deliveryReport, limits: limits, sends: sends, now: 6)
            #expect(outcome.suppressed == nil)
        }
        #expect(try await list.counts() == [.hardBounce: 1, .softBounces: 1])
        #expect(try await list.bounceCounts() == [.hard: 1, .soft: 7])
    }

    @Test("twenty connections opening a new list at once make its tables once")
    func openedAtOnce() async throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/suppressions.sqlite"
        let failures = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    do {
                        try await SQLiteListStore(path: path, list: Self.listA).suppress(
                            "m\(index)@example.org", reason: .staff, source: .command, now: 1)
                        return false
                    } catch {
                        Issue.record("\(error)")
                        return true
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 0)
        #expect(try await SQLiteListStore(path: path, list: Self.listA).mailboxes().count == 20)
    }

    @Test(
        "the list and its -wal are readable by their owner only; its change mark moves when another connection writes")
    func privateAndVersioned() async throws {
        let list = try list()
        let before = try await list.changeMark()
        let other = try SQLiteListStore(path: folder + "/suppressions.sqlite", list: Self.listA)
        try await other.suppress("x@example.org", reason: .staff, source: .command, now: 1)
        #expect(try await list.changeMark() != before)
        for name in ["suppressions.sqlite", "suppressions.sqlite-wal"]
        where FileManager.default.fileExists(atPath: folder + "/" + name) {
            let mode = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test("a ledger left in output/ moves into the state folder with its -wal; one already there is kept")
    func adopt() async throws {
        let state = StateFolder(path: folder + "/state")
        try state.prepare(list: Self.listA)
        let ledger = state.ledgerPath(month: "2019-03", list: Self.listA)
        let old = folder + "/output/2019-03"
        try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
        try Data("db".utf8).write(to: URL(fileURLWithPath: old + "/send.sqlite"))
        try Data("wal".utf8).write(to: URL(fileURLWithPath: old + "/send.sqlite-wal"))
        #expect(try state.adoptLedger(at: old + "/send.sqlite", to: ledger))
        #expect(try String(contentsOfFile: ledger, encoding: .utf8) == "db")
        #expect(try String(contentsOfFile: ledger + "-wal", encoding: .utf8) == "wal")
        #expect(!FileManager.default.fileExists(atPath: old + "/send.sqlite"))
        try Data("other".utf8).write(to: URL(fileURLWithPath: old + "/send.sqlite"))
        #expect(try !state.adoptLedger(at: old + "/send.sqlite", to: ledger))
        #expect(try String(contentsOfFile: ledger, encoding: .utf8) == "db")
    }

    @Test(
        "two lists in one file: an unsubscribe, soft bounces and a language are one list's; a hard bounce is every list's"
    )
    func twoLists() async throws {
        let a = try list(Self.listA)
        let b = try list(Self.listB)
        try await a.suppress("amina@example.org", reason: .unsubscribed, source: .oneClick, now: 1)
        try await a.setLanguage("fr", of: "amina@example.org", now: 1)
        #expect(try await a.mailboxes() == ["amina@example.org"])
        #expect(try await b.mailboxes().isEmpty)
        #expect(try await b.suppression(of: "amina@example.org") == nil)
        #expect(try await b.language(of: "amina@example.org") == nil)
        #expect(try await a.language(of: "amina@example.org") == "fr")

        let limits = Bounce.Limits()
        let sends = ["2019-06", "2019-05", "2019-04"]
        for (index, month) in sends.enumerated() {
            let outcome = try await a.recordBounce(
                Bounce(address: "full@example.org", month: month, kind: .soft, status: "4.2.2", report: "s\(index)"),
                source: .deliveryReport, limits: limits, sends: sends, now: 2)
            #expect(outcome.suppressed == (index == 2 ? .softBounces : nil))
        }
        #expect(try await a.suppression(of: "full@example.org")?.reason == .softBounces)
        #expect(try await b.suppression(of: "full@example.org") == nil)

        // Amina's own unsubscribe from A, then her mailbox is gone: B stops too.
        let hard = try await b.recordBounce(
            Bounce(address: "Amina@example.org", month: "2019-06", kind: .hard, status: "5.1.1", report: "h1"),
            source: .deliveryReport, limits: limits, sends: sends, now: 3)
        #expect(hard == .init(counted: true, suppressed: .hardBounce))
        #expect(try await b.suppression(of: "amina@example.org")?.list == ListID.everyList)
        #expect(try await a.suppression(of: "amina@example.org")?.reason == .unsubscribed)  // her own reason first
        #expect(try await a.mailboxes() == ["amina@example.org", "full@example.org"])
        #expect(try await b.mailboxes() == ["amina@example.org"])
        #expect(try await b.bounceCounts() == [.hard: 1])
        #expect(try await a.bounceCounts() == [.soft: 3])
        #expect(try await Set(a.lists().map(\.id)) == [Self.listA.value, Self.listB.value])
    }

    @Test("a file of the first version is the first writing list's; reading it changes nothing")
    func versionOne() async throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/suppressions.sqlite"
        // As the version before lists made it (its schema, word for word).
        let old = try DatabaseQueue(path: path)
        try await old.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE suppression (mailbox TEXT PRIMARY KEY, reason TEXT NOT NULL, source TEXT NOT NULL,
                        detail TEXT, created DOUBLE NOT NULL);
                    CREATE TABLE event (id INTEGER PRIMARY KEY AUTOINCREMENT, mailbox TEXT NOT NULL,
                        action TEXT NOT NULL, reason TEXT, source TEXT NOT NULL, detail TEXT, time DOUBLE NOT NULL);
                    CREATE TABLE bounce (id INTEGER PRIMARY KEY AUTOINCREMENT, mailbox TEXT NOT NULL,
                        month TEXT NOT NULL, kind TEXT NOT NULL, status TEXT, source TEXT NOT NULL,
                        report TEXT UNIQUE, time DOUBLE NOT NULL);
                    CREATE TABLE preference (mailbox TEXT PRIMARY KEY, language TEXT, updated DOUBLE NOT NULL);
                    INSERT INTO suppression VALUES ('left@example.org', 'unsubscribed', 'one-click', NULL, 1);
                    INSERT INTO suppression VALUES ('gone@example.org', 'hard-bounce', 'delivery report', NULL, 2);
                    INSERT INTO bounce (mailbox, month, kind, status, source, report, time)
                        VALUES ('gone@example.org', '2019-06', 'hard', '5.1.1', 'delivery report', 'r1', 2);
                    INSERT INTO preference VALUES ('fr@example.org', 'fr', 3);
                    PRAGMA user_version = 1;
                    """)
        }
        try old.close()
        let reader = try #require(try SQLiteListStore.existing(path: path, list: Self.listB))
        #expect(try await reader.mailboxes() == ["left@example.org", "gone@example.org"])
        #expect(try await reader.language(of: "fr@example.org") == "fr")
        let version = try await DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version")
        }
        #expect(version == 1)

        let a = try list(Self.listA)
        #expect(try await a.mailboxes() == ["left@example.org", "gone@example.org"])
        #expect(try await a.language(of: "fr@example.org") == "fr")
        #expect(try await a.bounceCounts() == [.hard: 1])
        let b = try list(Self.listB)
        #expect(try await b.mailboxes() == ["gone@example.org"])  // a hard bounce holds for every list
        #expect(try await b.language(of: "fr@example.org") == nil)
        #expect(try await a.lists().first { $0.id == Self.listA.value }?.adopted == true)
    }

    @Test("a file replaced under an open list is opened anew; a deleted one is an error, never a write into nothing")
    func replacedOrDeleted() async throws {
        let list = try list()
        try await list.suppress("first@example.org", reason: .unsubscribed, source: .page, now: 1)
        let path = list.path
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        await #expect(throws: SQLiteListStore.PlaceError.self) {
            try await list.suppress("second@example.org", reason: .unsubscribed, source: .page, now: 2)
        }
        // Restored from a backup: a file made elsewhere, put in place.
        let backup = folder + "/backup.sqlite"
        try await SQLiteListStore(path: backup, list: Self.listA).suppress(
            "kept@example.org", reason: .staff, source: .command, now: 0)
        #expect(rename(backup, path) == 0)
        try await list.suppress("third@example.org", reason: .unsubscribed, source: .page, now: 3)
        let fresh = try SQLiteListStore(path: path, list: Self.listA)
        #expect(try await fresh.mailboxes() == ["kept@example.org", "third@example.org"])
    }

    @Test("the state folder is found by what it is: data, data/., data/calls/.. and a link to data give one")
    func resolved() async throws {
        let data = folder + "/data"
        try FileManager.default.createDirectory(atPath: data + "/calls", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: data)
        let expected = StateFolder.resolve(dataFolder: data, configured: nil).path
        #expect(expected.hasSuffix("/state") && !expected.contains("/./") && !expected.contains(".."))
        for spelling in [data + "/.", data + "/calls/..", folder + "/link", folder + "/link/", data + "//"] {
            #expect(StateFolder.resolve(dataFolder: spelling, configured: nil).path == expected, "\(spelling)")
        }
        let inside = StateFolder.resolve(dataFolder: folder + "/link", configured: "state").path
        #expect(inside == StateFolder.resolve(dataFolder: data, configured: "./state/").path)
        #expect(inside.hasSuffix("/data/state"))
        #expect(!FileManager.default.fileExists(atPath: expected))  // finding it makes nothing
        try StateFolder(path: inside).prepare()
        #expect(try String(contentsOfFile: inside + "/.gitignore", encoding: .utf8).contains("\n*\n"))
    }
}
