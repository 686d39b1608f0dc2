import Foundation

/// Hands each message to the machine's mail system through its sendmail
/// program (Postfix, Exim, msmtp): `sendmail -oi -f SENDER -- RECIPIENT`,
/// the message on standard input with LF line ends.
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

    /// Runs the program once for the message.
    public func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError)
        -> TransportResult
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-oi", "-f", sender, "--", recipient]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .sendmail(program: program, cause: error)
        }
        var lf: [UInt8] = []
        lf.reserveCapacity(data.count)
        for (index, byte) in data.enumerated() where !(byte == 13 && index + 1 < data.count && data[index + 1] == 10) {
            lf.append(byte)
        }
        let payload = lf
        let writer = Thread {
            try? input.fileHandleForWriting.write(contentsOf: payload)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let firstLine =
            String(decoding: stderr, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal {
            // Killed, not refused: the message was not taken; try again.
            return .lost("sendmail was stopped by signal \(status)")
        }
        switch status {
        case 0: return .accepted("sendmail: accepted")
        case 75: return .deferred("sendmail exit 75 (try again later)" + (firstLine.isEmpty ? "" : ": " + firstLine))
        default: return .rejected("sendmail exit \(status)" + (firstLine.isEmpty ? "" : ": " + firstLine))
        }
    }

    /// Nothing to close: each message has its own process.
    public func close() async {}
}
