/// Stops training with a clear message when a value becomes NaN or infinite.
public struct NonFiniteError: Error, CustomStringConvertible {
    /// What was being checked, for example "loss" or "blocks.0.attn.qkv.weight.grad".
    public let tensor: String
    /// The training step, when known.
    public let step: Int?
    /// The first offending flat index and its value.
    public let index: Int
    public let value: Float

    public var description: String {
        let at = step.map { " at step \($0)" } ?? ""
        return "\(tensor) became \(value) (element \(index))\(at): training diverged; lower the learning rate or check the inputs"
    }
}

extension Tensor {
    /// Throws `NonFiniteError` naming `label` (or the tensor's name) if any value is NaN or ±inf.
    public func checkFinite(_ label: String? = nil, step: Int? = nil) throws {
        let p = data
        for i in 0..<count where !p[i].isFinite {
            throw NonFiniteError(tensor: label ?? name ?? "tensor\(shape)", step: step, index: i, value: p[i])
        }
    }
}
