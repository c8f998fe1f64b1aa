/// Chapter 10's checks (LoRA): counts in closed form, the forward against loops, the merge
/// against the forward.
func ch10Checks(_ f: any Ch10Exercises.Type) -> [Exercise] {
    // Sizes chosen all different (n = 2, in = 3, out = 4, rank = 2) so a transposed product fails.
    let n = 2, inF = 3, outF = 4, r = 2, alpha = 4.0
    var rng = CaseRNG(10)
    let x = rng.values(n * inF), w = rng.values(outF * inF), a = rng.values(r * inF), b = rng.values(outF * r)
    /// y = x·Wᵀ + (α/r)·x·Aᵀ·Bᵀ element by element.
    func forward(_ weight: [Double], withAdapter: Bool) -> [Double] {
        var y = [Double](repeating: 0, count: n * outF)
        for i in 0..<n { for o in 0..<outF {
            var s = (0..<inF).reduce(0) { $0 + x[i * inF + $1] * weight[o * inF + $1] }
            if withAdapter {
                for k in 0..<r { s += alpha / Double(r) * b[o * r + k] * (0..<inF).reduce(0) { $0 + x[i * inF + $1] * a[k * inF + $1] } }
            }
            y[i * outF + o] = s
        } }
        return y
    }
    return [
        Exercise(chapter: 10, id: "lora-count", title: "LoRA's trainable and frozen parameters",
                 hint: "per layer: rank·(in + out) trainable, in·out frozen") {
            let got = try f.loraParameterCount(layers: [(4096, 4096), (4096, 11008)], rank: 8)
            try expectEqual([got.trainable, got.frozen], [8 * (4096 + 4096) + 8 * (4096 + 11008), 4096 * 4096 + 4096 * 11008],
                            "loraParameterCount([4096×4096, 4096→11008], rank 8) as [trainable, frozen]")
            return "two layers at rank 8"
        },
        Exercise(chapter: 10, id: "lora-forward", title: "a linear layer with a LoRA adapter",
                 hint: "y = x·Wᵀ + (α/r)·(x·Aᵀ)·Bᵀ; A is [r×in], B is [out×r]") {
            try expectClose(try f.loraForward(x: x, weight: w, a: a, b: b, n: n, inFeatures: inF, outFeatures: outF, rank: r, alpha: alpha),
                            forward(w, withAdapter: true), tol: 1e-9, "loraForward(n = 2, in = 3, out = 4, rank = 2, α = 4)")
            let zeroB = [Double](repeating: 0, count: outF * r)
            try expectClose(try f.loraForward(x: x, weight: w, a: a, b: zeroB, n: n, inFeatures: inF, outFeatures: outF, rank: r, alpha: alpha),
                            forward(w, withAdapter: false), tol: 1e-9, "loraForward with B = 0 must equal x·Wᵀ")
            return "against loops; B = 0 leaves the layer unchanged"
        },
        Exercise(chapter: 10, id: "lora-merge", title: "merging the adapter into W",
                 hint: "W′ = W + (α/r)·B·A, shape [out × in]") {
            let merged = try f.loraMerge(weight: w, a: a, b: b, inFeatures: inF, outFeatures: outF, rank: r, alpha: alpha)
            try expectTrue(merged.count == outF * inF, "loraMerge returned \(merged.count) values; W′ is [out × in] = \(outF * inF)")
            try expectClose(forward(merged, withAdapter: false), forward(w, withAdapter: true), tol: 1e-9,
                            "x·W′ᵀ with your merged W′ against x·Wᵀ + (α/r)·x·Aᵀ·Bᵀ")
            return "the merged layer computes the adapted one"
        },
    ]
}
