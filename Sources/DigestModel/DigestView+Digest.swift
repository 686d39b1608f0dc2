import CoalitionData

extension DigestView {
    /// Formats a digest for templates.
    public init(digest: Digest) {
        let coalition = digest.coalition
        let schedule = coalition.schedule
        let homeCity = ZonedTime.cityName(schedule.timezone)
        self.coalition = CoalitionView(
            name: coalition.name, organizer: coalition.organizer, website: coalition.website,
            hashtag: coalition.hashtag.map { "#" + $0 },
            links: coalition.links.map { LinkView(label: $0.label, url: $0.url) },
            scheduleText:
                "Calls are on the \(schedule.rule) of each month at \(schedule.time) \(homeCity) time.",
            registration: schedule.registration, petitionUrl: coalition.petition?.url,
            unsubscribe: coalition.mail?.unsubscribe, archive: coalition.mail?.archive,
            postalAddress: coalition.mail?.postalAddress, preferences: coalition.mail?.preferences)
        let period = digest.period
        self.period = PeriodView(
            month: period.last.description, id: period.description, label: period.label,
            monthName: Phrasing.month(period.last),
            firstDay: period.firstDay.description, lastDay: period.lastDay.description)
        // The subject stands in <title> and the Subject header, where nothing isolates a bidi control.
        subject = "\(coalition.name.withoutBidiControls) digest — \(period.label)"
        let archive = ArchiveAddress(coalition.mail?.archive)
        // A month's digest is its month's page; a longer period has none.
        webVersion = archive?.file("\(period).html")

        // With two calls in a month, "The June call" would name both: each is named by its date.
        let sameMonth = Dictionary(grouping: digest.calls, by: \.date.yearMonth).filter { $0.value.count > 1 }
        calls = digest.calls.map {
            Self.callView($0, schedule: schedule, through: period.lastDay, byDate: sameMonth[$0.date.yearMonth] != nil)
        }
        call = calls.first
        if period.kind == .month, let title = call?.title {
            subject =
                "\(coalition.name.withoutBidiControls) — \(Phrasing.month(period.last)): \(title.withoutBidiControls)"
        }
        nextCall = digest.nextCall.flatMap { Self.nextCallView($0, schedule: schedule) }
        if let archive, let next = digest.nextCall, nextCall != nil {
            nextCall?.calendarUrl = archive.calendar(next.date)
        }
        skippedCalls = digest.skippedCalls.map {
            SkippedCallView(date: $0.date.description, dateText: Phrasing.longDate($0.date), title: $0.title?.oneLine)
        }
        petition = zip(digest.petition, coalition.petition).map {
            Self.petitionView($0, petition: $1, last: period.last)
        }
        commitments = Self.commitmentsView(digest.commitments)
        vnr = Self.vnrView(digest.vnr, lastYear: period.last.year)
        events = digest.events.map {
            EventView(
                title: $0.title.oneLine, start: $0.start.description, end: $0.end?.description,
                datesText: Phrasing.dateRange($0.start, $0.end), location: $0.location?.oneLine, url: $0.url,
                announced: $0.announced?.description)
        }
        hasEvents = !events.isEmpty
        actions = digest.actions.map { action in
            // "Deadline extended to 24 March" needs no "Open until 24 March 2019." after it.
            let said =
                action.until.map { until in
                    (action.details ?? "").contains("\(until.day) \(Phrasing.monthNames[until.month - 1])")
                } ?? false
            let untilText = action.until.map {
                action.isExtended ? "Deadline extended to \(Phrasing.date($0))." : "Open until \(Phrasing.date($0))."
            }
            return ActionView(
                title: action.title.oneLine, details: action.details?.oneLine, url: action.url,
                until: action.until?.description, extended: action.isExtended, untilText: said ? nil : untilText,
                announced: action.announced?.description)
        }

        var parts: [String] = []
        if let call {
            parts.append(
                call.isCancelled ? "The \(Phrasing.month(period.last)) call was cancelled" : call.title ?? call.heading)
        }
        if let nextCall { parts.append("next call \(nextCall.dateText)") }
        if let petition { parts.append("\(petition.totalText) signatures") }
        if commitments.newCount > 0 { parts.append(commitments.newCountText) }
        preheader = parts.isEmpty ? subject : parts.joined(separator: " · ")
    }

    private static func callView(_ call: Call, schedule: Coalition.Schedule, through end: LocalDate, byDate: Bool)
        -> CallView
    {
        let time = call.time ?? schedule.time
        let status = call.status(reportingThrough: end)
        var attendance: String?
        switch (call.attended, call.registered) {
        case (let attended?, let registered?):
            attendance =
                "\(Phrasing.count(attended, "person", "people")) attended (\(Phrasing.number(registered)) registered)."
        case (let attended?, nil): attendance = "\(Phrasing.count(attended, "person", "people")) attended."
        case (nil, let registered?): attendance = "\(Phrasing.count(registered, "person", "people")) registered."
        case (nil, nil): attendance = nil
        }
        let names = call.countries.map(\.name)
        let month = Phrasing.monthNames[call.date.month - 1]
        let title = call.title.map(\.oneLine).flatMap { isOnlyTheMonth($0, of: call.date) ? nil : $0 }
        return CallView(
            date: call.date.description, dateText: Phrasing.longDate(call.date), time: time.description,
            timeText: "\(time) \(ZonedTime.cityName(schedule.timezone)) time", status: status.rawValue,
            isCancelled: status == .cancelled, title: title,
            heading: (byDate ? "The call of \(call.date.day) \(month)" : "The \(month) call")
                + (title.map { ": \($0)" } ?? ""),
            recording: call.recording, registration: call.registration, registered: call.registered,
            attended: call.attended, attendanceText: attendance,
            countries: call.countries.map { CountryView(name: $0.name, code: $0.alpha2) },
            countriesText: names.isEmpty ? nil : Phrasing.list(names), countryCount: call.countryCount,
            countriesLine: !names.isEmpty
                ? "Countries on the call: \(Phrasing.list(names))."
                : call.countryCount.map { "People joined from \(Phrasing.count($0, "country", "countries"))." },
            hasNotes: !call.notes.isEmpty, notesText: nil,
            notesHtml: nil)
    }

    /// Whether a call's title only names its month ("March coalition call",
    /// "The March 2019 call"): such a title adds nothing to "The March call".
    public static func isOnlyTheMonth(_ title: String, of date: LocalDate) -> Bool {
        let filler: Set<String> = [
            "the", "coalition", "call", "monthly", "of", String(date.year),
            Phrasing.monthNames[date.month - 1].lowercased(),
        ]
        let words = title.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return !words.isEmpty && words.allSatisfy { filler.contains($0) }
    }

    private static func nextCallView(_ next: ScheduledCall, schedule: Coalition.Schedule) -> NextCallView? {
        guard let start = next.start else { return nil }
        let zones = [schedule.timezone] + schedule.alsoIn.filter { $0 != schedule.timezone }
        // West to east, as a reader scans a map; the sort is stable, so
        // zones with one offset keep the order of coalition.yaml.
        let zoned = zones.compactMap { ZonedTime(instant: start, zone: $0) }.enumerated()
            .sorted { ($0.element.utcOffsetSeconds, $0.offset) < ($1.element.utcOffsetSeconds, $1.offset) }
            .map(\.element)
        let width = zoned.map(\.city.count).max() ?? 0
        let offsetWidth = zoned.map { $0.utcOffset.count }.max() ?? 0
        let times = zoned.map { local -> ZonedTimeView in
            let shift = local.date.daysSinceEpoch - next.date.daysSinceEpoch
            let dayShift = shift > 0 ? "next day" : shift < 0 ? "previous day" : nil
            // The date is the call's own in most zones; it is shown only where it is not.
            let otherDay = shift == 0 ? nil : Phrasing.shortDate(local.date)
            let padding = String(repeating: " ", count: width - local.city.count)
            let offset = "UTC" + local.utcOffset + String(repeating: " ", count: offsetWidth - local.utcOffset.count)
            var line = "\(local.city)\(padding)  \(local.time)  \(offset)"
            if let otherDay { line += "  \(otherDay)" }
            return ZonedTimeView(
                zone: local.zone, city: local.city, date: local.date.description,
                dateText: Phrasing.shortDate(local.date), otherDay: otherDay, time: local.time.description,
                utcOffset: local.utcOffset, dayShift: dayShift, isHome: local.zone == schedule.timezone,
                line: String(line.reversed().drop { $0 == " " }.reversed()))
        }
        return NextCallView(
            date: next.date.description, dateText: Phrasing.longDate(next.date), time: next.time.description,
            timezone: schedule.timezone, timeText: "\(next.time) \(ZonedTime.cityName(schedule.timezone)) time",
            utc: ZonedTime.utcString(start),
            title: next.title.map(\.oneLine).flatMap { isOnlyTheMonth($0, of: next.date) ? nil : $0 },
            registration: next.call?.registration ?? schedule.registration, fromSchedule: next.call == nil,
            calendarUrl: nil, times: times)
    }

    /// The forecast sentence (see ``PetitionView/forecastText``).
    static func forecast(_ progress: PetitionProgress, last: YearMonth) -> String? {
        if progress.total >= progress.goal, let month = progress.goalReachedBy {
            return "The goal was reached in \(Phrasing.month(month))."
        }
        guard progress.paceMonths > 0 else { return nil }
        let window =
            progress.paceMonths == 3
            ? "the last three months" : progress.paceMonths == 2 ? "its first two months" : "its first month"
        let pace = "At the pace of \(window) (\(Phrasing.count(progress.monthlyPace, "signature")) a month)"
        guard let needed = progress.neededPace else {
            return progress.goalReachedBy.map { "\(pace), the goal would be reached in \(Phrasing.month($0))." }
        }
        let by = Phrasing.month(last.adding(months: PetitionProgress.horizonMonths))
        let need = "\(Phrasing.count(needed, "signature")) a month would reach it by \(by)"
        if progress.monthlyPace <= 0 {
            return
                "No signatures were gained in \(window == "the last three months" ? window : window.replacingOccurrences(of: "its", with: "the petition's")); \(need)."
        }
        return "\(pace), the goal is more than three years away; \(need)."
    }

    private static func petitionView(_ progress: PetitionProgress, petition: Coalition.Petition, last: YearMonth)
        -> PetitionView
    {
        let bar = progress.total > 0 ? max(1, min(100, progress.percentOfGoalTenths / 10)) : 0
        let cells = min(20, progress.percentOfGoalTenths / 50)
        let filled = progress.total > 0 ? max(cells, 1) : 0
        return PetitionView(
            title: petition.title, url: petition.url, goal: progress.goal, goalText: Phrasing.number(progress.goal),
            total: progress.total, totalText: Phrasing.number(progress.total), new: progress.new,
            newText: Phrasing.number(progress.new), percentOfGoal: progress.percentOfGoal,
            percentText: Phrasing.tenths(progress.percentOfGoalTenths) + "%",
            goalReachedBy: progress.goalReachedBy?.description,
            goalReachedByText: progress.goalReachedBy.map(Phrasing.month),
            monthlyPace: progress.monthlyPace, paceMonths: progress.paceMonths,
            forecastText: forecast(progress, last: last), monthlyPaceText: Phrasing.number(progress.monthlyPace),
            barPercent: bar, barRestPercent: 100 - bar, barHasFill: bar > 0, barHasRest: bar < 100,
            barText: "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "]")
    }

    private static func commitmentsView(_ summary: CommitmentSummary) -> CommitmentsView {
        func tallies(_ list: [Tally]) -> [TallyView] { list.map { TallyView(name: $0.name, count: $0.count) } }
        return CommitmentsView(
            new: summary.new.map {
                CommitmentView(
                    date: $0.date.description, dateText: Phrasing.date($0.date), country: $0.country?.name,
                    countryCode: $0.country?.alpha2, region: $0.region, scope: $0.scope, actor: $0.actor.rawValue,
                    framework: $0.framework.oneLine, title: $0.title.oneLine, status: $0.status.rawValue, url: $0.url)
            },
            newCount: summary.new.count, hasNew: !summary.new.isEmpty, total: summary.total,
            newCountText: Phrasing.count(summary.new.count, "new commitment"),
            totalText: "\(Phrasing.count(summary.total, "commitment")) tracked so far",
            byFramework: tallies(summary.byFramework), byActor: tallies(summary.byActor),
            byCountry: tallies(summary.byCountry), byStatus: tallies(summary.byStatus))
    }

    private static func vnrView(_ summary: VNRSummary, lastYear: Int) -> VNRView {
        let years = summary.years.map(String.init).joined(separator: "–")
        let text: String
        let engaged = "engaged with \(Phrasing.number(summary.engagedCount))"
        if summary.count == 0 {
            text = "No Voluntary National Reviews are tracked for \(years)."
        } else if let presenting = summary.presenting {
            let them = summary.count == 1 ? "one of them" : "\(Phrasing.number(summary.count)) of them"
            text =
                "\(Phrasing.count(presenting, "country", "countries")) \(presenting == 1 ? "presents a VNR" : "present VNRs") in \(years); the coalition follows \(them) and \(engaged)."
        } else {
            text =
                "The coalition follows \(Phrasing.count(summary.count, "country", "countries")) presenting \(summary.count == 1 ? "a VNR" : "VNRs") in \(years) and \(engaged)."
        }
        return VNRView(
            year: lastYear, years: summary.years, count: summary.count, presentingCount: summary.presenting,
            engagedCount: summary.engagedCount,
            hasReviews: summary.count > 0,
            summaryText: text, byRegion: summary.byRegion.map { TallyView(name: $0.name, count: $0.count) },
            reviews: summary.reviews.map {
                VNRReviewView(
                    year: $0.year, country: $0.country.name, code: $0.country.alpha2, region: $0.country.region,
                    engagement: $0.engagement?.oneLine, engaged: $0.isEngaged, lead: $0.lead?.oneLine, sdg16: $0.sdg16,
                    notes: $0.notes?.oneLine)
            })
    }
}

extension ZonedTime {
    /// The place name of an IANA zone (`America/New_York` -> `New York`).
    static func cityName(_ zone: String) -> String {
        (zone.split(separator: "/").last.map(String.init) ?? zone).replacingOccurrences(of: "_", with: " ")
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
