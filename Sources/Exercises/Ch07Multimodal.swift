// Chapter 07, multimodal: the pieces of a CLIP-style contrastive loss.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 7`. Matrices are row-major: element (i, j) of an r×c matrix is m[i * c + j].

/// Chapter 07's exercises.
public enum Ch07 {
    /// Exercise 07.normalize-rows: scale each embedding to unit length.
    ///
    /// - Task: divide each row by its Euclidean norm; a row of zeros stays zeros.
    /// - Shapes: m is [rows × columns]; so is the result.
    /// - Hint: after this, a dot product of two rows is their cosine similarity.
    public static func normalizeRows(_ m: [Double], rows: Int, columns: Int) throws -> [Double] {
        throw ExerciseError.notImplemented("07.normalize-rows")
    }

    /// Exercise 07.similarity-logits: every image against every caption.
    ///
    /// - Task: return logits(i, j) = (image i · text j) / temperature.
    /// - Shapes: images is [m × d], texts is [n × d]; the result is [m × n] (images down, texts across).
    /// - Hint: this is images·textsᵀ; with m ≠ n a transposed answer has the wrong shape.
    public static func similarityLogits(images: [Double], texts: [Double], m: Int, n: Int, d: Int,
                                        temperature: Double) throws -> [Double] {
        throw ExerciseError.notImplemented("07.similarity-logits")
    }

    /// Exercise 07.infonce: the symmetric contrastive (InfoNCE) loss of a batch.
    ///
    /// - Task: image i belongs with caption i. Return the average of two cross-entropies: over
    ///   each row (image i must pick caption i among all captions) and over each column
    ///   (caption j must pick image j among all images), each averaged over the batch.
    /// - Shapes: logits is [n × n]; the result is one number.
    /// - Hint: row i's cross-entropy is logsumexp(row i) − logits(i, i). Use a stable logsumexp
    ///   (subtract the maximum): the grader includes logits of size 1000. The column term is
    ///   not the row term again unless the matrix is symmetric.
    public static func infoNCELoss(logits: [Double], n: Int) throws -> Double {
        throw ExerciseError.notImplemented("07.infonce")
    }
}
