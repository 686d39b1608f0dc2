import Foundation
import MIME

extension Coalition {
    /// Reads `coalition.yaml`, reporting every problem; nil when a required
    /// part is missing or wrong.
    static func parse(_ text: String, file: String, log: inout DiagnosticLog) -> Coalition? {
        guard let root = YAMLMapping.parse(text, file: file, log: &log) else { return nil }
        root.checkKeys(
            [
                "name", "organizer", "website", "links", "hashtag", "schedule", "petition", "mail", "frameworks",
                "vnr_presenting", "state", "state_password_file", "language", "languages", "sections",
            ],
            log: &log)
        var name = root.scalar("name", required: true, log: &log, example: "Justice For All")?.value
        // The name goes into the email's Subject and List-Id: a line break
        // there would start a header of the sender's choosing.
        if let value = name, value.contains(where: \.isNewline), let at = root.keyLocation("name") {
            log.error(file, at.line, at.column, "name must be on one line; remove the line break")
            name = nil
        }
        let organizer = root.scalar("organizer", log: &log)?.value
        let website = url(root, "website", log: &log)
        var hashtag = root.scalar("hashtag", log: &log)?.value
        if hashtag == nil, let at = root.keyLocation("hashtag") {
            log.warning(
                file, at.line, at.column,
                "hashtag is empty: in YAML a # starts a comment, so write the tag without it (hashtag: JusticeForAll) or in quotes (hashtag: \"#JusticeForAll\")"
            )
        }
        if let tag = hashtag, tag.hasPrefix("#") { hashtag = String(tag.dropFirst()) }

        var links: [Link] = []
        for item in root.list("links", log: &log) {
            guard let mapping = item.node.mapping else {
                log.error(
                    file, item.line, item.column,
                    "each link needs a label and a url, on lines \"- label: …\" and \"  url: …\"")
                continue
            }
            let link = YAMLMapping(
                file: file, lineOffset: 0, mapping: mapping, line: item.line, column: item.column, prefix: "links.")
            link.checkKeys(["label", "url"], log: &log)
            let label = link.scalar("label", required: true, log: &log, example: "Twitter")?.value
            let address = url(link, "url", required: true, log: &log)
            if let label, let address { links.append(Link(label: label, url: address)) }
        }

        let schedule = root.mapping("schedule", required: true, log: &log).flatMap { parseSchedule($0, log: &log) }
        let petition = root.mapping("petition", log: &log).flatMap { parsePetition($0, log: &log) }
        let mail = root.mapping("mail", log: &log).flatMap { parseMail($0, log: &log) }
        let frameworks = root.mapping("frameworks", log: &log).map { parseFrameworks($0, log: &log) }
        let presenting = root.mapping("vnr_presenting", log: &log).map { PresentingCount.parse($0, log: &log) }
        var state: StateLocation?
        if let value = root.scalar("state", log: &log) {
            do {
                state = try StateLocation.parse(value.value)
            } catch {
                log.error(file, value.line, value.column, error.description)
            }
        }
        let passwordFile = root.scalar("state_password_file", log: &log)
        if let passwordFile, case .folder = state ?? .folder("") {
            log.warning(
                file, passwordFile.line, passwordFile.column,
                "state_password_file is read only when state: names a database; the state here is a folder")
        }
        let (language, languages) = parseLanguages(root, log: &log)
        let sections = parseSections(root, log: &log)
        guard let name, let schedule else { return nil }
        var coalition = Coalition(
            name: name, organizer: organizer, website: website, links: links, hashtag: hashtag,
            schedule: schedule, petition: petition, mail: mail, frameworks: frameworks,
            vnrPresenting: presenting ?? [])
        coalition.state = state
        coalition.statePasswordFile = passwordFile?.value
        coalition.language = language
        coalition.languages = languages
        coalition.sections = sections
        return coalition
    }

    /// `language:` (the default, `en`) and `languages:` (those the
    /// coalition writes in; the default is always one of them, first).
    static func parseLanguages(_ root: YAMLMapping, log: inout DiagnosticLog) -> (String, [String]) {
        var language = "en"
        if let value = root.scalar("language", log: &log) {
            if let tag = LanguageTag.normalised(value.value) {
                language = tag
            } else {
                log.error(
                    root.file, value.line, value.column,
                    "language must be a language tag such as en, fr or es (BCP 47), not \"\(value.value)\"")
            }
        }
        var languages = [language]
        for item in root.list("languages", log: &log) {
            guard let text = item.node.scalar?.string, let tag = LanguageTag.normalised(text) else {
                log.error(
                    root.file, item.line, item.column,
                    "each of languages is a language tag such as en, fr or es (BCP 47): languages: [en, fr, es]")
                continue
            }
            if !languages.contains(tag) { languages.append(tag) }
        }
        return (language, languages)
    }

    /// `frameworks:` — each line a name, then its aliases as a list
    /// (`Open Government Partnership: [OGP, OGP action plan]`), or nothing.
    static func parseFrameworks(_ map: YAMLMapping, log: inout DiagnosticLog) -> FrameworkList {
        var list = FrameworkList()
        for (keyNode, _) in map.mapping {
            guard let name = keyNode.scalar.map({ String($0.string.trimmedSpaces) }), !name.isEmpty else { continue }
            let at = map.location(keyNode)
            var aliases: [String] = []
            var names: [String: String] = [:]
            // The long form: `Name: {aliases: [...], name_fr: ..., name_es: ...}`.
            var aliasSource = map
            var aliasKey = name
            if let nested = map.value(name)?.mapping {
                let entry = YAMLMapping(
                    file: map.file, lineOffset: map.lineOffset, mapping: nested, line: at.line, column: at.column,
                    prefix: "frameworks.\(name).")
                names = translations(entry, of: "name", log: &log)
                let translated = nested.compactMap { $0.0.string }.filter {
                    $0.hasPrefix("name_") && LanguageTag.normalised(String($0.dropFirst(5))) != nil
                }
                entry.checkKeys(["aliases"] + translated + ["name_<language>"], log: &log)
                aliasSource = entry
                aliasKey = "aliases"
            }
            for item in aliasSource.list(aliasKey, log: &log) {
                if let scalar = item.node.scalar, YAMLMapping.isNull(scalar) { continue }
                guard let alias = item.node.scalar.map({ String($0.string.trimmedSpaces) }) else {
                    log.error(
                        map.file, item.line, item.column,
                        "frameworks.\(name) lists other names for it, one word or phrase each: [OGP, OGP action plan]")
                    continue
                }
                if !alias.isEmpty { aliases.append(alias) }
            }
            for clash in list.add(FrameworkList.Entry(name: name, aliases: aliases, names: names)) {
                log.error(
                    map.file, at.line, at.column,
                    "\"\(clash.spelling)\" is already a name for \(clash.takenBy); a spelling can mean only one framework"
                )
            }
        }
        return list
    }

    static func url(_ map: YAMLMapping, _ key: String, required: Bool = false, log: inout DiagnosticLog)
        -> String?
    {
        guard let value = map.scalar(key, required: required, log: &log, example: "https://…") else { return nil }
        switch WebAddress.check(value.value) {
        case .valid(let address): return address
        case .invalid(let problem):
            log.error(map.file, value.line, value.column, "\(map.prefix)\(key): \(problem)")
            return nil
        }
    }

    static func parseSchedule(_ map: YAMLMapping, log: inout DiagnosticLog) -> Schedule? {
        map.checkKeys(["rule", "time", "timezone", "also_in", "registration", "until"], log: &log)
        var rule: ScheduleRule?
        if let text = map.scalar("rule", required: true, log: &log, example: "2nd Tuesday") {
            rule = ScheduleRule(text: text.value)
            if rule == nil {
                log.error(
                    map.file, text.line, text.column,
                    "schedule.rule \"\(text.value)\" is not understood; write which weekday of the month, such as \"2nd Tuesday\" or \"last Thursday\""
                )
            }
        }
        var time: LocalTime?
        if let text = map.scalar("time", required: true, log: &log, example: "\"10:00\"") {
            time = LocalTime(text: text.value)
            if time == nil {
                log.error(
                    map.file, text.line, text.column,
                    "schedule.time \"\(text.value)\" is not a time; write it on a 24-hour clock as \"10:00\" or \"15:30\""
                )
            }
        }
        var zone: String?
        if let text = map.scalar("timezone", required: true, log: &log, example: "America/New_York") {
            zone = TimeZoneName.check(
                text.value, field: "schedule.timezone", file: map.file, line: text.line, column: text.column, log: &log)
        }
        var alsoIn: [String] = []
        for item in map.list("also_in", log: &log) {
            guard let name = item.node.scalar.map({ String($0.string.trimmedSpaces) }), !name.isEmpty else {
                log.error(
                    map.file, item.line, item.column, "schedule.also_in lists time zones by name, such as Europe/London"
                )
                continue
            }
            if let checked = TimeZoneName.check(
                name, field: "schedule.also_in", file: map.file, line: item.line, column: item.column, log: &log)
            {
                alsoIn.append(checked)
            }
        }
        let registration = url(map, "registration", log: &log)
        guard let rule, let time, let zone else { return nil }
        var until: LocalDate?
        if let value = map.scalar("until", log: &log) {
            until = LocalDate(iso: value.value)
            if until == nil {
                log.error(
                    map.file, value.line, value.column,
                    "schedule.until \"\(value.value)\" is not a date; write the last day calls are held, as YYYY-MM-DD (2020-03-10)"
                )
            }
        }
        var schedule = Schedule(rule: rule, time: time, timezone: zone, alsoIn: alsoIn, registration: registration)
        schedule.until = until
        return schedule
    }

    static func parsePetition(_ map: YAMLMapping, log: inout DiagnosticLog) -> Petition? {
        let titles = translations(map, of: "title", log: &log)
        let translated = map.mapping.compactMap { $0.0.string }.filter {
            $0.hasPrefix("title_") && LanguageTag.normalised(String($0.dropFirst(6))) != nil
        }
        map.checkKeys(["title", "goal", "url", "sources"] + translated, log: &log)
        let title = map.scalar("title", required: true, log: &log, example: "Justice For All petition")?.value
        var goal: Int?
        if let text = map.scalar("goal", required: true, log: &log, example: "100000") {
            goal = WholeNumber.parse(text.value)
            if goal == nil || goal == 0 {
                log.error(
                    map.file, text.line, text.column,
                    "petition.goal \"\(text.value)\" is not a number of signatures; write a whole number above zero, such as 100000"
                )
                goal = nil
            }
        }
        let address = url(map, "url", log: &log)
        guard let title, let goal else { return nil }
        var petition = Petition(title: title, titles: titles, goal: goal, url: address)
        // `sources: {walks: {name_fr: marches, name_es: caminatas}}`: how
        // the workbook names petition.csv's sources in other languages.
        if let sources = map.mapping("sources", log: &log) {
            for (keyNode, valueNode) in sources.mapping {
                guard let source = keyNode.string?.trimmedSpaces, !source.isEmpty else { continue }
                guard let names = valueNode.mapping else {
                    let at = sources.location(valueNode)
                    log.error(
                        map.file, at.line, at.column,
                        "petition.sources.\(source) gives the source's name in other languages: {name_fr: …, name_es: …}"
                    )
                    continue
                }
                let entry = YAMLMapping(
                    file: map.file, lineOffset: map.lineOffset, mapping: names, line: sources.line,
                    column: sources.column, prefix: "petition.sources.\(source).")
                petition.sourceNames[String(source)] = translations(entry, of: "name", log: &log)
            }
        }
        return petition
    }

    /// The `<key>_<tag>` values of `map` (`title_fr: …`), by normalised
    /// tag; a French one with an ordinary space before `: ; ? !` gets a
    /// warning (``FrenchSpacing``).
    static func translations(_ map: YAMLMapping, of key: String, log: inout DiagnosticLog) -> [String: String] {
        var found: [String: String] = [:]
        for (keyNode, valueNode) in map.mapping {
            guard let name = keyNode.string, name.hasPrefix(key + "_"),
                let tag = LanguageTag.normalised(String(name.dropFirst(key.count + 1))),
                let text = valueNode.scalar?.string.trimmedSpaces, !text.isEmpty
            else { continue }
            let at = map.location(valueNode)
            if text.contains(where: \.isNewline) {
                log.error(
                    map.file, at.line, at.column, "\(map.prefix)\(name) must be on one line; remove the line break")
                continue
            }
            found[tag] = String(text)
            if tag.hasPrefix("fr"), let first = FrenchSpacing.plainSpaces(in: String(text)).first {
                log.warning(map.file, at.line, at.column, FrenchSpacing.warning(first.sign))
            }
        }
        return found
    }

}

extension String {
    /// Runs of white space, line breaks included, as one space.
    var oneLineText: String { split(whereSeparator: \.isWhitespace).joined(separator: " ") }
}
