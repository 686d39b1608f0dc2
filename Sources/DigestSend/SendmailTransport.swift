import Subprocess
import SystemPackage

/// Hands each message to the machine's mail system through its sendmail
/// program (Postfix, Exim, msmtp): `sendmail -oi -f SENDER -- RECIPIENT`,
/// the message on standard input with LF line ends. The program runs
/// through swift-subprocess, awaited without blocking a thread.
///
/// Exit status 0 is accepted, 75 (`EX_TEMPFAIL`) is deferred, any other is
/// rejected, with the first line the program wrote to standard error; a
/// program killed by a signal did not take the message (lost: tried again).
public struct SendmailTransport: MessageTransport {
    /// The program, such as `/usr/sbin/sendmail`.
    public var program: String

    /// A transport through `program`.
    public init(program: String) {
        self.program = program
    }

    /// Where messages go: `sendmail:/usr/sbin/sendmail`.
    public var identity: String { "sendmail:" + program }

    /// Runs the program once for the message.
    public func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError)
        -> TransportResult
    {
        var lf: [UInt8] = []
        lf.reserveCapacity(data.count)
        for (index, byte) in data.enumerated() where !(byte == 13 && index + 1 < data.count && data[index + 1] == 10) {
            lf.append(byte)
        }
        let result: ExecutionResult<Void, DiscardedOutput, StringOutput<UTF8>>
        do {
            result = try await run(
                .path(FilePath(program)), arguments: ["-oi", "-f", sender, "--", recipient], input: .array(lf),
                output: .discarded, error: .string(limit: 64 * 1024))
        } catch {
            throw .sendmail(program: program, cause: error)
        }
        let firstLine = result.standardError.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let said = firstLine.isEmpty ? "" : ": " + firstLine
        switch result.terminationStatus {
        case .exited(0): return .accepted("sendmail: accepted")
        case .exited(75): return .deferred("sendmail exit 75 (try again later)" + said)
        case .exited(let status): return .rejected("sendmail exit \(status)" + said)
        case .signaled(let signal):
            // Killed, not refused: the message was not taken; try again.
            return .lost("sendmail was stopped by signal \(signal)")
        }
    }

    /// Nothing to close: each message has its own process.
    public func close() async {}
}
