/// Finds social handles (`@name`) in plain text.
///
/// A handle starts with `@` at the start of the text or after a character
/// that is not a letter, digit, `_` or `.` (so `name@example.org` is not a
/// handle), and runs over ASCII letters, digits and `_`.
enum Mention {
    /// Splits `text` into text and mention pieces.
    static func split(_ text: String) -> [MarkdownInline] {
        guard text.utf8.contains(UInt8(ascii: "@")) else { return [.text(text)] }
        var result: [MarkdownInline] = []
        var pending = ""
        var previous: Character? = nil
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "@", previous.map({ !isHandleCharacter($0) && $0 != "." }) ?? true {
                var end = text.index(after: index)
                while end < text.endIndex, isHandleCharacter(text[end]) { end = text.index(after: end) }
                let handle = text[text.index(after: index)..<end]
                if !handle.isEmpty {
                    if !pending.isEmpty { result.append(.text(pending)) }
                    pending = ""
                    result.append(.mention(String(handle)))
                    previous = handle.last
                    index = end
                    continue
                }
            }
            pending.append(character)
            previous = character
            index = text.index(after: index)
        }
        if !pending.isEmpty { result.append(.text(pending)) }
        return result
    }

    private static func isHandleCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_")
    }
}
