/// Parses counts as staff type them: `1250`, `1,250` or `1 250`.
enum WholeNumber {
    /// The value, or nil for anything but digits with optional thousands
    /// separators. Values over 10^15 are refused rather than overflowing.
    static func parse(_ text: String) -> Int? {
        var value = 0
        var digits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Int(byte - 48)
                digits += 1
                if digits > 15 { return nil }
            case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "_"):
                if digits == 0 { return nil }
            default:
                return nil
            }
        }
        return digits == 0 ? nil : value
    }
}
