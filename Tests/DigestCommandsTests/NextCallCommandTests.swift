import CoalitionData
import DigestApplication
import DigestTestSupport
import Foundation
import Testing

@testable import DigestCommands

@Suite("digest next-call")
struct NextCallCommandTests {
    @Test("next-call lines for March 2020")
    func nextCall() throws {
        let project = Project(dataPath: repository.appendingPathComponent("data").path)
        let dataset = try #require(project.load().dataset)
        let lines = NextCallCommand.lines(
            dataset: dataset, after: try #require(LocalDate(iso: "2020-03-10")), words: english)
        #expect(lines.first == "Tuesday, 14 April 2020, 10:00 America/New_York")
        #expect(lines.contains("UTC  2020-04-14T14:00:00Z"))
        #expect(lines.contains { $0.hasPrefix("Asia/Kathmandu") && $0.hasSuffix("2020-04-14  19:45  UTC+05:45") })
    }
}
