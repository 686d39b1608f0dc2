import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import DKIM

@Suite("DKIM signatures: canonicalization, keys and the DKIM-Signature header")
struct DKIMSignerTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("relaxed canonicalization, RFC 6376 section 3.4.5's example")
    func rfcExample() {
        let message = Self.bytes("A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n")
        let (headers, bodyStart) = DKIMSigner.headers(message)
        #expect(headers.map(\.name) == ["a", "b"])
        #expect(headers.map { String(decoding: DKIMSigner.relaxedHeader($0.line), as: UTF8.self) } == ["a:X", "b:Y Z"])
        #expect(String(decoding: DKIMSigner.relaxedBody(message[bodyStart...]), as: UTF8.self) == " C\r\nD E\r\n")
        // An empty body stays empty under relaxed canonicalization (RFC 6376 3.4.4).
        #expect(DKIMSigner.relaxedBody([]) == [])
        // A line of blanks is an empty line: kept between text, dropped at the end; no CRLF at the end is added.
        #expect(
            String(
                decoding: DKIMSigner.relaxedBody(ArraySlice(Self.bytes("A\r\n \t\r\n\tB  C\r\n \r\n\r\nD"))),
                as: UTF8.self)
                == "A\r\n\r\n B C\r\n\r\n\r\nD\r\n")
    }

    /// A PKCS#8 PEM of an Ed25519 key, as openssl genpkey writes it.
    static func pem(_ key: Curve25519.Signing.PrivateKey) -> String {
        let prefix: [UInt8] = [
            0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
        ]
        let der = Data(prefix) + key.rawRepresentation
        return "-----BEGIN PRIVATE KEY-----\n\(der.base64EncodedString())\n-----END PRIVATE KEY-----\n"
    }

    @Test("an Ed25519 signature over the signed headers verifies with the published key; h= names From once more")
    func ed25519() throws {
        let secret = Curve25519.Signing.PrivateKey()
        let key = try DKIMKey(pem: Self.pem(secret))
        #expect(key.algorithm == "ed25519-sha256")
        #expect(key.record == "v=DKIM1; k=ed25519; p=" + secret.publicKey.rawRepresentation.base64EncodedString())
        let signer = DKIMSigner(keys: [.init(domain: "example.org", selector: "s1", key: key)])
        let message = Self.bytes(
            "From: A <a@example.org>\r\nTo: b@example.net\r\nSubject: Hello\r\nX-Other: not signed\r\n\r\nBody line\r\n"
        )
        let signed = try signer.sign(message, time: 1_700_000_000)
        #expect(Array(signed.suffix(message.count)) == message)
        let header = String(decoding: signed.prefix(signed.count - message.count), as: UTF8.self)
        #expect(header.hasPrefix("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.org;"))
        #expect(header.split(separator: "\r\n").allSatisfy { $0.count <= 78 })
        let unfolded = header.replacingOccurrences(of: "\r\n\t", with: " ")
        #expect(unfolded.contains(" h=from:to:subject:from; "))
        #expect(unfolded.contains(" t=1700000000; "))
        // The body hash: SHA-256 of the relaxed body.
        let bodyHash = Data(SHA256.hash(data: Self.bytes("Body line\r\n"))).base64EncodedString()
        #expect(unfolded.contains(" bh=\(bodyHash); "))
        // Rebuild what was signed and verify with the public key alone.
        let b = try #require(unfolded.range(of: "b=", options: .backwards))
        let signature = try #require(
            Data(base64Encoded: String(unfolded[b.upperBound...]).filter { !$0.isWhitespace }))
        let bInHeader = try #require(header.range(of: "b=", options: .backwards))
        let withoutB = String(header[..<bInHeader.upperBound])
        let data =
            Self.bytes("from:A <a@example.org>\r\nto:b@example.net\r\nsubject:Hello\r\n")
            + DKIMSigner.relaxedHeader(Self.bytes(withoutB))
        #expect(secret.publicKey.isValidSignature(signature, for: Data(SHA256.hash(data: data))))
        // Not over another message.
        #expect(!secret.publicKey.isValidSignature(signature, for: Data(SHA256.hash(data: data + [32]))))
    }

    @Test("RSA: PKCS#8 and PKCS#1 keys read, the record is the public key's DER, shorter than 2048 bits refused")
    func rsa() throws {
        let secret = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let key = try DKIMKey(pem: secret.pemRepresentation)
        #expect(key.algorithm == "rsa-sha256")
        #expect(key.record == "v=DKIM1; k=rsa; p=" + secret.publicKey.derRepresentation.base64EncodedString())
        let signer = DKIMSigner(keys: [.init(domain: "example.org", selector: "r", key: key)])
        let signed = try signer.sign(Self.bytes("From: a@example.org\r\n\r\nx\r\n"), time: 1)
        #expect(String(decoding: signed, as: UTF8.self).hasPrefix("DKIM-Signature: v=1; a=rsa-sha256;"))
        #expect(throws: DKIMKey.Problem.unreadable) {
            try DKIMKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        }
        #expect(throws: DKIMKey.Problem.unreadable) { try DKIMKey(pem: "not a key") }
    }

    @Test("a key file others may read is refused before it is read; a private one loads")
    func fileMode() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ed.pem").path
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data(Self.pem(.init()).utf8), attributes: [.posixPermissions: 0o640]))
        #expect(throws: DKIMKey.Problem.notPrivate(mode: 0o640)) { try DKIMKey.load(path: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try DKIMKey.load(path: path).algorithm == "ed25519-sha256")
        #expect(throws: DKIMKey.Problem.self) { try DKIMKey.load(path: path + ".missing") }
    }

    @Test("two keys give two signatures, RSA first as configured; no key leaves the message as it was")
    func twoKeys() throws {
        let rsa = try DKIMKey(pem: try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation)
        let ed = try DKIMKey(pem: Self.pem(.init()))
        let message = Self.bytes("From: a@example.org\r\n\r\nx\r\n")
        let signed = String(
            decoding: try DKIMSigner(keys: [
                .init(domain: "example.org", selector: "a", key: rsa),
                .init(domain: "example.org", selector: "b", key: ed),
            ]).sign(message, time: 5),
            as: UTF8.self)
        #expect(signed.components(separatedBy: "DKIM-Signature:").count == 3)
        let first = try #require(signed.range(of: "a=rsa-sha256"))
        let second = try #require(signed.range(of: "a=ed25519-sha256"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(try DKIMSigner(keys: []).sign(message, time: 5) == message)
    }
}
