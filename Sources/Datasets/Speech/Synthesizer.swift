import Engine
import Foundation

/// Turns sounds into a waveform: a source (pulses or noise) through resonators, source-filter
/// synthesis as in Klatt's formant synthesiser, reduced to what the chapter needs.
public struct Synthesizer: Sendable {
    /// Output samples per second.
    public let sampleRate: Int

    /// A synthesiser at `sampleRate` Hz (8000 in the chapter: telephone quality, 4 kHz of band).
    public init(sampleRate: Int = 8000) { self.sampleRate = sampleRate }

    /// A two-pole resonator with unity gain at 0 Hz (Klatt's form): y = A·x + B·y₁ + C·y₂ with
    /// r = e^(−π·bw/fs), B = 2r·cos(2π·f/fs), C = −r², A = 1 − B − C. It rings at `frequency`
    /// with a −3 dB width of about `bandwidth`.
    static func resonate(_ x: [Double], frequency: Double, bandwidth: Double, sampleRate: Int) -> [Double] {
        let fs = Double(sampleRate)
        let f = Swift.min(frequency, 0.45 * fs)
        let r = exp(-Double.pi * bandwidth / fs)
        let b = 2 * r * cos(2 * Double.pi * f / fs), c = -r * r, a = 1 - b - c
        var y = [Double](repeating: 0, count: x.count)
        var y1 = 0.0, y2 = 0.0
        for n in 0..<x.count {
            let v = a * x[n] + b * y1 + c * y2
            y[n] = v; y2 = y1; y1 = v
        }
        return y
    }

    /// The glottal source: one pulse per pitch period (with the period's fractional part carried
    /// over, so the pitch is exact on average), softened by two one-pole low-passes so the
    /// spectrum falls like a real voice's. Pitch drifts linearly from `pitch·(1+glide)` to
    /// `pitch·(1−glide)` and jitters by ±1 % per period.
    func voicedSource(count: Int, pitch: Double, glide: Double, rng: inout RNG) -> [Double] {
        var x = [Double](repeating: 0, count: count)
        var next = 0.0
        while Int(next) < count {
            x[Int(next)] = 1
            let progress = next / Double(Swift.max(count, 1))
            let f0 = pitch * (1 + glide * (1 - 2 * progress)) * (1 + 0.01 * Double(rng.uniform(-1, 1)))
            next += Double(sampleRate) / f0
        }
        for _ in 0..<2 {
            var prev = 0.0
            for n in 0..<count { prev = 0.35 * x[n] + 0.65 * prev; x[n] = prev }
        }
        // Remove the mean so the pulse train carries no DC into the resonators.
        let mean = x.reduce(0, +) / Double(Swift.max(count, 1))
        return x.map { $0 - mean }
    }

    /// The waveform of one sound for `speaker`, scaled so its RMS is `level · loudness`, with
    /// 8 ms fades at both ends (no clicks where sounds meet).
    public func render(_ p: Phoneme, speaker: Speaker, glide: Double, rng: inout RNG) -> [Double] {
        let count = Swift.max(1, Int((p.duration / speaker.tempo * Double(sampleRate)).rounded()))
        var y: [Double]
        var closure = 0
        switch p.kind {
        case .vowel, .nasal:
            let source = voicedSource(count: count, pitch: speaker.pitch, glide: glide, rng: &rng)
            if p.kind == .vowel {
                y = source
                for (f, bw) in zip(p.formants, p.bandwidths) {
                    y = Self.resonate(y, frequency: f * speaker.tract, bandwidth: bw, sampleRate: sampleRate)
                }
            } else {
                // Nasal murmur: a strong low resonance plus a weak one (parallel branches).
                let low = Self.resonate(source, frequency: p.formants[0] * speaker.tract, bandwidth: p.bandwidths[0], sampleRate: sampleRate)
                let high = Self.resonate(source, frequency: p.formants[1] * speaker.tract, bandwidth: p.bandwidths[1], sampleRate: sampleRate)
                y = zip(low, high).map { $0 + 0.15 * $1 }
            }
        case .fricative, .stop:
            closure = p.kind == .stop ? count * 5 / 8 : 0
            let noise = (0..<count).map { _ in Double(rng.normal()) }
            y = Self.resonate(noise, frequency: p.formants[0] * speaker.tract, bandwidth: p.bandwidths[0], sampleRate: sampleRate)
            for n in 0..<closure { y[n] = 0 }
        }
        // Scale the sounding part to its RMS target.
        let sounding = y[closure...]
        let rms = (sounding.reduce(0) { $0 + $1 * $1 } / Double(Swift.max(sounding.count, 1))).squareRoot()
        let gain = rms > 0 ? p.level * speaker.loudness / rms : 0
        let fade = Swift.min(Int(0.008 * Double(sampleRate)), (count - closure) / 2)
        for n in closure..<count {
            var g = gain
            let fromStart = n - closure, fromEnd = count - 1 - n
            if fromStart < fade { g *= Double(fromStart) / Double(fade) }
            if fromEnd < fade { g *= Double(fromEnd) / Double(fade) }
            y[n] *= g
        }
        return y
    }

    /// The waveform of a word: its sounds one after another, the pitch gliding down across it.
    /// Throws `SpeechError.unknownLetter` for a letter the language has no sound for.
    public func render(word: String, speaker: Speaker, rng: inout RNG) throws -> [Double] {
        let sounds = try word.map { c -> Phoneme in
            guard let p = Phoneme.named(c) else { throw SpeechError.unknownLetter(word: word, letter: c) }
            return p
        }
        let glide = Double(rng.uniform(0.03, 0.1))
        return sounds.flatMap { render($0, speaker: speaker, glide: glide, rng: &rng) }
    }
}
