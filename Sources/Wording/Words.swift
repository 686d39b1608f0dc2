import CoalitionData
import Foundation
import Synchronization

/// Every word the program writes for readers, in one language: the
/// sentences, labels and plurals of a ``Catalogue``, and the dates,
/// numbers and lists the platform's locale data (Foundation on ICU) makes
/// for that language's locale.
///
/// Adding a language is adding a catalogue (`templates/words/<tag>.po`):
/// no Swift changes. Protocol text (the `Date:` header, calendar files)
/// does not come from here; the modules that own those formats keep fixed
/// tables.
///
/// A key missing from the catalogue gives `⟦key⟧`, so a gap shows in the
/// output instead of stopping it; `digest check` and the tests look for them.
public struct Words: Sendable {
    /// The language tag, the catalogue's file name (`en`, `fr`).
    public let language: String
    /// The locale dates, numbers and lists are formatted for (the
    /// catalogue's `Language:` header, such as `en_GB`).
    public let locale: Locale
    /// How counted entries choose their form.
    public let plural: PluralRule
    private let texts: [String: [String]]
    /// The English of each entry (`msgid`), for words that must also be
    /// recognised in English (the data's own language).
    private let sources: [String: String]
    private let symbols: Symbols
    private let styles: Styles
    private let cache = LocaleCache()

    /// What is asked of ICU once and kept: time zones' city names and times of day.
    private final class LocaleCache: Sendable {
        let names = Mutex<[String: String]>([:])
        /// Times of day by minute of the day, as the locale writes them.
        let times = Mutex<[Int: String]>([:])
    }

    /// The format styles, made once: building a style (and hashing its
    /// locale to find ICU's formatter) at every number cost more than
    /// the formatting itself.
    private struct Styles: Sendable {
        var integer: IntegerFormatStyle<Int>
        var decimal: FloatingPointFormatStyle<Double>
        var percent: FloatingPointFormatStyle<Double>.Percent
        var list: ListFormatStyle<StringStyle, [String]>
    }

    /// The calendar's names, read once: each read of a `Calendar` symbol
    /// property asks ICU again.
    private struct Symbols: Sendable {
        var months: [String]
        var shortMonths: [String]
        var weekdays: [String]
        var shortWeekdays: [String]
    }

    /// The words of `catalogue`.
    ///
    /// - Throws: ``CatalogueError`` when its `Plural-Forms` header cannot
    ///   be read, or an entry has more forms than the language.
    public init(catalogue: Catalogue, language: String) throws(CatalogueError) {
        self.language = language
        // A regional tag (`es-MX`) is its own locale, whichever catalogue
        // gave its words (`es.po`, `Language: es_ES`); a bare one takes the
        // catalogue's (`fr` with `Language: fr_FR`).
        let regional = language.contains("-") || language.contains("_")
        locale = Locale(identifier: regional ? language : (catalogue.header["Language"] ?? language))
        if let forms = catalogue.header["Plural-Forms"] {
            do {
                plural = try PluralRule(header: forms)
            } catch {
                throw CatalogueError(
                    file: catalogue.file, line: 1, column: 1,
                    message:
                        "the Plural-Forms header cannot be read (\(error.message)); write it as gettext does, such as \"nplurals=2; plural=(n > 1);\""
                )
            }
        } else {
            plural = .english
        }
        var texts: [String: [String]] = [:]
        var sourceTexts: [String: String] = [:]
        for entry in catalogue.entries {
            sourceTexts[entry.key] = entry.source
            let sources = [entry.source] + (entry.sourcePlural.map { [$0] } ?? [])
            var forms: [String] = []
            if entry.sourcePlural == nil {
                forms = [entry.translations.first.flatMap { $0.isEmpty ? nil : $0 } ?? entry.source]
            } else {
                for index in 0..<plural.count {
                    let translated = index < entry.translations.count ? entry.translations[index] : ""
                    // Untranslated: the English forms, singular for form 0.
                    forms.append(translated.isEmpty ? sources[min(index, 1)] : translated)
                }
            }
            texts[entry.key] = forms
        }
        self.texts = texts
        self.sources = sourceTexts
        var calendar = Calendar(identifier: .gregorian)
        calendar.locale = locale
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        styles = Styles(
            integer: .number.locale(locale), decimal: .number.precision(.fractionLength(1)).locale(locale),
            percent: .percent.precision(.fractionLength(1)).locale(locale), list: .list(type: .and).locale(locale))
        symbols = Symbols(
            months: calendar.monthSymbols, shortMonths: calendar.shortMonthSymbols,
            weekdays: calendar.weekdaySymbols, shortWeekdays: calendar.shortWeekdaySymbols)
    }

    /// The words of `language` from `folder/<language>.po`.
    public static func load(folder: String, language: String) throws(CatalogueError) -> Words {
        try Words(catalogue: Catalogue(path: catalogueFile(folder: folder, language: language)), language: language)
    }

    /// The catalogue of `language` in `folder`: its own (`pt-BR.po`, or
    /// `pt_BR.po` as gettext spells it), else the language's without the
    /// region (`pt.po`), so a regional tag needs no catalogue of its own;
    /// the dates, numbers and plural rules still follow the full tag's
    /// locale. The own file's path when there is neither (for its error).
    public static func catalogueFile(folder: String, language: String) -> String {
        let own = (folder as NSString).appendingPathComponent(language + ".po")
        var candidates = [
            own, (folder as NSString).appendingPathComponent(language.replacingOccurrences(of: "-", with: "_") + ".po"),
        ]
        let parts = language.split(whereSeparator: { $0 == "-" || $0 == "_" })
        if parts.count > 1, let primary = parts.first {
            candidates.append((folder as NSString).appendingPathComponent(primary + ".po"))
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? own
    }

    /// Whether the catalogue has `key`.
    public func has(_ key: String) -> Bool { texts[key] != nil }

    /// The English of the entry `key` (its `msgid`), whatever the language;
    /// `⟦key⟧` when the catalogue has no such entry.
    public func source(_ key: String) -> String { sources[key] ?? "⟦\(key)⟧" }

    /// A month's English name (1 is January): the data's language.
    public static func englishMonthName(_ month: Int) -> String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return names.indices.contains(month - 1) ? names[month - 1] : String(month)
    }

    /// The prefix of the entries templates use as they are (headings,
    /// labels, link texts): `t.next_call` is `{{w.next_call}}` in a template.
    public static let templatePrefix = "t."

    /// The words templates use as they are, by their name under `w`:
    /// every `t.` entry, the prefix dropped.
    public var templateWords: [String: String] {
        var words: [String: String] = [:]
        for (key, forms) in texts where key.hasPrefix(Self.templatePrefix) {
            words[String(key.dropFirst(Self.templatePrefix.count))] = forms.first ?? ""
        }
        return words
    }

    /// Whether this is the language the data's own names are written in
    /// (English: `countries.csv`'s names, the UN's region names).
    public var writesDataLanguage: Bool { locale.language.languageCode?.identifier == "en" }

    /// Whether the language puts a non-breaking space before `: ; ? !`
    /// (French).
    public var spacesHighPunctuation: Bool { locale.language.languageCode?.identifier == "fr" }

    /// `text` as the language's typography writes it: in French, a
    /// non-breaking space before `: ; ? !` (``FrenchSpacing``), what staff
    /// wrote included; elsewhere `text` itself.
    public func typeset(_ text: String) -> String {
        spacesHighPunctuation ? FrenchSpacing.apply(text) : text
    }

    /// A country's or region's name: the data's own (`english`) in English,
    /// else the locale's name for its ISO 3166 or UN M49 code (`ZA`:
    /// `Afrique du Sud`, `Sudáfrica`), the data's name when the locale has none.
    public func regionName(code: String?, english: String) -> String {
        guard !writesDataLanguage, let code, !code.isEmpty,
            let name = locale.localizedString(forRegionCode: code), name != code
        else { return english }
        return name
    }

    /// A UN region's or sub-region's name (`Africa`, `Western Africa`,
    /// `Latin America and the Caribbean`) as the locale writes it; the
    /// English name in English or when the locale has none.
    /// The catalogue's `region.<M49 code>` comes first: the UN's own name
    /// ("Amérique latine et Caraïbes", where the locale drops the Caribbean).
    public func regionName(_ english: String) -> String {
        let code = RegionCodes.m49[english]
        if !writesDataLanguage, let code, let forms = texts["region.\(code)"], let name = forms.first, name != english {
            return name
        }
        return regionName(code: code, english: english)
    }

    /// An enumerated value from the data shown to readers (a commitment's
    /// status, an actor): the catalogue's `value.<field>.<value>` when it
    /// has one, else the value as written.
    public func value(_ field: String, _ raw: String) -> String {
        let key = "value.\(field)." + raw.replacingOccurrences(of: " ", with: "_")
        guard let forms = texts[key], let first = forms.first else { return raw }
        return first
    }

    // MARK: Sentences

    /// The text of `key`, with each `{name}` replaced by `values[name]`.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        guard let forms = texts[key], let first = forms.first else { return "⟦\(key)⟧" }
        return Self.fill(first, values)
    }

    /// The form of `key` that `count` takes, with `{count}` the number as
    /// the language writes it and each other `{name}` from `values`.
    public func count(_ key: String, _ count: Int, _ values: [String: String] = [:]) -> String {
        guard let forms = texts[key], !forms.isEmpty else { return "⟦\(key)⟧" }
        var values = values
        if values["count"] == nil { values["count"] = number(count) }
        return Self.fill(forms[min(plural.form(for: count), forms.count - 1)], values)
    }

    /// `text` with each `{name}` replaced; unknown names stay as written.
    static func fill(_ text: String, _ values: [String: String]) -> String {
        guard !values.isEmpty, text.contains("{") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if let value = values[name] {
                result += value
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    // MARK: Numbers and lists

    /// `1,234,567` (`1 234 567` in French).
    public func number(_ value: Int) -> String {
        styles.integer.format(value)
    }

    /// A number from tenths, with one decimal: `2.4` (`2,4`).
    public func decimal(tenths: Int) -> String {
        styles.decimal.format(Double(tenths) / 10)
    }

    /// A percentage from tenths of a per cent: `2.9%` (`2,9 %`).
    public func percent(tenths: Int) -> String {
        styles.percent.format(Double(tenths) / 1000)
    }

    /// `text` with its first letter capitalised in the language's way: a
    /// value word alone in a cell ("In progress"), a note on a line of its own.
    public func capitalized(_ text: String) -> String {
        guard let first = text.first, String(first).uppercased(with: locale) != String(first) else { return text }
        return String(first).uppercased(with: locale) + text.dropFirst()
    }

    /// `A, B and C` (`A, B et C`).
    public func list(_ items: [String]) -> String {
        styles.list.format(items)
    }

    /// A time of day as the locale writes it (CLDR's short time): `08:00`
    /// in English and French, `8:00` in Spanish.
    public func time(_ time: LocalTime) -> String {
        let minute = time.hour * 60 + time.minute
        if let known = cache.times.withLock({ $0[minute] }) { return known }
        // The locale's own short time pattern (a style of Date.FormatStyle
        // picks its own skeleton, which differs: 8:00 for en_GB's 08:00).
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateStyle = .none
        formatter.timeStyle = .short
        let text = formatter.string(from: Date(timeIntervalSince1970: Double(minute * 60)))
        cache.times.withLock { $0[minute] = text }
        return text
    }

    // MARK: Places

    /// The city a time zone is named after, as the locale writes it (CLDR's
    /// exemplar city): `America/New_York` is `New York`, `Nueva York`;
    /// `Europe/Brussels`, `Bruxelles`. The zone's own last part
    /// (`Buenos_Aires` as `Buenos Aires`) when the locale has no name.
    public func cityName(zone: String) -> String {
        if let known = cache.names.withLock({ $0[zone] }) { return known }
        let fallback = (zone.split(separator: "/").last.map(String.init) ?? zone).replacingOccurrences(
            of: "_", with: " ")
        var name = fallback
        if let timeZone = TimeZone(identifier: zone) {
            let formatter = DateFormatter()
            formatter.locale = locale
            formatter.timeZone = timeZone
            // VVV: the exemplar city of the zone.
            formatter.dateFormat = "VVV"
            let found = formatter.string(from: Date(timeIntervalSince1970: 0))
            if !found.isEmpty, !found.hasPrefix("GMT"), !found.hasPrefix("UTC") { name = found }
        }
        cache.names.withLock { $0[zone] = name }
        return name
    }

    // MARK: Dates

    /// The month's name, as a date writes it (`June`, `juin`).
    public func monthName(_ month: Int) -> String {
        let names = symbols.months
        return names.indices.contains(month - 1) ? names[month - 1] : String(month)
    }

    /// The weekday's name (ISO: 1 is Monday): `Tuesday`, `mardi`.
    public func weekdayName(_ weekday: Int) -> String {
        symbols.weekdays[((weekday % 7) + 7) % 7]
    }

    /// A date's parts for a pattern: `{weekday}`, `{weekday_short}`,
    /// `{day}`, `{month}`, `{month_short}`, `{year}`.
    func parts(_ date: LocalDate) -> [String: String] {
        // LocalDate.weekday is ISO (Monday 1); the calendar's symbols start on Sunday.
        let weekday = date.weekday % 7
        return [
            "weekday": symbols.weekdays[weekday], "weekday_short": symbols.shortWeekdays[weekday],
            "day": String(date.day), "month": monthName(date.month),
            "month_short": symbols.shortMonths[date.month - 1], "year": String(date.year),
        ]
    }

    /// `date` by the catalogue's pattern `key` (`format.date`…).
    public func date(_ date: LocalDate, pattern key: String) -> String {
        text(key, parts(date))
    }

    /// `10 March 2020`.
    public func date(_ date: LocalDate) -> String { self.date(date, pattern: "format.date") }

    /// `Tuesday, 10 March 2020`.
    public func longDate(_ date: LocalDate) -> String { self.date(date, pattern: "format.date.long") }

    /// `Tue 10 Mar`.
    public func shortDate(_ date: LocalDate) -> String { self.date(date, pattern: "format.date.short") }

    /// `10 March`.
    public func dayAndMonth(_ date: LocalDate) -> String { self.date(date, pattern: "format.date.day_month") }

    /// `March 2020`.
    public func month(_ month: YearMonth) -> String {
        text("format.month", ["month": monthName(month.month), "year": String(month.year)])
    }

    /// `9–18 July 2018`, `29 April – 2 May 2019`, `10 March 2020`.
    public func dateRange(_ start: LocalDate, _ end: LocalDate?) -> String {
        guard let end, end != start else { return date(start) }
        if start.year == end.year && start.month == end.month {
            return text("format.range.same_month", ["start": String(start.day), "end": date(end)])
        }
        if start.year == end.year {
            return text("format.range.same_year", ["start": dayAndMonth(start), "end": date(end)])
        }
        return text("format.range", ["start": date(start), "end": date(end)])
    }
}
