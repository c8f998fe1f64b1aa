import Foundation

extension Reference {
    /// Exact GELU, x·Φ(x) with Φ the standard normal CDF, elementwise. Fast twin: `Tensor.gelu`
    /// (`vnormalCDF` on 16 lanes). Φ(x) = ½·erfc(−x/√2) keeps its digits in the left tail.
    public static func geluForward(_ x: [Float]) -> [Float] {
        x.map { v in Float(Double(v) * normalCDF(Double(v))) }
    }

    /// Backward of GELU: dx = dout·(Φ(x) + x·φ(x)), φ the standard normal density.
    public static func geluBackward(_ dout: [Float], _ x: [Float]) -> [Float] {
        var dx = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let v = Double(x[i])
            let density = Foundation.exp(-0.5 * v * v) / (2 * Double.pi).squareRoot()
            dx[i] = Float(Double(dout[i]) * (normalCDF(v) + v * density))
        }
        return dx
    }

    /// SiLU (swish), x·σ(x) with σ(x) = 1/(1 + e⁻ˣ), elementwise. Fast twin: `Tensor.silu` (`vexp`).
    public static func siluForward(_ x: [Float]) -> [Float] {
        x.map { v in Float(Double(v) * sigmoid(Double(v))) }
    }

    /// Backward of SiLU: dx = dout·σ(x)·(1 + x·(1 − σ(x))).
    public static func siluBackward(_ dout: [Float], _ x: [Float]) -> [Float] {
        var dx = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let v = Double(x[i]), s = sigmoid(v)
            dx[i] = Float(Double(dout[i]) * s * (1 + v * (1 - s)))
        }
        return dx
    }

    /// Φ(x), the standard normal CDF.
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// σ(x) = 1/(1 + e⁻ˣ).
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
}
