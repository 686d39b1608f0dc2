import ArgumentParser
import CoalitionData
import DigestMailing
import DigestRender
import Foundation

/// What the mail commands share: the checked data, the member list and the
/// unsubscribe secret, each failure printed as a diagnostic.
struct MailSetup {
    var dataset: CoalitionDataset
    var members: [Member]
    var membersPath: String
    /// The member list's file as it was just before it was read.
    var membersSignature: MemberListWatch.Signature?
    var secret: UnsubscribeSecret
    var tokens: MemberTokens

    /// Loads the data folder, the members and the secret; prints what is
    /// wrong and exits 1 when any is missing.
    static func load(data: String) throws -> MailSetup {
        let loaded = DataFolder.load(path: data)
        guard let dataset = loaded.dataset, !loaded.log.hasErrors else {
            for line in DiagnosticPrinter.lines(loaded.log) { Output.err(line) }
            throw ExitCode(ExitStatus.dataErrors)
        }
        let path = MemberList.path(dataFolder: data, coalition: dataset.coalition)
        let signature = MemberListWatch.Signature(path: path)
        let list = MemberList.load(path: path, required: true)
        guard let members = list.members, !list.log.hasErrors else {
            for line in DiagnosticPrinter.lines(list.log) { Output.err(line) }
            throw ExitCode(ExitStatus.dataErrors)
        }
        let secret: UnsubscribeSecret
        do {
            guard
                let found = try UnsubscribeSecret.load(
                    file: dataset.coalition.mail?.unsubscribeSecretFile, dataFolder: data)
            else { throw MailingError.noSecret }
            secret = found
        } catch let error as MailingError {
            Output.err("error: " + error.description)
            throw ExitCode(ExitStatus.dataErrors)
        }
        guard let listID = DigestMail.listIdentifier(dataset.coalition) else {
            Output.err("error: " + DigestMailError.noMailSettings.description)
            throw ExitCode(ExitStatus.dataErrors)
        }
        return MailSetup(
            dataset: dataset, members: members, membersPath: path, membersSignature: signature, secret: secret,
            tokens: MemberTokens(secret: secret, listID: listID))
    }

    /// The token in `text`: the text itself, or the `m=` value of a link.
    static func token(in text: String) -> String? {
        var value = Substring(text.trimmingCharacters(in: .whitespaces))
        if let range = value.range(of: "m=", options: .backwards) {
            value = value[range.upperBound...]
            if let end = value.firstIndex(where: { $0 == "&" || $0 == "#" }) { value = value[..<end] }
        }
        let allowed = value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return allowed && value.count == MemberTokens.tokenLength ? String(value) : nil
    }
}
