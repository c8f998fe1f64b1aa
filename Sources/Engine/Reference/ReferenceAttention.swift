extension Reference {
    /// The sizes of multi-head self-attention on a fused projection qkv [batch, t, 3c] = [q | k | v],
    /// each c wide and split into `heads` slices of d = c / heads.
    public struct AttentionShape: Sendable, Equatable {
        public let batch: Int, t: Int, c: Int, heads: Int, causal: Bool
        public var d: Int { c / heads }

        /// Attention over `t` positions of width `c` (divisible by `heads`), keys after the query hidden when `causal`.
        public init(batch: Int, t: Int, c: Int, heads: Int, causal: Bool) {
            self.batch = batch; self.t = t; self.c = c; self.heads = heads; self.causal = causal
        }

        /// Part `part` (0 = q, 1 = k, 2 = v) of head h of sample s as a [t, d] matrix.
        func slice(_ qkv: [Float], _ s: Int, _ h: Int, part: Int) -> [Float] {
            var m = [Float](repeating: 0, count: t * d)
            for i in 0..<t {
                for e in 0..<d { m[i * d + e] = qkv[(s * t + i) * 3 * c + part * c + h * d + e] }
            }
            return m
        }

        /// Writes a [t, d] matrix into columns h·d ..< (h + 1)·d, after `offset`, of sample s's rows of `width`.
        func place(_ m: [Float], into out: inout [Float], _ s: Int, _ h: Int, width: Int, offset: Int = 0) {
            for i in 0..<t {
                for e in 0..<d { out[(s * t + i) * width + offset + h * d + e] = m[i * d + e] }
            }
        }
    }

    /// Scaled dot-product attention, composed of this folder's matmul and softmax, per sample and
    /// head: scores S = Q·Kᵀ/√d [t, t], hidden keys (j > i when causal) set to −∞, weights
    /// P = softmax(S) per row, output O = P·V [t, d]. Returns the heads' outputs side by side,
    /// [batch, t, c], and the weights [batch, heads, t, t]. Fast twin: `Tensor.fusedSelfAttention`.
    public static func attentionForward(_ qkv: [Float], _ a: AttentionShape) -> (out: [Float], weights: [Float]) {
        let t = a.t, d = a.d, scale = 1 / Float(d).squareRoot()
        var out = [Float](repeating: 0, count: a.batch * t * a.c)
        var weights = [Float](repeating: 0, count: a.batch * a.heads * t * t)
        for s in 0..<a.batch {
            for h in 0..<a.heads {
                let q = a.slice(qkv, s, h, part: 0), k = a.slice(qkv, s, h, part: 1), v = a.slice(qkv, s, h, part: 2)
                var scores = matmulForward(q, transpose(k, rows: t, cols: d), batch: 1, m: t, k: d, n: t)
                for i in 0..<t {
                    for j in 0..<t { scores[i * t + j] = a.causal && j > i ? -.infinity : scores[i * t + j] * scale }
                }
                let p = softmaxForward(scores, rows: t, n: t)
                a.place(matmulForward(p, v, batch: 1, m: t, k: t, n: d), into: &out, s, h, width: a.c)
                for e in 0..<(t * t) { weights[(s * a.heads + h) * t * t + e] = p[e] }
            }
        }
        return (out, weights)
    }

    /// Backward of attention, dout [batch, t, c], the forward's weights [batch, heads, t, t]:
    /// the chain rule through each piece in reverse. O = P·V gives dP = dO·Vᵀ and dV = Pᵀ·dO;
    /// softmax gives dS; S = Q·Kᵀ/√d gives dQ = dS·K/√d and dK = dSᵀ·Q/√d. Returns dqkv [batch, t, 3c].
    public static func attentionBackward(_ dout: [Float], _ qkv: [Float], weights: [Float], _ a: AttentionShape) -> [Float] {
        let t = a.t, d = a.d, scale = 1 / Float(d).squareRoot()
        var dqkv = [Float](repeating: 0, count: a.batch * t * 3 * a.c)
        for s in 0..<a.batch {
            for h in 0..<a.heads {
                let q = a.slice(qkv, s, h, part: 0), k = a.slice(qkv, s, h, part: 1), v = a.slice(qkv, s, h, part: 2)
                let p = Array(weights[((s * a.heads + h) * t * t)..<((s * a.heads + h + 1) * t * t)])
                var dO = [Float](repeating: 0, count: t * d)
                for i in 0..<t {
                    for e in 0..<d { dO[i * d + e] = dout[(s * t + i) * a.c + h * d + e] }
                }
                let (dP, dV) = matmulBackward(dO, p, v, batch: 1, m: t, k: t, n: d)
                // Hidden entries have P = 0, so softmax's backward already sends them nothing.
                let dS = softmaxBackward(dP, p, rows: t, n: t).map { $0 * scale }
                let (dQ, dKt) = matmulBackward(dS, q, transpose(k, rows: t, cols: d), batch: 1, m: t, k: d, n: t)
                a.place(dQ, into: &dqkv, s, h, width: 3 * a.c, offset: 0)
                a.place(transpose(dKt, rows: d, cols: t), into: &dqkv, s, h, width: 3 * a.c, offset: a.c)
                a.place(dV, into: &dqkv, s, h, width: 3 * a.c, offset: 2 * a.c)
            }
        }
        return dqkv
    }
}
