/// Turns a `Codable` view model into a ``ViewValue`` through its own
/// `encode(to:)`: what ``ViewValue/init(reflecting:)`` does with `Mirror`,
/// several times faster (reflection was a quarter of building the web
/// archive).
///
/// The result is the same as reflection's: property names in snake_case,
/// and an absent optional kept as `null` rather than dropped (the
/// synthesized `encodeIfPresent` calls land on ``Keyed`` below, which
/// writes `null`), so `digest.json` and the templates see every key.
struct ViewValueEncoder {
    /// The value for `value`.
    static func encode(_ value: some Encodable) -> ViewValue {
        let root = Slot()
        let names = SnakeNames()
        // Nothing here throws: every container method writes into memory.
        try? value.encode(to: Node(slot: root, names: names))
        return root.resolved
    }

    /// One value under construction.
    final class Slot {
        var value: ViewValue = .null
        var object: [String: Slot]?
        var array: [Slot]?

        var resolved: ViewValue {
            if let object { return .object(object.mapValues(\.resolved)) }
            if let array { return .array(array.map(\.resolved)) }
            return value
        }
    }

    /// Property names in snake_case, each converted once per encoding.
    final class SnakeNames {
        private var cache: [String: String] = [:]

        func callAsFunction(_ name: String) -> String {
            if let known = cache[name] { return known }
            let snake = ViewValue.snakeCase(name)
            cache[name] = snake
            return snake
        }
    }

    struct Node: Encoder {
        let slot: Slot
        let names: SnakeNames
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if slot.object == nil { slot.object = [:] }
            return KeyedEncodingContainer(Keyed<Key>(slot: slot, names: names))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if slot.array == nil { slot.array = [] }
            return Unkeyed(slot: slot, names: names)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(slot: slot, names: names)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: Slot
        let names: SnakeNames
        var codingPath: [any CodingKey] { [] }

        private func child(_ key: Key) -> Slot {
            let child = Slot()
            slot.object?[names(key.stringValue)] = child
            return child
        }

        mutating func encodeNil(forKey key: Key) { child(key).value = .null }
        mutating func encode(_ value: Bool, forKey key: Key) { child(key).value = .bool(value) }
        mutating func encode(_ value: String, forKey key: Key) { child(key).value = .string(value) }
        mutating func encode(_ value: Int, forKey key: Key) { child(key).value = .int(value) }
        mutating func encode(_ value: Double, forKey key: Key) { child(key).value = .double(value) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            var single = Single(slot: child(key), names: names)
            try single.encode(value)
        }

        // Absent optionals stay, as null.
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) {
            child(key).value = value.map(ViewValue.bool) ?? .null
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) {
            child(key).value = value.map(ViewValue.string) ?? .null
        }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) {
            child(key).value = value.map(ViewValue.int) ?? .null
        }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) {
            child(key).value = value.map(ViewValue.double) ?? .null
        }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            let slot = child(key)
            guard let value else { return }
            var single = Single(slot: slot, names: names)
            try single.encode(value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            Node(slot: child(key), names: names).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Node(slot: child(key), names: names).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { Node(slot: slot, names: names) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { Node(slot: child(key), names: names) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let slot: Slot
        let names: SnakeNames
        var codingPath: [any CodingKey] { [] }
        var count: Int { slot.array?.count ?? 0 }

        private func next() -> Slot {
            let child = Slot()
            slot.array?.append(child)
            return child
        }

        mutating func encodeNil() { next().value = .null }
        mutating func encode(_ value: Bool) { next().value = .bool(value) }
        mutating func encode(_ value: String) { next().value = .string(value) }
        mutating func encode(_ value: Int) { next().value = .int(value) }
        mutating func encode(_ value: Double) { next().value = .double(value) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            var single = Single(slot: next(), names: names)
            try single.encode(value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            Node(slot: next(), names: names).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            Node(slot: next(), names: names).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { Node(slot: next(), names: names) }
    }

    struct Single: SingleValueEncodingContainer {
        let slot: Slot
        let names: SnakeNames
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() { slot.value = .null }
        mutating func encode(_ value: Bool) { slot.value = .bool(value) }
        mutating func encode(_ value: String) { slot.value = .string(value) }
        mutating func encode(_ value: Int) { slot.value = .int(value) }
        mutating func encode(_ value: Double) { slot.value = .double(value) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            switch value {
            case let value as String: slot.value = .string(value)
            case let value as Bool: slot.value = .bool(value)
            case let value as Int: slot.value = .int(value)
            case let value as Double: slot.value = .double(value)
            default: try value.encode(to: Node(slot: slot, names: names))
            }
        }
    }
}
