import Engine
import Foundation

/// Step 1: one neuron's loss, L = (tanh(w₁x₁ + w₂x₂ + b) − y)², differentiated three ways.
///
/// By hand with the chain rule, by the engine's reverse-mode autograd, and by central finite
/// differences. All three must agree; the chapter prints them side by side.
public struct ScalarExample: Sendable {
    /// The inputs and parameters of the neuron.
    public var x1: Double = 2, x2: Double = -1, w1: Double = 0.3, w2: Double = 0.4, b: Double = 0.2, y: Double = 0.8

    public init() {}

    /// The forward pass in Double, keeping the intermediates the hand derivation needs.
    public func forward() -> (z: Double, a: Double, loss: Double) {
        let z = w1 * x1 + w2 * x2 + b
        let a = Foundation.tanh(z)
        return (z, a, (a - y) * (a - y))
    }

    /// dL/dw₁, dL/dw₂, dL/db by the chain rule:
    /// dL/da = 2(a − y), da/dz = 1 − a², dz/dw₁ = x₁, dz/dw₂ = x₂, dz/db = 1.
    public func handGradients() -> [Double] {
        let (_, a, _) = forward()
        let dLdz = 2 * (a - y) * (1 - a * a)
        return [dLdz * x1, dLdz * x2, dLdz]
    }

    /// The same gradients from the engine: build the expression from tensors, call backward().
    public func engineGradients() -> (loss: Float, gradients: [Float]) {
        let w1t = Tensor(scalar: Float(w1), requiresGrad: true)
        let w2t = Tensor(scalar: Float(w2), requiresGrad: true)
        let bt = Tensor(scalar: Float(b), requiresGrad: true)
        let z = w1t * Float(x1) + w2t * Float(x2) + bt
        let loss = (z.tanh() - Float(y)).square()
        loss.backward()
        return (loss.item(), [w1t, w2t, bt].map { $0.grad!.item() })
    }

    /// Central differences (L(p + h) − L(p − h)) / 2h in Double, for each parameter.
    public func finiteDifferences(h: Double = 1e-5) -> [Double] {
        func loss(_ d: [Double]) -> Double {
            var s = self
            s.w1 += d[0]; s.w2 += d[1]; s.b += d[2]
            return s.forward().loss
        }
        return (0..<3).map { i in
            var plus = [0.0, 0, 0], minus = [0.0, 0, 0]
            plus[i] = h; minus[i] = -h
            return (loss(plus) - loss(minus)) / (2 * h)
        }
    }
}
