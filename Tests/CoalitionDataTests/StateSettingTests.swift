import Testing

@testable import CoalitionData

@Suite("The state: setting")
struct StateSettingTests {
    @Test("a database URL in state: is an error at its line, its text (and password) not repeated")
    func databaseURL() throws {
        let yaml = DataFolderFixture.coalition + "\nstate: postgresql://digest:s3cret@db.example.org/digest\n"
        let result = try DataFolderFixture(["coalition.yaml": yaml]).load()
        let line = (yaml.components(separatedBy: "\n").firstIndex { $0.hasPrefix("state:") } ?? -1) + 1
        let error = try #require(result.log.all.first { $0.message.hasPrefix("state names a database") })
        #expect(error.line == line && error.column == 8)
        #expect(!error.message.contains("s3cret"))
        #expect(result.dataset == nil)
    }

    @Test("a folder in state: is kept as written")
    func folder() throws {
        let result = try DataFolderFixture(["coalition.yaml": DataFolderFixture.coalition + "\nstate: ../state\n"])
            .load()
        #expect(result.dataset?.coalition.state == "../state")
    }
}
