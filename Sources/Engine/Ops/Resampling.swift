/// Changing the resolution of [N, C, H, W] images: nearest-neighbour upsampling and average pooling,
/// the up and down steps of a small U-Net. Both work plane by plane, so they split over the N·C
/// planes and every sum inside a plane runs in a fixed order.

extension Tensor {
    /// Repeats every pixel into a `factor`×`factor` block: [N, C, H, W] → [N, C, H·f, W·f].
    /// Backward: each input pixel receives the sum of the gradient over its block.
    public func upsampleNearest(factor: Int) -> Tensor {
        precondition(rank == 4, "upsampleNearest needs [N, C, H, W], got \(shape)")
        precondition(factor >= 1, "upsampleNearest: factor must be ≥ 1, got \(factor)")
        let planes = shape[0] * shape[1], h = shape[2], w = shape[3]
        let f = factor, ho = h * f, wo = w * f
        let out = Tensor.empty([shape[0], shape[1], ho, wo])
        let x = data, y = out.mutableData
        Parallel.forRanges(planes, minChunk: Swift.max(1, 16_384 / Swift.max(1, ho * wo))) { r in
            for pl in r {
                let src = x + pl * h * w, dst = y + pl * ho * wo
                for oy in 0..<ho {
                    let row = src + (oy / f) * w, drow = dst + oy * wo
                    for ox in 0..<wo { drow[ox] = row[ox / f] }
                }
            }
        }
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(self.shape)
            let gp = g.data, dp = dx.mutableData
            Parallel.forRanges(planes, minChunk: Swift.max(1, 16_384 / Swift.max(1, ho * wo))) { r in
                for pl in r {
                    let src = gp + pl * ho * wo, dst = dp + pl * h * w
                    for iy in 0..<h {
                        for ix in 0..<w {
                            var s: Float = 0
                            for a in 0..<f {
                                let row = src + (iy * f + a) * wo + ix * f
                                for b in 0..<f { s += row[b] }
                            }
                            dst[iy * w + ix] = s
                        }
                    }
                }
            }
            return [dx]
        }
    }

    /// Mean over `kernel`×`kernel` windows moved by `stride` (default: `kernel`, non-overlapping),
    /// without padding: [N, C, H, W] → [N, C, (H − k)/s + 1, (W − k)/s + 1]. Pixels past the last full
    /// window are dropped, as in PyTorch. Backward spreads each gradient as g/k² over its window.
    public func avgPool2d(kernel: Int, stride: Int? = nil) -> Tensor {
        let s = stride ?? kernel, k = kernel
        precondition(rank == 4, "avgPool2d needs [N, C, H, W], got \(shape)")
        precondition(k >= 1 && s >= 1, "avgPool2d: kernel and stride must be ≥ 1, got \(k) and \(s)")
        let planes = shape[0] * shape[1], h = shape[2], w = shape[3]
        precondition(h >= k && w >= k, "avgPool2d: kernel \(k) is larger than the \(h)×\(w) input")
        let ho = (h - k) / s + 1, wo = (w - k) / s + 1
        let area = Float(k * k)
        let out = Tensor.empty([shape[0], shape[1], ho, wo])
        let x = data, y = out.mutableData
        Parallel.forRanges(planes, minChunk: Swift.max(1, 16_384 / Swift.max(1, h * w))) { r in
            for pl in r {
                let src = x + pl * h * w, dst = y + pl * ho * wo
                for oy in 0..<ho {
                    for ox in 0..<wo {
                        var sum: Float = 0
                        for a in 0..<k {
                            let row = src + (oy * s + a) * w + ox * s
                            for b in 0..<k { sum += row[b] }
                        }
                        dst[oy * wo + ox] = sum / area
                    }
                }
            }
        }
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.zeros(self.shape)
            let gp = g.data, dp = dx.mutableData
            // Windows overlap when stride < kernel, so this scatters; the plane split keeps it race-free.
            Parallel.forRanges(planes, minChunk: Swift.max(1, 16_384 / Swift.max(1, h * w))) { r in
                for pl in r {
                    let src = gp + pl * ho * wo, dst = dp + pl * h * w
                    for oy in 0..<ho {
                        for ox in 0..<wo {
                            let share = src[oy * wo + ox] / area
                            for a in 0..<k {
                                let row = dst + (oy * s + a) * w + ox * s
                                for b in 0..<k { row[b] += share }
                            }
                        }
                    }
                }
            }
            return [dx]
        }
    }
}
