/// A country as ISO 3166-1 names it, with its UN M49 region.
public struct Country: Hashable, Sendable, Codable {
    /// Two-letter code, such as `KE`.
    public let alpha2: String
    /// Three-letter code, such as `KEN`.
    public let alpha3: String
    /// Short English name, such as `Kenya`.
    public let name: String
    /// UN M49 region: Africa, Americas, Asia, Europe or Oceania.
    public let region: String
    /// UN M49 sub-region, such as `Eastern Africa`.
    public let subregion: String
    /// The IANA time zone of its capital (`Africa/Nairobi`): a member's
    /// local time when they gave none; nil for an uninhabited territory.
    public var timezone: String? = nil

    /// Creates a country.
    public init(
        alpha2: String, alpha3: String, name: String, region: String, subregion: String, timezone: String? = nil
    ) {
        self.alpha2 = alpha2
        self.alpha3 = alpha3
        self.name = name
        self.region = region
        self.subregion = subregion
        self.timezone = timezone
    }
}
