import Foundation
import Testing
import Notebook

@Suite("Atomic outputs")
struct AtomicOutputTests {
    @Test func failingChapterLeavesNothingBehind() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("deep/er/00-fail")
        let o = try options(["--out", out.path])
        do {
            try Notebook.execute(number: 4, slug: "fail", title: "Fails", options: o) { nb in
                nb.say("before the failure")
                try nb.figure(FakeFigure(), name: "half", caption: "written before the failure")
                throw Boom()
            }
            Issue.record("the chapter should have failed")
        } catch let failure as ChapterFailure {
            #expect(failure.number == 4)
            #expect(failure.description == "chapter 04 failed: boom at step 3")
        }
        // Neither the staging folder nor the parents created for it remain.
        #expect(listing(root) == [])
    }

    @Test func failingChapterKeepsThePreviousOutput() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("00-keep")
        let good = try options(["--out", out.path, "--seed", "1"])
        try Notebook.execute(number: 0, slug: "keep", title: "Keep", options: good) { nb in
            nb.say("the good run")
            try nb.figure(FakeFigure(bytes: [1, 2, 3]), name: "fig", caption: "good")
        }
        let before = try Data(contentsOf: out.appendingPathComponent("README.md"))
        #expect(throws: ChapterFailure.self) {
            try Notebook.execute(number: 0, slug: "keep", title: "Keep", options: try options(["--out", out.path, "--seed", "2"])) { nb in
                try nb.figure(FakeFigure(bytes: [9, 9]), name: "fig", caption: "bad")
                throw Boom()
            }
        }
        #expect(listing(root) == ["00-keep"])
        #expect(try Data(contentsOf: out.appendingPathComponent("README.md")) == before)
        #expect(try Data(contentsOf: out.appendingPathComponent("fig.png")) == Data([1, 2, 3]))
    }

    /// A run killed between commit's two renames leaves the previous outputs in `<out>.old-<pid>`
    /// and no `<out>`: the next run must put them back rather than delete them as stale. With
    /// `<out>` present, such a folder is stale and is removed, never restored over it.
    @Test(arguments: [false, true])
    func folderMovedAsideByAKilledRun(targetPresent: Bool) throws {
        // One folder per argument: the two cases run in parallel, and a shared folder raced.
        let root = try makeTempFolder("folderMovedAsideByAKilledRun-\(targetPresent)")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("00-moved")
        // A pid above Linux's pid_max, so the run that left the folder is surely gone.
        let aside = root.appendingPathComponent("00-moved.old-2147483647")
        for (folder, text) in [(aside, "previous")] + (targetPresent ? [(out, "current")] : []) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: folder.appendingPathComponent("README.md"))
        }
        #expect(throws: ChapterFailure.self) {
            try Notebook.execute(number: 0, slug: "moved", title: "Moved", options: try options(["--out", out.path])) { _ in
                throw Boom()
            }
        }
        #expect(listing(root) == ["00-moved"])
        let kept = targetPresent ? "current" : "previous"
        #expect(try Data(contentsOf: out.appendingPathComponent("README.md")) == Data(kept.utf8))
    }

    @Test func successfulRunReplacesTheOldFolderWhole() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("00-swap")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("stale".utf8).write(to: out.appendingPathComponent("old.png"))
        try Notebook.execute(number: 0, slug: "swap", title: "Swap", options: try options(["--out", out.path])) { nb in
            try nb.figure(FakeFigure(csv: nil), name: "new", caption: "new")
        }
        #expect(listing(out) == ["README.md", "manifest.json", "new.png"])
        #expect(listing(root) == ["00-swap"])
    }

    @Test func unusableOutIsABadOutputErrorAndWritesNothing() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        for path in [file.path, file.appendingPathComponent("sub/dir").path] {
            do {
                try Notebook.execute(number: 0, slug: "x", title: "x", options: try options(["--out", path])) { _ in
                    Issue.record("the body must not run")
                }
                Issue.record("--out \(path) should be rejected")
            } catch let error as NotebookError {
                guard case let .badOutput(p, _) = error else { Issue.record("wrong error \(error)"); continue }
                #expect(p == path)
                #expect(error.description.hasPrefix("--out '\(path)'"))
            }
        }
        #expect(listing(root) == ["a-file"])
    }

    @Test func figureProblemsFailTheChapterCleanly() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let cases: [(String, (Notebook) throws -> Void, NotebookError)] = [
            ("lazy", { try $0.figure(LazyFigure(), name: "lazy", caption: "") }, .figureNotWritten(name: "lazy")),
            ("twice", { nb in
                try nb.figure(FakeFigure(), name: "f", caption: "")
                try nb.figure(FakeFigure(), name: "f", caption: "")
            }, .duplicateOutput("f.png")),
            ("path", { try $0.figure(FakeFigure(), name: "sub/escape", caption: "") }, .badName("sub/escape.png", reason: "must be a file name, not a path")),
            ("reserved", { try $0.writeFile("README.md", text: "") }, .duplicateOutput("README.md")),
        ]
        for (name, body, expected) in cases {
            let out = root.appendingPathComponent(name)
            do {
                try Notebook.execute(number: 0, slug: name, title: name, options: try options(["--out", out.path]), body: body)
                Issue.record("\(name): should fail")
            } catch let failure as ChapterFailure {
                #expect(failure.underlying as? NotebookError == expected, "\(name)")
            }
        }
        #expect(listing(root) == [])
    }

    @Test func extraFilesLandWithTheOutputs() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("o")
        try Notebook.execute(number: 0, slug: "o", title: "o", options: try options(["--out", out.path])) { nb in
            try nb.writeFile("samples.txt", text: "abc\n")
            let path = try nb.outputPath("weights.bin")
            #expect(!path.hasPrefix(out.path + "/"))  // written to staging while the chapter runs
            try Data([7]).write(to: URL(fileURLWithPath: path))
        }
        #expect(listing(out) == ["README.md", "manifest.json", "samples.txt", "weights.bin"])
    }
}
