/// Comparison whose time does not depend on where two secrets differ.
enum ConstantTime {
    /// True when `a` and `b` are the same bytes; every byte is looked at
    /// whatever the first difference (only the lengths leak).
    static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
