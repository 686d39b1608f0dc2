import Foundation
import Testing

@testable import WholeFiles

/// A fresh folder, removed at the end.
struct Scratch {
    let path = NSTemporaryDirectory() + "whole-files-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func names(_ folder: String? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder ?? path).sorted()
    }
}

@Suite("Files written whole")
struct WholeFilesTests {
    @Test("replace: the new bytes, the old permissions, no temporary file left; a failure leaves the old file")
    func replace() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = scratch.path + "/members.csv"
        try WholeFile.replace(file, with: Data("one".utf8), mode: 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "one")
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        chmod(file, 0o640)
        try WholeFile.replace(file, with: Data("two".utf8))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "two")
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o640)
        #expect(try scratch.names() == ["members.csv"])
        // A folder standing where the file goes: the rename fails, nothing changes, no leftovers.
        let blocked = scratch.path + "/blocked"
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        do {
            try WholeFile.replace(blocked, with: Data("x".utf8))
            Issue.record("a folder was replaced by a file")
        } catch {
            #expect(error.path == blocked)
            if case .system(let code) = error.reason { #expect(code == EISDIR || code == ENOTEMPTY) }
        }
        #expect(try scratch.names() == ["blocked", "members.csv"])
    }

    @Test("temporary names carry the process id; only those of ended processes are removed")
    func temporaryNames() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let mine = TemporaryName.path(in: scratch.path)
        #expect(TemporaryName.processID(in: (mine as NSString).lastPathComponent) == getpid())
        #expect(TemporaryName.processID(in: "report.xlsx") == nil)
        #expect(FileManager.default.createFile(atPath: mine, contents: Data()))
        // A process id far above any running one.
        let dead = scratch.path + "/" + TemporaryName.prefix + "2147483646-abc"
        #expect(FileManager.default.createFile(atPath: dead, contents: Data()))
        #expect(TemporaryName.removeStale(in: [scratch.path]) == [dead])
        #expect(FileManager.default.fileExists(atPath: mine))
    }

    @Test("a folder swap changes every file at once, keeps others, and a guard can refuse it")
    func folderSwap() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let swap = FolderSwap(root: scratch.path)
        _ = try swap.replace("2020-03", files: ["a.txt": Data("a1".utf8), "b.txt": Data("b1".utf8)])
        #expect(FileManager.default.createFile(atPath: scratch.path + "/2020-03/ledger", contents: Data("keep".utf8)))
        let written = try swap.replace("2020-03", files: ["a.txt": Data("a2".utf8)], removing: ["b.txt"])
        #expect(written == [scratch.path + "/2020-03/a.txt"])
        #expect(try scratch.names(scratch.path + "/2020-03") == ["a.txt", "ledger"])
        #expect(try String(contentsOfFile: scratch.path + "/2020-03/ledger", encoding: .utf8) == "keep")
        #expect(try scratch.names() == ["2020-03"])

        let refusing = FolderSwap(root: scratch.path) { folder throws(WriteError) in
            throw WriteError(path: folder, reason: .inTheWay("busy"))
        }
        #expect(throws: WriteError.self) { try refusing.replace("2020-03", files: ["a.txt": Data("a3".utf8)]) }
        #expect(try String(contentsOfFile: scratch.path + "/2020-03/a.txt", encoding: .utf8) == "a2")
        #expect(try scratch.names() == ["2020-03"])
    }

    @Test("a published folder writes only what changed and removes only what it wrote")
    func publishedFolder() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let site = PublishedFolder(root: scratch.path, name: "site", manifestName: ".site-files")
        let first = try site.write(["index.html": Data("i".utf8), "old.html": Data("o".utf8)], foreignAdvice: "x")
        #expect(first.written.count == 2)
        #expect(FileManager.default.createFile(atPath: site.folder + "/mine.html", contents: Data("m".utf8)))
        let second = try site.write(["index.html": Data("i".utf8)], foreignAdvice: "x")
        #expect(second.written.isEmpty && second.unchanged == [site.folder + "/index.html"])
        #expect(second.removed == [site.folder + "/old.html"])
        #expect(try scratch.names(site.folder) == ["index.html", "mine.html"])
        do {
            _ = try site.write(["mine.html": Data("new".utf8)], foreignAdvice: "is someone's; move it away")
            Issue.record("a person's file was overwritten")
        } catch {
            #expect(error.description == site.folder + "/mine.html: this file is someone's; move it away")
        }
        #expect(try String(contentsOfFile: site.folder + "/mine.html", encoding: .utf8) == "m")
    }
}
