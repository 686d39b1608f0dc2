import Crypto
import Foundation
import X509
import _CryptoExtras

/// A message Amazon SNS posts to an HTTPS subscription: a notification (for
/// SES, a bounce or complaint), or a subscription's confirmation request.
///
/// Verified as AWS documents: the canonical string of the message's type
/// (each field's name and value on lines of their own, in a fixed order)
/// signed with the key of the certificate at `SigningCertURL`, which must
/// be on `sns.<region>.amazonaws.com` over https; `SignatureVersion` 1
/// is SHA1withRSA, 2 is SHA256withRSA.
public struct SNSMessage: Sendable, Equatable, Decodable {
    /// `Notification`, `SubscriptionConfirmation` or `UnsubscribeConfirmation`.
    public var type: String
    /// SNS's identity of the message.
    public var messageID: String
    /// The topic's ARN.
    public var topicARN: String
    /// The subject, when the publisher gave one.
    public var subject: String?
    /// The message: for SES, a JSON notification.
    public var message: String
    /// When SNS published it.
    public var timestamp: String
    /// `1` or `2`.
    public var signatureVersion: String
    /// The signature, base64.
    public var signature: String
    /// Where the signing certificate is.
    public var signingCertURL: String
    /// The address that confirms a subscription (confirmations only).
    public var subscribeURL: String?
    /// The confirmation's token (confirmations only).
    public var token: String?

    enum CodingKeys: String, CodingKey {
        case type = "Type", messageID = "MessageId", topicARN = "TopicArn", subject = "Subject"
        case message = "Message", timestamp = "Timestamp", signatureVersion = "SignatureVersion"
        case signature = "Signature", signingCertURL = "SigningCertURL", subscribeURL = "SubscribeURL"
        case token = "Token"
    }

    /// The message in a request's body.
    ///
    /// - Throws: ``WebhookRefusal`` 400 when it is not an SNS message.
    public static func parse(_ body: [UInt8]) throws(WebhookRefusal) -> SNSMessage {
        do {
            return try JSONDecoder().decode(SNSMessage.self, from: Data(body))
        } catch {
            throw .malformed(
                "the body is not an SNS message (JSON with Type, MessageId, TopicArn, Message, Signature…)")
        }
    }

    /// True for a subscription's confirmation request.
    public var isSubscriptionConfirmation: Bool { type == "SubscriptionConfirmation" }

    /// The string SNS signed, for this message's type.
    public var canonical: String {
        var fields: [(String, String?)]
        switch type {
        case "Notification":
            fields = [
                ("Message", message), ("MessageId", messageID), ("Subject", subject), ("Timestamp", timestamp),
                ("TopicArn", topicARN), ("Type", type),
            ]
        default:
            fields = [
                ("Message", message), ("MessageId", messageID), ("SubscribeURL", subscribeURL),
                ("Timestamp", timestamp), ("Token", token), ("TopicArn", topicARN), ("Type", type),
            ]
        }
        return fields.compactMap { name, value in value.map { "\(name)\n\($0)\n" } }.joined()
    }

    /// Whether `address` is an https address on an SNS endpoint,
    /// `sns.<region>.amazonaws.com` (no other host, port or user), as a
    /// signing certificate's and a confirmation's must be.
    public static func isSNSAddress(_ address: String) -> Bool {
        guard let url = URLComponents(string: address), url.scheme == "https", url.port == nil, url.user == nil,
            url.password == nil, let host = url.host?.lowercased()
        else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count == 4, labels[0] == "sns", labels[2] == "amazonaws", labels[3] == "com" else { return false }
        let region = labels[1]
        return !region.isEmpty && region.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    /// Checks the signature with the certificate `pem` (fetched from
    /// ``signingCertURL``), at `now`.
    ///
    /// - Throws: ``WebhookRefusal`` 401 when the certificate cannot be read
    ///   or is out of its dates, the version is unknown, or the signature
    ///   does not verify.
    public func verify(certificatePEM pem: String, now: Date = Date()) throws(WebhookRefusal) {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: pem)
        } catch {
            throw .unauthorized("the SNS signing certificate cannot be read")
        }
        guard certificate.notValidBefore <= now, now <= certificate.notValidAfter else {
            throw .unauthorized("the SNS signing certificate is not valid now")
        }
        guard let key = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw .unauthorized("the SNS signing certificate holds no RSA key")
        }
        guard let bytes = Data(base64Encoded: signature) else { throw .unauthorized("the signature is not base64") }
        let signed = Data(canonical.utf8)
        let signatureValue = _RSA.Signing.RSASignature(rawRepresentation: bytes)
        let valid: Bool
        switch signatureVersion {
        case "1":
            valid = key.isValidSignature(
                signatureValue, for: Insecure.SHA1.hash(data: signed), padding: .insecurePKCS1v1_5)
        case "2":
            valid = key.isValidSignature(signatureValue, for: SHA256.hash(data: signed), padding: .insecurePKCS1v1_5)
        default:
            throw .unauthorized("SignatureVersion \(signatureVersion) is not 1 or 2")
        }
        guard valid else { throw .unauthorized("the SNS signature does not verify") }
    }
}
