import CoalitionData
import Crypto
import Foundation

/// Each member's unsubscribe token and message tag: HMAC-SHA256 under the
/// coalition's secret, so nobody without the secret can make or read one.
///
/// The token is the first 16 bytes of HMAC-SHA256(secret, "unsubscribe",
/// list ID, address) in base64url without padding: 22 characters, 128 bits,
/// nothing of the address readable in it. The address's domain is lower
/// case, as ``Member/key`` writes it, so `Amina@Example.org` and
/// `Amina@example.org` get one token. The message tag, for `Message-ID`,
/// is made the same way under another label and with the month, so a
/// quoted Message-ID never reveals the unsubscribe token.
public struct MemberTokens: Sendable {
    /// The length of every token.
    public static let tokenLength = 22

    /// HMAC keyed once; each code copies it (a value) and goes on.
    private let keyed: KeyedHMAC
    /// The list the tokens are for, such as `coalition.lists.example.org`.
    public let listID: String

    /// Tokens for the list `listID` under `secret`.
    public init(secret: UnsubscribeSecret, listID: String) {
        self.keyed = KeyedHMAC(HMAC<SHA256>(key: SymmetricKey(data: secret.bytes)))
        self.listID = listID
    }

    /// The member's unsubscribe token.
    public func unsubscribeToken(for member: Member) -> String {
        token(forKey: member.key)
    }

    /// The token for an address written as ``Member/key`` writes it.
    public func token(forKey key: String) -> String {
        Self.base64url(mac(["unsubscribe", listID, key]).prefix(16))
    }

    /// A tag for the member's `Message-ID` in `month` (`2020-02`): 16
    /// hexadecimal digits, the same every time.
    public func messageTag(for member: Member, month: String) -> String {
        messageTag(forKey: member.key, month: month)
    }

    /// ``messageTag(for:month:)`` of the member whose key is `key`.
    public func messageTag(forKey key: String, month: String) -> String {
        hexTag(["message-id", listID, month, key])
    }

    /// A tag for the member's envelope sender in `month` (VERP,
    /// ``BounceAddress``): 16 hexadecimal digits under a label of its own,
    /// so the envelope never reveals the `Message-ID`'s tag or the token.
    public func bounceTag(for member: Member, month: String) -> String {
        hexTag(["bounce", listID, month, member.key])
    }

    private func hexTag(_ fields: [String]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in mac(fields).prefix(8) {
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The member whose token `token` is, comparing in constant time; nil
    /// when it belongs to nobody in `members` (a forged or mistyped link,
    /// or another list's).
    public func member(withToken token: String, in members: [Member]) -> Member? {
        let given = Array(token.utf8)
        guard given.count == Self.tokenLength else { return nil }
        var found: Member?
        for member in members {
            let expected = Array(unsubscribeToken(for: member).utf8)
            var difference: UInt8 = 0
            for index in 0..<Self.tokenLength { difference |= expected[index] ^ given[index] }
            if difference == 0, found == nil { found = member }
        }
        return found
    }

    private func mac(_ fields: [String]) -> [UInt8] {
        var hmac = keyed.hmac
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        for field in fields {
            // Each field with its length first, so no two lists of fields
            // give the same bytes.
            let count = UInt32(field.utf8.count)
            bytes.append(UInt8(count >> 24))
            bytes.append(UInt8((count >> 16) & 0xFF))
            bytes.append(UInt8((count >> 8) & 0xFF))
            bytes.append(UInt8(count & 0xFF))
            bytes.append(contentsOf: field.utf8)
        }
        hmac.update(data: bytes)
        return Array(hmac.finalize())
    }

    /// RFC 4648 section 5 (base64url), without padding: Foundation's
    /// base64 with its two letters swapped.
    static func base64url(_ bytes: some Collection<UInt8>) -> String {
        var encoded = Array(Data(bytes).base64EncodedString().utf8)
        while encoded.last == UInt8(ascii: "=") { encoded.removeLast() }
        for index in encoded.indices {
            if encoded[index] == UInt8(ascii: "+") {
                encoded[index] = UInt8(ascii: "-")
            } else if encoded[index] == UInt8(ascii: "/") {
                encoded[index] = UInt8(ascii: "_")
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}

/// An HMAC with its key already taken in. `HMAC` is a value (a copy carries
/// its own state) that swift-crypto does not mark `Sendable`; copies are
/// only ever read from here, so sharing one across threads is safe.
struct KeyedHMAC: @unchecked Sendable {
    let hmac: HMAC<SHA256>

    init(_ hmac: HMAC<SHA256>) {
        self.hmac = hmac
    }
}
