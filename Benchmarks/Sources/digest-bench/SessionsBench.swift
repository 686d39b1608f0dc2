import Foundation

/// Issue 35's figures, side by side in one run: `digest send` over one
/// session and over several to a relay that waits 25 ms before each reply
/// (a provider a network's distance away), and to Postfix's `smtp-sink` on
/// loopback beside Postfix's own `smtp-source` with as many sessions and
/// messages of the same size; the send's peak memory.
enum SessionsBench {
    static func all(digest: String, repo: String, python: String, me: String) throws {
        setenv("DIGEST_UNSUBSCRIBE_SECRET", "a benchmark secret of some length", 1)
        let sink = [python, repo + "/Benchmarks/peer/smtp_sink.py"]
        print("digest send over several SMTP sessions (whole process; the ledger on)")

        // 1. A relay 25 ms away: every reply waits 25 ms.
        setenv("SINK_DELAY", "0.025", 1)
        let one = try send(digest: digest, repo: repo, members: 400, sessions: 1, server: sink)
        let sixteen = try send(digest: digest, repo: repo, members: 5_000, sessions: 16, server: sink)
        unsetenv("SINK_DELAY")
        print("  a relay that waits 25 ms before each reply (smtp_sink.py, SINK_DELAY=0.025)")
        print(
            String(
                format: "    %@ %7.1f messages a second  (%d members, %.1f s)", pad("1 session"), one.rate,
                400, one.seconds))
        print(
            String(
                format:
                    "    %@ %7.1f messages a second  (%d members, %.1f s, %.0f MiB peak)   %.1f× one session; goal ≥ 100",
                pad("16 sessions"), sixteen.rate, 5_000, sixteen.seconds, sixteen.peakMiB,
                sixteen.rate / max(one.rate, 1e-9)))

        // 2. Postfix's smtp-sink on loopback, beside smtp-source.
        guard let smtpSink = which("smtp-sink") ?? existing("/usr/sbin/smtp-sink"),
            let smtpSource = which("smtp-source") ?? existing("/usr/sbin/smtp-source")
        else {
            print("  (Postfix's smtp-sink and smtp-source are not installed: apt-get install postfix)")
            return
        }
        let members = 20_000
        let sessions = 8
        let data = try PersonaliseBench.makeData(repo: repo, count: members)
        defer { PersonaliseBench.removeData(data) }
        let made = try run(me, ["personalise-child", data, repo + "/templates", "2019-03"]).output.split(separator: " ")
        let size = made.count > 1 ? Int((Double(made[1]) ?? 33_000) / Double(members)) : 33_000
        let port = 20000 + Int.random(in: 0..<20000)
        var sinkArguments = ["127.0.0.1:\(port)", "256"]
        if getuid() == 0 { sinkArguments = ["-u", "nobody"] + sinkArguments }
        let postfix = try start(smtpSink, sinkArguments)
        defer { stop(postfix) }
        waitUntilListening(port, seconds: 10)
        var source: [Double] = []
        var ours: [(seconds: Double, peakMiB: Double)] = []
        for _ in 0..<3 {
            source.append(
                try run(
                    smtpSource,
                    [
                        "-s", "\(sessions)", "-m", "\(members)", "-l", "\(size)", "-f", "bench@example.org", "-t",
                        "sink@example.org", "127.0.0.1:\(port)",
                    ]
                ).seconds)
            let sent = try send(digest: digest, data: data, repo: repo, sessions: sessions, port: port)
            ours.append((sent.seconds, sent.peakMiB))
        }
        let sourceRate = Double(members) / median(source)
        let ourRate = Double(members) / median(ours.map(\.seconds))
        print(
            "  Postfix's smtp-sink on loopback, \(members) messages of \(size / 1000) KB, \(sessions) sessions (median of 3)"
        )
        print(
            String(
                format: "    %@ %7.0f messages a second  (%.1f s)", pad("smtp-source (Postfix)"),
                sourceRate, median(source)))
        print(
            String(
                format:
                    "    %@ %7.0f messages a second  (%.1f s, %.0f MiB peak)   %.0f%% of smtp-source; goal ≥ 80%%, < 150 MB",
                pad("digest send"), ourRate, median(ours.map(\.seconds)), median(ours.map(\.peakMiB)),
                ourRate / max(sourceRate, 1e-9) * 100))
    }

    /// `label` padded to the width of the column.
    static func pad(_ label: String) -> NSString {
        label.padding(toLength: 22, withPad: " ", startingAt: 0) as NSString
    }

    static func existing(_ path: String) -> String? {
        FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Sends March 2019 to `members` invented members over `sessions`
    /// sessions through the server `server` + port starts; one run.
    static func send(digest: String, repo: String, members: Int, sessions: Int, server: [String]) throws -> (
        rate: Double, seconds: Double, peakMiB: Double
    ) {
        let data = try PersonaliseBench.makeData(repo: repo, count: members)
        defer { PersonaliseBench.removeData(data) }
        let port = 20000 + Int.random(in: 0..<20000)
        let relay = try start(server[0], Array(server.dropFirst()) + ["\(port)"])
        defer { stop(relay) }
        waitUntilListening(port, seconds: 10)
        let result = try send(digest: digest, data: data, repo: repo, sessions: sessions, port: port)
        return (Double(members) / result.seconds, result.seconds, result.peakMiB)
    }

    /// One `digest send` of `data` to 127.0.0.1:`port` over `sessions`
    /// sessions, the month's ledger started afresh.
    static func send(digest: String, data: String, repo: String, sessions: Int, port: Int) throws -> (
        seconds: Double, peakMiB: Double
    ) {
        let yaml = data + "/coalition.yaml"
        var text = try String(contentsOfFile: yaml, encoding: .utf8)
        if let smtp = text.range(of: "\n  smtp:\n") { text = String(text[..<smtp.lowerBound]) + "\n" }
        text += "  smtp:\n    host: 127.0.0.1\n    port: \(port)\n    security: none\n    connections: \(sessions)\n"
        try text.write(toFile: yaml, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent + "/state")
        let out = NSTemporaryDirectory() + "digest-bench-sessions-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try run(
            digest, ["send", "--month", "2019-03", "--data", data, "--templates", repo + "/templates", "--out", out])
        return (result.seconds, result.peakMiB)
    }
}
