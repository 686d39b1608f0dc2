// Measures Coalition Digest against its goals and a Python peer.
//
//   digest-bench --digest PATH --repo PATH      run everything, print a table
//   digest-bench petition-child FOLDER          (internal) load + aggregate once

import CoalitionData
import DigestModel
import DigestRender
import DonorReport
import Foundation
import Wording
import XLSXWriter

/// Peak resident memory of this process in MiB: VmHWM from /proc, which
/// starts afresh at exec. (getrusage's ru_maxrss does not: on Linux a child
/// inherits its parent's high-water mark, so a child of a large process
/// would report the parent's figure.)
func peakMemoryMiB() -> Double {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kib = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    {
        return kib / 1024
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Runs a program and waits for it, with posix_spawn and wait4 rather than
/// Foundation's Process, whose own overhead (tens of milliseconds) would
/// swamp a 30 ms measurement. Returns wall time, the child's peak memory in
/// MiB, and what it printed.
func run(_ executable: String, _ arguments: [String], directory: String? = nil) throws -> (
    seconds: Double, peakMiB: Double, output: String
) {
    let outputPath = NSTemporaryDirectory() + "digest-bench-output-\(getpid())"
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let previous = FileManager.default.currentDirectoryPath
    if let directory { FileManager.default.changeCurrentDirectoryPath(directory) }
    defer { FileManager.default.changeCurrentDirectoryPath(previous) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else {
        throw NSError(
            domain: "bench", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot run \(executable)"])
    }
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: outputPath)
    guard status == 0 else {
        throw NSError(
            domain: "bench", code: Int(status),
            userInfo: [
                NSLocalizedDescriptionKey: "\(executable) \(arguments.joined(separator: " ")) failed (\(status))"
            ])
    }
    return (seconds, Double(usage.ru_maxrss) / 1024, output)
}

/// Waits until something listens on `port` on loopback, at most `seconds`.
func waitUntilListening(_ port: Int, seconds: Double = 20) {
    var waited = 0.0
    while !Socket.canConnect(port: port), waited < seconds {
        usleep(50_000)
        waited += 0.05
    }
}

/// Stops a program started in the background and waits for it.
func stop(_ pid: pid_t) {
    kill(pid, SIGTERM)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
}

/// Starts a program in the background; returns its process id.
func start(_ executable: String, _ arguments: [String]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else {
        throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable)"])
    }
    return pid
}

func which(_ name: String) -> String? {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        .map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

/// Writes a data folder whose petition.csv has `rows` rows (about 40 bytes each).
func makeLargeData(from repo: String, rows: Int) throws -> String {
    let folder = NSTemporaryDirectory() + "digest-bench-\(getpid())"
    try? FileManager.default.removeItem(atPath: folder)
    try FileManager.default.createDirectory(atPath: folder + "/calls", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: repo + "/data/coalition.yaml", toPath: folder + "/coalition.yaml")
    var text = "date,source,kind,count,country\n"
    text.reserveCapacity(rows * 42)
    let sources = ["website", "paper forms", "partner-kenya", "partner-nigeria", "events"]
    let countries = ["", "KE", "NG", "ID", "PH", "AR"]
    var totals = [Int](repeating: 0, count: 2)
    // Days from 2018-06-01 on, many rows a day; two sources report running
    // totals, three report new signatures.
    let start = LocalDate(year: 2018, month: 6, day: 1) ?? LocalDate(daysSinceEpoch: 17683)
    for index in 0..<rows {
        let day = start.adding(days: index / 1000)
        let source = index % sources.count
        let count: Int
        let kind: String
        if source < 2 {
            totals[source] += (index * 7919) % 50
            count = totals[source]
            kind = "total"
        } else {
            count = (index * 31) % 4
            kind = "new"
        }
        text += "\(day),\(sources[source]),\(kind),\(count),\(countries[index % countries.count])\n"
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/petition.csv"))
    return folder
}

/// A data folder with a call every month for `months` months from June 2018:
/// the sample's calls, then copies of their notes on later months.
func makeHistory(from repo: String, months count: Int) throws -> String {
    let folder = NSTemporaryDirectory() + "digest-bench-history-\(getpid())"
    try? FileManager.default.removeItem(atPath: folder)
    try FileManager.default.copyItem(atPath: repo + "/data", toPath: folder)
    // Call files only (2019-06-11.md), not their translations (2019-06-11.fr.md).
    let calls = try FileManager.default.contentsOfDirectory(atPath: folder + "/calls")
        .filter { $0.hasSuffix(".md") && $0.count == "2019-06-11.md".count }
        .sorted()
    let bodies = try calls.map { try String(contentsOfFile: folder + "/calls/" + $0, encoding: .utf8) }
    guard let rule = ScheduleRule(text: "2nd Tuesday"), var month = YearMonth(year: 2018, month: 6) else {
        return folder
    }
    for index in 0..<count {
        defer { month = month.adding(months: 1) }
        if calls.contains(where: { $0.hasPrefix(month.description) }) { continue }
        guard let date = rule.date(in: month) else { continue }
        let body = bodies[index % bodies.count]
        // The copy's front matter gets the new date; everything else stays.
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let at = lines.firstIndex(where: { $0.hasPrefix("date: ") }) { lines[at] = "date: \(date)" }
        try lines.joined(separator: "\n").write(toFile: folder + "/calls/\(date).md", atomically: true, encoding: .utf8)
    }
    return folder
}

/// The web archive: the sample's 22 months, a ten-year history of 120, and
/// an unchanged second run; beside it, the peer: the same newsletters
/// written by `digest render --all --format html`.
func archiveBench(digest: String, repo: String) throws {
    func timed(_ runs: Int, _ arguments: [String], fresh: String? = nil) throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            if let fresh { try? FileManager.default.removeItem(atPath: fresh) }
            times.append(try run(digest, arguments, directory: repo).seconds)
        }
        return median(times)
    }
    let out = NSTemporaryDirectory() + "digest-bench-archive-\(getpid())"
    let sampleFirst = try timed(11, ["archive", "--out", out], fresh: out)
    let sampleAgain = try timed(21, ["archive", "--out", out])
    let peer = try timed(11, ["render", "--all", "--format", "html", "--out", out + "-render"], fresh: out + "-render")
    let history = try makeHistory(from: repo, months: 120)
    let tenYears = try timed(5, ["archive", "--data", history, "--out", out + "-ten"], fresh: out + "-ten")
    let tenAgain = try timed(5, ["archive", "--data", history, "--out", out + "-ten"])
    let tenPeer = try timed(
        5, ["render", "--all", "--format", "html", "--data", history, "--out", out + "-ten-render"],
        fresh: out + "-ten-render")
    let pages =
        (try? FileManager.default.contentsOfDirectory(atPath: out + "-ten/site"))?.filter {
            $0.hasSuffix(".html")
        }.count ?? 0
    for folder in [out, out + "-render", out + "-ten", out + "-ten-render", history] {
        try? FileManager.default.removeItem(atPath: folder)
    }
    print("")
    print("the web archive (digest archive, whole process; peer: render --all --format html, the same newsletters)")
    func line(_ label: String, _ seconds: Double, _ goal: String = "") {
        let padded = label.padding(toLength: 36, withPad: " ", startingAt: 0)
        print(String(format: "  %@ %8.1f ms      %@", padded as NSString, seconds * 1000, goal as NSString))
    }
    line("sample, 22 months, first run", sampleFirst, "goal < 200 ms")
    line("sample, unchanged re-run", sampleAgain, "goal < 100 ms")
    line("peer: render --all, 22 months", peer)
    line("ten years, \(pages - 1) months, first run", tenYears, "goal < 1 s")
    line("ten years, unchanged re-run", tenAgain)
    line("peer: render --all, 120 months", tenPeer)
}

let arguments = CommandLine.arguments
if arguments.count >= 4, arguments[1] == "sheet-child" {
    // ROWS x 10 cells through the Swift module in constant-memory mode, as the C peer does.
    let rows = Int(arguments[3]) ?? 1_000_000
    let words = ["alpha", "beta", "gamma", "delta", "epsilon"]
    let time = try seconds {
        let workbook = try Workbook(path: arguments[2], constantMemory: true)
        let sheet = try workbook.addWorksheet(named: "Data")
        for row in 0..<rows {
            for column in 0..<10 {
                if column % 2 == 0 {
                    try sheet.write(number: Double(row * 10 + column), row: row, column: column)
                } else {
                    try sheet.write(words[(row + column) % 5], row: row, column: column)
                }
            }
        }
        try workbook.close()
    }
    print(String(format: "%.3f %.1f", time, peakMemoryMiB()))
    exit(0)
}
if arguments.count >= 5, arguments[1] == "personalise-child" {
    do {
        try PersonaliseBench.child(
            data: arguments[2], templates: arguments[3], month: arguments[4],
            allLanguages: arguments.count > 5 && arguments[5] == "all")
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
if arguments.count >= 6, arguments[1] == "export-peer" {
    try PersonaliseBench.exportPeer(data: arguments[2], templates: arguments[3], month: arguments[4], to: arguments[5])
    exit(0)
}
if arguments.count >= 4, arguments[1] == "ledger-child" {
    try ledgerChild(path: arguments[2], count: Int(arguments[3]) ?? 1000)
    exit(0)
}
if arguments.count >= 3, arguments[1] == "render-loop" {
    // For profilers: render June 2019's HTML many times.
    let repo = arguments[2]
    guard let dataset = DataFolder.load(path: repo + "/data").dataset, let month = YearMonth(year: 2019, month: 6)
    else { exit(1) }
    let renderer = DigestRenderer(
        templates: try TemplateSet(folder: repo + "/templates"),
        words: try Words.load(folder: repo + "/templates/words", language: "en"))
    let value = ViewValue(reflecting: try renderer.view(for: Digest(dataset: dataset, period: Period(month: month))))
    let textMode = arguments.count > 3 && arguments[3] == "text"
    for _ in 0..<3000 { _ = textMode ? try renderer.text(value) : try renderer.html(value) }
    exit(0)
}
if arguments.count >= 4, arguments[1] == "make-data" {
    print(try makeLargeData(from: arguments[2], rows: Int(arguments[3]) ?? 1_000_000))
    exit(0)
}
if arguments.count >= 3, arguments[1] == "phases" {
    let t0 = seconds { _ = try? CountryTable.standard() }
    let t1 = seconds { _ = DataFolder.load(path: arguments[2]) }
    let t2 = seconds { _ = DataFolder.load(path: arguments[2]) }
    print(String(format: "countries %.1f ms, first load %.1f ms, second load %.1f ms", t0 * 1000, t1 * 1000, t2 * 1000))
    exit(0)
}
if arguments.count >= 3, arguments[1] == "petition-child" {
    // One load and aggregation in a fresh process, so peak memory is its own.
    let folder = arguments[2]
    var total = 0
    let time = seconds {
        let result = DataFolder.load(path: folder)
        guard let dataset = result.dataset else {
            print("error: \(result.log.all.prefix(3))")
            exit(1)
        }
        let last = dataset.petition.map(\.date).max()?.yearMonth ?? YearMonth(year: 2020, month: 1)
        if let last {
            total = Digest(dataset: dataset, period: Period(month: last)).petition?.total ?? 0
        }
    }
    print(String(format: "%.3f %.1f %d", time, peakMemoryMiB(), total))
    exit(0)
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

guard let digest = option("--digest"), let repo = option("--repo") else {
    print("usage: digest-bench --digest PATH-TO-RELEASE-digest --repo PATH-TO-REPOSITORY [--rows N]")
    exit(64)
}
let rows = option("--rows").flatMap(Int.init) ?? 1_000_000
let sheetRows = option("--sheet-rows").flatMap(Int.init) ?? 1_000_000
let skipSheet = arguments.contains("--no-sheet")

do {
    print("Coalition Digest benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
    print("")
    if arguments.contains("--mail-only") {
        try mailBench(digest: digest, repo: repo, members: option("--members").flatMap(Int.init) ?? 100_000)
        exit(0)
    }
    if arguments.contains("--sessions-only") {
        try SessionsBench.all(
            digest: digest, repo: repo, python: which("python3") ?? "/usr/bin/python3", me: CommandLine.arguments[0])
        exit(0)
    }
    if arguments.contains("--languages-only") {
        let members = option("--members").flatMap(Int.init) ?? 100_000
        let data = try PersonaliseBench.makeData(repo: repo, count: members)
        defer { PersonaliseBench.removeData(data) }
        var english: [Double] = []
        for _ in 0..<3 {
            english.append(
                try run(CommandLine.arguments[0], ["personalise-child", data, repo + "/templates", "2019-06"]).seconds)
        }
        try languagesBench(
            digest: digest, repo: repo, members: members, me: CommandLine.arguments[0], english: median(english))
        exit(0)
    }
    if arguments.contains("--state-only") {
        try StateBench.all(
            digest: digest, repo: repo, members: option("--members").flatMap(Int.init) ?? 100_000,
            only: option("--only"))
        exit(0)
    }
    if arguments.contains("--deliverability-only") {
        if option("--only") != "webhooks" {
            try DeliverabilityBench.all(
                digest: digest, repo: repo, members: option("--members").flatMap(Int.init) ?? 20_000)
        }
        if option("--only") != "dkim" {
            try DeliverabilityBench.webhooks(
                digest: digest, repo: repo, members: option("--members").flatMap(Int.init) ?? 100_000)
        }
        exit(0)
    }
    if arguments.contains("--archive-only") {
        try archiveBench(digest: digest, repo: repo)
        exit(0)
    }

    // 1. One month, whole process: load everything, aggregate, text + JSON.
    let out = NSTemporaryDirectory() + "digest-bench-out-\(getpid())"
    var times: [Double] = []
    for _ in 0..<21 {
        times.append(try run(digest, ["render", "--month", "2020-02", "--out", out], directory: repo).seconds)
    }
    try? FileManager.default.removeItem(atPath: out)
    print("one month rendered (digest render, whole process, median of 21)")
    print(String(format: "  %-28@ %8.1f ms      goal < 50 ms", "Coalition Digest" as NSString, median(times) * 1000))
    print("")

    try archiveBench(digest: digest, repo: repo)

    // 2. A petition.csv of `rows` rows: load + aggregate, fresh process each time.
    let folder = try makeLargeData(from: repo, rows: rows)
    let size = (try FileManager.default.attributesOfItem(atPath: folder + "/petition.csv")[.size] as? Int) ?? 0
    let me = CommandLine.arguments[0]
    var swiftRuns: [(Double, Double)] = []
    var swiftTotal = ""
    for _ in 0..<3 {
        let parts = try run(me, ["petition-child", folder]).output.split(separator: " ")
        swiftRuns.append((Double(parts[0]) ?? 0, Double(parts[1]) ?? 0))
        swiftTotal = parts.count > 2 ? String(parts[2]).trimmingCharacters(in: .whitespacesAndNewlines) : ""
    }
    // The python3 on PATH (the one pip installs Jinja2 for), resolved by hand
    // because posix_spawn does not search PATH.
    let pythonPath =
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .map { $0 + "/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/python3"
    let pythonVersion =
        (try? run(pythonPath, ["-c", "import platform; print(platform.python_version())"]).output)?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "3"
    var pythonRuns: [(Double, Double)] = []
    var pythonTotal = ""
    for _ in 0..<3 {
        let parts = try run(pythonPath, [repo + "/Benchmarks/peer/petition_peer.py", folder + "/petition.csv"]).output
            .split(separator: " ")
        pythonRuns.append((Double(parts[0]) ?? 0, Double(parts[1]) ?? 0))
        pythonTotal = parts.count > 2 ? String(parts[2]).trimmingCharacters(in: .whitespacesAndNewlines) : ""
    }
    try? FileManager.default.removeItem(atPath: folder)
    print(
        String(
            format: "petition.csv of %d rows (%.1f MB): load, check and aggregate (median of 3)", rows,
            Double(size) / 1e6))
    print(
        String(
            format: "  %-28@ %8.3f s  %7.1f MiB peak   total %@   goal < 2 s, < 300 MB", "Coalition Digest" as NSString,
            median(swiftRuns.map(\.0)), median(swiftRuns.map(\.1)), swiftTotal as NSString))
    print(
        String(
            format: "  %-28@ %8.3f s  %7.1f MiB peak   total %@", "Python \(pythonVersion) csv (peer)" as NSString,
            median(pythonRuns.map(\.0)), median(pythonRuns.map(\.1)), pythonTotal as NSString))

    // 2b. digest check and digest render, whole process, on large petition
    //     files: both should grow in step with the rows (linear), and check,
    //     which renders every month in memory, should not read the rows
    //     once per month.
    if !arguments.contains("--no-scaling") {
        print("")
        print("digest check and digest render --month (whole process) on a large petition.csv, median of 3")
        var perRow: [String: [Double]] = [:]
        for count in [1_000_000, 10_000_000] {
            let big = try makeLargeData(from: repo, rows: count)
            let bytes = (try FileManager.default.attributesOfItem(atPath: big + "/petition.csv")[.size] as? Int) ?? 0
            let bigOut = NSTemporaryDirectory() + "digest-bench-big-out-\(getpid())"
            for (label, commandArguments) in [
                ("check", ["check", "--data", big, "--templates", repo + "/templates"]),
                (
                    "render",
                    [
                        "render", "--month", "2020-02", "--data", big, "--templates", repo + "/templates", "--out",
                        bigOut,
                    ]
                ),
            ] {
                var runs: [(Double, Double)] = []
                for _ in 0..<3 {
                    let result = try run(digest, commandArguments)
                    runs.append((result.seconds, result.peakMiB))
                }
                let time = median(runs.map(\.0))
                let peak = median(runs.map(\.1))
                perRow[label, default: []].append(time / Double(count))
                print(
                    String(
                        format: "  %-8@ %10d rows (%5.0f MB) %8.2f s  %7.1f MiB peak  %6.0f ns a row",
                        label as NSString,
                        count, Double(bytes) / 1e6, time, peak, time / Double(count) * 1e9))
            }
            try? FileManager.default.removeItem(atPath: bigOut)
            try? FileManager.default.removeItem(atPath: big)
        }
        for label in ["check", "render"] {
            let values = perRow[label] ?? []
            if values.count == 2 {
                print(
                    String(
                        format: "  %@: time a row at 10M / at 1M = %.2f (1.0 is linear)", label as NSString,
                        values[1] / values[0]))
            }
        }
    }

    // 3. Rendering one month's view model, per render: Mustache here, Jinja2
    //    (templates translated from ours, same data) as the peer.
    let renders = 500
    let loaded = DataFolder.load(path: repo + "/data")
    guard let dataset = loaded.dataset, let month = YearMonth(year: 2019, month: 6) else {
        throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "sample data has errors"])
    }
    let renderer = DigestRenderer(
        templates: try TemplateSet(folder: repo + "/templates"),
        words: try Words.load(folder: repo + "/templates/words", language: "en"))
    let view = try renderer.view(for: Digest(dataset: dataset, period: Period(month: month)))
    let value = ViewValue(reflecting: view)
    var htmlSize = 0
    _ = try renderer.html(value)
    let htmlTime =
        try seconds { for _ in 0..<renders { htmlSize = try renderer.html(value).utf8.count } } / Double(renders)
    let textTime = try seconds { for _ in 0..<renders { _ = try renderer.text(value) } } / Double(renders)
    let json = NSTemporaryDirectory() + "digest-bench-\(getpid()).json"
    try Data(value.json.utf8).write(to: URL(fileURLWithPath: json))
    let peer = try run(
        pythonPath, [repo + "/Benchmarks/peer/render_peer.py", repo + "/templates", json, String(renders)]
    )
    .output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    try? FileManager.default.removeItem(atPath: json)
    print("")
    print("one month's view model rendered (June 2019, \(htmlSize / 1024) KB of HTML), mean of \(renders) renders")
    print(
        String(
            format: "  %-28@ HTML %6.3f ms   text %6.3f ms (with wrapping and links)", "swift-mustache" as NSString,
            htmlTime * 1000, textTime * 1000))
    if peer.count >= 2 {
        print(
            String(
                format: "  %-28@ HTML %6.3f ms   text %6.3f ms (no wrapping)   goal: at most Jinja2's time",
                "Jinja2, autoescape (peer)" as NSString, peer[0], peer[1]))
    }

    // 4. The donor workbook of 2019, whole process.
    var reportTimes: [Double] = []
    let reportOut = NSTemporaryDirectory() + "digest-bench-report-\(getpid())"
    for _ in 0..<11 {
        reportTimes.append(
            try run(digest, ["report", "--period", "2019", "--out", reportOut], directory: repo).seconds)
    }
    try? FileManager.default.removeItem(atPath: reportOut)
    print("")
    print("the sample's 2019 donor workbook (digest report --period 2019, whole process, median of 11)")
    print(
        String(
            format: "  %-28@ %8.1f ms      goal < 100 ms", "Coalition Digest" as NSString, median(reportTimes) * 1000))

    // 5. The preview server: a month page right after a data file changed,
    //    and requests per second for an unchanged page from a second process.
    if let curl = which("curl") {
        let scratch = NSTemporaryDirectory() + "digest-bench-preview-\(getpid())"
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repo + "/data", toPath: scratch + "/data")
        try FileManager.default.copyItem(atPath: repo + "/templates", toPath: scratch + "/templates")
        let port = 18_000 + Int(getpid() % 1000)
        let server = try start(
            digest,
            [
                "preview", "--port", String(port), "--data", scratch + "/data", "--templates", scratch + "/templates",
            ])
        defer {
            kill(server, SIGTERM)
            var status: Int32 = 0
            waitpid(server, &status, 0)
            try? FileManager.default.removeItem(atPath: scratch)
        }
        let page = "http://127.0.0.1:\(port)/month/2020-02"
        for _ in 0..<100 {
            if (try? run(curl, ["-sf", "-o", "/dev/null", page]))?.output != nil { break }
            usleep(100_000)
        }
        var latencies: [Double] = []
        let events = scratch + "/data/events.csv"
        for round in 0..<21 {
            // A real edit: the file's content and time change, so the next load re-renders.
            let handle = FileHandle(forWritingAtPath: events)
            handle?.seekToEndOfFile()
            handle?.write(Data((round % 2 == 0 ? "\n" : "").utf8))
            try handle?.close()
            usleep(20_000)
            let output = try run(curl, ["-s", "-o", "/dev/null", "-w", "%{time_total}", page]).output
            latencies.append(Double(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
        }
        let sortedLatencies = latencies.sorted()
        print("")
        print("the preview server (release build, loopback)")
        print(
            String(
                format: "  month page right after a data file changed: p50 %.1f ms, p90 %.1f ms   goal p50 < 100 ms",
                sortedLatencies[sortedLatencies.count / 2] * 1000,
                sortedLatencies[sortedLatencies.count * 9 / 10] * 1000))
        if let wrk = which("wrk") {
            let output = try run(wrk, ["-t2", "-c32", "-d5s", page]).output
            let line = output.split(separator: "\n").first { $0.contains("Requests/sec") } ?? "Requests/sec: ?"
            let rate = line.split(separator: " ").last.map(String.init) ?? "?"
            print("  unchanged month page under load (wrk -t2 -c32 -d5s): \(rate) requests a second   goal >= 2,000")
        } else {
            print("  requests a second: install wrk (apt-get install wrk) to measure")
        }
    }

    // 6. A 1,000,000 x 10 sheet in constant-memory mode: Swift module, C, Python XlsxWriter.
    if !skipSheet {
        let target = NSTemporaryDirectory() + "digest-bench-sheet-\(getpid()).xlsx"
        let cPeer = NSTemporaryDirectory() + "digest-bench-write-sheet-\(getpid())"
        _ = try run("/usr/bin/cc", ["-O2", "-o", cPeer, repo + "/Benchmarks/peer/write_sheet.c", "-lxlsxwriter"])
        func measure(_ executable: String, _ arguments: [String]) throws -> (Double, Double, Int) {
            let parts = try run(executable, arguments).output.split(separator: " ")
                .compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            let size = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
            try? FileManager.default.removeItem(atPath: target)
            return (parts.first ?? 0, parts.dropFirst().first ?? 0, size ?? 0)
        }
        // Swift and C alternate three times (medians); Python, far slower, runs once.
        var swiftRuns: [(Double, Double, Int)] = []
        var cRuns: [(Double, Double, Int)] = []
        for _ in 0..<3 {
            swiftRuns.append(try measure(me, ["sheet-child", target, String(sheetRows)]))
            cRuns.append(try measure(cPeer, [target, String(sheetRows)]))
        }
        func middle(_ runs: [(Double, Double, Int)]) -> (Double, Double, Int) {
            runs.sorted { $0.0 < $1.0 }[runs.count / 2]
        }
        let swift = middle(swiftRuns)
        let c = middle(cRuns)
        let python = try measure(pythonPath, [repo + "/Benchmarks/peer/write_sheet.py", target, String(sheetRows)])
        try? FileManager.default.removeItem(atPath: cPeer)
        print("")
        print(
            "a \(sheetRows) x 10 sheet (numbers and short strings), constant-memory mode (median of 3; Python: 1 run)")
        for (label, figures) in [
            ("Swift module", swift), ("C, libxlsxwriter (peer)", c), ("Python XlsxWriter (peer)", python),
        ] {
            print(
                String(
                    format: "  %-28@ %8.2f s  %7.1f MiB peak  %5.1f MB file", label as NSString, figures.0, figures.1,
                    Double(figures.2) / 1e6))
        }
        print(
            String(
                format: "  Swift / C = %.2f (goal <= 1.1), Python / Swift = %.1f (goal >= 3), Swift peak < 50 MB",
                swift.0 / c.0, python.0 / swift.0))
    }
} catch {
    print("error: \(error.localizedDescription)")
    exit(1)
}
