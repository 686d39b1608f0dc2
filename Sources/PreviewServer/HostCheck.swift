import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// Which `Host` values the preview answers: the names of the address it
/// listens on, with its port.
///
/// A web page on any site can make the browser send requests to
/// 127.0.0.1 by pointing a name of its own at that address (DNS
/// rebinding); such requests carry the page's name as `Host`. Answering
/// only `127.0.0.1:PORT`, `localhost:PORT` and `[::1]:PORT` (and the
/// address given with `--host`) keeps the previews to this computer's
/// own browser. Listening on every address (`--host 0.0.0.0` or `::`),
/// the names people use cannot be known, and any `Host` is answered.
public final class HostCheck: Sendable {
    private let names: [String]
    private let anyHost: Bool
    private let port: NIOLockedValueBox<Int>

    /// The check for a server listening on `host:port` (port 0: set it with
    /// ``setPort(_:)`` once bound).
    public init(listeningOn host: String, port: Int) {
        var names = ["127.0.0.1", "localhost", "[::1]"]
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let shown = bare.contains(":") ? "[\(bare)]" : bare.lowercased()
        if !names.contains(shown) { names.append(shown) }
        self.names = names
        anyHost = ["0.0.0.0", "::", "[::]"].contains(host)
        self.port = NIOLockedValueBox(port)
    }

    /// Sets the port once the server is bound.
    public func setPort(_ port: Int) {
        self.port.withLockedValue { $0 = port }
    }

    /// Whether a request with this `Host` (authority) is answered.
    public func allows(_ authority: String?) -> Bool {
        if anyHost { return true }
        guard let authority else { return false }
        let port = self.port.withLockedValue { $0 }
        let lower = authority.lowercased()
        // Browsers leave out port 80 from Host.
        return names.contains { lower == "\($0):\(port)" || (port == 80 && lower == $0) }
    }
}

/// Answers 421 Misdirected Request to a request whose `Host` is not the
/// preview's own (``HostCheck``).
struct HostMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let hosts: HostCheck

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard hosts.allows(request.head.authority) else {
            return Response(
                status: .misdirectedRequest,
                headers: [.contentType: "text/plain; charset=utf-8", .connection: "close"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: "This preview answers only requests to its own address, such as http://127.0.0.1/.\n")))
        }
        return try await next(request, context)
    }
}
