import ArgumentParser
import DigestApplication

/// Options every command that reads data shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data folder.", valueName: "folder"))
    var data: String = "data"

    @Option(name: .long, help: ArgumentHelp("The Mustache templates folder.", valueName: "folder"))
    var templates: String = "templates"

    @Option(name: .long, help: ArgumentHelp("Where output folders are written.", valueName: "folder"))
    var out: String = "output"

    var project: Project { Project(dataPath: data, templatesPath: templates, outputPath: out) }
}
