import Foundation

/// `--deliverability-only` (issue 33): a 20,000-member send unsigned and
/// signed with RSA-2048, Ed25519 and both (goal: 1,000 a second signed).
enum DeliverabilityBench {
    static func all(digest: String, repo: String, members: Int) throws {
        setenv("DIGEST_UNSUBSCRIBE_SECRET", StateBench.secret, 1)
        let python = which("python3") ?? "/usr/bin/python3"
        let keys = NSTemporaryDirectory() + "digest-bench-keys-\(getpid())"
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keys) }
        let openssl = which("openssl") ?? "/usr/bin/openssl"
        _ = try run(
            openssl, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keys + "/rsa.pem"])
        _ = try run(openssl, ["genpkey", "-algorithm", "ed25519", "-out", keys + "/ed.pem"])
        chmod(keys + "/rsa.pem", 0o600)
        chmod(keys + "/ed.pem", 0o600)
        func line(_ selector: String, _ file: String) -> String {
            "    - {domain: justiceforall2030.org, selector: \(selector), key_file: \(keys)/\(file)}\n"
        }
        let cases: [(String, String)] = [
            ("unsigned", ""),
            ("RSA-2048", "  dkim:\n" + line("rsa", "rsa.pem")),
            ("Ed25519", "  dkim:\n" + line("ed", "ed.pem")),
            ("RSA-2048 and Ed25519", "  dkim:\n" + line("rsa", "rsa.pem") + line("ed", "ed.pem")),
        ]
        var rates: [(String, Double)] = []
        for (name, yaml) in cases {
            let rate = try StateBench.sendStart(
                digest: digest, repo: repo, python: python, members: members, dkim: yaml,
                label: "digest send to \(members) members, \(name), to the fast sink (smtp_sink.py)")
            rates.append((name, rate))
        }
        print("DKIM: messages a second, \(members) members (goal: at least 1,000 signed)")
        for (name, rate) in rates {
            print(
                "  " + name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%6.0f a second", rate))
        }
        print("")
    }
}

extension DeliverabilityBench {
    /// `digest serve`'s webhook routes under wrk: signed SendGrid and SES
    /// (SNS) requests, one hard bounce each, a different member each
    /// (goal: at least 1,000 verified events a second).
    static func webhooks(digest: String, repo: String, members: Int) throws {
        guard let wrk = which("wrk") else {
            print("webhooks: install wrk (apt-get install wrk) to measure")
            return
        }
        setenv("DIGEST_UNSUBSCRIBE_SECRET", StateBench.secret, 1)
        let python = which("python3") ?? "/usr/bin/python3"
        let data = try PersonaliseBench.makeData(repo: repo, count: members)
        defer { StateBench.remove(data) }
        let folder = (data as NSString).deletingLastPathComponent
        let (_, list) = try StateBench.tokens(data: data)
        try list.map(\.email).joined(separator: "\n").write(
            toFile: folder + "/addresses.txt", atomically: true, encoding: .utf8)
        let certURL = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-bench.pem"
        let topic = "arn:aws:sns:eu-west-1:123456789012:digest-bench"
        _ = try run(
            python, [repo + "/Benchmarks/peer/webhook_requests.py", folder + "/addresses.txt", folder, certURL, topic])
        let key = try String(contentsOfFile: folder + "/sendgrid.key", encoding: .utf8)
        let yaml = try String(contentsOfFile: data + "/coalition.yaml", encoding: .utf8)
        try (yaml + "  webhooks:\n    ses: {topics: [\(topic)]}\n    sendgrid: {verification_key: \(key)}\n")
            .write(toFile: data + "/coalition.yaml", atomically: true, encoding: .utf8)
        // The certificate where digest keeps the one fetched from certURL.
        let state = folder + "/state/sns-certificates"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let hash = try String(contentsOfFile: folder + "/sns.hash", encoding: .utf8)
        try FileManager.default.copyItem(atPath: folder + "/sns.pem", toPath: state + "/\(hash).pem")
        let port = 20000 + Int.random(in: 0..<20000)
        let server = try start(
            digest, ["serve", "--port", "\(port)", "--data", data, "--templates", repo + "/templates", "--quiet"])
        defer { stop(server) }
        waitUntilListening(port, seconds: 20)
        print(
            "digest serve's webhooks, \(members) members: signed requests from wrk (1 thread, 16 connections: one client's limit, 10 s),"
        )
        print("one hard bounce a request, each a different member (verified, attributed, committed before the 200)")
        for (provider, file, split) in [("sendgrid", "sendgrid.txt", true), ("ses", "ses.txt", false)] {
            let script = folder + "/\(provider).lua"
            let parse =
                split
                ? """
                local signature, timestamp, body = line:match("([^\\t]*)\\t([^\\t]*)\\t(.*)")
                requests[#requests + 1] = {body, {["X-Twilio-Email-Event-Webhook-Signature"] = signature,
                  ["X-Twilio-Email-Event-Webhook-Timestamp"] = timestamp, ["Content-Type"] = "application/json"}}
                """
                : """
                requests[#requests + 1] = {line, {["Content-Type"] = "text/plain; charset=UTF-8"}}
                """
            try """
            requests = {}
            for line in io.lines("\(folder)/\(file)") do
            \(parse)
            end
            local counter = 0
            request = function()
              counter = counter + 1
              local r = requests[(counter % #requests) + 1]
              return wrk.format("POST", "/webhooks/\(provider)", r[2], r[1])
            end
            """.write(toFile: script, atomically: true, encoding: .utf8)
            let result = try run(wrk, ["-t1", "-c16", "-d10s", "--latency", "-s", script, "http://127.0.0.1:\(port)"])
            let text = result.output
            let rate = StateBench.value(in: text, after: "Requests/sec:") ?? 0
            let p99 = StateBench.latency(in: text, percentile: "99%")
            let errors = text.contains("Non-2xx") ? "  (some answers were not 200)" : ""
            print(
                "  " + provider.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + String(format: "%6.0f events a second   p99 %5.2f ms   goal ≥ 1,000", rate, p99) + errors)
        }
        print(String(format: "  digest serve's peak memory %6.1f MiB", StateBench.peakOf(server)))
        print("")
    }
}
