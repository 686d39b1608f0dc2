import CoalitionData
import DigestMailing
import DigestRender
import Foundation
import MIME

/// What the mail jobs share: the checked data, the member list and the
/// unsubscribe secret.
public struct Mailing: Sendable {
    /// The checked data.
    public var dataset: CoalitionDataset
    /// Every member of the list, in file order.
    public var members: [Member]
    /// Where the list is.
    public var membersPath: String
    /// The list's file as it was just before it was read.
    public var membersSignature: MemberListWatch.Signature?
    /// The unsubscribe secret.
    public var secret: UnsubscribeSecret
    /// The members' tokens under that secret.
    public var tokens: MemberTokens
    /// The list's identity: what its ledgers and suppressions are kept under.
    public var listID: ListID

    /// Loads the data folder, the members and the secret of `project`.
    ///
    /// - Throws: ``ProjectError``: `data` or `members` with every
    ///   diagnostic, `mail` without a secret, `noMailSettings` without
    ///   `mail:` in `coalition.yaml`.
    public static func load(_ project: Project) throws(ProjectError) -> Mailing {
        let dataset = try project.loadChecked().dataset
        let path = MemberList.path(dataFolder: project.dataPath, coalition: dataset.coalition)
        let signature = MemberListWatch.Signature(path: path)
        let list = MemberList.load(path: path, required: true)
        guard let members = list.members, !list.log.hasErrors else { throw .members(list.log) }
        let found: UnsubscribeSecret?
        do {
            found = try UnsubscribeSecret.load(
                file: dataset.coalition.mail?.unsubscribeSecretFile, dataFolder: project.dataPath)
        } catch {
            throw .mail(error)
        }
        guard let secret = found else { throw .mail(.noSecret) }
        guard let identifier = DigestMail.listIdentifier(dataset.coalition) else {
            throw .noMailSettings(.noMailSettings)
        }
        guard let listID = ListID(identifier) else { throw .noListID(identifier) }
        return Mailing(
            dataset: dataset, members: members, membersPath: path, membersSignature: signature, secret: secret,
            tokens: MemberTokens(secret: secret, listID: identifier), listID: listID)
    }

    /// The token in `text`: the text itself, or the `m=` value of a link.
    public static func token(in text: String) -> String? {
        var value = Substring(text.trimmingCharacters(in: .whitespaces))
        if let range = value.range(of: "m=", options: .backwards) {
            value = value[range.upperBound...]
            if let end = value.firstIndex(where: { $0 == "&" || $0 == "#" }) { value = value[..<end] }
        }
        let allowed = value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return allowed && value.count == MemberTokens.tokenLength ? String(value) : nil
    }

    /// The member whose unsubscribe token is `token`, if any.
    public func member(withToken token: String) -> Member? {
        tokens.member(withToken: token, in: members)
    }
}
