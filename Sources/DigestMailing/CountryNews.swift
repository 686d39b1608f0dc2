import DigestModel
import Foundation
import Wording

/// "Your country": what a month's digest holds about one country.
///
/// Made from the same view model the digest shows, so the block never says
/// more than the digest: the calls whose countries include it, its
/// Voluntary National Review in the digest's VNR year, commitments made
/// there this month and events coming up there. The heading names the
/// country once ("Votre pays : Rwanda"); each item is a sentence without
/// it. In the HTML an item links to where the digest (or the web) says
/// more; the plain text has no links in the block, so the layout never
/// numbers a reference that only some members' copies hold.
public struct CountryNews: Codable, Sendable, Equatable {
    /// One sentence, and where to read more.
    public struct Item: Codable, Sendable, Equatable {
        /// The sentence.
        public var text: String
        /// Where the HTML links it: a section of the digest (`#vnr`,
        /// `#commitments`) or the event's or commitment's own page; null
        /// for none.
        public var href: String?
        /// The link's words ("Commitments", "Details").
        public var linkText: String?
    }

    /// The country's name, as the digest writes it.
    public var country: String
    /// The country's ISO 3166 alpha-2 code.
    public var code: String
    /// In the digest's order: calls, VNR, commitments, events.
    public var items: [Item]
    /// The block's heading: "Your country: Guatemala".
    public var headingText = ""

    /// The news for every country the digest mentions, keyed by alpha-2 code;
    /// a country with nothing in the period has no entry.
    public static func all(in view: DigestView, words: Words) -> [String: CountryNews] {
        var news: [String: CountryNews] = [:]
        func add(_ code: String, _ name: String, _ item: Item) {
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
                    Item(
                        text: words.text("news.on_call", ["date": call.dateText]), href: "#call-\(call.date)",
                        linkText: words.text("news.link.call")))
            }
        }
        for review in view.vnr.reviews {
            let values = ["year": String(review.year)]
            var text = words.text("news.vnr", values)
            // One sentence, what the coalition does as a list of words in
            // it: "…in 2019; the coalition is involved: shadow report."
            let parts = (review.engaged ? review.engagement ?? "" : "").split(separator: ";")
                .map { inSentence($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
            if !parts.isEmpty {
                text = words.text("news.vnr.engaged", values.merging(["parts": words.list(parts)]) { $1 })
            }
            add(review.code, review.country, Item(text: text, href: "#vnr", linkText: words.text("news.link.vnr")))
        }
        for commitment in view.commitments.new {
            guard let code = commitment.countryCode, let name = commitment.country else { continue }
            add(
                code, name,
                Item(
                    text: words.text(
                        "news.commitment",
                        ["title": commitment.title, "framework": commitment.framework, "status": commitment.status]),
                    href: commitment.url ?? "#commitments", linkText: words.text("news.link.commitments")))
        }
        for event in view.events {
            guard let code = event.countryCode, let name = event.country else { continue }
            // Under the country's heading, the place without the country: "New York".
            var place = event.location
            if place == name {
                place = nil
            } else if let whole = place, whole.hasSuffix(", " + name) {
                place = String(whole.dropLast(name.count + 2))
            }
            add(
                code, name,
                Item(
                    text: words.text(
                        place.map { _ in "news.event.place" } ?? "news.event",
                        ["dates": event.datesText, "title": event.title, "place": place ?? ""]),
                    href: event.url ?? "#events", linkText: words.text("news.link.event")))
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
