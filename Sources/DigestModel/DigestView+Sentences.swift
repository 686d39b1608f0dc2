import CoalitionData
import Foundation
import Wording

extension DigestView {
    /// The sentences templates show whole, made once the view is assembled:
    /// each joins values in the order and words of the language, so no
    /// template strings words and values together itself.
    mutating func addSentences(words: Words) {
        digestHeading = words.text(
            "subject", ["coalition": coalition.name.withoutBidiControls, "period": period.label])
        for index in calls.indices {
            let call = calls[index]
            calls[index].cancelledText = words.text("call.cancelled", ["date": call.dateText])
            calls[index].whenText = words.text("call.when", ["date": call.dateText, "time": call.timeText])
            calls[index].noNotesText = words.text(call.recording == nil ? "call.no_notes" : "call.no_notes.recording")
        }
        call = calls.first
        period.noCallText = words.text("call.none", ["period": period.label])
        for index in skippedCalls.indices {
            skippedCalls[index].cancelledText = words.text(
                "next_call.cancelled", ["date": skippedCalls[index].dateText])
        }
        if let next = nextCall {
            nextCall?.whenText = words.text("next_call.when", ["date": next.dateText, "time": next.timeText])
            nextCall?.inThisIssueText = words.text(
                "next_call.in_this_issue", ["date": next.dateText, "time": next.timeText])
        }
        if let petition {
            let percent = petition.percentText
            let goal = petition.goalText
            self.petition?.inThisIssueText = words.count(
                "petition.in_this_issue", petition.total, ["percent": percent, "goal": goal])
            self.petition?.ofGoalText = words.text("petition.of_goal", ["percent": percent, "goal": goal])
            self.petition?.signaturesOfGoalText = words.count(
                "petition.signatures_of_goal", petition.total, ["goal": goal])
            self.petition?.newThisMonthText = words.text("petition.new_this_month", ["count": petition.newText])
            self.petition?.soFarText = words.text("petition.so_far", ["count": petition.totalText])
            self.petition?.newLineText = words.text("petition.new", ["count": petition.newText])
        }
        commitments.thisMonthText = words.count("commitments.this_month", commitments.newCount)
        // A list of 1s says little: the frameworks that matter, then how many more.
        var top = Array(commitments.byFramework.prefix { $0.count > 1 }.prefix(5))
        if top.count < 3 { top = Array(commitments.byFramework.prefix(3)) }
        commitments.topFrameworks = top
        let rest = commitments.byFramework.dropFirst(top.count)
        if !rest.isEmpty {
            let key =
                rest.allSatisfy { $0.count == 1 }
                ? "commitments.other_frameworks.single" : "commitments.other_frameworks"
            commitments.otherFrameworksText = words.count(
                key, rest.count, ["commitments": words.number(rest.reduce(0) { $0 + $1.count })])
        }
        commitments.summaryText =
            commitments.hasNew
            ? words.text("commitments.summary", ["new": commitments.thisMonthText, "total": commitments.totalText])
            : words.text("commitments.summary.none", ["total": commitments.totalText])
        vnr.headingText = words.text("vnr.heading", ["year": String(vnr.year)])
        for index in vnr.reviews.indices {
            guard let lead = vnr.reviews[index].lead else { continue }
            vnr.reviews[index].leadText = words.text("vnr.lead", ["name": lead])
            vnr.reviews[index].leadNote = words.text("vnr.lead.text", ["name": lead])
        }
        vnr.groups = Self.vnrGroups(vnr.reviews, words: words)
        coalition.shareText = coalition.hashtag.map { words.text("footer.share", ["hashtag": $0]) }
        coalition.memberText = words.text("footer.member", ["coalition": coalition.name])
    }

    /// Marks what staff have not translated into the digest's language,
    /// in that language: a line before a call's notes, a word beside an
    /// event's or action's title, and the original's `lang`.
    mutating func markUntranslated(_ untranslated: Digest.Untranslated?, words: Words) {
        guard let untranslated, !untranslated.isEmpty else { return }
        let tag = untranslated.original
        let name = words.locale.localizedString(forLanguageCode: tag) ?? tag
        for index in calls.indices where !calls[index].isCancelled {
            guard let date = LocalDate(iso: calls[index].date), untranslated.callNotes.contains(date) else { continue }
            calls[index].untranslatedText = words.text("untranslated.notes", ["language": name])
            calls[index].notesLang = tag
        }
        call = calls.first
        let mark = words.text("untranslated.title", ["language": name])
        for index in events.indices where untranslated.events.contains(index) {
            events[index].untranslatedText = mark
            events[index].titleLang = tag
        }
        for index in actions.indices where untranslated.actions.contains(index) {
            actions[index].untranslatedText = mark
            actions[index].titleLang = tag
        }
        for section in sections.indices {
            for index in sections[section].items.indices
            where untranslated.listingItems.contains(.init(section: sections[section].name, index: index)) {
                sections[section].items[index].untranslatedText = mark
                sections[section].items[index].titleLang = tag
            }
        }
    }

    /// ``VNRView/groups``: reviews by the first part of their engagement.
    static func vnrGroups(_ reviews: [VNRReviewView], words: Words) -> [VNRGroupView] {
        struct Group {
            var key: String?
            var members: [(review: VNRReviewView, rest: [String])] = []
        }
        var groups: [Group] = []
        for review in reviews {
            let parts = (review.engaged ? review.engagement ?? "" : "").split(separator: ";")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let key = parts.first
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].members.append((review, Array(parts.dropFirst())))
            } else {
                groups.append(Group(key: key, members: [(review, Array(parts.dropFirst()))]))
            }
        }
        return groups.map { group in
            func note(_ member: (review: VNRReviewView, rest: [String])) -> String? {
                let parts = member.rest + [member.review.leadNote].compactMap { $0 }
                return parts.isEmpty ? nil : parts.joined(separator: words.text("t.semicolon"))
            }
            let single = group.members.count == 1
            let singleNote = single ? group.members.first.flatMap(note) : nil
            var view = VNRGroupView(
                engagement: group.key ?? words.text("vnr.no_engagement"), isUnengaged: group.key == nil,
                countriesText: words.text(
                    "vnr.group.countries", ["countries": words.list(group.members.map(\.review.country))]),
                note: singleNote,
                details: single
                    ? []
                    : group.members.compactMap { member in
                        note(member).map {
                            words.text("vnr.country_note", ["country": member.review.country, "note": $0])
                        }
                    })
            view.noteLine = singleNote.map(words.capitalized)
            return view
        }
    }
}
