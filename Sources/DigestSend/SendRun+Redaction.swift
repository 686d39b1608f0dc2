import CoalitionData
import Foundation

extension SendRun {
    /// `reply` with every spelling of `address`, and of the part before its
    /// `@`, replaced by `[address]`: relays often repeat the recipient in a
    /// refusal, whole or in part ("user amina.odhiambo unknown"). Control
    /// characters are quoted, so a relay's reply cannot drive a terminal.
    public static func redact(_ reply: String, address: String) -> String {
        var text = reply
        if !address.isEmpty {
            while let range = text.range(of: address, options: .caseInsensitive) {
                text.replaceSubrange(range, with: "[address]")
            }
            if let at = address.lastIndex(of: "@") {
                let local = String(address[..<at])
                if !local.isEmpty { text = replacingWord(local, in: text) }
            }
        }
        return Diagnostic.visible(text)
    }

    /// Every occurrence of `word` (without regard to case) that is not part
    /// of a longer run of letters and digits, as `[address]`.
    private static func replacingWord(_ word: String, in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: word, options: .caseInsensitive) {
            let before = rest[..<range.lowerBound].last
            let after = rest[range.upperBound...].first
            let isPart = { (character: Character?) in character.map { $0.isLetter || $0.isNumber } ?? false }
            result += rest[..<range.lowerBound]
            if isPart(before) || isPart(after) {
                result += rest[range]
            } else {
                result += "[address]"
            }
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
