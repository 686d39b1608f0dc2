import DigestSend
import Foundation
import ListState
import MIME
import PostgresState
import Testing

/// The stores every test of the shared suite runs on.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL where it is installed or required.
    static var available: [StoreKind] { TestCluster.expected ? [.sqlite, .postgres] : [.sqlite] }

    static let listA = ListID("coalition.lists.a.example.org")!
    static let listB = ListID("coalition.lists.b.example.org")!

    /// A new, empty backing: a folder or a database.
    func backing() async throws -> Backing {
        switch self {
        case .sqlite:
            let folder = NSTemporaryDirectory() + "store-test-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return .folder(folder)
        case .postgres: return .database(try await TestCluster.server())
        }
    }
}

/// Where one test's state is.
enum Backing: Sendable {
    case folder(String)
    case database(StateServer)

    /// The store of `list` here (a new connection or file handle each call,
    /// as another process would have).
    func store(_ list: ListID = StoreKind.listA) throws -> any ListStore {
        switch self {
        case .folder(let folder): return try SQLiteListStore(path: folder + "/suppressions.sqlite", list: list)
        case .database(let server): return PostgresListStore(server: server, list: list)
        }
    }

    /// The ledger of `list`'s `month` here.
    func ledger(_ list: ListID = StoreKind.listA, month: String = "2019-03") async throws -> any MonthLedger {
        switch self {
        case .folder(let folder):
            return try SendLedger(path: folder + "/\(list)-\(month).sqlite", list: list.value)
        case .database(let server):
            return try await PostgresMonthLedger.open(
                server: server, list: list.value, month: month, retry: .init(attempts: 3, wait: 0.01))
        }
    }

    /// Removes what the test made.
    func remove() {
        switch self {
        case .folder(let folder): try? FileManager.default.removeItem(atPath: folder)
        case .database(let server): server.close()
        }
    }
}
