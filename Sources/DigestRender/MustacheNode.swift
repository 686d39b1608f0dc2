import DigestModel
import Mustache

/// A view-model object as swift-mustache reads it.
///
/// swift-mustache finds a name by casting each object on its context stack
/// to its protocols; a `[String: Any]` answers through a conditional
/// conformance, which the Swift runtime checks slowly. A final class that
/// conforms outright, holding its children already converted, answers the
/// same questions several times faster. `null` values are kept (as a node
/// that Mustache treats as false), so a missing `url` in an inner section
/// never picks up an outer section's `url`.
final class MustacheNode: MustacheParent, MustacheCustomRenderable, @unchecked Sendable {
    private let children: [String: Any]
    private let isNullNode: Bool

    private init(children: [String: Any], isNull: Bool) {
        self.children = children
        self.isNullNode = isNull
    }

    static let null = MustacheNode(children: [:], isNull: true)

    func child(named name: String) -> Any? {
        children[name]
    }

    var renderText: String { "" }
    var isNull: Bool { isNullNode }

    /// An object node of `children`, already converted.
    static func object(_ children: [String: Any]) -> MustacheNode {
        MustacheNode(children: children, isNull: false)
    }

    /// `value` converted, with `extra` beside its root object's names
    /// (the catalogue's words, `w`, and the language, `lang`); a name of
    /// the value's own wins.
    static func context(_ value: ViewValue, adding extra: [String: Any]) -> Any {
        guard case .object(let object) = value else { return context(value) }
        var children = extra
        for (name, child) in object { children[name] = context(child) }
        return MustacheNode(children: children, isNull: false)
    }

    /// Converts a view value once, for any number of renders.
    static func context(_ value: ViewValue) -> Any {
        switch value {
        case .null: return MustacheNode.null
        case .bool(let value): return value
        case .int(let value): return value
        case .double(let value): return value
        case .string(let value): return value
        case .array(let items): return items.map(context)
        case .object(let object): return MustacheNode(children: object.mapValues(context), isNull: false)
        }
    }
}
