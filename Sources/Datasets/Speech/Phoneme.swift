/// One sound of the synthetic language, written as one letter.
///
/// Vowels and nasals are voiced: a pitched pulse train shaped by resonances (formants) at fixed
/// frequencies for a reference speaker. Fricatives are shaped noise; stops are a short silence
/// (the closure) followed by a burst of shaped noise. These are the cues real phonetics uses to
/// tell speech sounds apart, in their simplest form.
public struct Phoneme: Sendable, Equatable {
    /// How the sound is made.
    public enum Kind: Sendable, Equatable {
        /// Voiced, open tract: three formants.
        case vowel
        /// Voiced, closed mouth: a low murmur formant and a weak higher one.
        case nasal
        /// Turbulent noise through a narrow gap, no voicing.
        case fricative
        /// Closure (silence), then a noise burst.
        case stop
    }

    /// The letter that writes it.
    public let letter: Character
    /// How it is made.
    public let kind: Kind
    /// Resonance centre frequencies (Hz) for the reference speaker.
    public let formants: [Double]
    /// Resonance bandwidths (Hz), one per formant.
    public let bandwidths: [Double]
    /// Length in seconds at tempo 1 (for a stop: closure + burst).
    public let duration: Double
    /// RMS of the sound relative to a vowel (before the speaker's loudness).
    public let level: Double

    /// The language's twelve sounds. Vowel formants follow Peterson & Barney's average adult
    /// values; noise bands sit where the real consonants put their energy (below 4 kHz, the
    /// Nyquist frequency at 8 kHz).
    public static let inventory: [Phoneme] = [
        Phoneme(letter: "a", kind: .vowel, formants: [730, 1090, 2440], bandwidths: [90, 110, 160], duration: 0.11, level: 1),
        Phoneme(letter: "e", kind: .vowel, formants: [530, 1840, 2480], bandwidths: [80, 110, 160], duration: 0.10, level: 1),
        Phoneme(letter: "i", kind: .vowel, formants: [270, 2290, 3010], bandwidths: [60, 110, 170], duration: 0.10, level: 1),
        Phoneme(letter: "o", kind: .vowel, formants: [570, 840, 2410], bandwidths: [80, 100, 160], duration: 0.11, level: 1),
        Phoneme(letter: "u", kind: .vowel, formants: [300, 870, 2240], bandwidths: [60, 100, 150], duration: 0.10, level: 1),
        Phoneme(letter: "m", kind: .nasal, formants: [250, 1100], bandwidths: [60, 300], duration: 0.07, level: 0.55),
        Phoneme(letter: "n", kind: .nasal, formants: [250, 1750], bandwidths: [60, 300], duration: 0.07, level: 0.55),
        Phoneme(letter: "s", kind: .fricative, formants: [3300], bandwidths: [700], duration: 0.09, level: 0.4),
        Phoneme(letter: "f", kind: .fricative, formants: [1800], bandwidths: [2500], duration: 0.08, level: 0.25),
        Phoneme(letter: "k", kind: .stop, formants: [1700], bandwidths: [500], duration: 0.07, level: 0.7),
        Phoneme(letter: "t", kind: .stop, formants: [3100], bandwidths: [700], duration: 0.065, level: 0.6),
        Phoneme(letter: "p", kind: .stop, formants: [800], bandwidths: [700], duration: 0.07, level: 0.6),
    ]

    /// The phoneme written `letter`, if the language has one.
    public static func named(_ letter: Character) -> Phoneme? { inventory.first { $0.letter == letter } }
}
