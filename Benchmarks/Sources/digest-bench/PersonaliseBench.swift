import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import DigestSend
import Foundation
import Wording

/// The personal-digest benchmark: 100,000 members, each message made whole
/// (bytes produced and checksummed, not written), in a child process so
/// the time and peak memory are the whole process's.
enum PersonaliseBench {
    static let countries = [
        "Kenya", "Nigeria", "South Africa", "Sierra Leone", "Indonesia", "Mongolia", "Guatemala", "Argentina",
        "Nepal", "India", "Philippines", "Pakistan", "Rwanda", "Malawi", "Uganda", "Ghana", "Mexico", "Colombia",
        "Brazil", "Peru", "United Kingdom", "Belgium", "Netherlands", "Ethiopia", "Egypt", "Bangladesh", "Liberia",
        "Tunisia", "Ukraine", "Canada",
    ]

    /// A copy of the sample data with `count` invented subscribed members,
    /// as `…/data` in a folder of its own (its state folder goes beside it;
    /// ``removeData(_:)`` removes both).
    /// With `languages`, a third of them read French and a third Spanish.
    static func makeData(repo: String, count: Int, languages: Bool = false) throws -> String {
        let root = NSTemporaryDirectory() + "digest-bench-members-\(getpid())-\(count)\(languages ? "-languages" : "")"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let folder = root + "/data"
        try FileManager.default.copyItem(atPath: repo + "/data", toPath: folder)
        var csv = "email,name,country,organisation,language,status,since\n"
        csv.reserveCapacity(count * 80)
        for index in 0..<count {
            csv += "member\(index)@example.org,Member Number \(index),\(countries[index % countries.count]),"
            csv += index % 3 == 0 ? "Legal Aid Clinic \(index % 97)" : ""
            csv += "," + (languages ? ["", "fr", "es"][index % 3] : "") + ",subscribed,2019-01-08\n"
        }
        try csv.write(toFile: folder + "/members.csv", atomically: true, encoding: .utf8)
        return folder
    }

    /// Removes a folder ``makeData(repo:count:)`` made, state and all.
    static func removeData(_ data: String) {
        try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent)
    }

    /// The child: load, prepare, make every message; prints
    /// `messages bytes checksum`.
    /// With `allLanguages`, an edition in each of the coalition's
    /// languages, as `digest send` prepares them; else English alone.
    static func child(data: String, templates: String, month: String, allLanguages: Bool = false) throws {
        let dataset = try unwrap(DataFolder.load(path: data).dataset, "the data has errors")
        let members = try unwrap(MemberList.load(path: data + "/members.csv").members, "members.csv has errors")
        let set = try TemplateSet(folder: templates)
        let digest = Digest(dataset: dataset, period: try Period(parsing: month))
        let secret = try UnsubscribeSecret(text: "a benchmark secret of some length")
        let personal: PersonalDigest
        if allLanguages {
            var renderers: [String: DigestRenderer] = [:]
            for language in dataset.coalition.languages {
                renderers[language] = DigestRenderer(
                    templates: set, words: try Words.load(folder: templates + "/words", language: language))
            }
            personal = try PersonalDigest(digest: digest, renderers: renderers, secret: secret)
        } else {
            let renderer = DigestRenderer(
                templates: set, words: try Words.load(folder: templates + "/words", language: "en"))
            personal = try PersonalDigest(digest: digest, renderer: renderer, secret: secret)
        }
        let subscribed = members.filter(\.receivesDigest)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let totals = Totals()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(128 * 1024)
            var bytes = 0
            var checksum: UInt64 = 0
            var index = worker
            while index < subscribed.count {
                buffer.removeAll(keepingCapacity: true)
                personal.write(subscribed[index], into: &buffer)
                bytes += buffer.count
                checksum = checksum &+ Checksum.of(buffer)
                index += workers
            }
            totals.add(bytes: bytes, checksum: checksum)
        }
        print("\(subscribed.count) \(totals.bytes) \(String(totals.checksum, radix: 16))")
    }

    static func unwrap<T>(_ value: T?, _ message: String) throws -> T {
        guard let value else { throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: message]) }
        return value
    }

    /// The templates the Python peer renders with Jinja2: the personal
    /// digest's text and HTML with `{{ greeting }}`, `{{ country_news }}`
    /// and `{{ token }}` where each member's parts go, the country blocks,
    /// and the headers every message shares.
    static func exportPeer(data: String, templates: String, month: String, to folder: String) throws {
        let dataset = try unwrap(DataFolder.load(path: data).dataset, "the data has errors")
        let renderer = DigestRenderer(
            templates: try TemplateSet(folder: templates),
            words: try Words.load(folder: templates + "/words", language: "en"))
        let digest = Digest(dataset: dataset, period: try Period(parsing: month))
        var view = try renderer.view(for: digest)
        let unsubscribe = view.coalition.unsubscribe ?? "https://example.org/unsubscribe"
        view.coalition.unsubscribe = unsubscribe + "?m={{ token }}"
        func personal(_ news: String) -> ViewValue {
            guard case .object(var object) = ViewValue(reflecting: view) else { return .null }
            object["personal"] = .object(["greeting": .string("{{ greeting }}"), "country_news": .string(news)])
            return .object(object)
        }
        let text = try renderer.text(personal("{{ country_news }}"))
        let html = try renderer.html(personal("{{ country_news }}"))
        var blocks: [String: [String: String]] = [:]
        for (_, news) in CountryNews.all(in: try renderer.view(for: digest), words: renderer.words) {
            let value = ViewValue(reflecting: news)
            blocks[news.country] = [
                "text": renderer.layout.layout(try renderer.textMarkup("country-news.txt", value)),
                "html": try renderer.page("html/country-news.html", value),
            ]
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: folder + "/digest.txt.j2", atomically: true, encoding: .utf8)
        try html.write(toFile: folder + "/digest.html.j2", atomically: true, encoding: .utf8)
        let shared: [String: Any] = [
            "from": dataset.coalition.mail?.from ?? "", "subject": view.subject, "month": month,
            "unsubscribe": unsubscribe, "blocks": blocks,
            "ics": CallInvitation.ics(for: digest, words: renderer.words) ?? "",
        ]
        try JSONSerialization.data(withJSONObject: shared, options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: folder + "/shared.json"))
    }
}

/// The workers' sums, added under a lock.
final class Totals: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var bytes = 0
    private(set) var checksum: UInt64 = 0

    func add(bytes: Int, checksum: UInt64) {
        lock.withLock {
            self.bytes += bytes
            self.checksum = self.checksum &+ checksum
        }
    }
}

/// A fast 64-bit checksum over 8-byte words (four lanes, multiply and
/// rotate): enough to prove every byte was produced, not a security hash.
enum Checksum {
    static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { raw -> UInt64 in
            let words = raw.count / 8
            var lanes: (UInt64, UInt64, UInt64, UInt64) = (1, 2, 3, 4)
            let prime: UInt64 = 0x9E37_79B9_7F4A_7C15
            var index = 0
            while index + 4 <= words {
                lanes.0 = (lanes.0 ^ raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) &* prime
                lanes.1 = (lanes.1 ^ raw.loadUnaligned(fromByteOffset: index * 8 + 8, as: UInt64.self)) &* prime
                lanes.2 = (lanes.2 ^ raw.loadUnaligned(fromByteOffset: index * 8 + 16, as: UInt64.self)) &* prime
                lanes.3 = (lanes.3 ^ raw.loadUnaligned(fromByteOffset: index * 8 + 24, as: UInt64.self)) &* prime
                index += 4
            }
            var hash =
                lanes.0 ^ (lanes.1 << 1 | lanes.1 >> 63) ^ (lanes.2 << 2 | lanes.2 >> 62)
                ^ (lanes.3 << 3 | lanes.3 >> 61)
            for offset in (index * 8)..<raw.count { hash = (hash ^ UInt64(raw[offset])) &* prime }
            return hash ^ UInt64(raw.count)
        }
    }
}
