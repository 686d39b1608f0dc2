/// A view model as plain data: the one shape both `digest.json` and the
/// templates are made from, so the JSON is exactly what templates see.
///
/// Absent values are kept as ``null`` (and written as JSON `null`) rather
/// than dropped, so template authors see every key the model has.
public enum ViewValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ViewValue])
    case object([String: ViewValue])

    /// The value with every string passed through `transform` (a
    /// language's typography over everything a template prints).
    public func mappingStrings(_ transform: (String) -> String) -> ViewValue {
        switch self {
        case .string(let text): return .string(transform(text))
        case .array(let values): return .array(values.map { $0.mappingStrings(transform) })
        case .object(let members): return .object(members.mapValues { $0.mappingStrings(transform) })
        case .null, .bool, .int, .double: return self
        }
    }

    /// Converts a view-model value (structs, arrays, optionals, strings,
    /// numbers, booleans) by reflection; property names become snake_case.
    ///
    /// A `Codable` value (every view model) is converted through its own
    /// `encode(to:)` (``ViewValueEncoder``) to the same result, faster.
    public init(reflecting value: Any) {
        if let encodable = value as? any Encodable, !(value is String), !(value is Bool), !(value is Int),
            !(value is Double)
        {
            self = ViewValueEncoder.encode(encodable)
            return
        }
        self.init(mirroring: value)
    }

    /// The conversion by `Mirror`, for values that are not `Encodable`.
    init(mirroring value: Any) {
        switch value {
        case let string as String: self = .string(string)
        case let bool as Bool: self = .bool(bool)
        case let int as Int: self = .int(int)
        case let double as Double: self = .double(double)
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                self = mirror.children.first.map { ViewValue(reflecting: $0.value) } ?? .null
            case .collection, .set:
                self = .array(mirror.children.map { ViewValue(reflecting: $0.value) })
            case .struct, .class:
                var object: [String: ViewValue] = [:]
                for child in mirror.children {
                    guard let label = child.label else { continue }
                    object[Self.snakeCase(label)] = ViewValue(reflecting: child.value)
                }
                self = .object(object)
            default:
                self = .string(String(describing: value))
            }
        }
    }

    /// `percentOfGoal` -> `percent_of_goal`.
    static func snakeCase(_ name: String) -> String {
        // Property names are ASCII: byte by byte, without Unicode property
        // lookups (they were a fifth of reflecting a view).
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(name.utf8.count + 4)
            var previousWasLowerOrDigit = false
            for byte in name.utf8 {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if previousWasLowerOrDigit { bytes.append(UInt8(ascii: "_")) }
                    bytes.append(byte + 32)
                    previousWasLowerOrDigit = false
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    bytes.append(byte)
                    previousWasLowerOrDigit = true
                default:
                    bytes.append(byte)
                    previousWasLowerOrDigit = false
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var result = ""
        var previousWasLowerOrDigit = false
        for character in name {
            if character.isUppercase {
                if previousWasLowerOrDigit { result.append("_") }
                result.append(contentsOf: character.lowercased())
                previousWasLowerOrDigit = false
            } else {
                result.append(character)
                previousWasLowerOrDigit = character.isLowercase || character.isNumber
            }
        }
        return result
    }

    /// The value at a dotted path such as `next_call.times`, or nil.
    public subscript(path: String) -> ViewValue? {
        var current = self
        for key in path.split(separator: ".") {
            guard case .object(let object) = current, let next = object[String(key)] else { return nil }
            current = next
        }
        return current
    }

    /// Pretty-printed JSON: two-space indent, keys sorted, UTF-8 kept as is,
    /// ending in a newline. The same value always gives the same bytes.
    public var json: String {
        var output = ""
        write(to: &output, indent: "")
        output.append("\n")
        return output
    }

    private func write(to output: inout String, indent: String) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .int(let value): output.append(String(value))
        case .double(let value):
            output.append(value.isFinite ? String(value) : "null")
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let items):
            if items.isEmpty {
                output.append("[]")
                return
            }
            output.append("[\n")
            let inner = indent + "  "
            for (index, item) in items.enumerated() {
                output.append(inner)
                item.write(to: &output, indent: inner)
                output.append(index == items.count - 1 ? "\n" : ",\n")
            }
            output.append(indent + "]")
        case .object(let object):
            if object.isEmpty {
                output.append("{}")
                return
            }
            output.append("{\n")
            let inner = indent + "  "
            let keys = object.keys.sorted()
            for (index, key) in keys.enumerated() {
                output.append(inner)
                Self.writeString(key, to: &output)
                output.append(": ")
                object[key]?.write(to: &output, indent: inner)
                output.append(index == keys.count - 1 ? "\n" : ",\n")
            }
            output.append(indent + "}")
        }
    }

    private static func writeString(_ value: String, to output: inout String) {
        output.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{2028}": output.append("\\u2028")
            case "\u{2029}": output.append("\\u2029")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }
}
