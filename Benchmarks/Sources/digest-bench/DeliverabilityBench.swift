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
