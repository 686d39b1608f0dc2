import Testing

@testable import DigestCommands
@testable import DigestSend

@Suite("digest send's progress line and summary")
struct SendCommandTests {
    @Test("the progress line: counts, rate, time to go, or the wait for a retry")
    func progress() {
        let running = SendRun.Progress(sent: 120, failed: 1, left: 880, rate: 512.4, waiting: nil)
        #expect(SendCommand.progressLine(running) == "sent 120 · failed 1 · left 880 · 512/s · about 2 s to go")
        let waiting = SendRun.Progress(sent: 34, failed: 0, left: 1, rate: 3, waiting: 29.2)
        #expect(SendCommand.progressLine(waiting) == "sent 34 · failed 0 · left 1 · 3/s · waiting 30 s to retry")
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
                    "0 not sent yet, 1 waiting to be tried again: run digest send --month 2019-03 again.",
                    "1 refused for good (their status in members.csv is left for you to decide):",
                    "  data/members.csv:4: 550 5.1.1 <[address]>",
                    "Ledger: output/2019-03/send.sqlite",
                ])
    }
}
