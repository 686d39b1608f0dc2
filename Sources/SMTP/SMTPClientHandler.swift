import NIOCore
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Matches replies to the commands that asked for them, in order, on the
/// channel's event loop. Each expected reply has its own timeout; a closed
/// connection fails every reply still expected.
///
/// It reads the raw bytes itself (``SMTPReplyDecoder`` is a plain value)
/// so that, when the server agrees to STARTTLS, it knows whether anything
/// came after that `220`: RFC 3207 section 4.2 says such bytes must not be
/// read as if they came over TLS (CVE-2011-0411 was a client that did).
/// The TLS handler goes in front of this one within the same read, so no
/// later byte can arrive in clear text.
final class SMTPClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// What to do when a reply is `220`: begin TLS (the reply to STARTTLS).
    struct StartTLS {
        var context: NIOSSLContext
        var serverHostname: String?
    }

    /// One reply the client waits for.
    struct Expectation {
        /// The step, as errors name it ("MAIL FROM", "the end of the message").
        var step: String
        /// How long to wait for it.
        var timeout: TimeAmount
        /// Set for the reply to STARTTLS.
        var startTLS: StartTLS? = nil
    }

    private struct Waiting {
        var promise: EventLoopPromise<SMTPReply>
        var expectation: Expectation
        var timeout: Scheduled<Void>?
    }

    private var waiting: CircularBuffer<Waiting> = []
    /// The greeting, when it comes before anyone asked for it.
    private var early: CircularBuffer<SMTPReply> = []
    /// True once a command has been expected: from then on a reply that
    /// nobody asked for means client and server are out of step.
    private var asked = false
    private var decoder = SMTPReplyDecoder()
    /// Bytes read but not yet a whole reply.
    private var unread: ByteBuffer?
    private var failure: SMTPError?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes `bytes` (if any) and returns one future per reply expected;
    /// `written` hears when the bytes are all handed to the system, or not.
    func send(
        _ bytes: ByteBuffer?, expecting: [Expectation], written: EventLoopPromise<Void>? = nil, on loop: EventLoop
    ) -> [EventLoopFuture<SMTPReply>] {
        guard let context else {
            // Not in a pipeline any more: the connection is gone, but what
            // the server said before it went is still its answer.
            written?.fail(failure ?? SMTPError.closed)
            return expecting.map { expectation in
                if expectation.startTLS == nil, let reply = early.popFirst() { return loop.makeSucceededFuture(reply) }
                return loop.makeFailedFuture(failure ?? SMTPError.closed)
            }
        }
        let futures = expecting.map { expect($0, context: context) }
        if let bytes {
            context.writeAndFlush(NIOAny(bytes), promise: written)
        } else {
            written?.succeed()
        }
        return futures
    }

    private func expect(_ expectation: Expectation, context: ChannelHandlerContext) -> EventLoopFuture<SMTPReply> {
        asked = true
        let promise = context.eventLoop.makePromise(of: SMTPReply.self)
        // A reply that came before it was asked for is its answer even when
        // the server has hung up since: a relay that greets with `421 4.7.0
        // too many connections` and closes at once is heard saying so.
        if expectation.startTLS == nil, let reply = early.popFirst() {
            promise.succeed(reply)
            return promise.futureResult
        }
        if let failure {
            promise.fail(failure)
            return promise.futureResult
        }
        var entry = Waiting(promise: promise, expectation: expectation, timeout: nil)
        let channel = context.channel
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let step = expectation.step
        entry.timeout = context.eventLoop.scheduleTask(in: expectation.timeout) {
            bound.value.fail(.timeout(step))
            channel.close(promise: nil)
        }
        waiting.append(entry)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        guard failure == nil else { return }
        var buffer: ByteBuffer
        if var pending = unread {
            pending.writeBuffer(&incoming)
            buffer = pending
        } else {
            buffer = incoming
        }
        unread = nil
        do {
            while let reply = try decoder.decode(&buffer) {
                let more = buffer.readableBytes > 0 || decoder.isInsideReply
                guard deliver(reply, moreBytes: more, context: context) else { return }
            }
        } catch {
            fail(error)
            context.close(promise: nil)
            return
        }
        if buffer.readableBytes > 0 { unread = buffer }
    }

    /// Hands `reply` to the oldest waiting step; false when the connection
    /// was failed instead.
    private func deliver(_ reply: SMTPReply, moreBytes: Bool, context: ChannelHandlerContext) -> Bool {
        guard let entry = waiting.popFirst() else {
            if asked {
                // Out of step: a reply to nothing (an unasked 421 before
                // the server hangs up is the common case).
                fail(.unexpected(step: "no command (a reply nobody asked for)", reply: reply))
                context.close(promise: nil)
                return false
            }
            early.append(reply)
            return true
        }
        entry.timeout?.cancel()
        if let tls = entry.expectation.startTLS, reply.code == 220 {
            guard !moreBytes, early.isEmpty, waiting.isEmpty else {
                fail(.injection)
                entry.promise.fail(SMTPError.injection)
                context.close(promise: nil)
                return false
            }
            decoder = SMTPReplyDecoder()
            do {
                let handler = try NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverHostname)
                try context.pipeline.syncOperations.addHandler(handler, position: .first)
            } catch {
                let problem = SMTPError.tls(SMTPCause(Self.describe(error), error: error))
                fail(problem)
                entry.promise.fail(problem)
                context.close(promise: nil)
                return false
            }
        }
        entry.promise.succeed(reply)
        return true
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail(Self.classify(error))
        context.close(promise: nil)
    }

    /// An error from the channel as an ``SMTPError`` that keeps its cause:
    /// TLS failures are `tls`, a reset or broken connection is `lost`
    /// (which is transient, whatever step it happened at).
    static func classify(_ error: Error) -> SMTPError {
        if let error = error as? SMTPError { return error }
        if let error = error as? NIOSSLError {
            if case .uncleanShutdown = error { return .lost("the relay ended the TLS session without closing it") }
            return .tls(.of(error))
        }
        if error is BoringSSLError { return .tls(.of(error)) }
        if let error = error as? IOError {
            return error.errnoCode == ECONNRESET
                ? .reset : .lost(SMTPCause(Self.errnoText(error.errnoCode), error: error))
        }
        if let error = error as? ChannelError {
            switch error {
            case .eof, .alreadyClosed, .ioOnClosedChannel, .outputClosed, .inputClosed: return .closed
            default: return .lost(.of(error))
            }
        }
        return .lost(.of(error))
    }

    /// `strerror`'s text in lower case: "connection reset by peer".
    static func errnoText(_ code: CInt) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        let message = String(cString: text)
        guard let first = message.first else { return message }
        return first.lowercased() + message.dropFirst()
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? SMTPError { return error.description }
        return String(describing: error)
    }

    /// Fails every reply still expected, and every later one.
    private func fail(_ error: SMTPError) {
        if failure == nil { failure = error }
        while let entry = waiting.popFirst() {
            entry.timeout?.cancel()
            entry.promise.fail(failure ?? error)
        }
    }
}
