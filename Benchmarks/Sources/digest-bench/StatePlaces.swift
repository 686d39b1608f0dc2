import Foundation

/// Where a benchmark keeps the state: a folder (SQLite, the default), and a
/// private PostgreSQL started with the tests' script (Tests/postgres/cluster),
/// each commit synced to the disk (`DIGEST_PG_FSYNC=on`) as a real server's is.
enum StatePlaces {
    /// A place: its name in the figures, and what to put in the environment.
    struct Place {
        var label: String
        var environment: [String: String]
    }

    /// The cluster, started once a run; nil where PostgreSQL is not installed.
    nonisolated(unsafe) static var cluster: (port: Int, folder: String)?

    /// SQLite, then PostgreSQL (a new database each call) when it can be started.
    static func all(repo: String) -> [Place] {
        var places = [Place(label: "SQLite (state folder)", environment: [:])]
        if let url = database(repo: repo) {
            places.append(
                Place(
                    label: "PostgreSQL (loopback, fsync on)",
                    environment: ["DIGEST_STATE": url, "PGPASSWORD": "digest-test-secret"]))
        } else {
            print("  (PostgreSQL not measured: install postgresql to compare)")
        }
        return places
    }

    /// A new database's address, the cluster started first when needed.
    static func database(repo: String) -> String? {
        let script = repo + "/Tests/postgres/cluster"
        if cluster == nil {
            setenv("DIGEST_PG_FSYNC", "on", 1)
            defer { unsetenv("DIGEST_PG_FSYNC") }
            guard let output = try? run("/bin/bash", [script, "start", "\(getpid())"]).output else { return nil }
            let parts = output.split(whereSeparator: \.isWhitespace)
            guard parts.count == 2, let port = Int(parts[0]) else { return nil }
            cluster = (port, String(parts[1]))
        }
        guard let cluster else { return nil }
        let name = "bench_" + UUID().uuidString.prefix(8).lowercased()
        guard (try? run("/bin/bash", [script, "createdb", cluster.folder, name])) != nil else { return nil }
        return "postgresql://digest@127.0.0.1:\(cluster.port)/\(name)"
    }

    /// Runs `body` with `place`'s environment set, then unset.
    static func with<T>(_ place: Place, _ body: () throws -> T) rethrows -> T {
        for (key, value) in place.environment { setenv(key, value, 1) }
        defer { for key in place.environment.keys { unsetenv(key) } }
        return try body()
    }
}
