import CoalitionData
import Wording

extension DigestView {
    static func commitmentsView(_ summary: CommitmentSummary, frameworkNames: [String: String], words: Words)
        -> CommitmentsView
    {
        func tallies(_ list: [Tally], _ name: (String) -> String) -> [TallyView] {
            list.map { TallyView(code: $0.name, name: name($0.name), count: $0.count) }
        }
        /// A scope's code in words: the country's name, the region's, or "Global".
        func scopeName(_ code: String) -> String {
            if code == Commitment.globalScope { return words.value("scope", "Global") }
            if let country = summary.byCountryCode[code] { return words.regionName(code: code, english: country) }
            return words.regionName(code)
        }
        return CommitmentsView(
            new: summary.new.map {
                CommitmentView(
                    date: $0.date.description, dateText: words.date($0.date),
                    country: $0.country.map { words.regionName(code: $0.alpha2, english: $0.name) },
                    countryCode: $0.country?.alpha2, region: $0.region,
                    scope: $0.country.map { words.regionName(code: $0.alpha2, english: $0.name) }
                        ?? $0.region.map { words.regionName($0) } ?? words.value("scope", "Global"),
                    actor: words.value("actor", $0.actor.rawValue),
                    framework: (frameworkNames[$0.framework] ?? $0.framework).oneLine, title: $0.title.oneLine,
                    status: words.value("status", $0.status.rawValue), url: $0.url, frameworkCode: $0.framework)
            },
            newCount: summary.new.count, hasNew: !summary.new.isEmpty, total: summary.total,
            newCountText: words.count("commitments.new_count", summary.new.count),
            totalText: words.count("commitments.total", summary.total),
            byFramework: tallies(summary.byFramework) { frameworkNames[$0] ?? $0 },
            byActor: tallies(summary.byActor) { words.value("actor", $0) },
            byCountry: tallies(summary.byCountry, scopeName),
            byStatus: tallies(summary.byStatus) { words.value("status", $0) })
    }

    static func vnrView(_ summary: VNRSummary, lastYear: Int, words: Words) -> VNRView {
        let years = summary.years.map(String.init).joined(separator: "–")
        let text: String
        let engaged = words.number(summary.engagedCount)
        if summary.count == 0 {
            text = words.text("vnr.none", ["years": years])
        } else if let presenting = summary.presenting {
            // "follows 9 of them and engaged with 9" reads as a slip: said once when the two are one.
            text = words.count(
                summary.engagedCount == summary.count ? "vnr.presenting.all_engaged" : "vnr.presenting", presenting,
                ["years": years, "followed": words.count("vnr.followed", summary.count), "engaged": engaged])
        } else {
            text = words.count(
                summary.engagedCount == summary.count
                    ? "vnr.followed_presenting.all_engaged" : "vnr.followed_presenting",
                summary.count, ["years": years, "engaged": engaged])
        }
        return VNRView(
            year: lastYear, years: summary.years, count: summary.count, presentingCount: summary.presenting,
            engagedCount: summary.engagedCount,
            hasReviews: summary.count > 0,
            summaryText: text,
            byRegion: summary.byRegion.map {
                TallyView(code: $0.name, name: words.regionName($0.name), count: $0.count)
            },
            reviews: summary.reviews.map {
                VNRReviewView(
                    year: $0.year, country: words.regionName(code: $0.country.alpha2, english: $0.country.name),
                    code: $0.country.alpha2, region: $0.country.region,
                    engagement: $0.engagement?.oneLine, engaged: $0.isEngaged, lead: $0.lead?.oneLine, sdg16: $0.sdg16,
                    notes: $0.notes?.oneLine)
            })
    }

    static func eventView(_ event: Event, words: Words) -> EventView {
        EventView(
            title: event.title.oneLine, start: event.start.description, end: event.end?.description,
            datesText: event.monthOnly ? words.month(event.start.yearMonth) : words.dateRange(event.start, event.end),
            location: Self.place(event, words: words)?.oneLine, url: event.url,
            announced: event.announced?.description, countryCode: event.placeCountry?.alpha2,
            country: event.placeCountry.map { words.regionName(code: $0.alpha2, english: $0.name) })
    }

    /// Where an event is held, as written, or with its country named in
    /// the digest's language ("New York, États-Unis") when staff gave no
    /// `location_<tag>` (``Digest/localized(to:)`` has used it if they did).
    public static func place(_ event: Event, words: Words) -> String? {
        guard !words.writesDataLanguage, !event.locationTranslated, let country = event.placeCountry else {
            return event.location
        }
        let name = words.regionName(code: country.alpha2, english: country.name)
        return event.placeBefore.map { "\($0), \(name)" } ?? name
    }

    static func actionView(_ action: Action, words: Words) -> ActionView {
        // "Deadline extended to 24 March" needs no "Open until 24 March 2019." after it.
        let said = action.until.map { (action.details ?? "").contains(words.dayAndMonth($0)) } ?? false
        let untilText = action.until.map {
            words.text(action.isExtended ? "action.extended" : "action.open_until", ["date": words.date($0)])
        }
        return ActionView(
            title: action.title.oneLine, details: action.details?.oneLine, url: action.url,
            until: action.until?.description, extended: action.isExtended, untilText: said ? nil : untilText,
            announced: action.announced?.description)
    }
}
