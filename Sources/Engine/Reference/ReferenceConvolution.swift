extension Reference {
    /// The sizes of a convolution: x [n, cin, h, w], weight [cout, cin, kh, kw], output
    /// [n, cout, ho, wo] with ho = (h + 2·padding − kh) / stride + 1 (rounded down), likewise wo.
    public struct ConvShape: Sendable, Equatable {
        public let n: Int, cin: Int, h: Int, w: Int, cout: Int, kh: Int, kw: Int, stride: Int, padding: Int
        public var ho: Int { (h + 2 * padding - kh) / stride + 1 }
        public var wo: Int { (w + 2 * padding - kw) / stride + 1 }

        /// A convolution of x [n, cin, h, w] with cout filters of kh × kw (no check: the fast op validates).
        public init(n: Int, cin: Int, h: Int, w: Int, cout: Int, kh: Int, kw: Int, stride: Int = 1, padding: Int = 0) {
            self.n = n; self.cin = cin; self.h = h; self.w = w
            self.cout = cout; self.kh = kh; self.kw = kw; self.stride = stride; self.padding = padding
        }

        /// Flat index of x[s, c, y, x].
        func xIndex(_ s: Int, _ c: Int, _ y: Int, _ x: Int) -> Int { ((s * cin + c) * h + y) * w + x }
        /// Flat index of weight[co, c, i, j].
        func wIndex(_ co: Int, _ c: Int, _ i: Int, _ j: Int) -> Int { ((co * cin + c) * kh + i) * kw + j }
        /// Flat index of out[s, co, oy, ox].
        func outIndex(_ s: Int, _ co: Int, _ oy: Int, _ ox: Int) -> Int { ((s * cout + co) * ho + oy) * wo + ox }

        /// The input pixel (y, x) that tap (i, j) of output (oy, ox) reads, or nil in the zero padding.
        func source(_ oy: Int, _ ox: Int, _ i: Int, _ j: Int) -> (y: Int, x: Int)? {
            let y = oy * stride - padding + i, x = ox * stride - padding + j
            return y >= 0 && y < h && x >= 0 && x < w ? (y, x) : nil
        }
    }

    /// 2-D cross-correlation (deep learning's "convolution"): every output pixel is one filter's
    /// dot product with the Cin×kh×kw window of the input under it, plus the filter's bias:
    /// out[s, co, oy, ox] = b[co] + Σ_{c, i, j} x[s, c, oy·stride − p + i, ox·stride − p + j]·w[co, c, i, j],
    /// with zeros outside the image. Fast twin: `conv2d` (im2col + GEMM, implicit GEMM or Winograd).
    public static func conv2dForward(_ x: [Float], _ w: [Float], _ b: [Float]?, _ g: ConvShape) -> [Float] {
        var out = [Float](repeating: 0, count: g.n * g.cout * g.ho * g.wo)
        for s in 0..<g.n {
            for co in 0..<g.cout {
                for oy in 0..<g.ho {
                    for ox in 0..<g.wo {
                        var sum = Double(b?[co] ?? 0)
                        for c in 0..<g.cin {
                            for i in 0..<g.kh {
                                for j in 0..<g.kw {
                                    guard let (y, xx) = g.source(oy, ox, i, j) else { continue }
                                    sum += Double(x[g.xIndex(s, c, y, xx)]) * Double(w[g.wIndex(co, c, i, j)])
                                }
                            }
                        }
                        out[g.outIndex(s, co, oy, ox)] = Float(sum)
                    }
                }
            }
        }
        return out
    }

    /// Backward of conv2d, dout [n, cout, ho, wo]: every product x·w of the forward sends
    /// dout·w back to its input pixel and dout·x back to its weight, so the same six loops
    /// scatter dx [n, cin, h, w] and dw [cout, cin, kh, kw]; db[co] = Σ dout over samples and pixels.
    /// Padding taps read zeros, so they send nothing back: any padding, even beyond the kernel, is legal.
    public static func conv2dBackward(_ dout: [Float], _ x: [Float], _ w: [Float], _ g: ConvShape)
        -> (dx: [Float], dw: [Float], db: [Float]) {
        var dx = [Double](repeating: 0, count: x.count), dw = [Double](repeating: 0, count: w.count)
        var db = [Double](repeating: 0, count: g.cout)
        for s in 0..<g.n {
            for co in 0..<g.cout {
                for oy in 0..<g.ho {
                    for ox in 0..<g.wo {
                        let d = Double(dout[g.outIndex(s, co, oy, ox)])
                        db[co] += d
                        for c in 0..<g.cin {
                            for i in 0..<g.kh {
                                for j in 0..<g.kw {
                                    guard let (y, xx) = g.source(oy, ox, i, j) else { continue }
                                    dx[g.xIndex(s, c, y, xx)] += d * Double(w[g.wIndex(co, c, i, j)])
                                    dw[g.wIndex(co, c, i, j)] += d * Double(x[g.xIndex(s, c, y, xx)])
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dx.map { Float($0) }, dw.map { Float($0) }, db.map { Float($0) })
    }
}
