import CoalitionData
import DigestApplication
import DigestTestSupport
import Foundation
import Testing

@testable import DigestCommands

@Suite("digest next-call")
struct NextCallCommandTests {
    @Test("next-call after the last call: the schedule ended, said as such")
    func ended() throws {
        let project = Project(dataPath: repository.appendingPathComponent("data").path)
        let dataset = try #require(project.load().dataset)
        let lines = Project.nextCallLines(
            dataset: dataset, after: try #require(LocalDate(iso: "2020-03-10")), words: english)
        #expect(
            lines == [
                "No next call: the schedule ended on Tuesday, 10 March 2020 (schedule.until in coalition.yaml), and no call file comes later."
            ])
    }

    @Test("next-call lines from the rule say so; a call file's do not")
    func fromRule() throws {
        let folder = NSTemporaryDirectory() + "digest-next-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("data").path, toPath: folder)
        try continueSchedule(dataFolder: folder)
        let dataset = try #require(Project(dataPath: folder).load().dataset)
        let lines = Project.nextCallLines(
            dataset: dataset, after: try #require(LocalDate(iso: "2020-03-10")), words: english)
        #expect(lines.first == "Tuesday, 14 April 2020, 10:00 America/New_York")
        #expect(
            lines.contains(
                "(from the schedule rule, 2nd Tuesday; no call file for that month yet, so the date may change)"))
        #expect(lines.contains("UTC  2020-04-14T14:00:00Z"))
        #expect(lines.contains { $0.hasPrefix("Asia/Kathmandu") && $0.hasSuffix("2020-04-14  19:45  UTC+05:45") })
        let fromFile = Project.nextCallLines(
            dataset: dataset, after: try #require(LocalDate(iso: "2020-02-29")), words: english)
        #expect(fromFile.first == "Tuesday, 10 March 2020, 10:00 America/New_York")
        #expect(!fromFile.contains { $0.hasPrefix("(from the schedule rule") })
    }
}
