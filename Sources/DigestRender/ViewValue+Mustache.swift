import DigestModel
import Foundation

extension ViewValue {
    /// The value as swift-mustache reads it: dictionaries, arrays, strings,
    /// numbers and booleans. `null` becomes `NSNull`, which Mustache treats
    /// as false and which stops a name from being looked up in outer
    /// sections (so a missing `url` never picks up another record's).
    var mustacheContext: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .int(let value): return value
        case .double(let value): return value
        case .string(let value): return value
        case .array(let items): return items.map(\.mustacheContext)
        case .object(let object): return object.mapValues(\.mustacheContext)
        }
    }
}
