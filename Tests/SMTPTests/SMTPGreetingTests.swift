import Foundation
import Testing

@testable import SMTP

#if canImport(Glibc)
    import Glibc
#endif

/// A server on 127.0.0.1 that greets each connection with `greeting` and
/// hangs up at once, as a relay at its limit of connections does.
final class HangingUpServer: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32

    init(greeting: String, connections: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let listening = descriptor
        Thread.detachNewThread {
            for _ in 0..<connections {
                let client = accept(listening, nil, nil)
                guard client >= 0 else { return }
                _ = greeting.withCString { send(client, $0, strlen($0), 0) }
                close(client)
            }
        }
    }

    deinit { close(descriptor) }
}

@Suite("A relay's greeting")
struct SMTPGreetingTests {
    @Test("a 421 greeting and an immediate hang-up are heard as the 421, every time")
    func refusedAndGone() async throws {
        let tries = 30
        let server = try HangingUpServer(
            greeting: "421 4.7.0 relay.test Error: too many connections from 127.0.0.1\r\n", connections: tries)
        for _ in 0..<tries {
            let settings = SMTPConnection.Settings(host: "127.0.0.1", port: server.port, security: .none, timeout: 5)
            do {
                let connection = try await SMTPConnection.connect(settings)
                await connection.close()
                Issue.record("a connection was opened")
            } catch {
                guard case .unexpected(let step, let reply) = error else {
                    Issue.record("heard \(error), not the greeting")
                    continue
                }
                #expect(step == "the greeting" && reply.code == 421)
                #expect(error.description.contains("too many connections"))
            }
        }
    }
}
