import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// Commands and replies on the event loop, for ``SMTPConnection``.
struct SMTPExchange: Sendable {
    let channel: Channel
    let handler: NIOLoopBound<SMTPClientHandler>
    let timeout: TimeAmount

    func exchange(_ command: String?, step: String) async throws -> SMTPReply {
        try await exchange(command, expecting: SMTPClientHandler.Expectation(step: step, timeout: timeout))
    }

    func exchange(_ command: String?, expecting: SMTPClientHandler.Expectation) async throws -> SMTPReply {
        let buffer = command.map { channel.allocator.buffer(string: $0 + "\r\n") }
        return try await exchange(bytes: buffer, expecting: expecting)
    }

    func exchange(bytes buffer: ByteBuffer?, step: String) async throws -> SMTPReply {
        try await exchange(bytes: buffer, expecting: SMTPClientHandler.Expectation(step: step, timeout: timeout))
    }

    /// Writes `buffer` and waits for one reply; the second future says
    /// whether the bytes were all handed to the system.
    func exchangeWritten(bytes buffer: ByteBuffer, expecting: SMTPClientHandler.Expectation) -> (
        EventLoopFuture<SMTPReply>, EventLoopFuture<Void>
    ) {
        let handler = self.handler
        let loop = channel.eventLoop
        let written = loop.makePromise(of: Void.self)
        let reply = loop.flatSubmit {
            handler.value.send(buffer, expecting: [expecting], written: written, on: loop)[0]
        }
        return (reply, written.futureResult)
    }

    func exchange(bytes buffer: ByteBuffer?, expecting: SMTPClientHandler.Expectation) async throws -> SMTPReply {
        let handler = self.handler
        let loop = channel.eventLoop
        let future = loop.flatSubmit {
            handler.value.send(buffer, expecting: [expecting], on: loop)[0]
        }
        return try await future.get()
    }

    /// Several commands in one write; a reply each.
    func pipeline(_ commands: [(String, String)]) async throws -> [SMTPReply] {
        let handler = self.handler
        let loop = channel.eventLoop
        let buffer = channel.allocator.buffer(string: commands.map { $0.0 + "\r\n" }.joined())
        let expectations = commands.map { SMTPClientHandler.Expectation(step: $0.1, timeout: timeout) }
        let future = loop.flatSubmit {
            EventLoopFuture.whenAllSucceed(handler.value.send(buffer, expecting: expectations, on: loop), on: loop)
        }
        return try await future.get()
    }

    /// EHLO, and the extensions offered.
    func hello(_ name: String) async throws -> Set<String> {
        let reply = try await exchange("EHLO \(name)", step: "EHLO")
        guard reply.code == 250 else { throw SMTPError.unexpected(step: "EHLO", reply: reply) }
        var extensions: Set<String> = []
        for line in reply.lines.dropFirst() {
            let words = line.uppercased().split(separator: " ")
            guard let first = words.first else { continue }
            extensions.insert(String(first))
            if first == "AUTH" { for word in words.dropFirst() { extensions.insert("AUTH=" + word) } }
        }
        return extensions
    }

    /// AUTH PLAIN, or LOGIN when PLAIN is not offered (RFC 4954, 4616).
    func login(_ credentials: (username: String, password: String), extensions: Set<String>) async throws {
        if extensions.contains("AUTH=PLAIN") {
            var plain: [UInt8] = [0]
            plain += Array(credentials.username.utf8)
            plain.append(0)
            plain += Array(credentials.password.utf8)
            let token = Data(plain).base64EncodedString()
            let reply = try await exchange("AUTH PLAIN " + token, step: "AUTH PLAIN")
            guard reply.code == 235 else { throw SMTPError.authentication(reply) }
        } else if extensions.contains("AUTH=LOGIN") {
            let first = try await exchange("AUTH LOGIN", step: "AUTH LOGIN")
            guard first.code == 334 else { throw SMTPError.authentication(first) }
            let second = try await exchange(Data(credentials.username.utf8).base64EncodedString(), step: "AUTH LOGIN")
            guard second.code == 334 else { throw SMTPError.authentication(second) }
            let last = try await exchange(Data(credentials.password.utf8).base64EncodedString(), step: "AUTH LOGIN")
            guard last.code == 235 else { throw SMTPError.authentication(last) }
        } else {
            throw SMTPError.unsupported("AUTH PLAIN or AUTH LOGIN, needed to log in")
        }
    }
}
