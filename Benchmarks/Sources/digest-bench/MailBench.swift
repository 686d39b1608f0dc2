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
    defer { try? FileManager.default.removeItem(atPath: data) }
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

    // 2. Sending to a loopback relay, with the ledger.
    try sendBench(digest: digest, repo: repo, python: python, me: me)
}

func sendBench(digest: String, repo: String, python: String, me: String) throws {
    let count = 3000
    let data = try PersonaliseBench.makeData(repo: repo, count: count)
    let out = NSTemporaryDirectory() + "digest-bench-send-\(getpid())"
    defer {
        try? FileManager.default.removeItem(atPath: data)
        try? FileManager.default.removeItem(atPath: out)
    }
    let port = 20000 + Int(getpid() % 20000)
    let yaml = try String(contentsOfFile: data + "/coalition.yaml", encoding: .utf8)
    try (yaml + "  smtp:\n    host: 127.0.0.1\n    port: \(port)\n    security: none\n")
        .write(toFile: data + "/coalition.yaml", atomically: true, encoding: .utf8)
    let relay = try start(python, [repo + "/Tests/python/relay.py", "--port", "\(port)"])
    defer {
        kill(relay, SIGTERM)
        var status: Int32 = 0
        waitpid(relay, &status, 0)
    }
    // Wait until the relay listens.
    for _ in 0..<100 {
        let socket = Socket.canConnect(port: port)
        if socket { break }
        usleep(50_000)
    }
    setenv("DIGEST_UNSUBSCRIBE_SECRET", "a benchmark secret of some length", 1)
    let result = try run(
        digest, ["send", "--month", "2019-03", "--data", data, "--templates", repo + "/templates", "--out", out])
    let rate = Double(count) / result.seconds
    let ledger = try run(me, ["ledger-child", out + "/ledger-only.sqlite", "\(count)"])
    let ledgerSeconds = Double(ledger.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    print("digest send: \(count) members to aiosmtpd on loopback, one connection, ledger on (whole process)")
    print(
        String(
            format: "  %-28@ %8.2f s  %6.0f messages a second   goal ≥ 500", "Coalition Digest" as NSString,
            result.seconds, rate))
    print(
        String(
            format: "  %-28@ %8.3f s  %5.1f%% of the send          goal < 10%%",
            "the ledger alone (same writes)" as NSString,
            ledgerSeconds, ledgerSeconds / result.seconds * 100))
}

/// The ledger's writes for `count` messages, as a send makes them: the
/// rows added, then each marked sent in its own committed transaction.
func ledgerChild(path: String, count: Int) throws {
    try? FileManager.default.removeItem(atPath: path)
    let start = Date()
    let ledger = try SendLedger(path: path)
    let rows = (0..<count).map { ("m\($0)@example.org", "m\($0)@example.org", $0 + 2, "id\($0)@example.org") }
    try ledger.add(rows, now: 0)
    for row in rows {
        _ = try ledger.due(now: 0).first
        try ledger.markSent(row.0, reply: "250 2.0.0 Ok: queued as ABC", now: 1)
    }
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
