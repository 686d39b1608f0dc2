import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import ProviderWebhooks
import WholeFiles

/// SNS's signing certificates, each fetched once from its
/// `SigningCertURL` (async-http-client, https, no redirect) and kept: in
/// a state folder as `sns-certificates/<SHA-256 of the URL>.pem`, in a
/// database in its own table. A certificate already kept is used without
/// fetching. Only addresses on `sns.<region>.amazonaws.com` are ever
/// fetched (``SNSMessage/isSNSAddress(_:)``, checked by the caller).
struct SNSCertificates: Sendable {
    let home: StateHome

    /// The process's one client: https, no redirects (a redirect could
    /// lead off AWS's host), short timeouts.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(10))))

    /// The certificate at `url`.
    ///
    /// - Throws: ``WebhookRefusal`` 502 when it is not kept and cannot be
    ///   fetched (SNS tries the notification again later).
    func certificate(_ url: String, now: Double) async throws(WebhookRefusal) -> String {
        let hash = Project.hex(SHA256.hash(data: Data(url.utf8)))
        if let kept = await kept(hash) { return kept }
        let fetched = try await Self.fetch(url, limit: 64 * 1024)
        guard fetched.contains("-----BEGIN CERTIFICATE-----") else {
            throw WebhookRefusal(502, "SigningCertURL did not give a PEM certificate")
        }
        await keep(hash, url: url, pem: fetched, now: now)
        return fetched
    }

    private func kept(_ hash: String) async -> String? {
        switch home {
        case .folder(let state):
            let path = (state.path as NSString).appendingPathComponent("sns-certificates/\(hash).pem")
            return FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        case .database(let server):
            return try? await server.snsCertificate(urlHash: hash)
        }
    }

    /// Keeps a certificate; one that cannot be kept is fetched again next time.
    private func keep(_ hash: String, url: String, pem: String, now: Double) async {
        switch home {
        case .folder(let state):
            let folder = (state.path as NSString).appendingPathComponent("sns-certificates")
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try? WholeFile.replace((folder as NSString).appendingPathComponent("\(hash).pem"), with: Data(pem.utf8))
        case .database(let server):
            try? await server.storeSNSCertificate(urlHash: hash, url: url, pem: pem, now: now)
        }
    }

    /// GETs `url`: its body (at most `limit` bytes) on a 2xx.
    ///
    /// - Throws: ``WebhookRefusal`` 502 otherwise.
    static func fetch(_ url: String, limit: Int) async throws(WebhookRefusal) -> String {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(20))
            guard (200..<300).contains(response.status.code) else {
                throw WebhookRefusal(502, "\(host(url)) answered \(response.status.code)")
            }
            return String(buffer: try await response.body.collect(upTo: limit))
        } catch let refusal as WebhookRefusal {
            throw refusal
        } catch {
            throw WebhookRefusal(502, "\(host(url)) could not be reached (\(error))")
        }
    }

    static func host(_ url: String) -> String { URLComponents(string: url)?.host ?? "the address" }
}
