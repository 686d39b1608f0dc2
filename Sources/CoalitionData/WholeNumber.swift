/// Parses counts as staff type them: `1250`, `1,250` or `1 250`.
enum WholeNumber {
    /// The value, or nil for anything but digits with optional thousands
    /// separators. A separator (`,`, space or `_`, one kind in a number) must
    /// stand between groups of three digits, so `1,2,3` is refused rather
    /// than read as 123. Values over 10^15 are refused rather than overflowing.
    static func parse(_ text: String) -> Int? {
        var value = 0
        var digits = 0
        // Digits since the last separator, and the separator in use.
        var group = 0
        var separator: UInt8?
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Int(byte - 48)
                digits += 1
                group += 1
                if digits > 15 { return nil }
                if separator != nil && group > 3 { return nil }
            case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "_"):
                if separator == nil {
                    // The first group has one to three digits.
                    guard (1...3).contains(group) else { return nil }
                    separator = byte
                } else {
                    guard byte == separator, group == 3 else { return nil }
                }
                group = 0
            default:
                return nil
            }
        }
        if separator != nil && group != 3 { return nil }
        return digits == 0 ? nil : value
    }
}
