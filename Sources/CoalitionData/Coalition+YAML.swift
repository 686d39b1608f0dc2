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
                "vnr_presenting", "state", "language", "languages",
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
        var state: String?
        if let value = root.scalar("state", log: &log) {
            if value.value.contains(where: \.isNewline) || value.value.trimmingCharacters(in: .whitespaces).isEmpty {
                log.error(
                    file, value.line, value.column,
                    "state must be a folder on one line, such as /var/lib/coalition-digest or ../state")
            } else {
                state = value.value
            }
        }
        let (language, languages) = parseLanguages(root, log: &log)
        guard let name, let schedule else { return nil }
        var coalition = Coalition(
            name: name, organizer: organizer, website: website, links: links, hashtag: hashtag,
            schedule: schedule, petition: petition, mail: mail, frameworks: frameworks,
            vnrPresenting: presenting ?? [])
        coalition.state = state
        coalition.language = language
        coalition.languages = languages
        return coalition
    }

    /// `language:` (the default, `en`) and `languages:` (those the
    /// coalition writes in; the default is always one of them, first).
    private static func parseLanguages(_ root: YAMLMapping, log: inout DiagnosticLog) -> (String, [String]) {
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
    private static func parseFrameworks(_ map: YAMLMapping, log: inout DiagnosticLog) -> FrameworkList {
        var list = FrameworkList()
        for (keyNode, _) in map.mapping {
            guard let name = keyNode.scalar.map({ String($0.string.trimmedSpaces) }), !name.isEmpty else { continue }
            let at = map.location(keyNode)
            var aliases: [String] = []
            for item in map.list(name, log: &log) {
                if let scalar = item.node.scalar, YAMLMapping.isNull(scalar) { continue }
                guard let alias = item.node.scalar.map({ String($0.string.trimmedSpaces) }) else {
                    log.error(
                        map.file, item.line, item.column,
                        "frameworks.\(name) lists other names for it, one word or phrase each: [OGP, OGP action plan]")
                    continue
                }
                if !alias.isEmpty { aliases.append(alias) }
            }
            for clash in list.add(FrameworkList.Entry(name: name, aliases: aliases)) {
                log.error(
                    map.file, at.line, at.column,
                    "\"\(clash.spelling)\" is already a name for \(clash.takenBy); a spelling can mean only one framework"
                )
            }
        }
        return list
    }

    private static func url(_ map: YAMLMapping, _ key: String, required: Bool = false, log: inout DiagnosticLog)
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

    private static func parseSchedule(_ map: YAMLMapping, log: inout DiagnosticLog) -> Schedule? {
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

    private static func parsePetition(_ map: YAMLMapping, log: inout DiagnosticLog) -> Petition? {
        map.checkKeys(["title", "goal", "url"], log: &log)
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
        return Petition(title: title, goal: goal, url: address)
    }

    private static func parseMail(_ map: YAMLMapping, log: inout DiagnosticLog) -> Mail? {
        map.checkKeys(
            [
                "from", "to", "unsubscribe", "archive", "postal_address", "preferences", "subscribe", "subject",
                "members",
                "greeting", "unsubscribe_secret_file", "smtp", "sendmail", "retry", "bounces", "bounce_limits",
                "list_id",
            ], log: &log)
        func address(_ key: String) -> String? {
            guard let value = map.scalar(key, required: true, log: &log, example: "Name <list@example.org>") else {
                return nil
            }
            if value.value.contains(where: { $0.isNewline }) {
                log.error(map.file, value.line, value.column, "mail.\(key) must be on one line")
                return nil
            }
            do {
                _ = try MailAddress(parsing: value.value)
            } catch {
                let reason: String
                switch error {
                case .invalidAddress(_, let why): reason = why
                case .lineBreak: reason = "it runs over more than one line"
                }
                log.error(
                    map.file, value.line, value.column,
                    "mail.\(key) \"\(value.value)\" is not an email address: \(reason); write it as name@example.org or Name <name@example.org>"
                )
                return nil
            }
            return value.value
        }
        let from = address("from")
        let to = address("to")
        var unsubscribe: String?
        if let value = map.scalar("unsubscribe", log: &log) {
            switch WebAddress.check(value.value) {
            case .invalid(let problem):
                log.error(map.file, value.line, value.column, "mail.unsubscribe: \(problem)")
            case .valid(let address) where address.lowercased().hasPrefix("http://"):
                log.error(
                    map.file, value.line, value.column,
                    "mail.unsubscribe must be an https:// page (or a mailto: address); mail providers ignore plain http links"
                )
            case .valid(let address):
                unsubscribe = address
            }
        }
        let archive = url(map, "archive", log: &log)
        let preferences = url(map, "preferences", log: &log)
        let subscribe = url(map, "subscribe", log: &log)
        let postalAddress = map.scalar("postal_address", log: &log)?.value.oneLineText
        if postalAddress == nil {
            log.warning(
                map.file, map.line, map.column,
                "mail.postal_address is missing: bulk mail must carry the sender's postal address (US law and Mailchimp's rules); add a line \"postal_address: Street, City, Country\""
            )
        }
        var subject: Pattern?
        if let value = map.scalar("subject", log: &log) {
            if value.value.contains(where: \.isNewline) {
                log.error(map.file, value.line, value.column, "mail.subject must be on one line")
            } else {
                subject = Pattern(text: value.value, file: map.file, line: value.line, column: value.column)
            }
        }
        let members = map.scalar("members", log: &log)?.value
        var greeting: String?
        if let value = map.scalar("greeting", log: &log) {
            if value.value.contains(where: \.isNewline) {
                log.error(
                    map.file, value.line, value.column, "mail.greeting must be on one line, such as \"Dear friends,\"")
            } else if let problem = Mail.greetingProblem(value.value) {
                log.error(map.file, value.line, value.column, problem)
            } else {
                greeting = value.value.oneLineText
            }
        }
        let secretFile = map.scalar("unsubscribe_secret_file", log: &log)?.value
        let smtp = map.mapping("smtp", log: &log).flatMap { parseSMTP($0, log: &log) }
        let sendmail = map.scalar("sendmail", log: &log)
        if let sendmail, !sendmail.value.hasPrefix("/") {
            log.error(
                map.file, sendmail.line, sendmail.column,
                "mail.sendmail must be the program's full path, such as /usr/sbin/sendmail")
        }
        if smtp != nil, let sendmail {
            log.error(
                map.file, sendmail.line, sendmail.column,
                "mail.smtp and mail.sendmail are both set; keep the one digest send should use")
        }
        let retry = map.mapping("retry", log: &log).map { parseRetry($0, log: &log) } ?? Retry()
        var bounces: String?
        if let value = map.scalar("bounces", log: &log) {
            if let problem = MailAddress.addressProblem(value.value) {
                log.error(
                    map.file, value.line, value.column,
                    "mail.bounces \"\(value.value)\" is not an address: \(problem); write the mailbox that receives bounces, such as bounces@lists.example.org"
                )
            } else if value.value.contains("+") {
                log.error(
                    map.file, value.line, value.column,
                    "mail.bounces must not hold a +: digest send adds +TAG to it for each message; write the mailbox itself, such as bounces@lists.example.org"
                )
            } else {
                bounces = value.value
            }
        }
        let limits = map.mapping("bounce_limits", log: &log).map { parseBounceLimits($0, log: &log) } ?? BounceLimits()
        var listID: String?
        if let value = map.scalar("list_id", log: &log) {
            if let id = ListID(value.value) {
                listID = id.value
            } else {
                log.error(
                    map.file, value.line, value.column,
                    "mail.list_id \"\(value.value)\" is not a list ID: write dot-separated words of letters, digits and -, such as coalition.lists.example.org (RFC 2919); or leave it out to use mail.to's"
                )
            }
        }
        guard let from, let to else { return nil }
        var mail = Mail(
            from: from, to: to, unsubscribe: unsubscribe, archive: archive, postalAddress: postalAddress,
            preferences: preferences, subject: subject, members: members)
        mail.greeting = greeting
        mail.subscribe = subscribe
        mail.unsubscribeSecretFile = secretFile
        mail.smtp = smtp
        mail.sendmail = sendmail?.value
        mail.retry = retry
        mail.bounces = bounces
        mail.bounceLimits = limits
        mail.listID = listID
        return mail
    }

    private static func parseBounceLimits(_ map: YAMLMapping, log: inout DiagnosticLog) -> BounceLimits {
        map.checkKeys(["hard", "soft", "of_last"], log: &log)
        var limits = BounceLimits()
        for (key, example) in [("hard", 1), ("soft", 3), ("of_last", 5)] {
            guard let value = map.scalar(key, log: &log) else { continue }
            guard let number = WholeNumber.parse(value.value), (1...100).contains(number) else {
                log.error(
                    map.file, value.line, value.column,
                    "mail.bounce_limits.\(key) \"\(value.value)\" is not a number from 1 to 100; write one such as \(example)"
                )
                continue
            }
            switch key {
            case "hard": limits.hard = number
            case "soft": limits.soft = number
            default: limits.ofLast = number
            }
        }
        if limits.soft > limits.ofLast, let at = map.keyLocation("soft") {
            log.error(
                map.file, at.line, at.column,
                "mail.bounce_limits.soft (\(limits.soft)) is more than of_last (\(limits.ofLast)): no member could reach it; make soft at most of_last"
            )
        }
        return limits
    }

    private static func parseSMTP(_ map: YAMLMapping, log: inout DiagnosticLog) -> SMTPRelay? {
        map.checkKeys(
            ["host", "port", "security", "username", "certificate_authority", "timeout", "data_timeout"], log: &log)
        let host = map.scalar("host", required: true, log: &log, example: "smtp.example.org")
        var security = SMTPRelay.Security.starttls
        if let value = map.scalar("security", log: &log) {
            if let known = SMTPRelay.Security(rawValue: value.value.lowercased()) {
                security = known
            } else {
                log.error(
                    map.file, value.line, value.column,
                    "mail.smtp.security \"\(value.value)\" is not one of starttls (port 587), tls (port 465) or none (a relay on this machine only)"
                )
                return nil
            }
        }
        var port: Int
        switch security {
        case .starttls: port = 587
        case .tls: port = 465
        case .none: port = 25
        }
        if let value = map.scalar("port", log: &log) {
            guard let number = WholeNumber.parse(value.value), (1...65535).contains(number) else {
                log.error(
                    map.file, value.line, value.column,
                    "mail.smtp.port \"\(value.value)\" is not a port; write a number from 1 to 65535, such as 587")
                return nil
            }
            port = number
        }
        var timeout = 60.0
        var dataTimeout = 600.0
        for (key, example) in [("timeout", 60), ("data_timeout", 600)] {
            guard let value = map.scalar(key, log: &log) else { continue }
            guard let seconds = Double(value.value), seconds > 0, seconds <= 3600 else {
                log.error(
                    map.file, value.line, value.column,
                    "mail.smtp.\(key) \"\(value.value)\" is not a number of seconds; write one from 1 to 3600, such as \(example)"
                )
                return nil
            }
            if key == "timeout" { timeout = seconds } else { dataTimeout = seconds }
        }
        guard let host else { return nil }
        if security == .none, !SMTPRelay.isLoopback(host.value) {
            log.error(
                map.file, host.line, host.column,
                "mail.smtp.security is none, which sends passwords and members' addresses unencrypted; it is allowed only for a relay on this machine (127.0.0.1, ::1 or localhost), not \(host.value). Use starttls or tls"
            )
            return nil
        }
        return SMTPRelay(
            host: host.value, port: port, security: security, username: map.scalar("username", log: &log)?.value,
            certificateAuthority: map.scalar("certificate_authority", log: &log)?.value, timeout: timeout,
            dataTimeout: dataTimeout)
    }

    private static func parseRetry(_ map: YAMLMapping, log: inout DiagnosticLog) -> Retry {
        map.checkKeys(["attempts", "wait"], log: &log)
        var retry = Retry()
        if let value = map.scalar("attempts", log: &log) {
            if let number = WholeNumber.parse(value.value), (1...100).contains(number) {
                retry.attempts = number
            } else {
                log.error(
                    map.file, value.line, value.column,
                    "mail.retry.attempts \"\(value.value)\" is not a number of attempts; write one from 1 to 100, such as 5"
                )
            }
        }
        if let value = map.scalar("wait", log: &log) {
            if let seconds = Double(value.value), seconds >= 0, seconds <= 3600 {
                retry.wait = seconds
            } else {
                log.error(
                    map.file, value.line, value.column,
                    "mail.retry.wait \"\(value.value)\" is not a number of seconds; write one from 0 to 3600, such as 30"
                )
            }
        }
        return retry
    }
}

extension String {
    /// Runs of white space, line breaks included, as one space.
    var oneLineText: String { split(whereSeparator: \.isWhitespace).joined(separator: " ") }
}
