import CoalitionData
import Foundation

/// A data folder written to a temporary directory for one test.
struct DataFolderFixture {
    let path: String

    static let coalition = """
        name: Test Coalition
        schedule:
          rule: 2nd Tuesday
          time: "10:00"
          timezone: America/New_York
          also_in: [Europe/London, Asia/Kathmandu]
        petition:
          title: Test petition
          goal: 1000
        """

    /// Writes `files` (path inside the folder -> text); `coalition.yaml` is
    /// added unless given.
    init(_ files: [String: String], withCoalition: Bool = true) throws {
        path = NSTemporaryDirectory() + "digest-test-" + UUID().uuidString
        var all = files
        if withCoalition && all["coalition.yaml"] == nil { all["coalition.yaml"] = Self.coalition }
        for (name, text) in all {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        }
        try FileManager.default.createDirectory(atPath: path + "/calls", withIntermediateDirectories: true)
    }

    func load() -> DataFolder.Result {
        let result = DataFolder.load(path: path)
        try? FileManager.default.removeItem(atPath: path)
        return result
    }

    /// The diagnostics with the folder path removed: `file:line:column: severity: message`.
    func diagnostics() -> [String] {
        load().log.sorted.map { String($0.description.dropFirst(path.count + 1)) }
    }
}
