import Crypto
import Foundation
import _CryptoExtras

/// A private key DKIM signs with: RSA (2048 bits or more, PKCS#1 or PKCS#8
/// PEM) for `rsa-sha256`, or Ed25519 (PKCS#8 PEM) for `ed25519-sha256`
/// (RFC 8463). The cryptography is swift-crypto's.
public enum DKIMKey: Sendable {
    /// RSA.
    case rsa(_RSA.Signing.PrivateKey)
    /// Ed25519.
    case ed25519(Ed25519Key)

    /// An Ed25519 private key: swift-crypto's, which is an immutable value
    /// but not marked `Sendable` on Linux.
    public final class Ed25519Key: @unchecked Sendable {
        let key: Curve25519.Signing.PrivateKey

        init(_ key: Curve25519.Signing.PrivateKey) {
            self.key = key
        }
    }

    /// Why a key cannot be used, as staff read it.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not a PEM private key of either kind.
        case unreadable
        /// An RSA key under 2048 bits.
        case tooShort(bits: Int)
        /// The file cannot be read.
        case cannotRead(String)
        /// The file can be read by its group or by others.
        case notPrivate(mode: Int)

        /// The message.
        public var description: String {
            switch self {
            case .unreadable:
                return
                    "is not an RSA or Ed25519 private key in PEM; make one with openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 (or -algorithm ed25519)"
            case .tooShort(let bits):
                return "is an RSA key of \(bits) bits; DKIM needs at least 2048 (mail providers ignore shorter ones)"
            case .cannotRead(let why):
                return "cannot be read (\(why)); check the path and that digest runs as a user who may read it"
            case .notPrivate(let mode):
                return
                    "can be read by others (mode \(String(mode, radix: 8))); a signing key must be private to its owner: chmod 600 the file"
            }
        }
    }

    /// Reads a PEM private key.
    public init(pem: String) throws(Problem) {
        if pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN PRIVATE KEY") {
            // The unsafe reader takes keys from 1024 bits, so a short one is
            // named as such; only 2048 and more are used.
            if let key = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem) {
                guard key.keySizeInBits >= 2048 else { throw .tooShort(bits: key.keySizeInBits) }
                self = .rsa(key)
                return
            }
            if let seed = Self.ed25519Seed(pem), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) {
                self = .ed25519(Ed25519Key(key))
                return
            }
        }
        throw .unreadable
    }

    /// The 32-byte seed of an Ed25519 PKCS#8 key: its DER is the fixed
    /// prefix of RFC 8410's `OneAsymmetricKey` for id-Ed25519, then the seed.
    static func ed25519Seed(_ pem: String) -> Data? {
        let body = pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: body) else { return nil }
        let prefix: [UInt8] = [
            0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
        ]
        guard der.count == prefix.count + 32, Array(der.prefix(prefix.count)) == prefix else { return nil }
        return der.suffix(32)
    }

    /// The signature's `a=`.
    public var algorithm: String {
        switch self {
        case .rsa: return "rsa-sha256"
        case .ed25519: return "ed25519-sha256"
        }
    }

    /// The TXT record to publish at `selector._domainkey.domain`.
    public var record: String {
        switch self {
        case .rsa(let key):
            return "v=DKIM1; k=rsa; p=" + key.publicKey.derRepresentation.base64EncodedString()
        case .ed25519(let box):
            return "v=DKIM1; k=ed25519; p=" + box.key.publicKey.rawRepresentation.base64EncodedString()
        }
    }

    /// Signs `data`: RSA over its SHA-256 with PKCS#1 v1.5 padding (what
    /// DKIM's rsa-sha256 is); Ed25519 over its SHA-256 (RFC 8463 signs the
    /// hash, not the data).
    func sign(_ data: [UInt8]) throws -> Data {
        let digest = SHA256.hash(data: data)
        switch self {
        case .rsa(let key):
            return try key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation
        case .ed25519(let box):
            return try box.key.signature(for: Data(digest))
        }
    }
}
