import Foundation
import Testing

@testable import DeliveryReports

@Suite("Complaint reports (RFC 5965)")
struct FeedbackReportTests {
    @Test("an abuse report with the whole message: type, recipient, returned Message-ID and To")
    func abuse() throws {
        let report = try #require(FeedbackReport.read(try fixture("arf-abuse")))
        #expect(report.feedbackType == "abuse")
        #expect(report.isComplaint)
        #expect(report.originalMailFrom == "bounces@lists.test")
        #expect(report.originalRecipients == ["ghost@members.test"])
        #expect(report.returnedMessageID == "digest-2019-06.fedcba9876543210.justice-for-all@lists.test")
        #expect(report.returnedTo == ["ghost@members.test"])
        #expect(report.names("Ghost@Members.test"))
        #expect(!report.names("someone@members.test"))
        #expect(report.deliveredTo.contains("bounces@lists.test"))
        // Not a delivery report: no delivery-status part.
        #expect(DeliveryReport.read(try fixture("arf-abuse")) == nil)
    }

    @Test("a redacted report: no recipient, but the VERP address as Original-Mail-From and Return-Path")
    func redacted() throws {
        let report = try #require(FeedbackReport.read(try fixture("arf-redacted")))
        #expect(report.isComplaint)
        #expect(!report.names("ghost@members.test"))
        #expect(report.bounceAddresses.filter { $0 == "bounces+2019-06.0123456789abcdef@lists.test" }.count == 2)
        #expect(report.returnedMessageID == "redacted@mail.example")
    }

    @Test("not-spam is a feedback report but no complaint; delivery reports and replies are none")
    func others() throws {
        let report = try #require(FeedbackReport.read(try fixture("arf-not-spam")))
        #expect(report.feedbackType == "not-spam")
        #expect(!report.isComplaint)
        for name in ["postfix", "gmail", "autoreply"] {
            #expect(FeedbackReport.read(try fixture(name)) == nil)
        }
        #expect(FeedbackReport.read(Array("Content-Type: message/feedback-report\r\n\r\nVersion: 1\r\n".utf8)) == nil)
    }
}
