// A temporary chapter 00 that exercises the Notebook library end to end; the real chapter replaces it.
import Engine
import Foundation
import Notebook

/// A stand-in figure: a grey-scale PNG of random-walk heights, written without libpng.
struct DemoFigure: NotebookFigure {
    var values: [Float]

    var csvText: String? {
        "step,value\n" + values.enumerated().map { "\($0.offset),\(String(format: "%.6f", $0.element))" }.joined(separator: "\n") + "\n"
    }

    func save(to pngPath: String) throws {
        let width = values.count, height = 32
        let lo = values.min() ?? 0, hi = max((values.max() ?? 1), lo + 1e-6)
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0)  // filter: none
            for x in 0..<width {
                let level = Int((values[x] - lo) / (hi - lo) * Float(height - 1))
                raw.append(height - 1 - y <= level ? 40 : 230)
            }
        }
        try Data(tinyPNG(width: width, height: height, gray: raw)).write(to: URL(fileURLWithPath: pngPath))
    }
}

/// An 8-bit grey PNG with stored (uncompressed) deflate blocks; `gray` holds filtered scanlines.
func tinyPNG(width: Int, height: Int, gray: [UInt8]) -> [UInt8] {
    func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
    func crc(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }
    func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        return be32(UInt32(body.count)) + typed + be32(crc(typed))
    }
    var zlib: [UInt8] = [0x78, 0x01]
    var i = 0
    repeat {
        let n = min(65535, gray.count - i)
        zlib += [i + n == gray.count ? 1 : 0, UInt8(n & 255), UInt8(n >> 8), UInt8(~n & 255), UInt8((~n >> 8) & 255)]
        zlib += gray[i..<(i + n)]
        i += n
    } while i < gray.count
    var a: UInt32 = 1, b: UInt32 = 0
    for x in gray { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
    zlib += be32(b << 16 | a)
    let ihdr = be32(UInt32(width)) + be32(UInt32(height)) + [8, 0, 0, 0, 0]
    return [137, 80, 78, 71, 13, 10, 26, 10] + chunk("IHDR", ihdr) + chunk("IDAT", zlib) + chunk("IEND", [])
}

Notebook.run(number: 0, slug: "engine", title: "The engine") { nb in
    nb.section("1. A random walk")
    nb.say("""
        A placeholder for the engine chapter. It draws a seeded random walk, so the same seed gives \
        the same numbers and the same figure bytes on every machine and for every thread count.
        """)
    let steps = nb.pick(quick: 64, full: 256)
    var rng = nb.rng()
    var walk: [Float] = [0]
    let start = ContinuousClock.now
    for _ in nb.progress(1..<steps, label: "walking") { walk.append(walk.last! + rng.normal()) }
    let d = ContinuousClock.now - start
    nb.timing("walk", seconds: Double(d.components.attoseconds) * 1e-18 + Double(d.components.seconds))
    nb.number("steps", steps)
    nb.number("final position", walk.last!, format: "%.4f")
    nb.table(headers: ["step", "position"], rows: stride(from: 0, to: steps, by: steps / 4).map { [String($0), String(format: "%.3f", walk[$0])] })
    nb.code("walk.append(walk.last! + rng.normal())")
    try nb.figure(DemoFigure(values: walk), name: "loss", caption: "A seeded random walk (placeholder for the loss curve).")
    if ProcessInfo.processInfo.environment["NOTEBOOK_DEMO_FAIL"] != nil {
        struct DemoFailure: Error, CustomStringConvertible { var description: String { "demo failure requested" } }
        throw DemoFailure()
    }
}
