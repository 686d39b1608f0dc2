/// A list's identity: its List-Id (RFC 2919), such as
/// `coalition.lists.justiceforall2030.org`.
///
/// Everything the state records belongs to one list: each ledger, each
/// suppression, each bounce and each language chosen. One state (a folder,
/// later a database) holds any number of lists, told apart by this value,
/// so two coalitions may share a state folder without one's sends or
/// unsubscribes touching the other's. It is kept in lower case (RFC 2919
/// section 3: list identifiers are compared without regard to case).
public struct ListID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The identifier, lower case: `coalition.lists.justiceforall2030.org`.
    public let value: String

    /// The longest identifier taken (RFC 2919 caps the whole `List-Id` at 255).
    public static let maximumLength = 255

    /// The identifier in `text`, or nil when it is not one: dot-separated
    /// labels of ASCII letters, digits, `-` and `_`, at least two labels,
    /// no empty label, at most ``maximumLength`` characters. Those are also
    /// the characters a folder name can hold anywhere, so a list's folder
    /// in the state is its identifier as it is.
    public init?(_ text: String) {
        let lower = text.lowercased()
        guard !lower.isEmpty, lower.utf8.count <= Self.maximumLength else { return nil }
        let labels = lower.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                !label.isEmpty
                    && label.unicodeScalars.allSatisfy {
                        $0.isASCII
                            && (("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
                    }
            })
        else { return nil }
        value = lower
    }

    /// What a hard bounce is recorded under: a mailbox that does not exist
    /// does not exist for any list, so it is suppressed for every list in
    /// the state. Never a list's own identifier (it has no dot).
    public static let everyList = "*"

    /// The identifier.
    public var description: String { value }

    /// Ordered by identifier.
    public static func < (lhs: ListID, rhs: ListID) -> Bool { lhs.value < rhs.value }
}
