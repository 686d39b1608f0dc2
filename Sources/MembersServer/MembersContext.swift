import Hummingbird
import NIOCore

/// The request context of `digest serve`: Hummingbird's core values, the
/// connection's peer address (for the rate limit and the trusted-proxy
/// check), and the body limit.
public struct MembersContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's own values.
    public var coreContext: CoreRequestContextStorage
    /// The connection's peer: the client, or the proxy in front.
    public let remoteAddress: SocketAddress?

    /// A context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies larger than a form are refused (413).
    public var maxUploadSize: Int { MembersServer.bodyLimit }
}
