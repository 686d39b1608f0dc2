import CoalitionData
import Foundation
import PostgresState
import Testing

@testable import PostgresState

@Suite("A database address and its password")
struct DatabaseAddressTests {
    @Test("a folder is a folder; postgresql:// and postgres:// are databases")
    func kinds() throws {
        #expect(try StateLocation.parse("../state") == .folder("../state"))
        guard case .database(let address) = try StateLocation.parse("postgres://digest@db.example.org/coalition")
        else {
            Issue.record("not a database")
            return
        }
        #expect(address.user == "digest")
        #expect(address.host == "db.example.org")
        #expect(address.port == 5432)
        #expect(address.database == "coalition")
        // On the network, verified unless said otherwise.
        #expect(address.tls == .verifyFull)
        #expect(address.description == "postgresql://digest@db.example.org:5432/coalition?sslmode=verify-full")
    }

    @Test("loopback and sockets are unencrypted unless asked; the modes honoured are three")
    func modes() throws {
        #expect(try DatabaseAddress("postgresql://d@localhost:5433/c").tls == .disable)
        #expect(try DatabaseAddress("postgresql://d@[::1]/c").host == "::1")
        #expect(try DatabaseAddress("postgresql://d@127.0.0.1/c?sslmode=require").tls == .require)
        let socket = try DatabaseAddress("postgresql://d@/c?host=/var/run/postgresql")
        #expect(socket.socketFolder == "/var/run/postgresql")
        #expect(socket.host == nil)
        #expect(socket.passwordFileHost == "localhost")
        #expect(throws: DatabaseAddress.Problem.sslMode("prefer")) {
            try DatabaseAddress("postgresql://d@db.example.org/c?sslmode=prefer")
        }
    }

    @Test("a password in the address is refused, and never repeated")
    func password() {
        for text in [
            "postgresql://digest:hunter2@db.example.org/coalition",
            "postgresql://digest@db.example.org/coalition?password=hunter2",
        ] {
            #expect {
                try DatabaseAddress(text)
            } throws: { error in
                let message = "\(error)"
                return message.contains("has a password in it") && !message.contains("hunter2")
                    && message.contains("PGPASSWORD, ~/.pgpass or state_password_file:")
            }
        }
    }

    @Test(
        "what is missing is named",
        arguments: [
            ("postgresql://db.example.org/c", "names no user"),
            ("postgresql://d@db.example.org/", "names no database"),
            ("postgresql://d@/c", "names no host"),
            ("mysql://d@db.example.org/c", "not a mysql:// address"),
            ("postgresql://d@db.example.org/c?sslcert=x", "the option sslcert"),
            ("postgresql://d@db.example.org/c?connect_timeout=soon", "connect_timeout=soon must be"),
        ])
    func missing(text: String, says: String) {
        #expect {
            _ = try StateLocation.parse(text)
        } throws: { error in
            "\(error)".contains(says)
        }
    }

    @Test("~/.pgpass: the first matching line, * for any, escapes read")
    func pgpass() throws {
        let address = try DatabaseAddress("postgresql://digest@db.example.org:5432/coalition")
        let text = """
            # comment
            other.example.org:5432:coalition:digest:nope
            db.example.org:*:coalition:digest:pa\\:ss\\\\word
            *:*:*:*:fallback
            """
        #expect(DatabasePassword.match(text, address: address) == "pa:ss\\word")
        let other = try DatabaseAddress("postgresql://someone@db.example.org/x")
        #expect(DatabasePassword.match(text, address: other) == "fallback")
    }

    @Test("PGPASSWORD first, then state_password_file (which must be private), then the password file")
    func sources() throws {
        let address = try DatabaseAddress("postgresql://digest@db.example.org:5432/coalition")
        let folder = NSTemporaryDirectory() + "pgpass-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/password"
        try "from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let pgpass = folder + "/.pgpass"
        try "*:*:*:digest:from-pgpass\n".write(toFile: pgpass, atomically: true, encoding: .utf8)
        chmod(pgpass, 0o600)
        #expect(try DatabasePassword.find(for: address, file: file, environment: ["PGPASSWORD": "env"]) == "env")
        #expect(try DatabasePassword.find(for: address, file: file, environment: ["HOME": folder]) == "from-file")
        #expect(try DatabasePassword.find(for: address, file: nil, environment: ["HOME": folder]) == "from-pgpass")
        #expect(try DatabasePassword.find(for: address, file: nil, environment: ["HOME": "/nonexistent"]) == nil)
        chmod(file, 0o644)
        #expect {
            _ = try DatabasePassword.find(for: address, file: file, environment: [:])
        } throws: { error in
            "\(error)".contains("can be read by others; make it private: chmod 600")
        }
    }
}
