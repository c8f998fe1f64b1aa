import Foundation
import Testing
import Notebook

@Suite("Report writer")
struct ReportTests {
    /// A small chapter that uses every kind of cell.
    static func script(_ nb: Notebook) throws {
        nb.section("1. Numbers")
        nb.say("First paragraph.")
        nb.number("loss", 0.012345, key: "final_loss", unit: "nats/token", format: "%.3f")
        nb.number("steps", 40, key: "steps", unit: "count")
        nb.table(headers: ["name", "value"], rows: [["a", "1.5"], ["b|c", "-2"]])
        nb.section("2. A figure")
        nb.code("let y = x * 2")
        try nb.figure(FakeFigure(), name: "curve", caption: "A fake curve.")
        try nb.figure(FakeFigure(csv: nil), name: "plain", caption: "No data.")
        nb.timing("train", seconds: 3.25)
    }

    static let expectedAboveTimings = """
        # Chapter 07: Test chapter

        An executed notebook: this page and the files beside it were written by the chapter executable `ch07-demo`. Running it again with the same flags rewrites them with the same bytes.

        ## How to reproduce

        ```sh
        swift run -c release ch07-demo -- --seed 42 --quick
        ```

        ## 1. Numbers

        First paragraph.

        - **loss**: 0.012
        - **steps**: 40

        | name | value |
        | --- | ---: |
        | a | 1.5 |
        | b\\|c | -2 |

        ## 2. A figure

        ```swift
        let y = x * 2
        ```

        ![A fake curve.](curve.png)

        *A fake curve.* ([data](curve.csv))

        ![No data.](plain.png)

        *No data.*

        ## Key numbers

        Each number is also in `manifest.json` under its key, as a plain value in the unit shown.

        | quantity | value | key | unit |
        | --- | ---: | --- | --- |
        | loss | 0.012 | `final_loss` | nats/token |
        | steps | 40 | `steps` | count |


        """

    @Test func reportHasSectionsNumbersFiguresAndTimingsLast() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("07-demo")
        let o = try options(["--quick", "--seed", "42", "--out", out.path, "--threads", "1"])
        let outcome = try Notebook.execute(number: 7, slug: "demo", title: "Test chapter", options: o, body: Self.script)

        let report = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(report == outcome.report)
        let parts = report.components(separatedBy: timingsHeading)
        try #require(parts.count == 2)
        #expect(parts[0] == Self.expectedAboveTimings)
        // The timings section is last and holds the chapter's timing and the automatic total.
        #expect(parts[1].contains("| train | 3.25 |"))
        #expect(parts[1].contains("| whole chapter |"))
        #expect(parts[1].contains("1 thread."))
        #expect(!parts[1].contains("##"))

        #expect(listing(out) == ["README.md", "curve.csv", "curve.png", "manifest.json", "plain.png"])
        #expect(try Data(contentsOf: out.appendingPathComponent("curve.png")) == Data(FakeFigure().bytes))
        #expect(try String(contentsOf: out.appendingPathComponent("curve.csv"), encoding: .utf8) == "x,y\n0,1\n")

        let manifest = try Manifest.read(from: out.appendingPathComponent("manifest.json"))
        #expect(manifest == outcome.manifest)
        #expect(manifest.chapter == 7 && manifest.seed == 42 && manifest.quick)
        #expect(manifest.figures.map(\.name) == ["curve", "plain"])
        #expect(manifest.figures.map(\.csv) == ["curve.csv", nil])
        #expect(manifest.numbers == [
            NumberRecord(key: "final_loss", label: "loss", value: 0.012345, unit: "nats/token", text: "0.012"),
            NumberRecord(key: "steps", label: "steps", value: 40, unit: "count", text: "40"),
        ])
        // The manifest carries the value as a JSON number, not as the report's text.
        let json = try String(contentsOf: out.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(json.contains("\"value\" : 0.012345"))
        #expect(json.contains("\"key\" : \"final_loss\""))
    }

    @Test func identicalRunsGiveIdenticalBytesAboveTimings() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var reports: [Data] = []
        var manifests: [Data] = []
        for (i, threads) in ["1", "2"].enumerated() {
            let out = root.appendingPathComponent("run\(i)")
            let o = try options(["--seed", "9", "--out", out.path, "--threads", threads])
            try Notebook.execute(number: 1, slug: "same", title: "Same", options: o) { nb in
                var rng = nb.rng()
                nb.section("Draws")
                nb.number("first draw", Double(rng.uniform()), key: "first_draw", unit: "", format: "%.6f")
                nb.timing("draw", seconds: Double(i) + 0.5)  // differs between runs on purpose
                try Self.script(nb)
            }
            let data = try Data(contentsOf: out.appendingPathComponent("README.md"))
            reports.append(FolderComparison.deterministicPart(ofReport: data))
            manifests.append(try Data(contentsOf: out.appendingPathComponent("manifest.json")))
            #expect(FolderComparison.deterministicPart(ofReport: data) != data)
        }
        #expect(reports[0] == reports[1])
        #expect(manifests[0] == manifests[1])
        #expect(try FolderComparison.compare(expected: root.appendingPathComponent("run0"),
                                              actual: root.appendingPathComponent("run1")).isEmpty)
    }

    /// A machine-dependent measurement lands under the timings heading (which `--verify` skips)
    /// and never in the manifest, so two runs that measure different rates still compare equal.
    @Test func machineNumbersStayBelowTimingsAndOutOfManifest() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var reports: [Data] = []
        for (i, rate) in ["1.5 GFLOP/s", "2.5 GFLOP/s"].enumerated() {
            let out = root.appendingPathComponent("run\(i)")
            let o = try options(["--seed", "1", "--out", out.path, "--threads", "1"])
            let outcome = try Notebook.execute(number: 3, slug: "rate", title: "Rate", options: o) { nb in
                nb.say("Before.")
                nb.machineNumber("sustained rate", text: rate)
            }
            let parts = outcome.report.components(separatedBy: timingsHeading)
            try #require(parts.count == 2)
            #expect(!parts[0].contains(rate))
            #expect(parts[1].contains("| measured on this machine | value |"))
            #expect(parts[1].contains("| sustained rate | \(rate) |"))
            #expect(outcome.manifest.numbers.isEmpty)
            reports.append(FolderComparison.deterministicPart(ofReport: Data(outcome.report.utf8)))
        }
        #expect(reports[0] == reports[1])
    }

    @Test func rngIsFreshAndSeeded() throws {
        let root = try makeTempFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let o = try options(["--seed", "3", "--out", root.appendingPathComponent("o").path])
        try Notebook.execute(number: 0, slug: "x", title: "x", options: o) { nb in
            var a = nb.rng(), b = nb.rng(), c = RNGProbe.seeded(3)
            let first = a.next()
            #expect(first == b.next())
            #expect(first == c.next())
            #expect(nb.pick(quick: 1, full: 2) == 2)
            #expect(nb.seed == 3 && !nb.quick)
        }
    }

    /// A key that is not snake_case, a key used twice and a non-finite value each fail the chapter
    /// by name, and nothing is written.
    @Test(arguments: [
        ("Bad Key", 1.0, "snake_case"), ("_lead", 1.0, "snake_case"), ("dup", 1.0, "used twice"), ("nan", Double.nan, "not finite"),
    ])
    func badKeyNumbersFailTheChapter(key: String, value: Double, reason: String) throws {
        // One folder per case: parametrized cases run in parallel.
        let root = try makeTempFolder("badKeyNumbersFailTheChapter-" + key)
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("o")
        let o = try options(["--out", out.path])
        do {
            try Notebook.execute(number: 0, slug: "x", title: "x", options: o) { nb in
                if key == "dup" { nb.number("first", 1, key: "dup", unit: "") }
                nb.number("a number", value, key: key, unit: "")
            }
            Issue.record("expected the chapter to fail")
        } catch let failure as ChapterFailure {
            #expect(failure.description.contains("key number '\(key)'"))
            #expect(failure.description.contains(reason))
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func terminalWrapKeepsLinesWithinWidth() {
        let words = Array(repeating: "generative", count: 40).joined(separator: " ")
        let wrapped = Notebook.wrapped(words)
        let lines = wrapped.split(separator: "\n")
        #expect(lines.count == 5)  // 11 characters a word, 9 words a line
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(Notebook.wrapped("- one\n- two") == "- one\n- two")
        #expect(Notebook.wrapped("a\nb\n\nc", width: 10) == "a b\n\nc")
    }
}

import Engine

/// Builds generators the way `Notebook.rng()` documents it, to check the two agree.
enum RNGProbe {
    static func seeded(_ seed: UInt64) -> RNG { RNG(seed: seed) }
}

@Suite("Manifest decoding")
struct ManifestDecodingTests {
    /// `walkthrough --verify` reads committed manifests, which a person may have edited: damaged
    /// or mistyped ones must throw (the fuzz target checks the same on random bytes).
    @Test func damagedManifestsThrow() {
        let good = #"{"chapter":1,"slug":"s","title":"t","seed":0,"quick":true,"figures":[],"numbers":[]}"#
        #expect((try? Manifest.decode(Data(good.utf8)))?.slug == "s")
        for bad in ["", "{", String(good.dropLast()), good.replacingOccurrences(of: #""seed":0"#, with: #""seed":-1"#),
                    good.replacingOccurrences(of: #""chapter":1"#, with: #""chapter":"1""#),
                    good.replacingOccurrences(of: #","numbers":[]"#, with: ""),
                    String(repeating: "[", count: 100_000)] {
            #expect(throws: (any Error).self) { try Manifest.decode(Data(bad.utf8)) }
        }
    }
}
