/// Which revision of the engine's floating-point arithmetic produced a result.
///
/// Bumped whenever a change alters the bits any op computes (a different summation order, a new
/// exponential), so caches of trained runs made by an older engine are retrained rather than
/// reused: cached and fresh runs must give the same figures.
public enum EngineRevision {
    /// 1: the engine up to session 2. 2: softmax and the norms sum on 16 lanes, softmax uses `vexp`.
    /// 3: conv2d's dx for "same" stride-1 shapes is a convolution of G (one sum over (co, i, j)
    /// instead of dcols then col2im), and its db sums on 16 lanes. 4: 3×3 "same" convolutions with
    /// 8 or more channels on 16-wide tile grids run forward and dx as Winograd F(2×2, 3×3).
    /// 5: those convolutions compute dW through Winograd F(2×2, 3×3) as well. On the reference
    /// path, 1000 more.
    public static var arithmetic: Int { Engine.useReference ? referencePath + fastPath : fastPath }

    /// The fast path's revision (the history above).
    static let fastPath = 5

    /// Added on the reference path (`Engine.useReference`): its results have other bits, so a run
    /// cached by one path is retrained, not restored, by the other.
    static let referencePath = 1000
}
