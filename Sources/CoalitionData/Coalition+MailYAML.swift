import Foundation
import MIME

extension Coalition {
    static func parseMail(_ map: YAMLMapping, log: inout DiagnosticLog) -> Mail? {
        map.checkKeys(
            [
                "from", "to", "unsubscribe", "archive", "postal_address", "preferences", "subscribe", "subject",
                "members",
                "greeting", "unsubscribe_secret_file", "smtp", "sendmail", "retry", "bounces", "bounce_limits",
                "list_id", "dkim", "webhooks",
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
        let fromDomain = from.flatMap { try? MailAddress(parsing: $0).domain }
        let dkim = parseDKIM(map, fromDomain: fromDomain, log: &log)
        let webhooks = map.mapping("webhooks", log: &log).map { parseWebhooks($0, log: &log) } ?? WebhookSettings()
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
        mail.dkim = dkim
        mail.webhooks = webhooks
        return mail
    }

    static func parseBounceLimits(_ map: YAMLMapping, log: inout DiagnosticLog) -> BounceLimits {
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

    static func parseSMTP(_ map: YAMLMapping, log: inout DiagnosticLog) -> SMTPRelay? {
        map.checkKeys(
            [
                "host", "port", "security", "username", "certificate_authority", "timeout", "data_timeout",
                "connections", "per_second", "per_connection",
            ], log: &log)
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
        var relay = SMTPRelay(
            host: host.value, port: port, security: security, username: map.scalar("username", log: &log)?.value,
            certificateAuthority: map.scalar("certificate_authority", log: &log)?.value, timeout: timeout,
            dataTimeout: dataTimeout)
        guard parsePace(map, into: &relay, log: &log) else { return nil }
        return relay
    }

    /// `connections`, `per_second` and `per_connection`: how many sessions
    /// at once, and the relay's limits (a provider's published rate, its
    /// messages a connection). False after an error at its place.
    static func parsePace(_ map: YAMLMapping, into relay: inout SMTPRelay, log: inout DiagnosticLog) -> Bool {
        /// The value at `key`, when `read` takes it; else an error at its place.
        func number<T>(_ key: String, _ read: (String) -> T?, problem: String) -> (found: Bool, value: T?) {
            guard let value = map.scalar(key, log: &log) else { return (true, nil) }
            guard let number = read(value.value) else {
                log.error(map.file, value.line, value.column, "mail.smtp.\(key) \"\(value.value)\" \(problem)")
                return (false, nil)
            }
            return (true, number)
        }
        let connections = number(
            "connections", { WholeNumber.parse($0).flatMap { (1...64).contains($0) ? $0 : nil } },
            problem: "is not a number of sessions; write a whole number from 1 to 64, such as 4")
        let perSecond = number(
            "per_second",
            { Double($0.replacingOccurrences(of: ",", with: "")).flatMap { $0 > 0 && $0 <= 100_000 ? $0 : nil } },
            problem:
                "is not a number of messages a second; write one above 0, such as 14 (Amazon SES's default) or 0.5")
        let perConnection = number(
            "per_connection", { WholeNumber.parse($0).flatMap { (1...10_000_000).contains($0) ? $0 : nil } },
            problem: "is not a number of messages; write a whole number from 1, such as 100")
        guard connections.found, perSecond.found, perConnection.found else { return false }
        if let value = connections.value { relay.connections = value }
        relay.perSecond = perSecond.value
        relay.perConnection = perConnection.value
        return true
    }

    static func parseRetry(_ map: YAMLMapping, log: inout DiagnosticLog) -> Retry {
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
