import CoalitionData
import DigestTestSupport
import Foundation
import PostgresState
import Subprocess

/// The private PostgreSQL the tests start (`Tests/postgres/cluster`): one
/// server for the test process, a new database for each test. It stops
/// when the process ends.
enum TestCluster {
    struct Started: Sendable {
        var port: Int
        var folder: String
    }

    static let password = "digest-test-secret"
    static let script = repositoryRoot.appendingPathComponent("Tests/postgres/cluster").path

    /// True where PostgreSQL is installed, or the run requires it
    /// (`DIGEST_REQUIRE_ORACLES=1`, as in CI: then its absence fails).
    static var expected: Bool {
        if ProcessInfo.processInfo.environment["DIGEST_REQUIRE_ORACLES"] == "1" { return true }
        let found = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return !found.isEmpty
    }

    /// The shared cluster, started by the first test that asks.
    static func shared() async throws -> Started {
        try await Starter.shared.started()
    }

    actor Starter {
        static let shared = Starter()
        private var task: Task<Started, any Error>?

        func started() async throws -> Started {
            if let task { return try await task.value }
            let made = Task { try await TestCluster.start() }
            task = made
            return try await made.value
        }
    }

    /// A cluster of its own, for a test that stops and starts the server.
    static func start() async throws -> Started {
        let output = try await run([script, "start", String(getpid())])
        let parts = output.split(separator: " ")
        guard parts.count == 2, let port = Int(parts[0]) else {
            throw ClusterError(text: "cluster start said: \(output)")
        }
        return Started(port: port, folder: String(parts[1]))
    }

    struct ClusterError: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }

    /// Runs the script (swift-subprocess); its output, or its error.
    @discardableResult
    static func run(_ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(
            .path("/bin/bash"), arguments: Arguments(arguments), output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20))
        guard case .exited(0) = result.terminationStatus else {
            throw ClusterError(
                text: "\(arguments.dropFirst().joined(separator: " ")) failed: \(result.standardError ?? "")")
        }
        return (result.standardOutput ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new, empty database's address (TCP, password asked).
    static func database(in own: Started? = nil) async throws -> DatabaseAddress {
        let cluster: Started
        if let own { cluster = own } else { cluster = try await shared() }
        let name = "t_" + UUID().uuidString.prefix(8).lowercased()
        try await run([script, "createdb", cluster.folder, name])
        return try DatabaseAddress("postgresql://digest@127.0.0.1:\(cluster.port)/\(name)?sslmode=disable")
    }

    /// A server for a new, empty database.
    static func server() async throws -> StateServer {
        try StateServer(address: try await database(), password: password)
    }

    /// pg_ctl on the cluster: `stop`, `start`.
    static func control(_ cluster: Started, _ arguments: String...) async throws {
        try await run([script, "ctl", cluster.folder] + arguments)
    }
}
