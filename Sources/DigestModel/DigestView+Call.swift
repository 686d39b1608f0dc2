import CoalitionData
import Wording

extension DigestView {
    static func callView(
        _ call: Call, schedule: Coalition.Schedule, through end: LocalDate, byDate: Bool, words: Words,
        titleLang: String? = nil
    ) -> CallView {
        let time = call.time ?? schedule.time
        let status = call.status(reportingThrough: end)
        var attendance: String?
        switch (call.attended, call.registered) {
        case (let attended?, let registered?):
            attendance = words.count("call.attendance", attended, ["registered": words.number(registered)])
        case (let attended?, nil): attendance = words.count("call.attended", attended)
        case (nil, let registered?): attendance = words.count("call.registered", registered)
        case (nil, nil): attendance = nil
        }
        let names = call.countries.map { words.regionName(code: $0.alpha2, english: $0.name) }
        let title = call.title.map(\.oneLine).flatMap { isOnlyTheMonth($0, of: call.date, words: words) ? nil : $0 }
        let heading =
            byDate
            ? words.text("call.heading.by_date", ["date": words.dayAndMonth(call.date)])
            : words.text("call.heading", ["month": words.monthName(call.date.month)])
        // A title left in the original stays out of the heading: the
        // heading is wholly in the reader's language, never half English.
        let headingTitle = titleLang == nil ? title : nil
        var view = CallView(
            date: call.date.description, dateText: words.longDate(call.date), time: time.description,
            timeText: words.text(
                "time.in_zone", ["time": words.time(time), "city": words.cityName(zone: schedule.timezone)]),
            status: status.rawValue, isCancelled: status == .cancelled, title: title,
            heading: headingTitle.map { words.text("call.heading.titled", ["heading": heading, "title": $0]) }
                ?? heading,
            recording: call.recording, registration: call.registration, registered: call.registered,
            attended: call.attended, attendanceText: attendance,
            countries: call.countries.map {
                CountryView(name: words.regionName(code: $0.alpha2, english: $0.name), code: $0.alpha2)
            },
            countriesText: names.isEmpty ? nil : words.list(names), countryCount: call.countryCount,
            countriesLine: !names.isEmpty
                ? words.text("call.countries", ["countries": words.list(names)])
                : call.countryCount.map { words.count("call.country_count", $0) },
            hasNotes: !call.notes.isEmpty, notesText: nil,
            notesHtml: nil)
        view.titleLang = title == nil ? nil : titleLang
        return view
    }

    /// Whether a call's title only names its month ("March coalition call",
    /// "The March 2019 call"): such a title adds nothing to "The March call".
    /// The words that say nothing more are the catalogue's `call.title.filler`,
    /// in the reader's language and in the English of the data (a title
    /// staff left untranslated is in English in every digest).
    public static func isOnlyTheMonth(_ title: String, of date: LocalDate, words: Words) -> Bool {
        var filler = Set(words.text("call.title.filler").lowercased().split(separator: " ").map(String.init))
        filler.formUnion(words.source("call.title.filler").lowercased().split(separator: " ").map(String.init))
        filler.insert(String(date.year))
        filler.insert(words.monthName(date.month).lowercased())
        filler.insert(Words.englishMonthName(date.month).lowercased())
        let titleWords = title.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return !titleWords.isEmpty && titleWords.allSatisfy { filler.contains($0) }
    }

    static func nextCallView(_ next: ScheduledCall, schedule: Coalition.Schedule, words: Words) -> NextCallView? {
        guard let start = next.start else { return nil }
        let zones = [schedule.timezone] + schedule.alsoIn.filter { $0 != schedule.timezone }
        // West to east, as a reader scans a map; the sort is stable, so
        // zones with one offset keep the order of coalition.yaml.
        let zoned = zones.compactMap { ZonedTime(instant: start, zone: $0) }.enumerated()
            .sorted { ($0.element.utcOffsetSeconds, $0.offset) < ($1.element.utcOffsetSeconds, $1.offset) }
            .map(\.element)
        let city = { (zone: String) in words.cityName(zone: zone) }
        let width = zoned.map { city($0.zone).count }.max() ?? 0
        let offsetWidth = zoned.map { $0.utcOffset.count }.max() ?? 0
        // Times as the language writes them, right-aligned (Spanish writes 8:00 beside 10:00).
        let timeWidth = zoned.map { words.time($0.time).count }.max() ?? 0
        let times = zoned.map { local -> ZonedTimeView in
            let shift = local.date.daysSinceEpoch - next.date.daysSinceEpoch
            let dayShift = shift > 0 ? words.text("time.next_day") : shift < 0 ? words.text("time.previous_day") : nil
            // The date is the call's own in most zones; it is shown only where it is not.
            let otherDay = shift == 0 ? nil : words.shortDate(local.date)
            let name = city(local.zone)
            let padding = String(repeating: " ", count: width - name.count)
            let offset = "UTC" + local.utcOffset + String(repeating: " ", count: offsetWidth - local.utcOffset.count)
            let time = words.time(local.time)
            let timePadding = String(repeating: " ", count: timeWidth - time.count)
            var line = "\(name)\(padding)  \(timePadding)\(time)  \(offset)"
            if let otherDay { line += "  \(otherDay)" }
            return ZonedTimeView(
                zone: local.zone, city: name, date: local.date.description,
                dateText: words.shortDate(local.date), otherDay: otherDay, time: time,
                utcOffset: local.utcOffset, dayShift: dayShift, isHome: local.zone == schedule.timezone,
                line: String(line.reversed().drop { $0 == " " }.reversed()))
        }
        var view = NextCallView(
            date: next.date.description, dateText: words.longDate(next.date), time: next.time.description,
            timezone: schedule.timezone,
            timeText: words.text(
                "time.in_zone", ["time": words.time(next.time), "city": words.cityName(zone: schedule.timezone)]),
            utc: ZonedTime.utcString(start),
            title: next.title.map(\.oneLine).flatMap { isOnlyTheMonth($0, of: next.date, words: words) ? nil : $0 },
            registration: next.call?.registration ?? schedule.registration, fromSchedule: next.call == nil,
            calendarUrl: nil, times: times)
        view.timeGroups = Self.timeGroups(times)
        return view
    }

    /// `times` with the zones that share a local time and day on one line.
    static func timeGroups(_ times: [ZonedTimeView]) -> [ZonedTimeGroupView] {
        var groups: [(first: ZonedTimeView, cities: [String], isHome: Bool)] = []
        for local in times {
            if let last = groups.last, last.first.time == local.time, last.first.date == local.date {
                groups[groups.count - 1].cities.append(local.city)
                groups[groups.count - 1].isHome = last.isHome || local.isHome
            } else {
                groups.append((local, [local.city], local.isHome))
            }
        }
        let timeWidth = groups.map(\.first.time.count).max() ?? 0
        let offsetWidth = groups.map(\.first.utcOffset.count).max() ?? 0
        return groups.map { group in
            let time = String(repeating: " ", count: timeWidth - group.first.time.count) + group.first.time
            let offset =
                "UTC" + group.first.utcOffset
                + String(repeating: " ", count: offsetWidth - group.first.utcOffset.count)
            let cities = group.cities.joined(separator: ", ")
            var view = ZonedTimeGroupView(
                time: group.first.time, utcOffset: group.first.utcOffset, otherDay: group.first.otherDay,
                cities: cities, isHome: group.isHome,
                line: "\(time)  \(offset)  \(cities)" + (group.first.otherDay.map { "  (\($0))" } ?? ""))
            view.cityNames = group.cities.enumerated().map {
                ZonedTimeGroupView.CityName(lead: $0.offset == 0 ? "" : ", ", name: $0.element)
            }
            return view
        }
    }
}
