// Chapter 08, text to image: classifier-free guidance and cross-attention to the prompt.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 8`. Matrices are row-major: element (i, j) of an r×c matrix is m[i * c + j].

/// Chapter 08's exercises.
public enum Ch08 {
    /// Exercise 08.guided-noise: the classifier-free guidance combination.
    ///
    /// - Task: return ε̂(∅) + w·(ε̂(c) − ε̂(∅)) from the noise predicted without the prompt
    ///   (unconditional) and with it (conditional), at guidance scale w.
    /// - Shapes: both predictions have the same length; so does the result.
    /// - Hint: w = 0 ignores the prompt, w = 1 is the plain conditional prediction, and w > 1
    ///   pushes further in the direction the prompt adds.
    public static func guidedNoise(unconditional: [Double], conditional: [Double], scale: Double) throws -> [Double] {
        throw ExerciseError.notImplemented("08.guided-noise")
    }

    /// Exercise 08.cross-attention-weights: how much each pixel attends to each prompt token.
    ///
    /// - Task: weights(p, l) = softmax over the tokens l of (query p · key l) / √d.
    /// - Shapes: queries is [pixels × d] (from the image), keys is [tokens × d] (from the text);
    ///   the result is [pixels × tokens], each row summing to 1.
    /// - Hint: the queries come from the image and the keys from the text, so the softmax runs
    ///   across a row (over tokens), never down a column.
    public static func crossAttentionWeights(queries: [Double], keys: [Double], pixels: Int, tokens: Int,
                                             d: Int) throws -> [Double] {
        throw ExerciseError.notImplemented("08.cross-attention-weights")
    }

    /// Exercise 08.cross-attention: the attended output, ignoring padding tokens.
    ///
    /// - Task: like the weights above, but tokens whose `tokenMask` entry is false (padding) get
    ///   weight 0; return output(p) = Σₗ weight(p, l)·value(l).
    /// - Shapes: queries [pixels × d], keys and values [tokens × d], tokenMask has `tokens`
    ///   entries (at least one true); the result is [pixels × d].
    /// - Hint: set a padded token's score to −∞ before the softmax. The grader changes the
    ///   padded tokens' keys and values and expects the same output.
    public static func crossAttention(queries: [Double], keys: [Double], values: [Double], pixels: Int,
                                      tokens: Int, d: Int, tokenMask: [Bool]) throws -> [Double] {
        throw ExerciseError.notImplemented("08.cross-attention")
    }
}
