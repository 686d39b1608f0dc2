/// Explains why a date could not be read, with the fix.
enum DateProblem {
    static func describe(_ value: String, field: String) -> String {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, let month = Int(parts[1]), let day = Int(parts[2]) {
            if !(1...12).contains(month) {
                return "\(field) \"\(value)\" has month \(month); months go from 01 to 12 (YYYY-MM-DD)"
            }
            if parts[1].count == 2, parts[2].count == 2 {
                return "\(field) \"\(value)\" does not exist: that month has no day \(day)"
            }
        }
        return "\(field) \"\(value)\" is not a date written YYYY-MM-DD, for example 2019-06-11"
    }
}
