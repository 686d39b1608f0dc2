/// Why `digest send` stopped. No case carries a member's address.
public enum SendError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another send for the month holds the lock.
    case busy(month: String)
    /// The ledger or outbox cannot be written.
    case output(String)
    /// The relay cannot be reached or refuses the settings (login, TLS).
    case relay(String)
    /// Neither `mail.smtp` nor `mail.sendmail` is set.
    case noTransport

    /// The message as people read it.
    public var description: String {
        switch self {
        case .busy(let month):
            return
                "another digest send for \(month) is running; wait for it to finish (it holds output/\(month)/send.lock)"
        case .output(let why): return why
        case .relay(let why): return why
        case .noTransport:
            return
                "coalition.yaml names no way to send: add mail.smtp (host, port, security, username) or mail.sendmail: /usr/sbin/sendmail"
        }
    }
}
