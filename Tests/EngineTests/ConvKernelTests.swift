import Testing
@testable import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The im2col/col2im pair against their definitions, entry by entry. Both are pure data movement
/// (col2im adds in a fixed order), so the comparison is exact.
@Suite("ConvKernelTests")
struct ConvKernelTests {
    /// (n, cin, h, w, k, stride, padding), with widths 1, 7, 33 and paddings up to larger than the kernel.
    static let cases: [[Int]] = [[1, 1, 1, 1, 1, 1, 0], [2, 3, 7, 7, 3, 1, 1], [1, 2, 5, 33, 3, 1, 3],
                                 [2, 1, 9, 7, 5, 1, 2], [1, 2, 7, 1, 1, 1, 2], [2, 2, 8, 9, 3, 2, 1]]

    @Test("im2col copies x[n, c, oy·s − p + i, ox·s − p + j] or 0, exactly", arguments: cases)
    func im2colMatchesDefinition(c: [Int]) {
        let x = randomTensor([c[0], c[1], c[2], c[3]], seed: 5, requiresGrad: false)
        let g = ConvGeometry(x: x.shape, w: [2, c[1], c[4], c[4]], stride: c[5], padding: c[6])
        let cols = Tensor.full([g.k, g.columns], .nan)
        im2col(x.data, g, into: cols.data)
        var mismatches = 0
        for ch in 0..<g.cin { for i in 0..<g.kh { for j in 0..<g.kw {
            let r = (ch * g.kh + i) * g.kw + j
            for n in 0..<g.n { for oy in 0..<g.ho { for ox in 0..<g.wo {
                let y = oy * g.stride - g.padding + i, xx = ox * g.stride - g.padding + j
                let want: Float = y >= 0 && y < g.h && xx >= 0 && xx < g.w ? x.data[((n * g.cin + ch) * g.h + y) * g.w + xx] : 0
                let got = cols.data[r * g.columns + (n * g.ho + oy) * g.wo + ox]
                if got.bitPattern != want.bitPattern { mismatches += 1 }
            } } }
        } } }
        #expect(mismatches == 0, "\(c)")
    }

    @Test("col2im adds each column entry onto its source pixel in (i, j, oy, ox) order, exactly", arguments: cases)
    func col2imMatchesDefinition(c: [Int]) {
        let g = ConvGeometry(x: [c[0], c[1], c[2], c[3]], w: [2, c[1], c[4], c[4]], stride: c[5], padding: c[6])
        let cols = randomTensor([g.k, g.columns], seed: 6, requiresGrad: false)
        let dx = Tensor.full([g.n, g.cin, g.h, g.w], .nan)
        col2im(cols.data, g, into: dx.data)
        var want = [Float](repeating: 0, count: dx.count)
        for n in 0..<g.n { for ch in 0..<g.cin { for i in 0..<g.kh { for j in 0..<g.kw {
            for oy in 0..<g.ho { for ox in 0..<g.wo {
                let y = oy * g.stride - g.padding + i, xx = ox * g.stride - g.padding + j
                guard y >= 0 && y < g.h && xx >= 0 && xx < g.w else { continue }
                want[((n * g.cin + ch) * g.h + y) * g.w + xx] += cols.data[((ch * g.kh + i) * g.kw + j) * g.columns + (n * g.ho + oy) * g.wo + ox]
            } }
        } } } }
        #expect(dx.values.map(\.bitPattern) == want.map(\.bitPattern), "\(c)")
    }
}
