import Foundation

/// Language tags as `coalition.yaml` and `members.csv` give them (BCP 47):
/// `fr`, `es`, `pt-BR`.
public enum LanguageTag {
    /// `text` in the tag's usual case (`FR` -> `fr`, `pt-br` -> `pt-BR`), or
    /// nil when it is not a language tag: a language of 2 or 3 letters,
    /// then optional subtags of letters and digits joined by `-` (or `_`).
    public static func normalised(_ text: String) -> String? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(
            separator: "-", omittingEmptySubsequences: false
        ).flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return nil }
        var result = first.lowercased()
        for part in parts.dropFirst() {
            guard (2...8).contains(part.count), part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                return nil
            }
            // A region (two letters) in capitals, a script (four) in title case.
            switch part.count {
            case 2: result += "-" + part.uppercased()
            case 4: result += "-" + part.prefix(1).uppercased() + part.dropFirst().lowercased()
            default: result += "-" + part.lowercased()
            }
        }
        return result
    }
}
