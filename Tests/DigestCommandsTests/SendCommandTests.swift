import Testing

@testable import DigestCommands
@testable import DigestSend

@Suite("digest send's progress line and summary")
struct SendCommandTests {
    @Test("the progress line: counts, rate, time to go, or the wait for a retry")
    func progress() {
        var running = SendRun.Progress(sent: 120, failed: 1, left: 880, rate: 512.4, waiting: nil)
        running.sessions = 4
        #expect(
            SendCommand.progressLine(running) == "sent 120 · failed 1 · left 880 · 512/s · 4 sessions · about 2 s to go"
        )
        let waiting = SendRun.Progress(sent: 34, failed: 0, left: 1, rate: 3, waiting: 29.2)
        #expect(
            SendCommand.progressLine(waiting) == "sent 34 · failed 0 · left 1 · 3/s · 1 session · waiting 30 s to retry"
        )
        // Nothing left: no time to go.
        var done = SendRun.Progress(sent: 300, failed: 0, left: 0, rate: 279, waiting: nil)
        done.sessions = 2
        #expect(SendCommand.progressLine(done) == "sent 300 · failed 0 · left 0 · 279/s · 2 sessions")
        // Held down by the relay: the pace it allows now, and what it said.
        running.slowdown = SendRun.Slowdown(reply: "421 4.7.0 too many connections", sessions: 3, rate: 12.5)
        #expect(
            SendCommand.progressLine(running)
                == "sent 120 · failed 1 · left 880 · 512/s · 4 sessions · slowed to 3 sessions, 12 a second (the relay: 421 4.7.0 too many connections) · about 2 s to go"
        )
        #expect(SendCommand.duration(89) == "89 s" && SendCommand.duration(600) == "10 min")
        #expect(SendCommand.duration(7200) == "2.0 h")
    }

    @Test("the summary names refusals by line, never by address")
    func summary() {
        let summary = SendRun.Summary(
            members: 35, sentNow: 30, sent: 33, failed: [SendRun.Failure(line: 4, reply: "550 5.1.1 <[address]>")],
            waiting: 1, pending: 0)
        #expect(
            SendCommand.summaryLines(
                summary, month: "2019-03", membersPath: "data/members.csv", ledger: "output/2019-03/send.sqlite")
                == [
                    "Sent 30 messages now; 33 of 35 subscribed members have the 2019-03 digest.",
                    "1 waiting to be tried again, every attempt of this run used: run digest send --month 2019-03 again later (the relay's last reply is in the ledger).",
                    "1 refused for good (their status in members.csv is left for you to decide):",
                    "  data/members.csv:4: 550 5.1.1 <[address]>",
                    "Ledger: output/2019-03/send.sqlite",
                ])
        #expect(SendCommand.exitStatus(summary) == 69)
    }

    @Test("each way a run can end has its own words and exit status")
    func endings() {
        let ledger = "output/2019-03/send.sqlite"
        func lines(_ summary: SendRun.Summary) -> [String] {
            SendCommand.summaryLines(summary, month: "2019-03", membersPath: "members.csv", ledger: ledger)
        }
        let done = SendRun.Summary(members: 35, sentNow: 35, sent: 35, failed: [], waiting: 0, pending: 0)
        #expect(
            lines(done) == [
                "Sent 35 messages now; 35 of 35 subscribed members have the 2019-03 digest.", "Ledger: \(ledger)",
            ])
        #expect(SendCommand.exitStatus(done) == 0)

        let limited = SendRun.Summary(
            members: 35, sentNow: 5, sent: 5, failed: [], waiting: 0, pending: 30, stop: .limit)
        #expect(
            lines(limited)[1]
                == "Stopped at --limit with 30 not sent yet: run digest send --month 2019-03 again to go on.")
        #expect(SendCommand.exitStatus(limited) == 3)

        let down = SendRun.Summary(
            members: 35, sentNow: 0, sent: 0, failed: [], waiting: 0, pending: 35,
            stop: .relayUnavailable(
                failures: 3, last: "cannot connect to the relay: localhost port 2525: connection refused"))
        #expect(
            lines(down)[1]
                == "Stopped: the relay failed 3 times in a row (last: cannot connect to the relay: localhost port 2525: connection refused). Nothing was sent twice: run digest send --month 2019-03 again later."
        )
        #expect(SendCommand.exitStatus(down) == 69)

        let unsure = SendRun.Summary(
            members: 35, sentNow: 34, sent: 34, failed: [],
            uncertain: [SendRun.Failure(line: 7, reply: "no reply to the end of the message within 600 s")], waiting: 0,
            pending: 0, droppedMeanwhile: 1)
        #expect(
            lines(unsure) == [
                "Sent 34 messages now; 34 of 35 subscribed members have the 2019-03 digest.",
                "1 left the list while the send ran and were not sent the digest.",
                "1 uncertain: sent whole, but the relay's answer to the end never came or could not be read, so it may have them; they are not sent again on their own:",
                "  members.csv:7: no reply to the end of the message within 600 s",
                "To send them again (a member may then have two copies): digest send --month 2019-03 --resend-uncertain",
                "Ledger: \(ledger)",
            ])
        #expect(SendCommand.exitStatus(unsure) == 2)

        // The pace, and the relay asking for a slower one.
        var paced = SendRun.Summary(members: 35, sentNow: 35, sent: 35, failed: [], waiting: 0, pending: 0)
        paced.sessions = 3
        paced.seconds = 4
        paced.slowdowns = [
            SendRun.Slowdown(reply: "421 4.7.0 too many connections", sessions: 3, rate: nil),
            SendRun.Slowdown(reply: "454 Throttling failure: Maximum sending rate exceeded.", sessions: 3, rate: 4.2),
        ]
        #expect(
            Array(lines(paced)[1...2]) == [
                "Sent at 8.8 messages a second over up to 3 sessions at once (4 s in all).",
                "The relay asked the send to slow down 2 times (last: 454 Throttling failure: Maximum sending rate exceeded.); the send went on at 3 sessions, 4.2 a second, and was back to the full pace (mail.smtp.connections, mail.smtp.per_second) by the end.",
            ])
        paced.endedSlowed = SendRun.Slowdown(reply: "", sessions: 2, rate: 3)
        #expect(
            lines(paced)[2].hasSuffix(
                "the send went on at 3 sessions, 4.2 a second, and ended at 2 sessions, 3.0 a second."))
        paced.endedSlowed = SendRun.Slowdown(reply: "", sessions: 3, rate: 4.2)
        #expect(lines(paced)[2].hasSuffix("; the send went on at 3 sessions, 4.2 a second to the end."))
        #expect(SendCommand.exitStatus(paced) == 0)
    }
}
