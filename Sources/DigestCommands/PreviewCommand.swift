import ArgumentParser
import DigestApplication
import Foundation
import PreviewServer

/// `digest preview`: a local web server showing every report before it goes out.
struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Preview every digest and report in a browser, updated as files change.",
        discussion: """
            Serves on 127.0.0.1 (this computer only) unless --host says otherwise. \
            Pages are rendered in memory: nothing is written to output/. An edit to \
            the data or templates shows on the next page load; open pages reload \
            by themselves. Stop with Ctrl-C.
            Exit status: 0 stopped with Ctrl-C; 64 a wrong command line; 73 the preview \
            cannot listen on its address and port. Problems in the data are shown in the \
            pages, not in the exit status.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The address to listen on.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("The port to listen on.", valueName: "number"))
    var port: Int = 8080

    @OptionGroup var options: CommonOptions

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 1 and 65535 (0 takes any free port).")
        }
    }

    func run() async throws {
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            Output.err("warning: listening on \(host): other computers on the network can see the previews")
        }
        // Workbooks for download are assembled in the system's temporary
        // folder; clear what a killed preview or render left there.
        Project.removeStaleSystemTemporaryFiles()
        let workspace = PreviewWorkspace(project: options.project)
        let shown = host.contains(":") ? "[\(host)]" : host
        do {
            try await PreviewServer.application(workspace: workspace, host: host, port: port) { bound in
                // Only once the port is bound: a browser opened on this line finds the server.
                Output.err("Previews at http://\(shown):\(bound)/ (Ctrl-C to stop)")
            }.runService()
        } catch {
            Output.err("error: the preview server could not run on \(host):\(port): \(error)")
            throw ExitCode(ExitStatus.outputFailed)
        }
    }
}
