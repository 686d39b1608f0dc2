import CoalitionData
import DigestModel
import Foundation

/// What staff have not translated into a language, item by item, for the
/// preview's index: each call's notes or title, event, action, commitment,
/// framework, VNR engagement and section entry that readers of that
/// language get in the original, with the file (and column) to write the
/// translation in, and the first month whose digest shows it.
enum TranslationGaps {
    /// The gaps of every month of `dataset` in `language`, in the order the
    /// months first show them; empty in the coalition's own language.
    static func list(_ dataset: CoalitionDataset, language: String) -> [String] {
        guard language != dataset.coalition.language else { return [] }
        let suffix = "_" + language
        let series = PetitionSeries(dataset.petition)
        var seen: Set<String> = []
        var gaps: [String] = []
        for month in dataset.reportableMonths.months {
            let original = Digest(dataset: dataset, period: Period(month: month), series: series)
            let digest = original.localized(to: language)
            guard let missing = digest.untranslated, !missing.isEmpty else { continue }
            var items: [String] = []
            for call in original.calls {
                let file = call.file.split(separator: "/").last.map(String.init) ?? call.file
                let translation = String(file.dropLast(3)) + ".\(language).md"
                if missing.callNotes.contains(call.date) { items.append("the notes of \(file) (in \(translation))") }
                if missing.callTitles.contains(call.date) { items.append("the title of \(file) (in \(translation))") }
            }
            if missing.petitionTitle { items.append("the petition's title (coalition.yaml, petition.title\(suffix))") }
            for framework in missing.frameworks.sorted() {
                items.append("the framework “\(framework)” (coalition.yaml, frameworks, name\(suffix))")
            }
            for index in missing.commitments.sorted() where original.commitments.new.indices.contains(index) {
                items.append(
                    "the commitment “\(original.commitments.new[index].title)” (commitments.csv, title\(suffix))")
            }
            for index in missing.reviews.sorted() where original.vnr.reviews.indices.contains(index) {
                items.append(
                    "\(original.vnr.reviews[index].country.name)'s VNR engagement (vnr.csv, engagement\(suffix))")
            }
            for index in missing.reviewNotes.sorted() where original.vnr.reviews.indices.contains(index) {
                items.append("\(original.vnr.reviews[index].country.name)'s VNR notes (vnr.csv, notes\(suffix))")
            }
            for index in missing.events.sorted() where original.events.indices.contains(index) {
                items.append("the event “\(original.events[index].title)” (events.csv, title\(suffix))")
            }
            for index in missing.eventPlaces.sorted() where original.events.indices.contains(index) {
                items.append(
                    "the place of “\(original.events[index].title)” (events.csv, location\(suffix))")
            }
            for index in missing.actions.sorted() where original.actions.indices.contains(index) {
                items.append(
                    "the action “\(original.actions[index].title)” (actions.csv, title\(suffix), details\(suffix))")
            }
            for listing in original.listings {
                for (index, item) in listing.items.enumerated()
                where missing.listingItems.contains(where: { $0.section == listing.section.name && $0.index == index })
                {
                    items.append("“\(item.title)” (\(listing.section.file), title\(suffix), details\(suffix))")
                }
            }
            for item in items where seen.insert(item).inserted {
                gaps.append("\(item): from \(month)")
            }
        }
        return gaps
    }
}
