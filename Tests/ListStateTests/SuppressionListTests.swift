import Foundation
import Testing

@testable import ListState

@Suite("The suppression list")
struct SuppressionListTests {
    let folder = NSTemporaryDirectory() + "state-test-" + UUID().uuidString

    func list() throws -> SuppressionList {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try SuppressionList(path: folder + "/suppressions.sqlite")
    }

    @Test("an address is suppressed once, whatever its capitals; resubscribing lifts it; the history stays")
    func suppressAndResubscribe() throws {
        let list = try list()
        #expect(try list.suppress("Amina@Example.org", reason: .unsubscribed, source: .oneClick, now: 1))
        #expect(try !list.suppress("amina@example.org", reason: .staff, source: .command, now: 2))
        #expect(try list.entry(for: "AMINA@example.ORG")?.reason == .unsubscribed)
        #expect(try list.mailboxes() == ["amina@example.org"])
        #expect(try list.counts() == [.unsubscribed: 1])
        let lifted = try list.resubscribe("amina@example.org", source: .page, now: 3)
        #expect(lifted?.source == .oneClick)
        #expect(try list.mailboxes().isEmpty)
        #expect(try list.resubscribe("amina@example.org", source: .page, now: 4) == nil)
        let events = try list.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") }
        #expect(events == 3)
    }

    @Test("one hard bounce suppresses; soft bounces in 3 of the last 5 sends; a report counts once")
    func bounces() throws {
        let list = try list()
        let limits = SuppressionList.Limits()
        let sends = ["2019-06", "2019-05", "2019-04", "2019-03", "2019-02"]
        var outcome = try list.recordBounce(
            "gone@example.org", month: "2019-06", kind: .hard, status: "5.1.1", source: .deliveryReport,
            report: "r1", limits: limits, sends: sends, now: 1)
        #expect(outcome == .init(counted: true, suppressed: .hardBounce))
        outcome = try list.recordBounce(
            "gone@example.org", month: "2019-06", kind: .hard, status: "5.1.1", source: .deliveryReport,
            report: "r1", limits: limits, sends: sends, now: 2)
        #expect(outcome == .init(counted: false, suppressed: nil))

        for (index, month) in ["2019-02", "2019-04"].enumerated() {
            outcome = try list.recordBounce(
                "full@example.org", month: month, kind: .soft, status: "4.2.2", source: .deliveryReport,
                report: "s\(index)", limits: limits, sends: sends, now: 3)
            #expect(outcome == .init(counted: true, suppressed: nil))
        }
        // A second report for a month already counted does not make a third month.
        outcome = try list.recordBounce(
            "full@example.org", month: "2019-04", kind: .soft, status: "4.2.2", source: .deliveryReport,
            report: "s9", limits: limits, sends: sends, now: 4)
        #expect(outcome.suppressed == nil)
        outcome = try list.recordBounce(
            "full@example.org", month: "2019-06", kind: .soft, status: "4.2.2", source: .deliveryReport,
            report: "s2", limits: limits, sends: sends, now: 5)
        #expect(outcome.suppressed == .softBounces)
        // Soft bounces long ago, outside the last five sends, do not count.
        for (index, month) in ["2018-01", "2018-02", "2018-03"].enumerated() {
            outcome = try list.recordBounce(
                "old@example.org", month: month, kind: .soft, status: "4.4.1", source: .deliveryReport,
                report: "o\(index)", limits: limits, sends: sends, now: 6)
            #expect(outcome.suppressed == nil)
        }
        #expect(try list.counts() == [.hardBounce: 1, .softBounces: 1])
        #expect(try list.bounceCounts() == [.hard: 1, .soft: 7])
    }

    @Test("twenty connections opening a new list at once make its tables once")
    func openedAtOnce() async throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/suppressions.sqlite"
        let failures = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    do {
                        try SuppressionList(path: path).suppress(
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
        #expect(try SuppressionList(path: path).mailboxes().count == 20)
    }

    @Test("the list and its -wal are readable by their owner only; its version moves when another connection writes")
    func privateAndVersioned() throws {
        let list = try list()
        let before = try list.version()
        let other = try SuppressionList(path: folder + "/suppressions.sqlite")
        try other.suppress("x@example.org", reason: .staff, source: .command, now: 1)
        #expect(try list.version() != before)
        for name in ["suppressions.sqlite", "suppressions.sqlite-wal"]
        where FileManager.default.fileExists(atPath: folder + "/" + name) {
            let mode = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test("a ledger left in output/ moves into the state folder with its -wal; one already there is kept")
    func adopt() throws {
        let state = StateFolder(path: folder + "/state")
        try state.prepare()
        let old = folder + "/output/2019-03"
        try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
        try Data("db".utf8).write(to: URL(fileURLWithPath: old + "/send.sqlite"))
        try Data("wal".utf8).write(to: URL(fileURLWithPath: old + "/send.sqlite-wal"))
        #expect(try state.adoptLedger(at: old + "/send.sqlite", month: "2019-03"))
        #expect(try String(contentsOfFile: state.ledgerPath(month: "2019-03"), encoding: .utf8) == "db")
        #expect(try String(contentsOfFile: state.ledgerPath(month: "2019-03") + "-wal", encoding: .utf8) == "wal")
        #expect(!FileManager.default.fileExists(atPath: old + "/send.sqlite"))
        try Data("other".utf8).write(to: URL(fileURLWithPath: old + "/send.sqlite"))
        #expect(try !state.adoptLedger(at: old + "/send.sqlite", month: "2019-03"))
        #expect(try String(contentsOfFile: state.ledgerPath(month: "2019-03"), encoding: .utf8) == "db")
    }
}
