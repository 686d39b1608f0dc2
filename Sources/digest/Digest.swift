import ArgumentParser
import DigestCommands

/// The `digest` program: the command line of ``DigestTool``.
@main
struct Digest {
    static func main() async {
        await DigestTool.main()
    }
}
