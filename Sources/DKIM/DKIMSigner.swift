import Crypto
import Foundation

/// Signs messages with DKIM (RFC 6376), `c=relaxed/relaxed`, one
/// `DKIM-Signature` header a key (RSA and Ed25519 together give two).
///
/// The headers signed are those mail providers look at for bulk mail,
/// each present one in `h=`, and `From` named once more than it appears,
/// so that no second From can be added without breaking the signature.
/// The message is signed as it is sent: CRLF line ends, before the SMTP
/// client's dot-stuffing.
public struct DKIMSigner: Sendable {
    /// One key: its domain (`d=`), selector (`s=`) and the key.
    public struct Signing: Sendable {
        /// `d=`.
        public var domain: String
        /// `s=`.
        public var selector: String
        /// The key.
        public var key: DKIMKey

        /// A key to sign with.
        public init(domain: String, selector: String, key: DKIMKey) {
            self.domain = domain
            self.selector = selector
            self.key = key
        }
    }

    /// The keys, in order.
    public let keys: [Signing]

    /// The headers signed when present.
    public static let signedHeaders = [
        "from", "to", "subject", "date", "message-id", "mime-version", "content-type", "list-id", "list-unsubscribe",
        "list-unsubscribe-post", "feedback-id",
    ]

    /// A signer with `keys`.
    public init(keys: [Signing]) {
        self.keys = keys
    }

    /// `message` (CRLF line ends) with a `DKIM-Signature` header for each
    /// key in front, signed at `time` (seconds since 1970).
    public func sign(_ message: [UInt8], time: Int) throws -> [UInt8] {
        guard !keys.isEmpty else { return message }
        let (headers, bodyStart) = Self.headers(message)
        let bodyHash = Data(SHA256.hash(data: Self.relaxedBody(message[bodyStart...]))).base64EncodedString()
        var present: [String] = []
        for name in Self.signedHeaders where headers.contains(where: { $0.name == name }) {
            present += Array(repeating: name, count: headers.count { $0.name == name })
        }
        // From once more than present: a From added later cannot pass.
        let names = present + ["from"]
        var signatures: [UInt8] = []
        for signing in keys {
            // Folded first, then signed as folded (relaxed: each fold one space).
            let header = Self.folded(
                "DKIM-Signature: v=1; a=\(signing.key.algorithm); c=relaxed/relaxed; d=\(signing.domain);"
                    + " s=\(signing.selector); t=\(time); h=\(names.joined(separator: ":")); bh=\(bodyHash); b=")
            var signed: [UInt8] = []
            // Each name takes the last not yet used occurrence (RFC 6376 5.4.2).
            var used: [String: Int] = [:]
            for name in names {
                let all = headers.filter { $0.name == name }
                let taken = used[name, default: 0]
                used[name] = taken + 1
                guard taken < all.count else { continue }
                signed += Self.relaxedHeader(all[all.count - 1 - taken].line)
                signed += [13, 10]
            }
            signed += Self.relaxedHeader(Array(header.utf8))
            let signature = try signing.key.sign(signed).base64EncodedString()
            var text = header
            var rest = Substring(signature)
            while !rest.isEmpty {
                text += "\r\n\t" + rest.prefix(72)
                rest = rest.dropFirst(72)
            }
            signatures += Array((text + "\r\n").utf8)
        }
        return signatures + message
    }

    /// The header fields of `message` (each with its continuation lines,
    /// without the final CRLF) and where the body starts.
    static func headers(_ message: [UInt8]) -> ([(name: String, line: [UInt8])], Int) {
        var fields: [(name: String, line: [UInt8])] = []
        var index = 0
        var start = 0
        while index + 1 < message.count {
            guard message[index] == 13, message[index + 1] == 10 else {
                index += 1
                continue
            }
            let next = index + 2
            if index == start {
                // The empty line: the body follows.
                return (fields, next)
            }
            if next < message.count, message[next] == 32 || message[next] == 9 {
                index = next  // a continuation line
                continue
            }
            let line = Array(message[start..<index])
            let colon = line.firstIndex(of: 58) ?? line.count
            // "B : Y" is field B: the space before the colon is not the name's.
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
                .trimmingCharacters(in: .whitespaces)
            fields.append((name, line))
            start = next
            index = next
        }
        return (fields, message.count)
    }

    /// RFC 6376 3.4.2: the name in lower case, unfolded, runs of spaces and
    /// tabs as one space, none around the colon or at the end.
    static func relaxedHeader(_ line: [UInt8]) -> [UInt8] {
        let colon = line.firstIndex(of: 58) ?? line.count
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            .trimmingCharacters(in: .whitespaces)
        var value: [UInt8] = []
        var space = false
        for byte in line[min(colon + 1, line.count)...] {
            if byte == 13 || byte == 10 { continue }
            if byte == 32 || byte == 9 {
                space = true
                continue
            }
            if space, !value.isEmpty { value.append(32) }
            space = false
            value.append(byte)
        }
        return Array(name.utf8) + [58] + value
    }

    /// RFC 6376 3.4.4: spaces and tabs at line ends gone, runs of them as
    /// one space, empty lines at the end gone, CRLF after the last line.
    /// One pass over the bytes, writing straight into the output: spaces
    /// and empty lines are held back until something follows them.
    static func relaxedBody(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(body.count + 2)
        var space = false  // a run of spaces or tabs waits
        var emptyLines = 0  // empty lines wait
        var lineHasText = false
        body.withUnsafeBufferPointer { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == 13, index + 1 < count, bytes[index + 1] == 10 {
                    if lineHasText {
                        output.append(13)
                        output.append(10)
                    } else {
                        emptyLines += 1
                    }
                    space = false
                    lineHasText = false
                    index += 2
                    continue
                }
                if byte == 32 || byte == 9 {
                    space = true
                } else {
                    if !lineHasText {
                        for _ in 0..<emptyLines {
                            output.append(13)
                            output.append(10)
                        }
                        emptyLines = 0
                        lineHasText = true
                    }
                    if space {
                        output.append(32)
                        space = false
                    }
                    output.append(byte)
                }
                index += 1
            }
        }
        if lineHasText {
            output.append(13)
            output.append(10)
        }
        return output
    }

    /// The header folded at its spaces under 78 characters a line (a
    /// long `h=` at its colons), without the final CRLF.
    static func folded(_ header: String) -> String {
        var pieces: [String] = []
        for part in header.split(separator: " ") {
            var piece = String(part)
            // h=from:to:… past a line: cut after a colon (FWS is allowed there).
            while piece.count > 70, let cut = piece.prefix(70).lastIndex(of: ":") {
                pieces.append(String(piece[...cut]))
                piece = String(piece[piece.index(after: cut)...])
            }
            pieces.append(piece)
        }
        var lines: [String] = []
        var current = ""
        for piece in pieces {
            if current.isEmpty {
                current = piece
            } else if current.count + 1 + piece.count <= 76 {
                current += " " + piece
            } else {
                lines.append(current)
                current = piece
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.joined(separator: "\r\n\t")
    }
}
