import Foundation

/// Languages' names from the platform's locale data (CLDR).
public enum LanguageNames {
    /// The name of the language `tag` in that language, capitalised as a
    /// menu item: `English`, `Français`, `Español`.
    public static func native(_ tag: String) -> String {
        let locale = Locale(identifier: tag)
        guard let name = locale.localizedString(forLanguageCode: tag) else { return tag }
        return name.prefix(1).uppercased(with: locale) + name.dropFirst()
    }

    /// The name of the language `tag` in English, for staff's pages: `French`.
    public static func english(_ tag: String) -> String {
        Locale(identifier: "en").localizedString(forLanguageCode: tag) ?? tag
    }
}
