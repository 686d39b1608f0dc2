/// Who the coalition is and how it meets: `coalition.yaml`.
public struct Coalition: Sendable {
    /// A labelled link, such as the coalition's Twitter page.
    public struct Link: Sendable, Equatable {
        /// What the reader sees, such as `Twitter`.
        public var label: String
        /// The address.
        public var url: String
    }

    /// When calls happen.
    public struct Schedule: Sendable {
        /// The default day of each month.
        public var rule: ScheduleRule
        /// The default start time, in `timezone`.
        public var time: LocalTime
        /// The IANA time zone the coalition keeps its calendar in.
        public var timezone: String
        /// IANA zones in which to show the start of the next call.
        public var alsoIn: [String]
        /// Where to sign up for calls.
        public var registration: String?
        /// The last day the rule gives calls for (`schedule.until`): after
        /// it only call files are calls, and the digest invents none.
        public var until: LocalDate? = nil
    }

    /// The petition whose signatures the digest counts.
    public struct Petition: Sendable {
        /// The petition's title.
        public var title: String
        /// The title in other languages, by tag (`title_fr`).
        public var titles: [String: String] = [:]
        /// The number of signatures aimed for.
        public var goal: Int
        /// Where to sign.
        public var url: String?
        /// The names of `petition.csv`'s sources in other languages
        /// (`sources: {walks: {name_fr: marches}}`), by source, then tag.
        public var sourceNames: [String: [String: String]] = [:]
    }

    /// How the digest is mailed.
    public struct Mail: Sendable {
        /// The sender, such as `Justice For All <coalition@example.org>`.
        public var from: String
        /// The list address.
        public var to: String
        /// The https unsubscribe page.
        public var unsubscribe: String?
        /// Where past digests are published.
        public var archive: String?
        /// The coalition's postal address, printed in the footer: bulk mail
        /// must carry one (CAN-SPAM in the US; Mailchimp's rules).
        public var postalAddress: String?
        /// Where a member manages their subscription.
        public var preferences: String?
        /// How a visitor of the web archive joins the list: a sign-up page
        /// (`https://…`) or an address to write to (`mailto:…`); nil for no
        /// offer.
        public var subscribe: String? = nil
        /// The subject line as a Mustache line over the view model
        /// (`{{coalition.name}} — {{period.month_name}}: {{call.title}}`),
        /// with where it stands in `coalition.yaml`; nil for the default.
        public var subject: Pattern?
        /// Where the member list is: a path relative to the data folder, or
        /// absolute (a real list kept outside the repository); nil for
        /// `members.csv` in the data folder.
        public var members: String? = nil
        /// How members are greeted, in the coalition's language: either the
        /// greeting for everyone without a name (`Dear friends,`; members
        /// with a name get the catalogue's "Dear {name},"), or a pattern
        /// naming them, `Dear {{first_name}},` or `Dear {{name}},` (the
        /// `first_name` or `name` column, each standing in for the other
        /// where empty; members with neither get the catalogue's neutral
        /// greeting). Nil for the catalogue's greetings.
        public var greeting: String? = nil

        /// The placeholders a greeting may hold.
        public static let greetingPlaceholders = ["{{first_name}}", "{{name}}"]

        /// True when `greeting` names the member (holds a placeholder).
        public var greetingNamesMember: Bool { greeting.map { $0.contains("{{") } ?? false }

        /// Why `greeting` cannot be used, or nil: a `{{` that is not one
        /// of ``greetingPlaceholders``.
        public static func greetingProblem(_ greeting: String) -> String? {
            var rest = greeting
            for placeholder in greetingPlaceholders { rest = rest.replacing(placeholder, with: "") }
            guard rest.contains("{{") || rest.contains("}}") else { return nil }
            return
                "mail.greeting can name the member only as {{first_name}} or {{name}}, such as \"Dear {{first_name}},\"; check the braces"
        }
        /// A file holding the unsubscribe secret, outside the data folder;
        /// the environment's `DIGEST_UNSUBSCRIBE_SECRET` comes first.
        public var unsubscribeSecretFile: String? = nil
        /// The mail relay `digest send` submits to.
        public var smtp: SMTPRelay? = nil
        /// A sendmail program to hand each message to instead of a relay.
        public var sendmail: String? = nil
        /// How often a message refused for now is tried again.
        public var retry = Retry()
        /// The mailbox that receives bounces (`mail.bounces`): each message's
        /// envelope sender becomes `local+TAG@domain` (VERP), so a delivery
        /// report names its member; nil to use the `from` address.
        public var bounces: String? = nil
        /// When bounces suppress a member.
        public var bounceLimits = BounceLimits()
        /// The list's identity (`mail.list_id`, lower case), when set: the
        /// `List-Id` of its messages and what its state is kept under. When
        /// not set it comes from `to` (`coalition@lists.example.org` →
        /// `coalition.lists.example.org`).
        public var listID: String? = nil
        /// The keys `digest send` signs each member's message with
        /// (`mail.dkim`), in order; empty when the relay signs, or nothing does.
        public var dkim: [DKIMSetting] = []
        /// The providers whose event webhooks `digest serve` answers.
        public var webhooks = WebhookSettings()
    }

    /// When bounces suppress a member (`mail.bounce_limits`).
    public struct BounceLimits: Sendable, Equatable {
        /// Hard bounces (no such mailbox or domain) that suppress: 1.
        public var hard: Int
        /// Soft bounces that suppress …
        public var soft: Int
        /// … among the member's last this many sends.
        public var ofLast: Int

        /// One hard bounce, or soft bounces in 3 of the last 5 sends.
        public init(hard: Int = 1, soft: Int = 3, ofLast: Int = 5) {
            self.hard = hard
            self.soft = soft
            self.ofLast = ofLast
        }
    }

    /// A mail relay for submission (`mail.smtp`).
    public struct SMTPRelay: Sendable, Equatable {
        /// How the connection is protected.
        public enum Security: String, Sendable, CaseIterable {
            /// Plain TCP, upgraded with STARTTLS before anything is sent (port 587).
            case starttls
            /// TLS from the first byte (port 465).
            case tls
            /// No encryption: only to a relay on this machine (127.0.0.1, ::1, localhost).
            case none
        }
        /// The relay's host name or address.
        public var host: String
        /// Its port: 587 for starttls, 465 for tls, 25 for none unless given.
        public var port: Int
        /// How the connection is protected.
        public var security: Security
        /// The user to log in as; nil to send without AUTH. The password is
        /// read from `DIGEST_SMTP_PASSWORD`, never from a file in the data.
        public var username: String?
        /// A PEM file of certificates to trust besides the system's (a
        /// relay with its own certificate authority); nil for the system's only.
        public var certificateAuthority: String?
        /// Seconds to wait for each reply before giving up on the connection.
        public var timeout: Double
        /// Seconds to wait for the reply to the end of a message (RFC 5321
        /// gives ten minutes). No reply by then leaves the message
        /// `uncertain`: the relay may have taken it.
        public var dataTimeout: Double
        /// How many SMTP sessions a send opens at once (`connections`,
        /// default 4).
        public var connections: Int = 4
        /// At most this many messages a second across all sessions
        /// (`per_second`); nil for as fast as the relay takes them.
        /// `digest send --rate` takes its place for one run.
        public var perSecond: Double? = nil
        /// Messages a session carries before it is closed and a new one
        /// opened (`per_connection`); nil for no limit of ours.
        public var perConnection: Int? = nil

        /// A relay (tests make their own).
        public init(
            host: String, port: Int, security: Security, username: String? = nil,
            certificateAuthority: String? = nil, timeout: Double = 60, dataTimeout: Double = 600
        ) {
            self.host = host
            self.port = port
            self.security = security
            self.username = username
            self.certificateAuthority = certificateAuthority
            self.timeout = timeout
            self.dataTimeout = dataTimeout
        }
    }

    /// How a temporary refusal (4xx, a dropped connection) is retried.
    public struct Retry: Sendable, Equatable {
        /// Attempts in all before the message is given up as failed.
        public var attempts: Int
        /// Seconds before the second attempt; each later wait doubles, to at most an hour.
        public var wait: Double

        /// Five attempts, the first retry after 30 seconds.
        public init(attempts: Int = 5, wait: Double = 30) {
            self.attempts = attempts
            self.wait = wait
        }

        /// Seconds to wait after `attempts` failed attempts.
        public func delay(after attempts: Int) -> Double {
            min(3600, wait * Double(1 << min(max(attempts - 1, 0), 20)))
        }
    }

    /// A one-line Mustache pattern from `coalition.yaml`, with its place.
    public struct Pattern: Sendable {
        /// The pattern as written.
        public var text: String
        /// The file, as named in diagnostics.
        public var file: String
        /// Line of the value.
        public var line: Int
        /// Column of the value.
        public var column: Int

        /// Creates a pattern (tests make their own).
        public init(text: String, file: String, line: Int, column: Int) {
            self.text = text
            self.file = file
            self.line = line
            self.column = column
        }
    }

    /// The coalition's name.
    public var name: String
    /// The organisation running it.
    public var organizer: String?
    /// The coalition's website.
    public var website: String?
    /// Social and other links.
    public var links: [Link]
    /// The campaign hashtag, without the `#`.
    public var hashtag: String?
    /// The call schedule.
    public var schedule: Schedule
    /// The petition, if the coalition runs one.
    public var petition: Petition?
    /// Mail settings, if digests are mailed.
    public var mail: Mail?
    /// The names of the frameworks commitments are made under; nil when
    /// `coalition.yaml` gives none (then any framework text is accepted).
    public var frameworks: FrameworkList? = nil
    /// How many countries present a VNR each year, from the UN's list
    /// (`vnr_presenting:`); empty when not given.
    public var vnrPresenting: [PresentingCount] = []
    /// Where the list's state is kept (send ledgers, suppressions), as
    /// written in `coalition.yaml` (`state:`): a folder, absolute or
    /// relative to the data folder, or a PostgreSQL database; nil for the
    /// folder `state` beside the data folder.
    public var state: StateLocation? = nil
    /// The file holding the database's password (`state_password_file:`),
    /// absolute or relative to the data folder; read only for a database.
    public var statePasswordFile: String? = nil

    /// The language digests are written in when a member's is not one of
    /// ``languages`` (`language:`, default `en`).
    public var language = "en"
    /// The languages the coalition writes in (`languages:`), the default
    /// first; each needs a catalogue in `templates/words/`.
    public var languages = ["en"]
    /// The coalition's own sections of the newsletter (`sections:`), in order.
    public var sections: [NewsletterSection] = []

    /// The language `member` reads their digest in: their own when the
    /// coalition writes in it, else the default.
    public func language(for member: Member) -> String {
        guard let own = member.language.flatMap(LanguageTag.normalised), languages.contains(own) else {
            return language
        }
        return own
    }

    /// How many countries present in `year`; nil when not given.
    public func presenting(in year: Int) -> Int? {
        vnrPresenting.first { $0.year == year }?.count
    }
}

extension Coalition.SMTPRelay {
    /// True for an address on this machine: `localhost`, 127.0.0.0/8 or `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
