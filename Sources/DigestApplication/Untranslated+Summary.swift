import DigestModel

extension Digest.Untranslated {
    /// What is left, for staff (in English, as the command line and
    /// the preview speak): "1 call's notes, 2 events and 1 action".
    /// (The workbook shows every framework and a VNR row's notes; the
    /// newsletter's own sentence, ``DigestView/untranslatedNote``, names
    /// only what the newsletter shows.)
    public var summary: String {
        func count(_ n: Int, _ one: String, _ many: String) -> String? {
            n == 0 ? nil : "\(n) \(n == 1 ? one : many)"
        }
        let items = [
            count(callNotes.count, "call's notes", "calls' notes"),
            count(callTitles.count, "call title", "call titles"),
            petitionTitle ? "the petition's title" : nil,
            count(frameworks.count, "framework name", "framework names"),
            count(commitments.count, "commitment title", "commitment titles"),
            count(reviews.count, "VNR engagement", "VNR engagements"),
            count(reviewNotes.count, "VNR row's notes", "VNR rows' notes"),
            count(events.count, "event", "events"), count(eventPlaces.count, "event place", "event places"),
            count(actions.count, "action", "actions"),
            count(
                listingItems.count, "entry of the coalition's own sections", "entries of the coalition's own sections"),
        ].compactMap { $0 }
        guard items.count > 1 else { return items.joined() }
        return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
    }
}
