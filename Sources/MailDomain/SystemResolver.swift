import CResolv
import Foundation

/// DNS through the system's resolver (glibc's libresolv): the servers of
/// `/etc/resolv.conf`, or one server (`digest mail check --dns HOST:PORT`),
/// over UDP, and TCP when an answer is truncated. Each question runs on a
/// thread of its own (the resolver blocks).
public struct SystemResolver: DNSSource {
    /// The one server asked, as `(address, port)`; nil for the system's.
    public let server: (address: String, port: Int)?

    /// A resolver asking `server` (`192.0.2.53:53`, `[2001:db8::53]:5353`),
    /// or the system's servers when nil.
    ///
    /// - Returns: nil when `server` is not an address with a port.
    public init?(server text: String?) {
        guard let text else {
            server = nil
            return
        }
        guard let parsed = Self.parse(text) else { return nil }
        server = parsed
    }

    /// `HOST:PORT` or `[IPv6]:PORT` (the port 53 when left out).
    static func parse(_ text: String) -> (address: String, port: Int)? {
        var host = text
        var port = 53
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()) else { return nil }
                port = number
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            guard let number = Int(text[text.index(after: colon)...]) else { return nil }
            port = number
        }
        guard (1...65535).contains(port) else { return nil }
        var four = in_addr()
        var six = in6_addr()
        guard inet_pton(AF_INET, host, &four) == 1 || inet_pton(AF_INET6, host, &six) == 1 else { return nil }
        return (host, port)
    }

    /// The resolver's record types.
    enum RecordType: Int32 {
        case a = 1
        case mx = 15
        case txt = 16
        case aaaa = 28
    }

    /// The answer section's records of `type`, as (rdata, the whole message) pairs handed to `read`.
    func query<Record: Sendable & Equatable>(
        _ name: String, _ type: RecordType, read: @escaping @Sendable (UnsafePointer<UInt8>, Int, ns_rr) -> Record?
    ) async -> DNSAnswer<Record> {
        let server = self.server
        return await withCheckedContinuation { done in
            Thread {
                var answer = [UInt8](repeating: 0, count: 65_535)
                var failure: Int32 = 0
                let length = answer.withUnsafeMutableBufferPointer { buffer in
                    digest_resolv_query(
                        server?.address, Int32(server?.port ?? 53), name, type.rawValue, buffer.baseAddress,
                        Int32(buffer.count), &failure)
                }
                guard length >= 0 else {
                    switch failure {
                    case HOST_NOT_FOUND, NO_DATA: done.resume(returning: .none)
                    case -2: done.resume(returning: .failed("the server is not an address"))
                    case TRY_AGAIN:
                        done.resume(returning: .failed("no server answered in time, or it failed (SERVFAIL)"))
                    default: done.resume(returning: .failed("the server could not answer (error \(failure))"))
                    }
                    return
                }
                var records: [Record] = []
                let parsed = answer.withUnsafeBufferPointer { buffer -> Bool in
                    guard let base = buffer.baseAddress else { return false }
                    var message = ns_msg()
                    guard ns_initparse(base, length, &message) == 0 else { return false }
                    for index in 0..<digest_resolv_answers(&message) {
                        var record = ns_rr()
                        guard ns_parserr(&message, ns_s_an, index, &record) == 0 else { return false }
                        guard Int32(record.type) == type.rawValue else { continue }
                        if let value = read(base, Int(length), record) { records.append(value) }
                    }
                    return true
                }
                done.resume(
                    returning: parsed
                        ? (records.isEmpty ? .none : .records(records)) : .failed("the answer could not be read"))
            }.start()
        }
    }

    /// See ``DNSSource``.
    public func txt(_ name: String) async -> DNSAnswer<String> {
        await query(name, .txt) { _, _, record in
            guard let rdata = record.rdata else { return nil }
            // Character strings, each its length then its bytes, joined.
            var bytes: [UInt8] = []
            var index = 0
            let count = Int(record.rdlength)
            while index < count {
                let length = Int(rdata[index])
                index += 1
                guard index + length <= count else { return nil }
                bytes.append(contentsOf: UnsafeBufferPointer(start: rdata + index, count: length))
                index += length
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// See ``DNSSource``.
    public func mx(_ name: String) async -> DNSAnswer<MXRecord> {
        await query(name, .mx) { message, length, record in
            guard let rdata = record.rdata, record.rdlength >= 3 else { return nil }
            let preference = Int(rdata[0]) << 8 | Int(rdata[1])
            var name = [CChar](repeating: 0, count: 1025)
            guard ns_name_uncompress(message, message + length, rdata + 2, &name, name.count) >= 0 else { return nil }
            let exchange = String(cString: name)
            return MXRecord(
                preference: preference, exchange: exchange.hasSuffix(".") ? String(exchange.dropLast()) : exchange)
        }
    }

    /// An address's bytes as text.
    static func text(_ rdata: UnsafePointer<UInt8>, family: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, rdata, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return String(cString: buffer)
    }

    /// See ``DNSSource``.
    public func addresses(_ name: String) async -> DNSAnswer<String> {
        let four = await query(name, .a) { _, _, record in
            record.rdlength == 4 ? record.rdata.flatMap { Self.text($0, family: AF_INET) } : nil
        }
        let six = await query(name, .aaaa) { _, _, record in
            record.rdlength == 16 ? record.rdata.flatMap { Self.text($0, family: AF_INET6) } : nil
        }
        switch (four, six) {
        case (.failed(let why), _), (_, .failed(let why)): return .failed(why)
        default:
            let all = (four.records ?? []) + (six.records ?? [])
            return all.isEmpty ? .none : .records(all)
        }
    }
}
