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
            // A date that starts a sentence starts with a capital (French and Spanish write weekdays in lower case).
            calls[index].whenText = words.capitalized(
                words.text("call.when", ["date": call.dateText, "time": call.timeText]))
            calls[index].noNotesText = words.text(call.recording == nil ? "call.no_notes" : "call.no_notes.recording")
        }
        call = calls.first
        period.noCallText = words.text("call.none", ["period": period.label])
        for index in skippedCalls.indices {
            skippedCalls[index].cancelledText = words.text(
                "next_call.cancelled", ["date": skippedCalls[index].dateText])
        }
        if let next = nextCall {
            nextCall?.whenText = words.capitalized(
                words.text("next_call.when", ["date": next.dateText, "time": next.timeText]))
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
        headline = Self.headline(self, words: words)
        vnr.headingText = words.text("vnr.heading", ["year": String(vnr.year)])
        for index in vnr.reviews.indices {
            guard let lead = vnr.reviews[index].lead else { continue }
            vnr.reviews[index].leadText = words.text("vnr.lead", ["name": lead])
            vnr.reviews[index].leadNote = words.text("vnr.lead.text", ["name": lead])
        }
        vnr.groups = Self.vnrGroups(vnr.reviews, words: words)
        coalition.shareText = coalition.hashtag.map { words.text("footer.share", ["hashtag": $0]) }
        let links: [(String, String?)] =
            (coalition.website.map { [(words.text("t.website"), $0)] } ?? [])
            + coalition.links.map { ($0.label, $0.url) } + (coalition.hashtag.map { [($0, nil)] } ?? [])
        coalition.footerLinks = links.enumerated().map {
            CoalitionView.FooterLink(lead: $0.offset == 0 ? "" : " · ", label: $0.element.0, url: $0.element.1)
        }
        coalition.memberText = words.text("footer.member", ["coalition": coalition.name])
    }

    /// Marks what staff have not translated into the digest's language:
    /// the original's `lang` on each part (a line before a call's notes),
    /// and one sentence, in the digest's language, that says what stays in
    /// the original (``untranslatedNote``).
    mutating func markUntranslated(_ untranslated: Digest.Untranslated?, words: Words) {
        guard let untranslated, !untranslated.isEmpty else { return }
        let tag = untranslated.original
        let name = words.locale.localizedString(forLanguageCode: tag) ?? tag
        for index in calls.indices where !calls[index].isCancelled {
            guard let date = LocalDate(iso: calls[index].date) else { continue }
            if untranslated.callNotes.contains(date) {
                calls[index].untranslatedText = words.text("untranslated.notes", ["language": name])
                calls[index].notesLang = tag
            }
        }
        call = calls.first
        for index in events.indices {
            if untranslated.events.contains(index) { events[index].titleLang = tag }
            if untranslated.eventPlaces.contains(index) { events[index].locationLang = tag }
        }
        for index in actions.indices where untranslated.actions.contains(index) { actions[index].titleLang = tag }
        for section in sections.indices {
            for index in sections[section].items.indices
            where untranslated.listingItems.contains(.init(section: sections[section].name, index: index)) {
                sections[section].items[index].titleLang = tag
            }
        }
        if untranslated.petitionTitle { petition?.titleLang = tag }
        for index in commitments.new.indices {
            if untranslated.commitments.contains(index) { commitments.new[index].titleLang = tag }
            if untranslated.frameworks.contains(commitments.new[index].frameworkCode) {
                commitments.new[index].frameworkLang = tag
            }
        }
        if !untranslated.reviews.isEmpty {
            for index in vnr.reviews.indices where untranslated.reviews.contains(index) {
                vnr.reviews[index].engagementLang = tag
            }
            vnr.groups = Self.vnrGroups(vnr.reviews, words: words)
        }
        for index in commitments.byFramework.indices
        where untranslated.frameworks.contains(commitments.byFramework[index].code) {
            commitments.byFramework[index].lang = tag
        }
        for index in commitments.topFrameworks.indices
        where untranslated.frameworks.contains(commitments.topFrameworks[index].code) {
            commitments.topFrameworks[index].lang = tag
        }
        untranslatedNote = Self.untranslatedNote(untranslated, view: self, language: name, words: words)
    }

    /// The sentence that says, once, what stays in the original: only
    /// what this digest shows (the frameworks named in it, not those
    /// folded into "and 4 other frameworks").
    static func untranslatedNote(_ missing: Digest.Untranslated, view: DigestView, language: String, words: Words)
        -> String?
    {
        let shownFrameworks = Set(
            view.commitments.topFrameworks.map(\.code) + view.commitments.new.map(\.frameworkCode))
        var parts: [String] = []
        if let call = view.calls.first(where: { $0.titleLang != nil }), call.title != nil {
            parts.append(words.count("untranslated.part.call_titles", view.calls.count { $0.titleLang != nil }))
        }
        if missing.petitionTitle && view.petition != nil {
            parts.append(words.text("untranslated.part.petition_title"))
        }
        let frameworks = missing.frameworks.intersection(shownFrameworks).count
        if frameworks > 0 { parts.append(words.count("untranslated.part.frameworks", frameworks)) }
        if !missing.commitments.isEmpty {
            parts.append(words.count("untranslated.part.commitments", missing.commitments.count))
        }
        if !missing.reviews.isEmpty, view.vnr.groups.contains(where: { $0.engagementLang != nil }) {
            parts.append(words.count("untranslated.part.reviews", view.vnr.groups.count { $0.engagementLang != nil }))
        }
        if !missing.events.isEmpty { parts.append(words.count("untranslated.part.events", missing.events.count)) }
        if !missing.eventPlaces.isEmpty {
            parts.append(words.count("untranslated.part.event_places", missing.eventPlaces.count))
        }
        if !missing.actions.isEmpty { parts.append(words.count("untranslated.part.actions", missing.actions.count)) }
        for section in view.sections {
            let count = section.items.count { $0.titleLang != nil }
            if count > 0 { parts.append(words.count("untranslated.part.entries", count, ["section": section.heading])) }
        }
        guard !parts.isEmpty else { return nil }
        return words.text("untranslated.note", ["language": language, "parts": words.list(parts)])
    }

    /// ``headline``: the first of the call's own title (in the reader's
    /// language), that it was cancelled, the month's new commitments, the
    /// first event coming up, the petition's total, that there was no call.
    static func headline(_ view: DigestView, words: Words) -> String {
        if let call = view.calls.first(where: { !$0.isCancelled && $0.title != nil && $0.titleLang == nil }),
            let title = call.title
        {
            return title
        }
        if let cancelled = view.calls.first(where: \.isCancelled) { return cancelled.cancelledText }
        // Only what is in the reader's language: a headline is never half English.
        if let first = view.commitments.new.first(where: { $0.titleLang == nil }) {
            return words.count("headline.commitments", view.commitments.new.count, ["title": first.title])
        }
        // A way to get involved first given this month, then what is coming up.
        if let action = view.actions.first(where: {
            $0.titleLang == nil && $0.announced.map { view.period.firstDay <= $0 && $0 <= view.period.lastDay } == true
        }) {
            return words.text("headline.action", ["title": action.title])
        }
        if let event = view.events.first(where: { $0.titleLang == nil }) {
            return words.text("headline.event", ["title": event.title])
        }
        if let petition = view.petition { return words.count("headline.petition", petition.total) }
        return view.period.noCallText
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
            view.engagementLang = group.members.first { $0.review.engagementLang != nil }?.review.engagementLang
            return view
        }
    }
}
