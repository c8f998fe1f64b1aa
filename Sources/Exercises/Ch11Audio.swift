// Chapter 11, audio: from a waveform to a spectrogram, and how a recogniser is scored.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 11`.

/// Chapter 11's exercises.
public enum Ch11 {
    /// Exercise 11.hann-window: the periodic Hann window.
    ///
    /// - Task: return w[i] = 0.5 − 0.5·cos(2π·i / n) for i = 0 … n−1.
    /// - Shapes: n ≥ 1 values.
    /// - Hint: *periodic* divides by n, not n − 1 (that would be the symmetric window, which
    ///   ends on 1 instead of just below it). w[0] = 0 and w[n/2] = 1.
    public static func hannWindow(_ n: Int) throws -> [Double] {
        throw ExerciseError.notImplemented("11.hann-window")
    }

    /// Exercise 11.power-spectrum: one column of a spectrogram.
    ///
    /// - Task: multiply the frame by the window, take its discrete Fourier transform
    ///   X[k] = Σₙ x[n]·e^(−2πi·k·n/N), and return |X[k]|² for k = 0 … N/2.
    /// - Shapes: frame and window have N values; the result has N/2 + 1 values.
    /// - Hint: |X[k]|² = (Σ x[n] cos θ)² + (Σ x[n] sin θ)² with θ = 2πkn/N. A plain O(N²) loop
    ///   is fine. A cosine that completes exactly k cycles in the frame puts (N/2)² in bin k.
    public static func powerSpectrum(frame: [Double], window: [Double]) throws -> [Double] {
        throw ExerciseError.notImplemented("11.power-spectrum")
    }

    /// Exercise 11.word-error-rate: how a speech recogniser is scored.
    ///
    /// - Task: split both strings into words on whitespace; return the edit distance between the
    ///   word lists (substitutions, deletions and insertions each cost 1) divided by the number
    ///   of reference words.
    /// - Shapes: the reference has at least one word; the result can exceed 1.
    /// - Hint: the classic dynamic programme: d[i][j] = min(d[i−1][j] + 1, d[i][j−1] + 1,
    ///   d[i−1][j−1] + (ref[i] ≠ hyp[j] ? 1 : 0)).
    public static func wordErrorRate(reference: String, hypothesis: String) throws -> Double {
        throw ExerciseError.notImplemented("11.word-error-rate")
    }
}
