import DigestModel
import Foundation
import Wording

/// "From your country": what a month's digest holds about one country.
///
/// Made from the same view model the digest shows, so the block never says
/// more than the digest: the calls whose countries include it, its
/// Voluntary National Review in the digest's VNR year, and commitments made
/// there this month. Items are plain sentences without links, so the
/// plain-text layout never numbers a reference inside the block.
public struct CountryNews: Codable, Sendable, Equatable {
    /// The country's name, as the digest writes it.
    public var country: String
    /// The country's ISO 3166 alpha-2 code.
    public var code: String
    /// One sentence each, in the digest's order: calls, VNR, commitments.
    public var items: [String]
    /// The block's heading: "From your country: Guatemala".
    public var headingText = ""

    /// The news for every country the digest mentions, keyed by alpha-2 code;
    /// a country with nothing in the period has no entry.
    public static func all(in view: DigestView, words: Words) -> [String: CountryNews] {
        var news: [String: CountryNews] = [:]
        func add(_ code: String, _ name: String, _ item: String) {
            news[
                code,
                default: CountryNews(
                    country: name, code: code, items: [], headingText: words.text("news.heading", ["country": name]))
            ].items.append(item)
        }
        for call in view.calls where !call.isCancelled {
            for country in call.countries {
                add(
                    country.code, country.name,
                    words.text("news.on_call", ["country": country.name, "date": call.dateText]))
            }
        }
        for review in view.vnr.reviews {
            let values = ["country": review.country, "year": String(review.year)]
            var item = words.text("news.vnr", values)
            // One sentence, what the coalition does as a list of words in
            // it: "…in 2019, and the coalition is involved: shadow report."
            let parts = (review.engaged ? review.engagement ?? "" : "").split(separator: ";")
                .map { inSentence($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
            if !parts.isEmpty {
                item = words.text("news.vnr.engaged", values.merging(["parts": words.list(parts)]) { $1 })
            }
            add(review.code, review.country, item)
        }
        for commitment in view.commitments.new {
            guard let code = commitment.countryCode, let name = commitment.country else { continue }
            add(
                code, name,
                words.text(
                    "news.commitment",
                    ["title": commitment.title, "framework": commitment.framework, "status": commitment.status]))
        }
        return news
    }

    /// `text` as it reads inside a sentence: its first letter in lower
    /// case ("Shadow report" becomes "shadow report"), unless the first word
    /// is an acronym or a name in capitals ("VNR workshop", "SDG 16").
    static func inSentence(_ text: String) -> String {
        let first = text.prefix { !$0.isWhitespace }
        guard let letter = first.first, letter.isUppercase,
            !first.dropFirst().contains(where: \.isUppercase)
        else { return text }
        return letter.lowercased() + text.dropFirst()
    }
}
