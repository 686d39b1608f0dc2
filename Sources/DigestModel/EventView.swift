/// An event.
public struct EventView: Codable, Sendable, Equatable {
    /// The title, or null.
    public var title: String
    /// First day, `YYYY-MM-DD`.
    public var start: String
    /// Last day, or null for one day.
    public var end: String?
    /// `29 April – 2 May 2019`.
    public var datesText: String
    /// Where, or null.
    public var location: String?
    /// The address.
    public var url: String?
    /// The day the coalition first heard of it, `YYYY-MM-DD`, or null when
    /// known from the start.
    public var announced: String?
    /// The title's language tag when it is not the digest's (`lang`), else null.
    public var titleLang: String?
    /// The place's language tag when it is not the digest's, else null.
    public var locationLang: String? = nil
    /// The country it is held in, ISO alpha-2, when its place names one.
    public var countryCode: String? = nil
    /// That country's name in the digest's language.
    public var country: String? = nil
}
