import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import Foundation

/// A member's own copy of a month as the preview shows it.
public struct PersonalCopy: Sendable {
    /// The newsletter as the member's mail program shows it.
    public var html: String
    /// `a•••@example.org`: the address, masked (the preview prints no address).
    public var masked: String
    /// The language the copy is written in.
    public var language: String
    /// The member's country, or nil.
    public var country: String?
    /// Whether the member receives the digest (a copy is shown either way).
    public var receivesDigest: Bool
}

extension Project {
    /// The secret the preview's copies are made with: their unsubscribe and
    /// preferences links look like the real ones but carry tokens of this
    /// secret, so a preview copy can never unsubscribe anyone.
    static let previewSecret = "coalition digest preview, not for sending"

    /// The month as the member on `line` of `members.csv` receives it:
    /// greeting, "From your country", language (their choice on the
    /// preferences page, else their column), for the preview.
    ///
    /// - Throws: ``ProjectError/members(_:)`` when the list has errors or
    ///   no member is on that line; ``ProjectError/mail(_:)`` without mail
    ///   settings the copy needs (`mail.unsubscribe`).
    public func personalCopy(
        _ dataset: CoalitionDataset, month: YearMonth, line: Int, renderers: [String: DigestRenderer]
    ) async throws(ProjectError) -> PersonalCopy {
        let path = MemberList.path(dataFolder: dataPath, coalition: dataset.coalition)
        let list = MemberList.load(path: path, required: true)
        guard let members = list.members, !list.log.hasErrors else { throw .members(list.log) }
        guard var member = members.first(where: { $0.line == line }) else {
            var log = DiagnosticLog()
            log.error(
                path, line, 1,
                "no member is on line \(line) of the list; members are on lines 2 to \((members.map(\.line).max() ?? 1))"
            )
            throw .members(log)
        }
        // A language chosen on the preferences page, when there is a state
        // folder: the preview makes none.
        if let list = try existingSuppressions(dataset.coalition),
            let chosen = try await MonthSend.withChosenLanguages([member], list: list).first
        {
            member = chosen
        }
        let digest = Digest(dataset: dataset, period: Period(month: month))
        do throws(MailingError) {
            let personal = try PersonalDigest(
                digest: digest, renderers: renderers, secret: UnsubscribeSecret(text: Self.previewSecret))
            return PersonalCopy(
                html: try personal.html(for: member), masked: MemberService.mask(member.email),
                language: personal.edition(for: member).language,
                country: member.country?.name, receivesDigest: member.receivesDigest)
        } catch {
            throw .mail(error)
        }
    }
}
