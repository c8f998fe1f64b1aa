import Foundation

/// add, sub, mul, div, neg, pow: forward and backward side by side.

enum AddK: BinaryKernel { static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
enum SubK: BinaryKernel { static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
enum MulK: BinaryKernel { static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
enum DivK: BinaryKernel { static func apply(_ a: Float, _ b: Float) -> Float { a / b } }

extension Tensor {
    /// Element-wise sum with broadcasting. d/da = 1, d/db = 1 (summed over broadcast axes).
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(AddK.self, a, b)
        return record(out, [a, b]) { g in
            [a.requiresGrad ? g.sumTo(a.shape) : nil, b.requiresGrad ? g.sumTo(b.shape) : nil]
        }
    }

    /// Element-wise difference. d/da = 1, d/db = -1.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(SubK.self, a, b)
        return record(out, [a, b]) { g in
            [a.requiresGrad ? g.sumTo(a.shape) : nil, b.requiresGrad ? (-g).sumTo(b.shape) : nil]
        }
    }

    /// Element-wise product. d/da = b, d/db = a.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(MulK.self, a, b)
        return record(out, [a, b]) { g in
            [a.requiresGrad ? (g * b).sumTo(a.shape) : nil, b.requiresGrad ? (g * a).sumTo(b.shape) : nil]
        }
    }

    /// Element-wise quotient. d/da = 1/b, d/db = -a/b².
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(DivK.self, a, b)
        return record(out, [a, b]) { g in
            [a.requiresGrad ? (g / b).sumTo(a.shape) : nil,
             b.requiresGrad ? (-(g * a) / (b * b)).sumTo(b.shape) : nil]
        }
    }

    /// Negation.
    public static prefix func - (a: Tensor) -> Tensor { a.scaled(-1) }

    /// `a * s` for a plain number (no broadcasting machinery, one pass).
    public func scaled(_ s: Float) -> Tensor {
        let out = Tensor.empty(shape)
        let p = data, o = out.mutableData
        Parallel.forRanges(count, minChunk: 1 << 15) { r in for i in r { o[i] = p[i] * s } }
        return Tensor.record(out, [self]) { g in [g.scaled(s)] }
    }

    /// `a + s` for a plain number.
    public func shifted(_ s: Float) -> Tensor {
        let out = Tensor.empty(shape)
        let p = data, o = out.mutableData
        Parallel.forRanges(count, minChunk: 1 << 15) { r in for i in r { o[i] = p[i] + s } }
        return Tensor.record(out, [self]) { g in [g] }
    }

    /// Element-wise power with a constant exponent. d/da = p·a^(p-1).
    public func pow(_ p: Float) -> Tensor {
        let out = mapUnary(self) { Foundation.pow($0, p) }
        return Tensor.record(out, [self]) { g in
            [g * mapUnary(self) { p * Foundation.pow($0, p - 1) }]
        }
    }

    public static func + (a: Tensor, s: Float) -> Tensor { a.shifted(s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a.shifted(s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.shifted(-s) }
    public static func - (s: Float, a: Tensor) -> Tensor { (-a).shifted(s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.scaled(s) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.scaled(s) }
    public static func / (a: Tensor, s: Float) -> Tensor { a.scaled(1 / s) }
}
