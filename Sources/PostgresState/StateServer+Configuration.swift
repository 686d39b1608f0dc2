import CoalitionData
import Foundation
import NIOSSL
import PostgresNIO

extension StateServer {
    /// The pooled client's and a single connection's configurations for
    /// `address`: its host or socket, user, database, TLS mode and
    /// connect timeout.
    static func configurations(
        _ address: DatabaseAddress, password: String?
    ) throws(DatabaseFailure) -> (client: PostgresClient.Configuration, connection: PostgresConnection.Configuration) {
        var client: PostgresClient.Configuration
        var connection: PostgresConnection.Configuration
        if let socket = address.socketFolder {
            let path = (socket as NSString).appendingPathComponent(".s.PGSQL.\(address.port)")
            client = .init(unixSocketPath: path, username: address.user, password: password, database: address.database)
            connection = .init(
                unixSocketPath: path, username: address.user, password: password, database: address.database)
        } else {
            let host = address.host ?? "localhost"
            let tls = try tlsConfiguration(address)
            client = .init(
                host: host, port: address.port, username: address.user, password: password,
                database: address.database, tls: tls.map { .require($0) } ?? .disable)
            let context: NIOSSLContext?
            do {
                context = try tls.map { try NIOSSLContext(configuration: $0) }
            } catch {
                throw .settings(location: address.description, problem: "TLS: \(error)")
            }
            connection = .init(
                host: host, port: address.port, username: address.user, password: password,
                database: address.database, tls: context.map { .require($0) } ?? .disable)
        }
        let timeout = Duration.seconds(address.connectTimeout)
        client.options.connectTimeout = timeout
        connection.options.connectTimeout = .seconds(Int64(address.connectTimeout))
        for parameters in [("application_name", "digest")] {
            client.options.additionalStartupParameters.append(parameters)
            connection.options.additionalStartupParameters.append(parameters)
        }
        return (client, connection)
    }

    /// NIOSSL's settings for the address's `sslmode`: nil for `disable`;
    /// `require` encrypts without checking the server; `verify-full`
    /// checks its certificate (against `sslrootcert`, else the system's
    /// authorities) and its name.
    static func tlsConfiguration(_ address: DatabaseAddress) throws(DatabaseFailure) -> TLSConfiguration? {
        switch address.tls {
        case .disable: return nil
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return tls
        case .verifyFull:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .fullVerification
            if let root = address.rootCertificate {
                guard FileManager.default.isReadableFile(atPath: root) else {
                    throw .settings(
                        location: address.description,
                        problem:
                            "sslrootcert \(root) cannot be read; name the file of the authority that signed the server's certificate"
                    )
                }
                tls.trustRoots = .file(root)
            }
            return tls
        }
    }
}
