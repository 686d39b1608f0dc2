import CoalitionData
import Foundation
import ListState
import MIME
import ProviderWebhooks

/// Mail providers' webhooks for one list (`mail.webhooks`): each request
/// verified (SNS's signature and topic, Postmark's credentials, SendGrid's
/// ECDSA signature, Mailgun's HMAC with a fresh timestamp and an unseen
/// token), then each event it carries put through the same rules as a
/// delivery report: attributed by its recipient to a member of this list
/// (and, where the provider passes our `Message-ID`, checked against it),
/// a bounce recorded under the provider's event identity (the same event
/// twice counts once), a complaint or an unsubscribe suppressing the
/// member on this list. An event about nobody on the list is counted and
/// left alone. Nothing returned holds an address.
public final class WebhookService: Sendable {
    /// What a request did.
    public struct Outcome: Sendable, Equatable {
        /// Events that recorded something new.
        public var applied = 0
        /// Events recorded before (the same event again, or a member
        /// already suppressed).
        public var repeated = 0
        /// Events about nobody on this list, or another list's message.
        public var ignored = 0
        /// For a subscription's confirmation: that it was confirmed.
        public var confirmed = false

        /// The response's body and the log's words: counts only.
        public var summary: String {
            confirmed
                ? "subscription confirmed"
                : "\(applied) applied, \(repeated) already recorded, \(ignored) not this list's"
        }
    }

    /// A verified request: its events (nil for a subscription's
    /// confirmation, already confirmed), and Mailgun's token it spent.
    public struct Verified: Sendable {
        /// The events.
        public var events: [ProviderEvent]?
        /// The one-time token recorded as seen (Mailgun's), given back when
        /// the events could not be recorded, so the provider's retry of the
        /// same request is not taken for a replay.
        var token: (provider: String, value: String)?
    }

    let members: MemberService
    let settings: WebhookSettings
    let keys: WebhookKeys
    let certificates: SNSCertificates
    let home: StateHome
    let list: ListID
    let limits: Bounce.Limits
    let clock: @Sendable () -> Double

    /// The webhooks of the list `members` serves, their secrets read.
    ///
    /// - Throws: ``ProjectError/data(_:)`` when a secret cannot be used
    ///   (named at its place in `coalition.yaml`), `state` when the state
    ///   cannot be opened.
    public init(members: MemberService, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 })
        throws(ProjectError)
    {
        let coalition = members.dataset.coalition
        self.members = members
        settings = coalition.mail?.webhooks ?? WebhookSettings()
        keys = WebhookKeys(settings, dataFolder: members.project.dataPath)
        if keys.log.hasErrors { throw .data(keys.log) }
        home = try members.project.stateHome(coalition)
        certificates = SNSCertificates(home: home)
        guard let id = Project.listID(coalition) else { throw .noMailSettings(.noMailSettings) }
        list = id
        limits = Bounce.Limits(coalition.mail?.bounceLimits ?? Coalition.BounceLimits())
        self.clock = clock
    }

    /// Whether `mail.webhooks` sets `provider` up.
    public func configures(_ provider: WebhookProvider) -> Bool {
        switch provider {
        case .ses: return settings.ses != nil
        case .postmark: return keys.postmarkPassword != nil
        case .sendgrid: return keys.sendgrid != nil
        case .mailgun: return keys.mailgun != nil
        }
    }

    /// Verifies a request of `provider` and reads its events. A
    /// subscription's confirmation from SNS is confirmed here (nil events).
    ///
    /// - Parameter header: a request header's value by its name (any case).
    /// - Throws: ``WebhookRefusal``: 400 malformed, 401 not verified, 403
    ///   a topic or host not allowed, 502 SNS's certificate or
    ///   confirmation address could not be fetched.
    public func verify(
        _ provider: WebhookProvider, header: @Sendable (String) -> String?, body: [UInt8]
    ) async throws(WebhookRefusal) -> Verified {
        switch provider {
        case .ses:
            return Verified(events: try await ses(body))
        case .postmark:
            guard let password = keys.postmarkPassword, let user = settings.postmark?.user else {
                throw WebhookRefusal(404, "not configured")
            }
            try PostmarkWebhook.verify(authorization: header("Authorization"), user: user, password: password)
            return Verified(events: try PostmarkWebhook.events(body))
        case .sendgrid:
            guard let key = keys.sendgrid else { throw WebhookRefusal(404, "not configured") }
            try SendGridWebhook.verify(
                signature: header(SendGridWebhook.signatureHeader), timestamp: header(SendGridWebhook.timestampHeader),
                body: body, key: key)
            return Verified(events: try SendGridWebhook.events(body))
        case .mailgun:
            guard let key = keys.mailgun else { throw WebhookRefusal(404, "not configured") }
            let webhook = try MailgunWebhook.parse(body)
            try webhook.verify(key: key, now: clock())
            let fresh: Bool
            do {
                fresh = try await members.suppressions.spendWebhookToken(
                    webhook.token, provider: provider.rawValue, now: clock())
            } catch {
                throw WebhookRefusal(503, "the state cannot be written now")
            }
            guard fresh else { throw .unauthorized("Mailgun's token was seen before (a replayed request)") }
            return Verified(events: webhook.event.map { [$0] } ?? [], token: (provider.rawValue, webhook.token))
        }
    }

    /// SNS: the topic, the certificate's host, the signature; then a
    /// confirmation confirmed, or a notification's SES events.
    private func ses(_ body: [UInt8]) async throws(WebhookRefusal) -> [ProviderEvent]? {
        guard let topics = settings.ses?.topics else { throw WebhookRefusal(404, "not configured") }
        let message = try SNSMessage.parse(body)
        guard topics.contains(message.topicARN) else {
            throw .forbidden("the topic is not one of mail.webhooks.ses.topics")
        }
        guard SNSMessage.isSNSAddress(message.signingCertURL) else {
            throw .forbidden("SigningCertURL is not on sns.<region>.amazonaws.com over https")
        }
        let pem = try await certificates.certificate(message.signingCertURL, now: clock())
        try message.verify(certificatePEM: pem, now: Date(timeIntervalSince1970: clock()))
        switch message.type {
        case "SubscriptionConfirmation":
            guard let address = message.subscribeURL, SNSMessage.isSNSAddress(address) else {
                throw .forbidden("SubscribeURL is not on sns.<region>.amazonaws.com over https")
            }
            _ = try await SNSCertificates.fetch(address, limit: 64 * 1024)
            return nil
        case "Notification":
            return try SESNotification.events(message.message, snsMessageID: message.messageID)
        default:
            return []
        }
    }

    /// Applies verified events to this list.
    ///
    /// - Throws: ``ProjectError/state(path:cause:)`` when the state cannot
    ///   be written (the provider tries again; nothing counts twice).
    public func apply(_ verified: Verified) async throws(ProjectError) -> Outcome {
        do {
            return try await apply(verified.events ?? [])
        } catch {
            if let token = verified.token {
                try? await members.suppressions.releaseWebhookToken(token.value, provider: token.provider)
            }
            throw error
        }
    }

    func apply(_ events: [ProviderEvent]) async throws(ProjectError) -> Outcome {
        var outcome = Outcome()
        let store = members.suppressions
        let now = clock()
        var bounces: [Bounce] = []
        var requests: [Suppression.Request] = []
        var newest: String?
        for event in events {
            guard let member = await members.member(mailbox: event.recipient.lowercased()) else {
                outcome.ignored += 1
                continue
            }
            var month: String?
            if let id = event.messageID {
                // Our Message-ID names the month; any other is another list's message.
                guard let found = members.month(ofMessage: id, to: member) else {
                    outcome.ignored += 1
                    continue
                }
                month = found
            }
            switch event.kind {
            case .hardBounce, .softBounce:
                if month == nil {
                    if newest == nil { newest = try await project.sendMonths(home, list: list).first ?? "" }
                    month = newest.flatMap { $0.isEmpty ? nil : $0 } ?? Self.month(now)
                }
                bounces.append(
                    Bounce(
                        address: member.email, month: month ?? Self.month(now),
                        kind: event.kind == .hardBounce ? .hard : .soft, status: event.status,
                        report: "\(event.provider.rawValue):\(event.id)"))
            case .complaint, .unsubscribed:
                requests.append(
                    Suppression.Request(
                        address: member.email, reason: event.kind == .complaint ? .complaint : .unsubscribed,
                        source: .webhook, detail: "\(event.provider.rawValue) \(event.kind.rawValue)"))
            }
        }
        do {
            if !requests.isEmpty {
                for applied in try await store.suppress(requests, now: now) {
                    if applied.isNew { outcome.applied += 1 } else { outcome.repeated += 1 }
                }
            }
            if !bounces.isEmpty {
                let sends = try await project.sendMonths(home, list: list)
                for result in try await store.recordBounces(
                    bounces, source: .webhook, limits: limits, sends: sends, now: now)
                {
                    if result.counted { outcome.applied += 1 } else { outcome.repeated += 1 }
                }
            }
        } catch let error as ProjectError {
            throw error
        } catch {
            throw .state(path: store.location, cause: error)
        }
        return outcome
    }

    private var project: Project { members.project }

    /// `2026-12` of the time `now` (UTC), for a bounce no message names a month of.
    static func month(_ now: Double) -> String {
        LocalDate(daysSinceEpoch: Int((now / 86_400).rounded(.down))).yearMonth.description
    }
}
