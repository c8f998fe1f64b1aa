/// An optimizer owns a list of parameters and updates them from their gradients.
///
/// Each optimizer below implements one per-parameter update as a single pass over the raw
/// buffers (parameter, gradient, state), in order of increasing complexity: SGD, Adam, AdamW.
/// Parameters whose `grad` is nil are skipped, and (as in PyTorch) their state does not advance.
public protocol Optimizer: AnyObject {
    /// The tensors updated by `step()`, usually `module.parameters`.
    var parameters: [Tensor] { get }
    /// The step size; a schedule may change it before every step.
    var learningRate: Float { get set }
    /// Applies one update to every parameter that has a gradient.
    func step()
}

extension Optimizer {
    /// Clears every parameter's gradient (call before the next `backward()`).
    public func zeroGrad() { for p in parameters { p.grad = nil } }
}

/// Element-wise work over `count` values, in parallel chunks for large tensors. Each element is
/// updated by one closure call, so the result does not depend on the thread count.
@inline(__always)
func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
    Parallel.forRanges(count, minChunk: 1 << 12, body)
}

/// Checks that a gradient fits its parameter before the update reads it through raw pointers.
@inline(__always)
func checkGradient(_ p: Tensor, _ g: Tensor, _ who: String) {
    precondition(g.count == p.count, "\(who): gradient \(g.shape) does not match parameter \(p.shape)")
}
