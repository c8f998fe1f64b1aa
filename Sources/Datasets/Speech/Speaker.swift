import Engine

/// The voice that says an utterance.
public struct Speaker: Sendable, Equatable {
    /// Mean pitch of the voice (Hz): about 85–155 for low voices, 165–255 for high ones.
    public var pitch: Double
    /// Scales every formant: a shorter vocal tract (children, most women) raises them all.
    public var tract: Double
    /// Speaking rate: durations are divided by it.
    public var tempo: Double
    /// RMS amplitude of the speaker's vowels.
    public var loudness: Double

    /// A speaker with the given voice.
    public init(pitch: Double, tract: Double, tempo: Double, loudness: Double) {
        self.pitch = pitch; self.tract = tract; self.tempo = tempo; self.loudness = loudness
    }

    /// A random voice: pitch, tract length, tempo and loudness drawn independently, except that
    /// high voices tend to have short tracts, as in people.
    public static func random(rng: inout RNG) -> Speaker {
        let high = rng.uniform() < 0.5
        let pitch = Double(high ? rng.uniform(165, 255) : rng.uniform(85, 155))
        let tract = Double(high ? rng.uniform(1.02, 1.16) : rng.uniform(0.90, 1.04))
        return Speaker(pitch: pitch, tract: tract, tempo: Double(rng.uniform(0.85, 1.2)),
                       loudness: Double(rng.uniform(0.06, 0.16)))
    }

    /// `count` speakers from the stream `seed`: the chapter's training voices use one seed and
    /// its held-out voices another, so no held-out voice was heard in training.
    public static func pool(_ count: Int, seed: UInt64) -> [Speaker] {
        var rng = RNG(seed: seed)
        return (0..<count).map { _ in random(rng: &rng) }
    }
}
