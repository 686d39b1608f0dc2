import ArgumentParser
import DigestApplication
import Foundation
import MembersServer

/// `digest serve`: the members' unsubscribe and preferences pages.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the members' unsubscribe and preferences pages (one-click unsubscribe).",
        discussion: """
            The pages mail.unsubscribe and mail.preferences point at: /unsubscribe?m=TOKEN \
            (a question and a button; the POST, from the button or a mail program's \
            one-click unsubscribe, is recorded in the state folder's suppression list \
            before it is answered) and /preferences?m=TOKEN (unsubscribe, start again, \
            language). Listens on 127.0.0.1 unless --host says otherwise: put Caddy or \
            nginx in front for HTTPS (docs/sending.md shows both) and name it with \
            --trusted-proxy. Logs a line a request on standard error, never an address \
            or a whole token. Stop with Ctrl-C or SIGTERM.
            One server answers for many lists: repeat --data (each list's pages in its \
            own style and languages; a token is answered by the list it belongs to), or \
            name a folder whose folders each hold a coalition.yaml.
            Exit status: 0 stopped with Ctrl-C or SIGTERM; 1 the data, the member list or \
            the unsubscribe secret has errors; 64 a wrong command line; 73 the server \
            cannot listen, or the state folder cannot be used.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A data folder, or a folder of data folders; repeat for more lists.", valueName: "folder"))
    var data: [String] = []

    @Option(name: .long, help: ArgumentHelp("The Mustache templates folder.", valueName: "folder"))
    var templates: String = "templates"

    @Option(name: .long, help: ArgumentHelp("Where output folders are written.", valueName: "folder"))
    var out: String = "output"

    /// The lists' projects: each `--data`, a folder of data folders opened up.
    var projects: [Project] {
        var folders: [String] = []
        for folder in data.isEmpty ? ["data"] : data {
            let own = (folder as NSString).appendingPathComponent("coalition.yaml")
            let inner = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            let lists = inner.sorted().map { (folder as NSString).appendingPathComponent($0) }.filter {
                FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("coalition.yaml"))
            }
            if !FileManager.default.fileExists(atPath: own), !lists.isEmpty {
                folders += lists
            } else {
                folders.append(folder)
            }
        }
        return folders.map { Project(dataPath: $0, templatesPath: templates, outputPath: out) }
    }

    @Option(name: .long, help: ArgumentHelp("The address to listen on.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("The port to listen on.", valueName: "number"))
    var port: Int = 8025

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A proxy (address or network, such as 127.0.0.1 or 10.0.0.0/8) whose X-Forwarded-For is believed; repeat for more.",
            valueName: "address"))
    var trustedProxy: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Requests a second one client may make (bursts of twice as many); 0 for no limit.", valueName: "number"))
    var rate: Double = 10

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Connections one client address may hold at once (a trusted proxy's are not counted by address).",
            valueName: "number"))
    var connectionsPerClient: Int = 16

    @Flag(name: .long, help: "Print no line per request (errors are still printed).")
    var quiet = false

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 1 and 65535 (0 takes any free port).")
        }
        guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 or more.") }
        guard connectionsPerClient >= 1 else { throw ValidationError("--connections-per-client must be 1 or more.") }
        do {
            _ = try TrustedProxies(trustedProxy)
        } catch {
            throw ValidationError(
                "--trusted-proxy \(error.text) is not an address or a network; write it as 127.0.0.1, ::1 or 10.0.0.0/8."
            )
        }
    }

    func run() async throws {
        var services: [MemberService] = []
        let proxies: TrustedProxies
        do {
            proxies = try TrustedProxies(trustedProxy)
        } catch {
            throw ExitCode(ExitStatus.usage)
        }
        do {
            for project in projects { services.append(try MemberService(project: project)) }
        } catch {
            throw Failure.exit(error)
        }
        for service in services { await service.readJoined() }
        let ids = services.compactMap { Project.listID($0.dataset.coalition)?.value }
        if let twice = ids.first(where: { id in ids.count { $0 == id } > 1 }) {
            Output.err("error: two data folders are the list \(twice); give each list its own mail.list_id")
            throw ExitCode(ExitStatus.dataErrors)
        }
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            Output.err(
                "warning: listening on \(host) without HTTPS; put a proxy with a certificate in front (docs/sending.md)"
            )
        }
        let quiet = self.quiet
        let settings = MembersServer.Settings(
            host: host, port: port, proxies: proxies, rate: rate, burst: max(rate * 2, 1),
            connectionsPerClient: connectionsPerClient,
            log: { line in if !quiet || line.hasPrefix("error") { Output.err(line) } })
        let shown = host.contains(":") ? "[\(host)]" : host
        do {
            let names = services.map(\.dataset.coalition.name).joined(separator: ", ")
            let application = try MembersServer.application(services: services, settings: settings) { bound in
                Output.err(
                    "Members' pages at http://\(shown):\(bound)/unsubscribe and /preferences for \(names) (Ctrl-C to stop)"
                )
            }
            try await application.runService()
        } catch let error as ProjectError {
            throw Failure.exit(error)
        } catch {
            Output.err("error: the members' server could not run on \(host):\(port): \(error)")
            throw ExitCode(ExitStatus.outputFailed)
        }
    }
}
