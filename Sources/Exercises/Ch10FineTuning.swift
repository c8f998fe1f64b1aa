// Chapter 10, fine-tuning: LoRA, a low-rank update added to a frozen weight.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 10`. Matrices are row-major: element (i, j) of an r×c matrix is m[i * c + j].

/// Chapter 10's exercises.
public enum Ch10 {
    /// Exercise 10.lora-count: how many parameters LoRA trains and how many stay frozen.
    ///
    /// - Task: each adapted linear layer has a frozen weight W [out × in] and two trainable
    ///   matrices A [rank × in] and B [out × rank]. Return the trainable count (all A and B) and
    ///   the frozen count (all W) over the layers.
    /// - Shapes: `layers` lists (inFeatures, outFeatures) per adapted layer.
    /// - Hint: one layer trains rank·(in + out) numbers instead of in·out: for a 4096 × 4096
    ///   layer at rank 8 that is 65,536 instead of 16.8 million.
    public static func loraParameterCount(layers: [(inFeatures: Int, outFeatures: Int)], rank: Int) throws -> (trainable: Int, frozen: Int) {
        throw ExerciseError.notImplemented("10.lora-count")
    }

    /// Exercise 10.lora-forward: a linear layer with a LoRA adapter.
    ///
    /// - Task: return y = x·Wᵀ + (α/r)·x·Aᵀ·Bᵀ (no bias).
    /// - Shapes: x [n × in], weight W [out × in], a A [rank × in], b B [out × rank];
    ///   the result is [n × out].
    /// - Hint: compute h = x·Aᵀ first ([n × rank], cheap), then h·Bᵀ. B starts at zero in
    ///   training, so a fresh adapter leaves the model unchanged.
    public static func loraForward(x: [Double], weight: [Double], a: [Double], b: [Double], n: Int,
                                   inFeatures: Int, outFeatures: Int, rank: Int, alpha: Double) throws -> [Double] {
        throw ExerciseError.notImplemented("10.lora-forward")
    }

    /// Exercise 10.lora-merge: fold the adapter into the weight for inference.
    ///
    /// - Task: return W′ = W + (α/r)·B·A, so that x·W′ᵀ equals your `loraForward`.
    /// - Shapes: weight [out × in], a [rank × in], b [out × rank]; the result is [out × in].
    /// - Hint: (x·Aᵀ·Bᵀ) = x·(B·A)ᵀ. After merging, the adapted model costs exactly what the
    ///   original did.
    public static func loraMerge(weight: [Double], a: [Double], b: [Double], inFeatures: Int, outFeatures: Int,
                                 rank: Int, alpha: Double) throws -> [Double] {
        throw ExerciseError.notImplemented("10.lora-merge")
    }
}
