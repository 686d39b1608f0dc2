import ArgumentParser
import DigestApplication

/// `digest state`: the list's state as a whole (the suppression list and
/// the send ledgers), for staff and deploy scripts.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Show the list's state (lists, months sent, counts, schema), bring it up to date, or copy it.",
        subcommands: [Status.self, Migrate.self, Copy.self]
    )

    /// `digest state status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the state's lists, the months each sent, their counts and the schema (never an address).",
            discussion: """
                Only reads: nothing is made, changed or migrated.
                Exit status: 0 shown; 1 the data has errors; 64 a wrong command line; \
                73 the state cannot be read.
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let status: Project.StateStatus
            do {
                status = try await options.project.stateStatus()
            } catch {
                throw Failure.exit(error)
            }
            for line in Self.lines(status) { Output.out(line) }
        }

        static func lines(_ status: Project.StateStatus) -> [String] {
            guard status.exists else {
                return [
                    "State: \(status.location) (\(status.kind)): nothing recorded yet; the first send or unsubscribe makes it."
                ]
            }
            var lines = ["State: \(status.location) (\(status.kind))"]
            lines.append(
                (status.kind == "SQLite" ? "Suppression list schema: " : "Schema: ")
                    + "\(status.suppressionMigrations.count) migration\(status.suppressionMigrations.count == 1 ? "" : "s") applied"
                    + (status.suppressionPending.isEmpty
                        ? "" : "; \(status.suppressionPending.count) to apply (digest state migrate)"))
            for list in status.lists {
                lines.append("List \(list.id)\(list.isThisCoalitions ? " (this coalition's)" : ""):")
                let suppressed = list.suppressed.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                lines.append("  suppressed: " + (suppressed.isEmpty ? "none" : suppressed.joined(separator: ", ")))
                lines.append("  bounces: \(list.bounces["hard"] ?? 0) hard, \(list.bounces["soft"] ?? 0) soft")
                if list.months.isEmpty { lines.append("  no month sent yet") }
                for month in list.months {
                    let order = ["sent", "pending", "failed-temporary", "failed-permanent", "uncertain"]
                    let rows = order.compactMap { state in month.rows[state].map { "\($0) \(state)" } }
                    lines.append(
                        "  \(month.month): " + (rows.isEmpty ? "no rows" : rows.joined(separator: ", "))
                            + (month.pending.isEmpty ? "" : " (ledger: \(month.pending.count) migrations to apply)"))
                }
            }
            return lines
        }
    }

    /// `digest state migrate`.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring every file of the state up to this version's schema (for deploy scripts).",
            discussion: """
                What a writing command does on its first use, done at once; a month whose \
                send is running is left to that send. Running it again changes nothing.
                Exit status: 0 done (also when nothing was to do); 1 the data has errors; \
                64 a wrong command line; 73 a file of the state cannot be opened or written.
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let applied: [String]
            do {
                applied = try await options.project.migrateState()
            } catch {
                throw Failure.exit(error)
            }
            for line in applied { Output.out(line) }
            let count = applied.count { !$0.hasSuffix("left alone, its send is running") }
            Output.out(count == 0 ? "Nothing to apply: the state is up to date." : "\(count) applied.")
        }
    }

    /// `digest state copy FROM TO`.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a state folder into a database, or a database into a folder.",
            discussion: """
                FROM and TO are each a state folder (../state) or a database address \
                (postgresql://digest@db.example.org/coalition); the password comes from PGPASSWORD \
                or ~/.pgpass. Every list's suppressions, bounces, chosen languages and send \
                ledgers are copied. Running it again copies nothing more; a row the destination \
                holds under the same key with other values refuses the copy before anything is \
                written. Stop digest serve and digest send on the source first.
                Exit status: 0 copied (or nothing left to copy); 64 a wrong command line; \
                65 the destination holds other data; 73 a state cannot be read or written; \
                75 the database cannot be reached now.
                """)

        @Argument(help: "The state to copy: a folder or a postgresql:// address.")
        var from: String
        @Argument(help: "Where to copy it: a folder or a postgresql:// address.")
        var to: String

        func run() async throws {
            let report: StateCopy.Report
            do {
                report = try await StateCopy().copy(from: from, to: to)
            } catch {
                throw Failure.exit(error)
            }
            Output.out("Copied \(report.from) into \(report.to):")
            for ((kind, copied), (_, there)) in zip(report.copied, report.alreadyThere) {
                Output.out("  \(kind): \(copied) copied" + (there > 0 ? ", \(there) already there" : ""))
            }
        }
    }
}
