import Foundation
import PostgresNIO

extension StateServer {
    /// The SNS signing certificate cached for the address whose SHA-256
    /// (lower-case hex) is `urlHash`, if one was fetched before.
    public func snsCertificate(urlHash: String) async throws(DatabaseFailure) -> String? {
        try await withConnection(doing: "read a cached SNS certificate") { [logger] connection in
            let rows = try await connection.query(
                "SELECT pem FROM digest_sns_certificate WHERE url_hash = \(urlHash)", logger: logger)
            for try await pem in rows.decode(String.self) { return pem }
            return nil
        }
    }

    /// Keeps an SNS signing certificate fetched from `url`.
    public func storeSNSCertificate(urlHash: String, url: String, pem: String, now: Double)
        async throws(DatabaseFailure)
    {
        try await transaction(doing: "cache an SNS certificate") { [logger] connection in
            try await connection.query(
                """
                INSERT INTO digest_sns_certificate (url_hash, url, pem, fetched) VALUES (\(urlHash), \(url), \(pem), \(now))
                ON CONFLICT (url_hash) DO NOTHING
                """, logger: logger)
        }
    }
}
