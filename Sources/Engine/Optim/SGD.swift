/// Stochastic gradient descent with optional momentum and L2 weight decay (PyTorch's `SGD`).
///
/// With g = grad + weightDecay·p: without momentum p ← p − lr·g; with momentum μ a buffer
/// b ← μ·b + g (b starts as g on the first step) and p ← p − lr·b.
public final class SGD: Optimizer {
    /// The parameters updated.
    public let parameters: [Tensor]
    /// Step size.
    public var learningRate: Float
    /// μ, the fraction of the previous update carried into the next.
    public let momentum: Float
    /// L2 penalty coefficient, added to the gradient.
    public let weightDecay: Float
    private var buffers: [Tensor?]

    /// SGD over `parameters` with learning rate `lr`.
    public init(_ parameters: [Tensor], lr: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        learningRate = lr
        self.momentum = momentum
        self.weightDecay = weightDecay
        buffers = Array(repeating: nil, count: parameters.count)
    }

    /// One update of every parameter with a gradient.
    public func step() {
        let lr = learningRate, mu = momentum, wd = weightDecay
        for (i, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            checkGradient(p, grad, "SGD")
            let x = p.mutableData, g = grad.data
            if mu == 0 {
                forEachChunk(p.count) { r in
                    for j in r { x[j] -= lr * (g[j] + wd * x[j]) }
                }
                continue
            }
            let first = buffers[i] == nil
            let buf = buffers[i] ?? Tensor.zeros(p.shape)
            buffers[i] = buf
            let b = buf.mutableData
            forEachChunk(p.count) { r in
                for j in r {
                    let gj = g[j] + wd * x[j]
                    b[j] = first ? gj : mu * b[j] + gj
                    x[j] -= lr * b[j]
                }
            }
        }
    }
}
