import Foundation
import Wording

/// The locale code Excel and LibreOffice read in front of a number format
/// (`[$-40C]mmm yyyy`): month names in the workbook's language whatever the
/// reader's own settings. Made from the language's locale (its Windows
/// locale code, as ICU gives it through Foundation), so a catalogue never
/// needs one, and a new language gets its own without a table here.
enum ExcelLocale {
    /// `format` with the locale code of `words`' locale in front; a format
    /// that names its own (`[$-…]`) is kept as it is.
    static func format(_ format: String, words: Words) -> String {
        guard !format.hasPrefix("[$-"), let code = code(words.locale) else { return format }
        return "[$-\(code)]" + format
    }

    /// The hexadecimal Windows locale code of `locale` (`40C` for fr_FR,
    /// `80A` for es_MX), or nil when it has none.
    static func code(_ locale: Locale) -> String? {
        let identifier = locale.identifier.replacingOccurrences(of: "-", with: "_")
        guard let value = Locale.windowsLocaleCode(fromIdentifier: identifier), value > 0 else { return nil }
        return String(value, radix: 16, uppercase: true)
    }
}
