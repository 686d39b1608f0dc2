import Testing

@testable import CoalitionData

@Suite("The state: setting")
struct StateSettingTests {
    @Test("a database address with a password in state: is an error at its line, the password not repeated")
    func databasePassword() throws {
        let yaml = DataFolderFixture.coalition + "\nstate: postgresql://digest:s3cret@db.example.org/digest\n"
        let result = try DataFolderFixture(["coalition.yaml": yaml]).load()
        let line = (yaml.components(separatedBy: "\n").firstIndex { $0.hasPrefix("state:") } ?? -1) + 1
        let error = try #require(result.log.all.first { $0.message.contains("has a password in it") })
        #expect(error.line == line && error.column == 8)
        #expect(!error.message.contains("s3cret"))
        #expect(error.message.contains("postgresql://digest:…@db.example.org/digest"))
        #expect(result.dataset == nil)
    }

    @Test("a database address in state: is read, with the password file beside it")
    func database() throws {
        let yaml =
            DataFolderFixture.coalition
            + "\nstate: postgresql://digest@db.example.org:5433/coalition?sslmode=require\nstate_password_file: ../db-password\n"
        let result = try DataFolderFixture(["coalition.yaml": yaml]).load()
        let coalition = try #require(result.dataset?.coalition)
        guard case .database(let address)? = coalition.state else {
            Issue.record("not a database: \(String(describing: coalition.state))")
            return
        }
        #expect(address.port == 5433 && address.tls == .require && address.database == "coalition")
        #expect(coalition.statePasswordFile == "../db-password")
        #expect(result.log.all.isEmpty)
    }

    @Test("another kind of address, or a password file with a folder, is said at its line")
    func wrongKinds() throws {
        let yaml = DataFolderFixture.coalition + "\nstate: mysql://digest@db.example.org/digest\n"
        let result = try DataFolderFixture(["coalition.yaml": yaml]).load()
        #expect(result.log.all.contains { $0.message.contains("not a mysql:// address") && $0.column == 8 })
        let folder = DataFolderFixture.coalition + "\nstate: ../state\nstate_password_file: pw\n"
        let warned = try DataFolderFixture(["coalition.yaml": folder]).load()
        #expect(warned.log.all.contains { $0.message.contains("read only when state: names a database") })
    }

    @Test("a folder in state: is kept as written")
    func folder() throws {
        let result = try DataFolderFixture(["coalition.yaml": DataFolderFixture.coalition + "\nstate: ../state\n"])
            .load()
        #expect(result.dataset?.coalition.state == .folder("../state"))
    }
}
