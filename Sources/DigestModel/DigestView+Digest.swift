import CoalitionData
import Wording

extension DigestView {
    /// Formats a digest for templates, every word from `words`.
    public init(digest: Digest, words: Words) {
        let coalition = digest.coalition
        let schedule = coalition.schedule
        let homeCity = words.cityName(zone: schedule.timezone)
        // A digest in another language links to its language's pages.
        let archive = ArchiveAddress(coalition.mail?.archive)?.language(
            ArchiveAddress.folder(language: words.language, main: coalition.language))
        self.coalition = CoalitionView(
            name: coalition.name, organizer: coalition.organizer, website: coalition.website,
            hashtag: coalition.hashtag.map { "#" + $0 },
            links: coalition.links.map { LinkView(label: $0.label, url: $0.url) },
            // After the last call, the footer says when calls were held, not "are".
            scheduleText: words.text(
                digest.scheduleEnded == nil ? "schedule.text" : "schedule.text_ended",
                [
                    "rule": Self.ruleText(schedule.rule, words: words), "time": words.time(schedule.time),
                    "city": homeCity, "date": digest.scheduleEnded.map { words.date($0) } ?? "",
                ]),
            registration: schedule.registration, petitionUrl: coalition.petition?.url,
            unsubscribe: coalition.mail?.unsubscribe,
            // "Previous letters" opens the archive in the digest's language.
            archive: words.language == coalition.language ? coalition.mail?.archive : archive?.index,
            postalAddress: coalition.mail?.postalAddress, preferences: coalition.mail?.preferences,
            subscribe: coalition.mail?.subscribe)
        let period = digest.period
        let periodLabel = period.label(in: words)
        self.period = PeriodView(
            month: period.last.description, id: period.description, label: periodLabel,
            monthName: words.month(period.last),
            firstDay: period.firstDay.description, lastDay: period.lastDay.description)
        // The subject stands in <title> and the Subject header, where nothing isolates a bidi control.
        let name = coalition.name.withoutBidiControls
        subject = words.text("subject", ["coalition": name, "period": periodLabel])
        // A month's digest is its month's page; a longer period has none.
        webVersion = archive?.file("\(period).html")

        // With two calls in a month, "The June call" would name both: each is named by its date.
        let sameMonth = Dictionary(grouping: digest.calls, by: \.date.yearMonth).filter { $0.value.count > 1 }
        let untranslatedTitles = digest.untranslated?.callTitles ?? []
        calls = digest.calls.map {
            Self.callView(
                $0, schedule: schedule, through: period.lastDay, byDate: sameMonth[$0.date.yearMonth] != nil,
                words: words,
                titleLang: untranslatedTitles.contains($0.date) ? digest.untranslated?.original : nil)
        }
        call = calls.first
        // A title left in the original is not in the subject: half English.
        if period.kind == .month, let title = call?.title, call?.titleLang == nil {
            subject = words.text(
                "subject.titled",
                ["coalition": name, "month": words.month(period.last), "title": title.withoutBidiControls])
        }
        nextCall = digest.nextCall.flatMap { Self.nextCallView($0, schedule: schedule, words: words) }
        scheduleEndedText = digest.scheduleEnded.map { words.text("next_call.ended", ["date": words.longDate($0)]) }
        if let archive, let next = digest.nextCall, nextCall != nil {
            nextCall?.calendarUrl = archive.calendar(next.date)
        }
        skippedCalls = digest.skippedCalls.map {
            SkippedCallView(date: $0.date.description, dateText: words.longDate($0.date), title: $0.title?.oneLine)
        }
        petition = zip(digest.petition, coalition.petition).map {
            Self.petitionView($0, petition: $1, last: period.last, words: words)
        }
        commitments = Self.commitmentsView(digest.commitments, frameworkNames: digest.frameworkNames, words: words)
        vnr = Self.vnrView(digest.vnr, lastYear: period.last.year, words: words)
        events = digest.events.map { Self.eventView($0, words: words) }
        hasEvents = !events.isEmpty
        actions = digest.actions.map { Self.actionView($0, words: words) }
        sections = digest.listings.map { listing in
            SectionView(
                name: listing.section.name, heading: listing.section.heading,
                items: listing.items.map { item in
                    SectionView.Item(
                        date: item.date.description, dateText: words.date(item.date), title: item.title.oneLine,
                        details: item.details, url: item.url)
                })
        }

        var parts: [String] = []
        if let call {
            parts.append(
                call.isCancelled
                    ? words.text("preheader.cancelled", ["month": words.month(period.last)])
                    : call.titleLang == nil ? call.title ?? call.heading : call.heading)
        }
        if let nextCall { parts.append(words.text("preheader.next_call", ["date": nextCall.dateText])) }
        if let petition { parts.append(words.count("preheader.signatures", petition.total)) }
        if commitments.newCount > 0 { parts.append(commitments.newCountText) }
        preheader = parts.isEmpty ? subject : parts.joined(separator: " · ")
        addSentences(words: words)
        markUntranslated(digest.untranslated, words: words)
    }

    /// The schedule's rule in words: `2nd Tuesday`. A language whose
    /// ordinal agrees with the weekday (Italian's `prima domenica` beside
    /// `primo lunedì`) gives that weekday's own (`schedule.ordinal.1.sunday`);
    /// else the ordinal's (`schedule.ordinal.1`).
    static func ruleText(_ rule: ScheduleRule, words: Words) -> String {
        let number = rule.ordinal == -1 ? "last" : String(rule.ordinal)
        let ordinal = "schedule.ordinal.\(number)"
        let day =
            ScheduleRule.weekdayNames.indices.contains(rule.weekday - 1)
            ? ScheduleRule.weekdayNames[rule.weekday - 1] : ""
        let agreeing = ordinal + "." + day
        return words.text(
            "schedule.rule",
            [
                "ordinal": words.text(words.has(agreeing) ? agreeing : ordinal),
                "weekday": words.weekdayName(rule.weekday),
            ])
    }
}

/// Both values, or nil.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

extension String {
    /// The text on one line: runs of white space, line breaks included,
    /// become one space. Spreadsheet cells often carry line breaks that would
    /// break a layout.
    var oneLine: String {
        guard contains(where: { $0.isNewline || $0 == "\t" }) else { return self }
        return split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The text without bidirectional embeddings, overrides and isolates.
    public var withoutBidiControls: String {
        guard unicodeScalars.contains(where: TextScan.isBidiControl) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.filter { !TextScan.isBidiControl($0) }))
    }
}
