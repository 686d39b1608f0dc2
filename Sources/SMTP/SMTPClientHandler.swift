import NIOCore

/// Matches replies to the commands that asked for them, in order, on the
/// channel's event loop. Each expected reply has a timeout; a closed
/// connection fails every reply still expected.
final class SMTPClientHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReply

    private struct Waiting {
        var promise: EventLoopPromise<SMTPReply>
        var step: String
        var timeout: Scheduled<Void>?
    }

    private var waiting: CircularBuffer<Waiting> = []
    /// Replies that came before anyone asked (the greeting).
    private var early: CircularBuffer<SMTPReply> = []
    private var failure: SMTPError?
    private var context: ChannelHandlerContext?
    let timeout: TimeAmount

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes `bytes` (if any) and returns one future per reply expected.
    func send(_ bytes: ByteBuffer?, replies: [String], on loop: EventLoop) -> [EventLoopFuture<SMTPReply>] {
        guard let context else {
            // Not in a pipeline any more: the connection is gone.
            return replies.map { _ in loop.makeFailedFuture(failure ?? SMTPError.closed) }
        }
        let futures = replies.map { expect(step: $0, context: context) }
        if let bytes { context.writeAndFlush(NIOAny(bytes), promise: nil) }
        return futures
    }

    private func expect(step: String, context: ChannelHandlerContext) -> EventLoopFuture<SMTPReply> {
        let promise = context.eventLoop.makePromise(of: SMTPReply.self)
        if let failure {
            promise.fail(failure)
            return promise.futureResult
        }
        if let reply = early.popFirst() {
            promise.succeed(reply)
            return promise.futureResult
        }
        var entry = Waiting(promise: promise, step: step, timeout: nil)
        let channel = context.channel
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        entry.timeout = context.eventLoop.scheduleTask(in: timeout) {
            bound.value.fail(.timeout(step))
            channel.close(promise: nil)
        }
        waiting.append(entry)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if let entry = waiting.popFirst() {
            entry.timeout?.cancel()
            entry.promise.succeed(reply)
        } else {
            early.append(reply)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let error = error as? SMTPError {
            fail(error)
        } else if let error = error as? ByteToMessageDecoderError, case .leftoverDataWhenDone = error {
            fail(.closed)
        } else {
            fail(.tls(String(describing: error)))
        }
        context.close(promise: nil)
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
