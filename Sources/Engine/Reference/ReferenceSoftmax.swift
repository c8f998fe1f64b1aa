import Foundation

extension Reference {
    /// Softmax over each row of x [rows, n] → [rows, n]: y_j = e^(x_j − m) / Σ_k e^(x_k − m) with
    /// m the row maximum, so no exponential overflows. Entries of −∞ get weight 0 (a mask); a row
    /// with no finite entry gets all zeros.
    /// Fast twins: `Tensor.softmax`, `causalSoftmax` (`softmaxRow` on 16 lanes with `vexp`).
    public static func softmaxForward(_ x: [Float], rows: Int, n: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows {
            var m = -Double.infinity
            for j in 0..<n { m = max(m, Double(x[r * n + j])) }
            if m == -.infinity { continue }  // a fully masked row: all weights 0, as the fast path
            var sum = 0.0
            for j in 0..<n { sum += Foundation.exp(Double(x[r * n + j]) - m) }
            for j in 0..<n { y[r * n + j] = Float(Foundation.exp(Double(x[r * n + j]) - m) / sum) }
        }
        return y
    }

    /// Backward of softmax from its output y [rows, n]: dx_j = y_j·(dout_j − Σ_k dout_k·y_k).
    /// (The Jacobian of softmax is diag(y) − y·yᵀ; this is its product with dout.)
    public static func softmaxBackward(_ dout: [Float], _ y: [Float], rows: Int, n: Int) -> [Float] {
        var dx = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows {
            var dot = 0.0
            for j in 0..<n { dot += Double(dout[r * n + j]) * Double(y[r * n + j]) }
            for j in 0..<n { dx[r * n + j] = Float(Double(y[r * n + j]) * (Double(dout[r * n + j]) - dot)) }
        }
        return dx
    }

    /// log softmax over each row of x [rows, n]: y_j = x_j − m − log Σ_k e^(x_k − m).
    /// Fast twin: `Tensor.logSoftmax`.
    public static func logSoftmaxForward(_ x: [Float], rows: Int, n: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows {
            let lse = logSumExp(x, row: r, n: n)
            for j in 0..<n { y[r * n + j] = Float(Double(x[r * n + j]) - lse) }
        }
        return y
    }

    /// Backward of log softmax from its output y: dx_j = dout_j − e^(y_j)·Σ_k dout_k.
    public static func logSoftmaxBackward(_ dout: [Float], _ y: [Float], rows: Int, n: Int) -> [Float] {
        var dx = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows {
            var total = 0.0
            for j in 0..<n { total += Double(dout[r * n + j]) }
            for j in 0..<n {
                dx[r * n + j] = Float(Double(dout[r * n + j]) - Foundation.exp(Double(y[r * n + j])) * total)
            }
        }
        return dx
    }

    /// Mean cross-entropy of logits [rows, c] against one target class per row: the mean over
    /// counted rows of log Σ_k e^(x_k) − x_target. Rows whose target is `ignoreIndex` are skipped
    /// and not counted. Also returns the softmax probabilities, which the backward needs.
    /// Fast twin: `crossEntropy`.
    public static func crossEntropyForward(_ logits: [Float], targets: [Int], rows: Int, c: Int,
                                           ignoreIndex: Int? = nil) -> (loss: Float, probs: [Float]) {
        let probs = softmaxForward(logits, rows: rows, n: c)
        var total = 0.0, counted = 0
        for r in 0..<rows where targets[r] != ignoreIndex {
            total += logSumExp(logits, row: r, n: c) - Double(logits[r * c + targets[r]])
            counted += 1
        }
        return (counted > 0 ? Float(total / Double(counted)) : 0, probs)
    }

    /// Backward of the mean cross-entropy, dloss the upstream gradient of the scalar loss:
    /// dlogits = (probs − onehot(target))·dloss / counted rows, and 0 on ignored rows.
    public static func crossEntropyBackward(_ dloss: Float, probs: [Float], targets: [Int], rows: Int, c: Int,
                                            ignoreIndex: Int? = nil) -> [Float] {
        var dx = [Float](repeating: 0, count: rows * c)
        let counted = targets.filter { $0 != ignoreIndex }.count
        guard counted > 0 else { return dx }
        let scale = Double(dloss) / Double(counted)
        for r in 0..<rows where targets[r] != ignoreIndex {
            for j in 0..<c {
                let onehot = j == targets[r] ? 1.0 : 0.0
                dx[r * c + j] = Float((Double(probs[r * c + j]) - onehot) * scale)
            }
        }
        return dx
    }

    /// log Σ_j e^(x_j) over row r of a [rows, n] buffer, with the maximum taken out first.
    static func logSumExp(_ x: [Float], row r: Int, n: Int) -> Double {
        var m = -Double.infinity
        for j in 0..<n { m = max(m, Double(x[r * n + j])) }
        var sum = 0.0
        for j in 0..<n { sum += Foundation.exp(Double(x[r * n + j]) - m) }
        return m + Foundation.log(sum)
    }
}
