import ArgumentParser
import Foundation
import Testing

@testable import DigestCommands

@Suite("Command-line parsing")
struct CommandLineTests {
    func parseError(_ arguments: [String]) -> String? {
        do {
            _ = try DigestTool.parseAsRoot(arguments)
            return nil
        } catch {
            return DigestTool.message(for: error)
        }
    }

    @Test("render accepts a month, formats and folders")
    func renderOptions() throws {
        let command = try #require(
            try DigestTool.parseAsRoot([
                "render", "--month", "2020-02", "--format", "json", "--data", "d", "--out", "o",
            ])
                as? RenderCommand)
        #expect(command.month == "2020-02")
        #expect(try command.formats() == [.json])
        #expect(command.options.project.dataPath == "d")
        #expect(command.options.project.outputPath == "o")
    }

    @Test("bad arguments are explained")
    func errors() {
        #expect(parseError(["render", "--month", "2020-13"])?.contains("is not a month; write it as YYYY-MM") == true)
        #expect(parseError(["render", "--month", "Feb"])?.contains("is not a month") == true)
        #expect(parseError(["render", "--all", "--month", "2020-02"])?.contains("either --month or --all") == true)
        #expect(
            parseError(["render", "--format", "pdf"])?.contains("\"pdf\" is not known; use text, html, eml, json")
                == true)
        #expect(parseError(["next-call", "--after", "tomorrow"])?.contains("is not a date") == true)
    }

    @Test("the default formats are every format there is")
    func defaults() throws {
        let command = try #require(try DigestTool.parseAsRoot(["render"]) as? RenderCommand)
        #expect(try command.formats() == [.text, .html, .eml, .json, .ics])
    }
}
