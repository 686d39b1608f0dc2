import HTTPTypes
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// HTTP/1.1 connections for Hummingbird with limits, so that a misbehaving
/// page, program or client cannot hold the server: the staff preview and
/// the members' public page (`digest serve`) both use it.
///
/// - At most ``Limits/connections`` connections at once: with that many
///   open the server stops accepting (back-pressure: the next wait in the
///   system's queue of the listening socket, and are served as soon as one
///   closes), never accepts and then drops them.
/// - At most ``Limits/perClient`` from one client address, so one address
///   cannot hold them all: one more is answered `503 Service Unavailable`
///   with `Retry-After` and closed. Addresses ``Limits/sharedBy`` says many
///   clients share (a trusted proxy) count only toward the first limit.
/// - A connection idle for ``Limits/idle`` (no request, or a request whose
///   headers never finish) is closed.
/// - A request must arrive whole within ``Limits/request`` of its start.
/// - An HTTP/1.0 request without `Connection: keep-alive`, or any request
///   with `Connection: close`, has its connection closed after the response.
public struct BoundedChannel: HTTPChannelHandler {
    /// The limits, in one place for the docs and the tests.
    public struct Limits: Sendable {
        /// Connections served at once.
        public var connections = 64
        /// How long a connection may wait for its next request.
        public var idle: TimeAmount = .seconds(10)
        /// How long a request's head and body may take to arrive.
        public var request: TimeAmount = .seconds(10)
        /// Connections served at once from one client address.
        public var perClient = 16
        /// True for an address many clients share (a proxy in front),
        /// which the per-client limit leaves alone.
        public var sharedBy: @Sendable ([UInt8]) -> Bool = { _ in false }

        /// Limits (the preview's by default).
        public init(
            connections: Int = 64, idle: TimeAmount = .seconds(10), request: TimeAmount = .seconds(10),
            perClient: Int = 16, sharedBy: @escaping @Sendable ([UInt8]) -> Bool = { _ in false }
        ) {
            self.connections = connections
            self.idle = idle
            self.request = request
            self.perClient = perClient
            self.sharedBy = sharedBy
        }
    }

    /// Hummingbird's responder.
    public let responder: HTTPChannelHandler.Responder
    let limits: Limits
    let open = NIOLockedValueBox(Open())

    /// The connections open, in all and by client address.
    struct Open {
        var total = 0
        var byClient: [[UInt8]: Int] = [:]
    }

    /// A server builder for `Application(server:)`.
    public static func builder(limits: Limits = Limits()) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in BoundedChannel(responder: responder, limits: limits) }
    }

    /// Admits the connection (or closes it when too many are open) and
    /// builds its pipeline.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<
        NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>
    > {
        let limits = self.limits
        let client = Self.address(channel.remoteAddress).flatMap { limits.sharedBy($0) ? nil : $0 }
        let listener = channel.parent
        let (admitted, full) = open.withLockedValue { open -> (Bool, Bool) in
            // Accepted in the same burst as the one that filled the server
            // (the listener reads a few at once): turned away like one
            // client's excess, with an answer.
            guard open.total < limits.connections else { return (false, true) }
            if let client {
                guard open.byClient[client, default: 0] < limits.perClient else { return (false, false) }
                open.byClient[client, default: 0] += 1
            }
            open.total += 1
            return (true, open.total >= limits.connections)
        }
        guard admitted else {
            // Answered once the connection is active, then closed; the
            // HTTP handler sees a connection that ends without a request.
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(TurnAway())
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
            }
        }
        // Full: stop taking connections from the listening socket until one closes.
        // (A listener already closed, the server stopping, has nothing to pause or resume.)
        if full { _ = listener?.setOption(ChannelOptions.autoRead, value: false) }
        let open = self.open
        channel.closeFuture.whenComplete { _ in
            let resume = open.withLockedValue { open -> Bool in
                let wasFull = open.total >= limits.connections
                open.total -= 1
                if let client {
                    let left = open.byClient[client, default: 1] - 1
                    open.byClient[client] = left > 0 ? left : nil
                }
                return wasFull && open.total < limits.connections
            }
            if resume { _ = listener?.setOption(ChannelOptions.autoRead, value: true) }
        }
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false)
            try channel.pipeline.syncOperations.addHandler(CloseAfterResponse())
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try channel.pipeline.syncOperations.addHandler(RequestDeadline(limit: limits.request))
            try channel.pipeline.syncOperations.addHandler(
                HTTPConnectionStateHandler(idleTimeout: Duration.nanoseconds(limits.idle.nanoseconds), logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    /// The answer to a connection turned away: HTTP/1.1 allows a response
    /// before the request; clients read it and try again later.
    static let busy =
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: 51\r\nConnection: close\r\n\r\nToo many connections from your address; try again.\n"

    /// The bytes of a peer's IP address (4 or 16), or nil.
    static func address(_ address: SocketAddress?) -> [UInt8]? {
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default:
            return nil
        }
    }

    /// Serves the connection's requests.
    public func handle(value asyncChannel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

/// Answers a connection turned away `503 Service Unavailable` with
/// `Retry-After` as soon as it is active, reads nothing of it, and closes it.
final class TurnAway: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPRequestPart

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func answer(_ context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(NIOAny(ByteBuffer(string: BoundedChannel.busy))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}

/// Closes the connection once the response to a request that does not
/// keep the connection alive has been written: HTTP/1.0 without
/// `Connection: keep-alive`, or `Connection: close`. (The HTTP version is
/// gone once requests become `HTTPTypes` values, so this sits before that.)
final class CloseAfterResponse: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var closeAfterResponse = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) { closeAfterResponse = !head.isKeepAlive }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data), closeAfterResponse else {
            context.write(data, promise: promise)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(data, promise: written)
        written.futureResult.cascade(to: promise)
        let channel = context.channel
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }
}

/// Closes a connection whose request has not arrived whole (head, body and
/// end) within the limit of its start: a body sent a byte at a time holds
/// no connection.
final class RequestDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let limit: TimeAmount
    private var deadline: Scheduled<Void>?

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }
}
