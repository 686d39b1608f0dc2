import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import DigestSend
import Foundation
import ListState
import MIME
import SMTP
import WholeFiles

extension MonthSend {
    /// What became of one test message.
    public struct TestSend: Sendable {
        /// The member whose copy it was (their line in `members.csv`).
        public var line: Int
        /// True when the address is that member's own.
        public var isMembersOwn: Bool
        /// What the transport said.
        public var result: TransportResult
    }

    /// Sends a trial copy to each of `addresses` and to no one else,
    /// leaving the month's ledger untouched: a member's own copy when the
    /// address is a member's, otherwise the first member's copy addressed
    /// to it (with a link that unsubscribes nobody). Each subject starts
    /// with `[Test]`.
    public func sendTests(
        to addresses: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        through given: (any MessageTransport)? = nil
    ) async throws(ProjectError) -> [TestSend] {
        let (_, transport) = try mailAndTransport(given: given, environment: environment)
        let recipients = recipients
        guard let first = recipients.first ?? mailing.members.first else {
            throw .nothingToDo("the member list is empty, so there is no member's copy to send as a test")
        }
        let stamp = String(Int(Date().timeIntervalSince1970))
        var results: [TestSend] = []
        for address in addresses {
            let own = mailing.members.first { $0.mailbox == address.lowercased() }
            let member =
                own
                ?? Member(
                    email: address, name: first.name, country: first.country, organisation: first.organisation,
                    language: nil, status: .subscribed, line: first.line)
            let text: String
            do {
                text = try personal.testMessage(for: member, stamp: stamp)
            } catch {
                throw .mail(error)
            }
            do throws(SendError) {
                var data = Array(text.utf8)
                if let signer = dkim.signer {
                    do {
                        data = try signer.sign(data, time: Int(Date().timeIntervalSince1970))
                    } catch {
                        throw SendError.signing(cause: error)
                    }
                }
                let result = try await transport.send(from: personal.sender, to: address, data: data)
                results.append(TestSend(line: member.line, isMembersOwn: own != nil, result: result))
            } catch {
                await transport.close()
                throw .send(error)
            }
        }
        await transport.close()
        return results
    }
}
