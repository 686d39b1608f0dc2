import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// One connection to a mail relay for submission (RFC 6409), reused for
/// many messages.
///
/// It says EHLO, upgrades with STARTTLS (or starts in TLS), logs in with
/// AUTH PLAIN or LOGIN, and sends each message as MAIL FROM, RCPT TO and
/// DATA, pipelined in one write when the server offers PIPELINING (RFC
/// 2920). Every reply has a timeout. After a transaction that did not end
/// in 250 the next one starts with RSET.
public final class SMTPConnection: Sendable {
    /// How the connection is protected.
    public enum Security: String, Sendable {
        /// STARTTLS before anything else is said.
        case starttls
        /// TLS from the first byte.
        case tls
        /// Plain text: a relay on this machine only.
        case none
    }

    /// Where and how to connect.
    public struct Settings: Sendable {
        /// Host name or address.
        public var host: String
        /// Port.
        public var port: Int
        /// How the connection is protected.
        public var security: Security
        /// The user to log in as, and the password; nil to send without AUTH.
        public var credentials: (username: String, password: String)?
        /// A PEM file of certificates trusted besides the system's.
        public var certificateAuthority: String?
        /// Seconds to wait for each reply but the one to the end of a message.
        public var timeout: Double
        /// Seconds to wait for the reply to the end of a message: RFC 5321
        /// section 4.5.3.2.6 gives the server ten minutes there, since it
        /// may be delivering the message while the client waits.
        public var dataTimeout: Double
        /// The name this client gives in EHLO.
        public var clientName: String

        /// Settings for a relay.
        public init(
            host: String, port: Int, security: Security, credentials: (username: String, password: String)? = nil,
            certificateAuthority: String? = nil, timeout: Double = 60, dataTimeout: Double = 600,
            clientName: String = "localhost"
        ) {
            self.host = host
            self.port = port
            self.security = security
            self.credentials = credentials
            self.certificateAuthority = certificateAuthority
            self.timeout = timeout
            self.dataTimeout = dataTimeout
            self.clientName = clientName
        }
    }

    /// What happened to one message.
    public enum Outcome: Sendable, Equatable {
        /// The server took it: its 250 reply to the data.
        case accepted(SMTPReply)
        /// Refused for now (4xx): try again later.
        case deferred(SMTPReply)
        /// Refused for good (5xx).
        case rejected(SMTPReply)
        /// The whole message went out but no reply to its end came within
        /// ``Settings/dataTimeout``: the server may have taken it. Sending
        /// it again may deliver it twice.
        case uncertain(String)
    }

    /// The step the reply to a message's final `.` is named by.
    public static let endOfData = "the end of the message"

    private let channel: Channel
    private let handler: NIOLoopBound<SMTPClientHandler>
    /// The extensions the server named in its EHLO reply, upper case; over
    /// STARTTLS, only those it named once TLS had begun.
    public let extensions: Set<String>
    private let state: NIOLockedValueBox<Bool>
    private let closing = NIOLockedValueBox(false)
    private let timeout: TimeAmount
    private let dataTimeout: TimeAmount

    private init(
        channel: Channel, handler: NIOLoopBound<SMTPClientHandler>, extensions: Set<String>, settings: Settings
    ) {
        self.channel = channel
        self.handler = handler
        self.extensions = extensions
        self.state = NIOLockedValueBox(false)
        self.timeout = Self.amount(settings.timeout)
        self.dataTimeout = Self.amount(settings.dataTimeout)
    }

    static func amount(_ seconds: Double) -> TimeAmount { .milliseconds(Int64(max(seconds, 0.001) * 1000)) }

    /// False once the connection is closed, or the server said 421 (it is
    /// closing the connection): open a new one.
    public var isUsable: Bool { channel.isActive && !closing.withLockedValue { $0 } }

    /// True when the server offers PIPELINING.
    public var pipelining: Bool { extensions.contains("PIPELINING") }

    /// Connects, greets, secures and logs in.
    ///
    /// - Throws: ``SMTPError``: `connect`, `timeout`, `closed` or `lost`,
    ///   `tls` or `tlsSettings`, `injection` (text after the `220` to
    ///   STARTTLS), `unsupported` (no STARTTLS, or no AUTH PLAIN/LOGIN when
    ///   a user is set), `authentication`, or `unexpected` for any other
    ///   refusal.
    public static func connect(
        _ settings: Settings, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(SMTPError) -> SMTPConnection {
        let timeout = amount(settings.timeout)
        let context: NIOSSLContext?
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            if let authority = settings.certificateAuthority {
                configuration.additionalTrustRoots = [.file(authority)]
            }
            context = settings.security == .none ? nil : try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsSettings(.of(error))
        }
        let hostname = Self.isAddressLiteral(settings.host) ? nil : settings.host
        let immediateTLS = settings.security == .tls
        // The handler as made, kept here: a relay that greets with `421`
        // and hangs up at once may be gone from the pipeline before the
        // greeting is asked for, and its words are in this handler.
        let made = NIOLockedValueBox<NIOLoopBound<SMTPClientHandler>?>(nil)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if immediateTLS, let context {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: context, serverHostname: hostname))
                    }
                    let handler = SMTPClientHandler()
                    try channel.pipeline.syncOperations.addHandler(handler)
                    made.withLockedValue { $0 = NIOLoopBound(handler, eventLoop: channel.eventLoop) }
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: settings.host, port: settings.port).get()
        } catch {
            throw .connect(
                SMTPCause(
                    "\(settings.host) port \(settings.port): \(Self.describeConnect(error, timeout: settings.timeout))",
                    error: error))
        }
        guard let handler = made.withLockedValue({ $0 }) else {
            channel.close(promise: nil)
            throw .closed
        }
        let raw = SMTPExchange(channel: channel, handler: handler, timeout: timeout)
        do {
            let greeting = try await raw.exchange(bytes: nil, step: "the greeting")
            guard greeting.code == 220 else { throw SMTPError.unexpected(step: "the greeting", reply: greeting) }
            var extensions = try await raw.hello(settings.clientName)
            if settings.security == .starttls {
                guard extensions.contains("STARTTLS") else { throw SMTPError.unsupported("STARTTLS") }
                guard let context else { throw SMTPError.tlsSettings("no TLS context") }
                // The handler puts TLS in front of itself as it reads the
                // 220, and refuses anything that came after it in clear.
                let upgrade = SMTPClientHandler.StartTLS(context: context, serverHostname: hostname)
                let ready = try await raw.exchange(
                    "STARTTLS",
                    expecting: SMTPClientHandler.Expectation(step: "STARTTLS", timeout: timeout, startTLS: upgrade))
                guard ready.code == 220 else { throw SMTPError.unexpected(step: "STARTTLS", reply: ready) }
                // What the server offered before TLS is forgotten: only
                // the EHLO reply over TLS counts (RFC 3207 section 4.2).
                extensions = try await raw.hello(settings.clientName)
            }
            if let credentials = settings.credentials {
                try await raw.login(credentials, extensions: extensions)
            }
            return SMTPConnection(channel: channel, handler: handler, extensions: extensions, settings: settings)
        } catch {
            channel.close(promise: nil)
            throw SMTPClientHandler.classify(error)
        }
    }

    /// Sends one message from `sender` to `recipient`.
    ///
    /// `data` is the message as it is (CRLF line ends); dot-stuffing and
    /// the final `.` are added here. A refusal of MAIL, RCPT or DATA is
    /// an ``Outcome``; a lost connection or timeout throws, and the
    /// connection cannot be used again.
    public func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SMTPError) -> Outcome {
        let raw = SMTPExchange(channel: channel, handler: handler, timeout: timeout)
        let reset = state.withLockedValue { $0 }
        do {
            var commands: [(String, String)] = []
            if reset { commands.append(("RSET", "RSET")) }
            commands.append(("MAIL FROM:<\(sender)>", "MAIL FROM"))
            commands.append(("RCPT TO:<\(recipient)>", "RCPT TO"))
            commands.append(("DATA", "DATA"))
            var replies: [SMTPReply] = []
            if pipelining {
                replies = try await raw.pipeline(commands)
            } else {
                for command in commands {
                    let reply = try await raw.exchange(command.0, step: command.1)
                    replies.append(reply)
                    if command.1 != "RSET", !reply.isPositive, !reply.isIntermediate { break }
                }
            }
            // Each reply must answer its command; one that cannot means
            // client and relay are out of step (replies in another order).
            for (command, reply) in zip(commands, replies) {
                try Self.check(reply, answers: command.1)
            }
            if reset { replies.removeFirst() }
            let mail = replies[0]
            let rcpt = replies.count > 1 ? replies[1] : nil
            let dataReply = replies.count > 2 ? replies[2] : nil
            guard mail.isPositive else { return try await finish(self.outcome(mail), raw: raw, after: dataReply) }
            guard let rcpt, rcpt.isPositive else {
                return try await finish(self.outcome(rcpt ?? mail), raw: raw, after: dataReply)
            }
            guard let dataReply, dataReply.code == 354 else {
                return try await finish(self.outcome(dataReply ?? rcpt), raw: raw, after: nil)
            }
            let (final, written) = raw.exchangeWritten(
                bytes: Self.stuffed(data, allocator: channel.allocator),
                expecting: SMTPClientHandler.Expectation(step: Self.endOfData, timeout: dataTimeout))
            let reply: SMTPReply
            do {
                reply = try await final.get()
                try Self.check(reply, answers: Self.endOfData)
            } catch {
                state.withLockedValue { $0 = true }
                closing.withLockedValue { $0 = true }
                channel.close(promise: nil)
                let problem = SMTPClientHandler.classify(error)
                // Not handed over whole: not delivered.
                guard (try? await written.get()) != nil else { throw problem }
                switch problem {
                case .timeout, .malformedReply, .outOfStep:
                    // The relay read the message to its end and then said
                    // nothing, or something that is not an answer: it may
                    // have queued it.
                    return .uncertain(uncertainty(problem))
                default:
                    // A relay that hangs up or resets without a word is
                    // taken not to have queued it: relays commit a message
                    // as they answer it, and a session broken before the
                    // answer is given up (RFC 5321 section 4.1.1.4). Sent
                    // again, as before.
                    throw problem
                }
            }
            state.withLockedValue { $0 = !reply.isPositive }
            return reply.isPositive ? .accepted(reply) : outcome(reply)
        } catch {
            state.withLockedValue { $0 = true }
            throw SMTPClientHandler.classify(error)
        }
    }

    /// Why a message sent whole is uncertain, in words: after the final
    /// dot (RFC 5321 section 4.5.3.2.6) no reply in time, or one that
    /// cannot be read or cannot answer it, leaves the relay possibly
    /// holding it.
    func uncertainty(_ problem: SMTPError) -> String {
        Self.uncertainty(problem, timeout: dataTimeout)
    }

    static func uncertainty(_ problem: SMTPError, timeout: TimeAmount) -> String {
        switch problem {
        case .timeout:
            return
                "no reply to the end of the message within \(seconds(timeout)); the relay may have taken it"
        case .malformedReply(let text):
            return
                "the relay answered the end of the message with something that is not an SMTP reply (\(text)); it may have taken it"
        case .outOfStep(_, let reply):
            return
                "the relay answered the end of the message with \(reply), which is no answer to it; it may have taken it"
        default:
            return "\(problem.description), after the whole message had gone out; the relay may have taken it"
        }
    }

    /// Throws ``SMTPError/outOfStep(step:reply:)`` when `reply` cannot
    /// answer `step`: MAIL, RCPT, RSET and a message's end take 2xx, 4xx
    /// or 5xx; DATA takes 354, 4xx or 5xx.
    static func check(_ reply: SMTPReply, answers step: String) throws(SMTPError) {
        let fits: Bool
        switch step {
        case "DATA": fits = reply.code == 354 || reply.isTransient || reply.isPermanent
        case "RSET": fits = reply.isPositive
        default: fits = reply.isPositive || reply.isTransient || reply.isPermanent
        }
        guard fits else { throw .outOfStep(step: step, reply: reply) }
    }

    static func seconds(_ amount: TimeAmount) -> String {
        let seconds = Double(amount.nanoseconds) / 1_000_000_000
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// Marks the next transaction to start with RSET; when the server
    /// accepted DATA after a refused RCPT (pipelined), ends it with an
    /// empty message it will refuse.
    private func finish(_ outcome: Outcome, raw: SMTPExchange, after dataReply: SMTPReply?) async throws -> Outcome {
        state.withLockedValue { $0 = true }
        if let dataReply, dataReply.code == 354, isUsable {
            // RFC 2920: DATA was accepted though no recipient was; send the
            // end of data so the connection is in step again.
            _ = try await raw.exchange(".", step: "the end of an empty message")
        }
        return outcome
    }

    /// Says QUIT and closes.
    public func close() async {
        let raw = SMTPExchange(channel: channel, handler: handler, timeout: timeout)
        // The session ends either way: a relay that does not answer QUIT, or
        // a channel already closed, has nothing more to say.
        _ = try? await raw.exchange("QUIT", step: "QUIT")
        try? await channel.close()
    }

    private func outcome(_ reply: SMTPReply) -> Outcome {
        if reply.code == 421 {
            // RFC 5321 section 3.8: the server is closing the channel.
            closing.withLockedValue { $0 = true }
            channel.close(promise: nil)
        }
        return reply.isPermanent ? .rejected(reply) : .deferred(reply)
    }

    /// `data` dot-stuffed (RFC 5321 section 4.5.2), ending with CRLF `.` CRLF.
    static func stuffed(_ data: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: data.count + data.count / 64 + 8)
        data.withUnsafeBufferPointer { bytes in
            var start = 0
            var lineStart = true
            for index in 0..<bytes.count {
                if lineStart, bytes[index] == UInt8(ascii: ".") {
                    buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<index])))
                    buffer.writeInteger(UInt8(ascii: "."))
                    start = index
                }
                lineStart = bytes[index] == 10
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])))
        }
        if !(data.count >= 2 && data[data.count - 2] == 13 && data[data.count - 1] == 10) {
            buffer.writeString("\r\n")
        }
        buffer.writeString(".\r\n")
        return buffer
    }

    static func isAddressLiteral(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    /// Why a connection could not be opened, in words: "connection
    /// refused", "no answer within 5 s", "the name cannot be resolved".
    static func describeConnect(_ error: Error, timeout: Double) -> String {
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return describeConnect(first.error, timeout: timeout) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "the name cannot be resolved" }
            return "no address was found for it"
        }
        if let error = error as? IOError { return SMTPClientHandler.errnoText(error.errnoCode) }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return "no answer within \(seconds(amount(timeout)))"
        }
        if error is SocketAddressError { return "the name cannot be resolved" }
        return String(describing: error)
    }
}
