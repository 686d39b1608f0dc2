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
    }

    /// The petition whose signatures the digest counts.
    public struct Petition: Sendable {
        /// The petition's title.
        public var title: String
        /// The number of signatures aimed for.
        public var goal: Int
        /// Where to sign.
        public var url: String?
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
        /// The subject line as a Mustache line over the view model
        /// (`{{coalition.name}} — {{period.month_name}}: {{call.title}}`),
        /// with where it stands in `coalition.yaml`; nil for the default.
        public var subject: Pattern?
        /// Where the member list is: a path relative to the data folder, or
        /// absolute (a real list kept outside the repository); nil for
        /// `members.csv` in the data folder.
        public var members: String? = nil
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

    /// How many countries present in `year`; nil when not given.
    public func presenting(in year: Int) -> Int? {
        vnrPresenting.first { $0.year == year }?.count
    }
}
