import CoalitionData
import DigestSend
import Foundation
import ListState
import MIME
import PostgresState
import Testing

/// What only the database does: the month's advisory lock across hosts,
/// migrations under a lock, the login, and a server that goes away.
@Suite("The state in PostgreSQL", .enabled(if: TestCluster.expected))
struct PostgresStateTests {
    @Test("a second send of a month is refused, naming the holder's host and process; the lock goes with its session")
    func monthLock() async throws {
        let server = try await TestCluster.server()
        defer { server.close() }
        let first = try await PostgresMonthLedger.open(
            server: server, list: "l.example.org", month: "2019-03", retry: .init(attempts: 2, wait: 0.01))
        await #expect {
            _ = try await PostgresMonthLedger.open(
                server: server, list: "l.example.org", month: "2019-03", retry: .init(attempts: 2, wait: 0.01))
        } throws: { error in
            guard case SendError.runningElsewhere(let month, let host, let process, _) = error else { return false }
            return month == "2019-03" && host == ProcessInfo.processInfo.hostName
                && process == Int(getpid())
                && "\(error)".contains(
                    "another digest send for 2019-03 is running on \(host) (process \(process), since ")
        }
        // Another month, or another list, is not held.
        let april = try await PostgresMonthLedger.open(
            server: server, list: "l.example.org", month: "2019-04", retry: .init(attempts: 2, wait: 0.01))
        await april.close()
        await first.close()
        let again = try await PostgresMonthLedger.open(
            server: server, list: "l.example.org", month: "2019-03", retry: .init(attempts: 2, wait: 0.01))
        await again.close()
    }

    @Test("ten hosts starting at once migrate the tables once")
    func migrateOnce() async throws {
        let address = try await TestCluster.database()
        let servers = try (0..<10).map { _ in try StateServer(address: address, password: TestCluster.password) }
        defer { servers.forEach { $0.close() } }
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for server in servers { group.addTask { try await server.ready() } }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(applied.sorted() == ["joins", "lists", "provider events", "send holders' sessions", "send ledgers"])
        let status = try await servers[0].status()
        #expect(status.migrations == ["lists", "send ledgers", "joins", "provider events", "send holders' sessions"])
        #expect(status.pending.isEmpty)
    }

    @Test("an SNS certificate is kept once under its address's hash; a second keeps the first")
    func snsCertificates() async throws {
        let server = try StateServer(address: try await TestCluster.database(), password: TestCluster.password)
        defer { server.close() }
        #expect(try await server.snsCertificate(urlHash: "abc") == nil)
        try await server.storeSNSCertificate(urlHash: "abc", url: "https://sns.x/a.pem", pem: "PEM 1", now: 1)
        try await server.storeSNSCertificate(urlHash: "abc", url: "https://sns.x/a.pem", pem: "PEM 2", now: 2)
        #expect(try await server.snsCertificate(urlHash: "abc") == "PEM 1")
    }

    @Test("a wrong password is the login's error, naming where the password comes from; never the password")
    func wrongPassword() async throws {
        let address = try await TestCluster.database()
        let server = try StateServer(address: address, password: "not-the-password")
        defer { server.close() }
        let store = PostgresListStore(server: server, list: StoreKind.listA)
        await #expect {
            _ = try await store.mailboxes()
        } throws: { error in
            let text = "\(error)"
            return text.contains("refused the login") && text.contains("PGPASSWORD, ~/.pgpass or state_password_file")
                && !text.contains("not-the-password") && text.contains(address.description)
        }
    }

    @Test("nothing listens: unreachable, within the connect timeout")
    func nothingListens() async throws {
        let address = try DatabaseAddress("postgresql://digest@127.0.0.1:1/none?connect_timeout=2")
        let server = try StateServer(address: address, password: nil)
        defer { server.close() }
        let started = Date()
        await #expect {
            _ = try await PostgresListStore(server: server, list: StoreKind.listA).mailboxes()
        } throws: { error in
            (error as? DatabaseFailure)?.isTransient == true && "\(error)".contains("cannot be reached")
        }
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test("the server stopped and started under a ledger: it waits, takes the lock again and goes on; nothing lost")
    func serverRestart() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { try? await TestCluster.run([TestCluster.script, "stop", cluster.folder]) } }
        let server = try StateServer(
            address: try await TestCluster.database(in: cluster), password: TestCluster.password)
        defer { server.close() }
        let ledger = try await PostgresMonthLedger.open(
            server: server, list: "l.example.org", month: "2019-03", retry: .init(attempts: 8, wait: 0.5))
        try await ledger.add((0..<40).map { ("k\($0)", "m\($0)@example.org", $0 + 2, "id-\($0)") }, now: 1)
        for index in 0..<20 { try await ledger.markSent("k\(index)", reply: "250 ok", now: 2) }
        try await TestCluster.control(cluster, "stop", "-m", "fast")
        let restart = Task.detached {
            try await Task.sleep(for: .seconds(2))
            try await TestCluster.control(cluster, "start")
        }
        for index in 20..<40 { try await ledger.markSent("k\(index)", reply: "250 ok", now: 3) }
        try await restart.value
        #expect(try await ledger.counts() == [.sent: 40])
        await ledger.close()
    }

    @Test("a server that does not come back stops the ledger with the state unavailable")
    func serverGone() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { try? await TestCluster.run([TestCluster.script, "stop", cluster.folder]) } }
        let server = try StateServer(
            address: try await TestCluster.database(in: cluster), password: TestCluster.password)
        defer { server.close() }
        let ledger = try await PostgresMonthLedger.open(
            server: server, list: "l.example.org", month: "2019-03", retry: .init(attempts: 3, wait: 0.2))
        try await ledger.add([("k", "m@example.org", 2, "id")], now: 1)
        try await TestCluster.control(cluster, "stop", "-m", "fast")
        await #expect {
            try await ledger.markSent("k", reply: "250 ok", now: 2)
        } throws: { error in
            guard case SendError.stateUnavailable = error else { return false }
            return "\(error)".contains("run digest send again once it is back")
        }
        await ledger.close()
    }
}
