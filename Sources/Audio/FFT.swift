import Foundation

/// The discrete Fourier transform of a real frame by the radix-2 fast Fourier transform.
///
/// X[k] = Σₙ x[n]·e^(−2πi·k·n/N) for a power-of-two N, computed in Double (the bins are sums of
/// up to N terms; Double keeps them accurate to ~1e-12 of the frame's energy). The plan holds the
/// twiddle factors and bit-reversal order for one size, so each call only does the butterflies.
public struct FFTPlan: Sendable {
    /// Transform length N (a power of two).
    public let size: Int
    private let cosines: [Double]
    private let sines: [Double]
    private let reversed: [Int]

    /// A plan for frames of `size` samples; `size` must be a power of two ≥ 2.
    public init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "FFT size must be a power of two ≥ 2, got \(size)")
        self.size = size
        cosines = (0..<(size / 2)).map { cos(2 * Double.pi * Double($0) / Double(size)) }
        sines = (0..<(size / 2)).map { -sin(2 * Double.pi * Double($0) / Double(size)) }
        let bits = size.trailingZeroBitCount
        reversed = (0..<size).map { i in
            var r = 0
            for b in 0..<bits where i & (1 << b) != 0 { r |= 1 << (bits - 1 - b) }
            return r
        }
    }

    /// The complex spectrum (real and imaginary parts, N values each) of a real `frame` of at
    /// most N samples (shorter frames are zero-padded).
    public func transform(_ frame: [Double]) -> (re: [Double], im: [Double]) {
        precondition(frame.count <= size, "frame of \(frame.count) samples is longer than the FFT size \(size)")
        var re = [Double](repeating: 0, count: size), im = re
        for i in 0..<frame.count { re[reversed[i]] = frame[i] }
        var half = 1
        while half < size {
            let step = size / (2 * half)
            var start = 0
            while start < size {
                for j in 0..<half {
                    let wr = cosines[j * step], wi = sines[j * step]
                    let a = start + j, b = a + half
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
                start += 2 * half
            }
            half *= 2
        }
        return (re, im)
    }

    /// |X[k]|² for k = 0…N/2 (the non-negative frequencies of a real frame).
    public func powerSpectrum(_ frame: [Double]) -> [Double] {
        let (re, im) = transform(frame)
        return (0...(size / 2)).map { re[$0] * re[$0] + im[$0] * im[$0] }
    }
}
