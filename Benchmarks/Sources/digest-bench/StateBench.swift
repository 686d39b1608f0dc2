import CoalitionData
import DigestMailing
import DigestRender
import DigestSend
import Foundation

/// `--state-only` (issue 21): starting a send for 100,000 members (time to
/// the first message at the relay, peak memory), `digest serve` under
/// one-click POSTs from `wrk`, and `digest bounces read` on 10,000
/// delivery reports beside flufl.bounce reading the same files.
enum StateBench {
    static let secret = "a benchmark secret of some length"

    /// Runs the three, or only `only` (`send`, `serve`, `bounces`).
    static func all(digest: String, repo: String, members: Int, only: String?) throws {
        setenv("DIGEST_UNSUBSCRIBE_SECRET", secret, 1)
        let python = which("python3") ?? "/usr/bin/python3"
        if only == nil || only == "send" {
            try sendStart(digest: digest, repo: repo, python: python, members: members)
            // Issue 32: the ledger in a folder and in PostgreSQL, side by side.
            for place in StatePlaces.all(repo: repo) {
                try StatePlaces.with(place) {
                    try sendStart(digest: digest, repo: repo, python: python, members: 20_000, place: place.label)
                }
            }
        }
        if only == nil || only == "serve" {
            for place in StatePlaces.all(repo: repo) {
                try StatePlaces.with(place) {
                    try serve(digest: digest, repo: repo, members: members, place: place.label)
                }
            }
        }
        if only == nil || only == "bounces" {
            try bounces(digest: digest, repo: repo, python: python, reports: 10_000)
        }
    }

    /// Removes a benchmark's data folder, unless DIGEST_BENCH_KEEP is set
    /// (to profile the same files afterwards).
    static func remove(_ data: String) {
        if ProcessInfo.processInfo.environment["DIGEST_BENCH_KEEP"] != nil {
            print("  (kept \(data))")
            return
        }
        PersonaliseBench.removeData(data)
    }

    /// The members' tokens and tags, made as `digest` makes them.
    static func tokens(data: String) throws -> (MemberTokens, [Member]) {
        let dataset = try PersonaliseBench.unwrap(DataFolder.load(path: data).dataset, "the data has errors")
        let members = try PersonaliseBench.unwrap(
            MemberList.load(path: data + "/members.csv").members, "members.csv has errors")
        let listID = try PersonaliseBench.unwrap(DigestMail.listIdentifier(dataset.coalition), "no mail settings")
        return (MemberTokens(secret: try UnsubscribeSecret(text: secret), listID: listID), members)
    }

    // MARK: Send: the first message

    @discardableResult
    static func sendStart(
        digest: String, repo: String, python: String, members: Int, place: String = "SQLite (state folder)",
        dkim: String = "", label: String? = nil
    ) throws -> Double {
        let data = try PersonaliseBench.makeData(repo: repo, count: members)
        defer { remove(data) }
        let port = 20000 + Int.random(in: 0..<20000)
        let yaml = try String(contentsOfFile: data + "/coalition.yaml", encoding: .utf8)
        try (yaml + "  smtp:\n    host: 127.0.0.1\n    port: \(port)\n    security: none\n" + dkim)
            .write(toFile: data + "/coalition.yaml", atomically: true, encoding: .utf8)
        let stamp = NSTemporaryDirectory() + "digest-bench-first-\(getpid())"
        setenv("SINK_FIRST", stamp, 1)
        defer { unsetenv("SINK_FIRST") }
        let sink = try start(python, [repo + "/Benchmarks/peer/smtp_sink.py", "\(port)"])
        defer { stop(sink) }
        waitUntilListening(port, seconds: 10)
        try? FileManager.default.removeItem(atPath: stamp)
        let out = (data as NSString).deletingLastPathComponent + "/output"
        let began = Date().timeIntervalSince1970
        let result = try run(
            digest, ["send", "--month", "2019-03", "--data", data, "--templates", repo + "/templates", "--out", out])
        let first = (try? String(contentsOfFile: stamp, encoding: .utf8)).flatMap(Double.init) ?? .nan
        try? FileManager.default.removeItem(atPath: stamp)
        print(
            label
                ?? "digest send to \(members) members, whole process, to the fast sink (smtp_sink.py); state: \(place)")
        print(
            String(
                format: "  first message at the relay %6.2f s   whole send %6.1f s (%4.0f a second)   %6.1f MiB peak"
                    + "   goal: first < 1 s, < 200 MB",
                first - began, result.seconds, Double(members) / result.seconds, result.peakMiB))
        print("")
        return Double(members) / result.seconds
    }

    // MARK: Serve: one-click POSTs

    static func serve(digest: String, repo: String, members: Int, place: String = "SQLite (state folder)") throws {
        guard let wrk = which("wrk") else {
            print("digest serve: install wrk (apt-get install wrk) to measure")
            print("")
            return
        }
        let data = try PersonaliseBench.makeData(repo: repo, count: members)
        defer { remove(data) }
        let (tokens, list) = try Self.tokens(data: data)
        let folder = (data as NSString).deletingLastPathComponent
        let tokenFile = folder + "/tokens.txt"
        try list.map { tokens.unsubscribeToken(for: $0) }.joined(separator: "\n")
            .write(toFile: tokenFile, atomically: true, encoding: .utf8)
        // Each request a member's one-click POST through the proxy, from a
        // client address of its own (the limiter sees 100,000 clients).
        let script = folder + "/one-click.lua"
        try """
        local tokens = {}
        for line in io.lines("\(tokenFile)") do tokens[#tokens + 1] = line end
        local counter = 0
        request = function()
          counter = counter + 1
          local i = (counter % #tokens) + 1
          local headers = {}
          headers["Content-Type"] = "application/x-www-form-urlencoded"
          headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(i / 65536) % 256, math.floor(i / 256) % 256, i % 256)
          return wrk.format("POST", "/unsubscribe?m=" .. tokens[i], headers, "List-Unsubscribe=One-Click")
        end
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let port = 20000 + Int.random(in: 0..<20000)
        let server = try start(
            digest,
            [
                "serve", "--port", "\(port)", "--data", data, "--templates", repo + "/templates", "--quiet",
                "--trusted-proxy", "127.0.0.1", "--rate", "10",
            ])
        defer { stop(server) }
        waitUntilListening(port, seconds: 20)
        let result = try run(
            wrk, ["-t1", "-c32", "-d10s", "--latency", "-s", script, "http://127.0.0.1:\(port)"])
        let peak = peakOf(server)
        let text = result.output
        let rate = value(in: text, after: "Requests/sec:") ?? 0
        let p50 = latency(in: text, percentile: "50%")
        let p99 = latency(in: text, percentile: "99%")
        let errors = text.contains("Non-2xx") ? "  (some answers were not 200: \(text))" : ""
        let status = try run(digest, ["members", "status", "--data", data]).output
        let suppressedLine = status.split(separator: "\n").first { $0.contains("uppress") }.map(String.init) ?? ""
        print(
            "digest serve, \(members) members: one-click POSTs from wrk (1 thread, 32 connections, 10 s), loopback;"
                + " state: \(place)")
        print(
            String(
                format: "  %6.0f POSTs a second   p50 %5.2f ms   p99 %5.2f ms   %6.1f MiB peak"
                    + "   goal ≥ 2,000 a second, p99 < 50 ms, < 150 MB%@",
                rate, p50, p99, peak, errors as NSString))
        print("  after: \(suppressedLine.trimmingCharacters(in: .whitespaces))")
        print("")
    }

    /// A process's peak resident memory (VmHWM) in MiB, while it runs.
    static func peakOf(_ pid: pid_t) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return .nan }
        return kib / 1024
    }

    static func value(in text: String, after label: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        return Double(text[range.upperBound...].split(separator: "\n")[0].trimmingCharacters(in: .whitespaces))
    }

    /// wrk's latency line (`99%   12.34ms`) in milliseconds.
    static func latency(in text: String, percentile: String) -> Double {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count == 2, words[0] == percentile else { continue }
            let figure = String(words[1])
            for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where figure.hasSuffix(suffix) {
                return (Double(figure.dropLast(suffix.count)) ?? .nan) * scale
            }
        }
        return .nan
    }

    // MARK: Bounces

    static func bounces(digest: String, repo: String, python: String, reports: Int) throws {
        let data = try PersonaliseBench.makeData(repo: repo, count: reports)
        defer { remove(data) }
        let yaml = try String(contentsOfFile: data + "/coalition.yaml", encoding: .utf8)
        try yaml.replacingOccurrences(of: "\nmail:\n", with: "\nmail:\n  bounces: bounces@lists.test\n")
            .write(toFile: data + "/coalition.yaml", atomically: true, encoding: .utf8)
        let (tokens, list) = try Self.tokens(data: data)
        let folder = (data as NSString).deletingLastPathComponent
        let maildir = folder + "/Maildir"
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
        }
        let template = try String(contentsOfFile: repo + "/Tests/Fixtures/bounces/postfix.eml", encoding: .utf8)
        for (index, member) in list.prefix(reports).enumerated() {
            let verp = "bounces+2019-03.\(tokens.bounceTag(for: member, month: "2019-03"))@lists.test"
            let id = "digest-2019-03.\(tokens.messageTag(for: member, month: "2019-03")).justice-for-all@lists.test"
            let text = template.replacingOccurrences(of: "{ADDRESS}", with: member.email)
                .replacingOccurrences(of: "{VERP}", with: verp).replacingOccurrences(of: "{MESSAGE_ID}", with: id)
            try text.write(
                toFile: maildir + "/new/\(1_700_000_000 + index).M\(index).bench", atomically: false, encoding: .utf8)
        }
        // Reports are attributed only to messages the ledger says were sent.
        try sentLedger(folder: folder, data: data, tokens: tokens, members: list)
        var times: [Double] = []
        var peak = 0.0
        var summary = ""
        for _ in 0..<3 {
            removeSuppressions(folder: folder)
            let result = try run(digest, ["bounces", "read", maildir, "--data", data])
            times.append(result.seconds)
            peak = max(peak, result.peakMiB)
            summary = result.output.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
        }
        let again = try run(digest, ["bounces", "read", maildir, "--data", data])
        let peer = try run(python, [repo + "/Benchmarks/peer/bounces_peer.py", maildir])
        print(
            "digest bounces read: \(reports) Postfix delivery reports in a Maildir, read, attributed and applied (median of 3)"
        )
        print(
            String(
                format: "  Coalition Digest %6.2f s   %6.1f MiB peak   read again (nothing new) %6.2f s   goal < 5 s",
                median(times), peak, again.seconds))
        print("  \(summary)")
        print(
            String(
                format: "  flufl.bounce (peer), the same files, parse only: %6.2f s  (%@)", peer.seconds,
                peer.output.trimmingCharacters(in: .whitespacesAndNewlines) as NSString))
        print("")
        try mbox(digest: digest, data: data, folder: folder, template: template, tokens: tokens, members: list)
    }

    /// A ledger of 2019-03 in which every member's message was sent, where
    /// `digest send` keeps it (`state/sends/<list id>/2019-03.sqlite`).
    static func sentLedger(folder: String, data: String, tokens: MemberTokens, members: [Member]) throws {
        let directory = folder + "/state/sends/" + tokens.listID
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/2019-03.sqlite"
        let ledger = try SendLedger(path: path, list: tokens.listID)
        let now = Date().timeIntervalSince1970
        try ledger.add(
            members.enumerated().map { index, member in
                (
                    key: member.key, address: member.email, line: index + 2,
                    messageID:
                        "digest-2019-03.\(tokens.messageTag(for: member, month: "2019-03")).justice-for-all@lists.test"
                )
            }, now: now)
        for member in members { try ledger.markSent(member.key, reply: "250 2.0.0 Ok: queued", now: now) }
        try ledger.checkpoint()
    }

    /// Removes the suppression list (and its journal files), keeping the ledgers.
    static func removeSuppressions(folder: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: folder + "/state/suppressions.sqlite" + suffix)
        }
    }

    /// `digest bounces read` on one mbox of about 400 MB: the members'
    /// reports over and over (each a hard bounce), streamed, so the peak
    /// memory stays near the Maildir's however long the file is.
    static func mbox(
        digest: String, data: String, folder: String, template: String, tokens: MemberTokens, members: [Member]
    ) throws {
        let path = folder + "/big.mbox"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try PersonaliseBench.unwrap(FileHandle(forWritingAtPath: path), "cannot write \(path)")
        let target = 400 * 1024 * 1024
        var written = 0
        var reports = 0
        var chunk = ""
        while written < target {
            let member = members[reports % members.count]
            let verp = "bounces+2019-03.\(tokens.bounceTag(for: member, month: "2019-03"))@lists.test"
            let id = "digest-2019-03.\(tokens.messageTag(for: member, month: "2019-03")).justice-for-all@lists.test"
            let text = template.replacingOccurrences(of: "{ADDRESS}", with: member.email)
                .replacingOccurrences(of: "{VERP}", with: verp).replacingOccurrences(of: "{MESSAGE_ID}", with: id)
            chunk += "From MAILER-DAEMON Mon Nov 30 05:58:39 2026\n" + text + "\n"
            reports += 1
            if chunk.utf8.count > 4 * 1024 * 1024 || written + chunk.utf8.count >= target {
                written += chunk.utf8.count
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        removeSuppressions(folder: folder)
        let result = try run(digest, ["bounces", "read", path, "--data", data])
        let summary = result.output.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
        print(
            "digest bounces read: one mbox of \(written / 1024 / 1024) MiB, \(reports) Postfix delivery reports, streamed"
        )
        print(
            String(
                format: "  Coalition Digest %6.1f s   %6.1f MiB peak   (%4.0f reports a second)   goal: < 100 MB",
                result.seconds, result.peakMiB, Double(reports) / result.seconds))
        print("  \(summary)")
        print("")
    }
}
