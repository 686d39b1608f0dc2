import Foundation

/// Checks IANA time-zone names against the tz database Foundation carries.
enum TimeZoneName {
    static let known: [String] = TimeZone.knownTimeZoneIdentifiers

    /// The name when the tz database knows it; otherwise nil after an error
    /// that suggests the nearest known name.
    static func check(
        _ name: String, field: String, file: String, line: Int, column: Int, log: inout DiagnosticLog
    ) -> String? {
        if TimeZone(identifier: name) != nil, name.contains("/") || name == "UTC" { return name }
        let hint =
            Suggestion.nearest(to: name, in: known).map { "did you mean \"\($0)\"? " }
            ?? bySuffix(name).map { "did you mean \"\($0)\"? " } ?? ""
        log.error(
            file, line, column,
            "\(field) \"\(name)\" is not a time zone of the tz database; \(hint)write it as Region/City, such as Europe/London or Asia/Kolkata"
        )
        return nil
    }

    /// Whether the tz database knows `name` as a zone (Region/City, or UTC).
    static func isKnown(_ name: String) -> Bool {
        TimeZone(identifier: name) != nil && (name.contains("/") || name == "UTC")
    }

    /// The nearest known name, for a hint: `Nairobi` -> `Africa/Nairobi`.
    static func suggestion(_ name: String) -> String? {
        Suggestion.nearest(to: name, in: known) ?? bySuffix(name)
    }

    /// `Nairobi` -> `Africa/Nairobi`.
    private static func bySuffix(_ name: String) -> String? {
        let city = name.replacingOccurrences(of: " ", with: "_").lowercased()
        return known.first { $0.lowercased().hasSuffix("/" + city) }
    }
}
