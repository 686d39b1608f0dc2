import CoalitionData
import DigestSend
import Foundation

/// `--mail-only`: the personal digests (100,000 members, against the
/// Python peer) and sending (messages a second to a loopback relay, and
/// the ledger's share of the time).
func mailBench(digest: String, repo: String, members: Int) throws {
    let python = which("python3") ?? "/usr/bin/python3"
    let me = CommandLine.arguments[0]

    // 1. Personalising: whole process, Swift; the loop, Python.
    let data = try PersonaliseBench.makeData(repo: repo, count: members)
    defer { PersonaliseBench.removeData(data) }
    var runs: [(Double, Double)] = []
    var line = ""
    for _ in 0..<3 {
        let result = try run(me, ["personalise-child", data, repo + "/templates", "2019-03"])
        runs.append((result.seconds, result.peakMiB))
        line = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let parts = line.split(separator: " ")
    let bytes = parts.count > 1 ? (Double(parts[1]) ?? 0) : 0
    let swiftSeconds = median(runs.map(\.0))
    let peer = NSTemporaryDirectory() + "digest-bench-peer-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: peer) }
    _ = try run(me, ["export-peer", data, repo + "/templates", "2019-03", peer])
    let peerCount = min(members, 5000)
    let peerOutput = try run(
        python, [repo + "/Benchmarks/peer/personalise_peer.py", peer, data + "/members.csv", "\(peerCount)"]
    ).output.split(separator: " ")
    let peerLoop =
        peerOutput.count > 3 ? (Double(peerOutput[3].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) : 0
    let peerBytes = peerOutput.count > 1 ? (Double(peerOutput[1]) ?? 0) : 0
    let swiftPer = swiftSeconds / Double(members)
    let peerPer = peerLoop / Double(max(peerCount, 1))
    print(
        String(
            format: "%d members personalised into whole MIME messages (checksummed, not written; median of 3)", members)
    )
    print(
        String(
            format: "  %-28@ %8.2f s  %7.1f MiB peak  %6.1f µs a message  %.1f GB   goal < 5 s, < 200 MB",
            "Coalition Digest (process)" as NSString, swiftSeconds, median(runs.map(\.1)), swiftPer * 1e6, bytes / 1e9))
    print(
        String(
            format:
                "  %-28@ %8.2f s  (%d messages, loop only)  %6.1f µs a message  %.1f KB each   %.1f× slower (goal ≥ 5×)",
            "Python Jinja2 + email (peer)" as NSString, peerLoop, peerCount, peerPer * 1e6,
            peerBytes / Double(max(peerCount, 1)) / 1e3, peerPer / max(swiftPer, 1e-9)))
    print("")

    // 2. Three languages: a third of the members each in English, French and Spanish.
    try languagesBench(digest: digest, repo: repo, members: members, me: me, english: swiftSeconds)
    print("")

    // 3. Sending to a loopback relay, with the ledger.
    try sendBench(digest: digest, repo: repo, python: python, me: me)
    print("")

    // 4. Several sessions: a relay 25 ms away, and Postfix's smtp-sink beside smtp-source.
    try SessionsBench.all(digest: digest, repo: repo, python: python, me: me)
}

func sendBench(digest: String, repo: String, python: String, me: String) throws {
    setenv("DIGEST_UNSUBSCRIBE_SECRET", "a benchmark secret of some length", 1)
    print("digest send: one connection, the ledger on (whole process, median of 3)")
    // The fast sink measures the sender; aiosmtpd, the tests' relay, reads
    // the data line by line in Python and is the slower side of the pair.
    let sink = try sendRate(
        digest: digest, repo: repo, count: 3000, server: [python, repo + "/Benchmarks/peer/smtp_sink.py"])
    let aiosmtpd = try sendRate(
        digest: digest, repo: repo, count: 1000, server: [python, repo + "/Tests/python/relay.py", "--port"])
    let ledger = try run(
        me, ["ledger-child", NSTemporaryDirectory() + "digest-bench-ledger-\(getpid()).sqlite", "3000"])
    let ledgerSeconds = Double(ledger.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    print(
        String(
            format: "  %-34@ %6.0f messages a second  (%d messages, %.2f s)   goal ≥ 500",
            "to a fast sink (smtp_sink.py)" as NSString, sink.rate, 3000, sink.seconds))
    print(
        String(
            format: "  %-34@ %6.0f messages a second  (%d messages, %.2f s)", "to aiosmtpd (relay.py)" as NSString,
            aiosmtpd.rate, 1000, aiosmtpd.seconds))
    print(
        String(
            format: "  %-34@ %6.3f s for 3000 messages = %.1f%% of the send to the sink   goal < 10%%",
            "the ledger's writes alone" as NSString, ledgerSeconds, ledgerSeconds / sink.seconds * 100))
}

/// Sends the March 2019 digest to `count` invented members through the
/// server started by `server` + port; messages a second, median of 3.
func sendRate(digest: String, repo: String, count: Int, server: [String]) throws -> (rate: Double, seconds: Double) {
    let data = try PersonaliseBench.makeData(repo: repo, count: count)
    defer { PersonaliseBench.removeData(data) }
    let port = 20000 + Int.random(in: 0..<20000)
    let yaml = try String(contentsOfFile: data + "/coalition.yaml", encoding: .utf8)
    try (yaml + "  smtp:\n    host: 127.0.0.1\n    port: \(port)\n    security: none\n    connections: 1\n")
        .write(toFile: data + "/coalition.yaml", atomically: true, encoding: .utf8)
    let relay = try start(server[0], Array(server.dropFirst()) + ["\(port)"])
    defer { stop(relay) }
    waitUntilListening(port, seconds: 10)
    var times: [Double] = []
    for attempt in 0..<3 {
        let out = NSTemporaryDirectory() + "digest-bench-send-\(getpid())-\(attempt)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        // The ledger lives in the state folder beside the data: each
        // attempt starts the month afresh.
        try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent + "/state")
        let result = try run(
            digest, ["send", "--month", "2019-03", "--data", data, "--templates", repo + "/templates", "--out", out])
        times.append(result.seconds)
    }
    let seconds = median(times)
    return (Double(count) / seconds, seconds)
}

/// The ledger's writes for `count` messages, as a send makes them: the
/// rows added, then each marked sent in its own committed transaction.
func ledgerChild(path: String, count: Int) throws {
    try? FileManager.default.removeItem(atPath: path)
    let start = Date()
    let ledger = try SendLedger(path: path)
    let rows = (0..<count).map { ("m\($0)@example.org", "m\($0)@example.org", $0 + 2, "id\($0)@example.org") }
    try ledger.add(rows, now: 0)
    var checkpoint = Date()
    for row in rows {
        try ledger.markSent(row.0, reply: "250 2.0.0 Ok: queued as ABC", now: 1)
        if Date().timeIntervalSince(checkpoint) >= 1 {
            try ledger.checkpoint()
            checkpoint = Date()
        }
    }
    try ledger.checkpoint()
    print(String(format: "%.4f", Date().timeIntervalSince(start)))
}

enum Socket {
    static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// The languages' cost: 100,000 personal messages, a third each in
/// English, French and Spanish; one month rendered in three languages
/// beside one.
func languagesBench(digest: String, repo: String, members: Int, me: String, english: Double) throws {
    let data = try PersonaliseBench.makeData(repo: repo, count: members, languages: true)
    defer { PersonaliseBench.removeData(data) }
    var runs: [(Double, Double)] = []
    for _ in 0..<3 {
        let result = try run(me, ["personalise-child", data, repo + "/templates", "2019-06", "all"])
        runs.append((result.seconds, result.peakMiB))
    }
    print("Languages")
    print(
        String(
            format: "  %-44@ %6.2f s  %7.1f MiB peak   (English alone: %.2f s)   goal < 5 s, < 200 MB",
            "\(members) personal messages, a third each en/fr/es" as NSString, median(runs.map(\.0)),
            median(runs.map(\.1)), english))
    let out = NSTemporaryDirectory() + "digest-bench-languages-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: out) }
    var one: [Double] = []
    var three: [Double] = []
    for _ in 0..<11 {
        one.append(try run(digest, ["render", "--month", "2019-06", "--out", out], directory: repo).seconds)
        three.append(
            try run(digest, ["render", "--month", "2019-06", "--all-languages", "--out", out], directory: repo).seconds)
    }
    let ratio = median(three) / max(median(one), 1e-9)
    print(
        String(
            format: "  %-44@ %6.1f ms  (one language: %.1f ms) = %.2f×   goal ≤ 1.5×",
            "one month in three languages, whole process" as NSString, median(three) * 1000, median(one) * 1000,
            ratio))
}
