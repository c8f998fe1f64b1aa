/// The moment estimates Adam and AdamW keep for one parameter.
final class AdamState {
    /// First moment m (running mean of gradients).
    let m: Tensor
    /// Second moment v (running mean of squared gradients).
    let v: Tensor
    /// Updates taken by this parameter so far (t in the bias corrections).
    var steps = 0
    init(shape: [Int]) { m = .zeros(shape); v = .zeros(shape) }
}

/// The shared Adam update of one parameter, exactly as PyTorch's single-tensor implementation:
///   g ← grad + l2·p;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²
///   p ← p − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)
/// `decay` is the decoupled factor applied to p first (1 for Adam, 1 − lr·wd for AdamW).
func adamUpdate(_ p: Tensor, _ grad: Tensor, _ s: AdamState, lr: Float, beta1: Float, beta2: Float,
                eps: Float, l2: Float, decay: Float) {
    s.steps += 1
    // Bias corrections in Double: βᵗ for large t is far below float32's resolution near 1.
    let bc1 = 1 - pow(Double(beta1), Double(s.steps))
    let bc2 = 1 - pow(Double(beta2), Double(s.steps))
    let stepSize = Float(Double(lr) / bc1)
    let bc2Sqrt = Float(bc2.squareRoot())
    let x = p.mutableData, g = grad.data, m = s.m.mutableData, v = s.v.mutableData
    forEachChunk(p.count) { r in
        for j in r {
            var xj = x[j] * decay
            let gj = g[j] + l2 * xj
            let mj = m[j] + (1 - beta1) * (gj - m[j])  // PyTorch's lerp form of β₁m + (1−β₁)g
            let vj = beta2 * v[j] + (1 - beta2) * gj * gj
            m[j] = mj; v[j] = vj
            xj -= stepSize * mj / (vj.squareRoot() / bc2Sqrt + eps)
            x[j] = xj
        }
    }
}

/// Adam (Kingma & Ba, 2015) with optional L2 weight decay added to the gradient, as PyTorch's
/// `Adam(weight_decay:)`. The decay then passes through the adaptive scaling, which is what
/// AdamW's decoupled decay avoids. `AdamW` is this class with the decay decoupled.
public class Adam: Optimizer {
    /// The parameters updated.
    public let parameters: [Tensor]
    /// Step size.
    public var learningRate: Float
    /// Decay rates of the first and second moment estimates.
    public let betas: (Float, Float)
    /// Added to the denominator so tiny second moments do not explode the step.
    public let eps: Float
    /// Weight-decay coefficient: an L2 penalty added to the gradient (Adam), or the decoupled
    /// factor p ← p·(1 − lr·wd) applied before the step (AdamW).
    public let weightDecay: Float
    /// Whether the weight decay is decoupled from the gradient (AdamW) or added to it (Adam).
    let decoupled: Bool
    private var states: [AdamState?]

    /// Adam over `parameters` with learning rate `lr`.
    public convenience init(_ parameters: [Tensor], lr: Float, betas: (Float, Float) = (0.9, 0.999),
                            eps: Float = 1e-8, weightDecay: Float = 0) {
        self.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: false)
    }

    init(_ parameters: [Tensor], lr: Float, betas: (Float, Float), eps: Float, weightDecay: Float,
         decoupled: Bool) {
        self.parameters = parameters
        learningRate = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupled = decoupled
        states = Array(repeating: nil, count: parameters.count)
    }

    /// One update of every parameter with a gradient.
    public func step() {
        let l2 = decoupled ? 0 : weightDecay
        let decay = decoupled ? 1 - learningRate * weightDecay : 1
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            checkGradient(p, g, decoupled ? "AdamW" : "Adam")
            let s = states[i] ?? AdamState(shape: p.shape)
            states[i] = s
            adamUpdate(p, g, s, lr: learningRate, beta1: betas.0, beta2: betas.1, eps: eps,
                       l2: l2, decay: decay)
        }
    }
}

/// AdamW (Loshchilov & Hutter, 2019), matching `torch.optim.AdamW`: Adam with the weight decay
/// decoupled from the gradient, p ← p·(1 − lr·wd), applied before the Adam step.
public final class AdamW: Adam {
    /// AdamW over `parameters` with learning rate `lr` and decoupled decay `weightDecay`
    /// (PyTorch's default 0.01).
    public init(_ parameters: [Tensor], lr: Float, betas: (Float, Float) = (0.9, 0.999), eps: Float = 1e-8,
                weightDecay: Float = 0.01) {
        super.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: true)
    }
}
