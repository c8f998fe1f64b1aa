/// Deciding a claim "diffusion is better than the others at X" from per-seed numbers.
///
/// The claim compares diffusion with the *best* of the other families (a claim of superiority
/// over GANs and VAEs must beat the strongest of them). The difference of the means counts as
/// real only when it exceeds twice its standard error, √(sd₁²/n₁ + sd₂²/n₂): smaller gaps are
/// within what another draw of seeds could reverse.
public enum Verdict: String, Sendable {
    /// Diffusion is better by more than the noise.
    case supported
    /// Another family is better by more than the noise.
    case notSupported = "not supported"
    /// The gap is within the noise.
    case tie = "no clear difference"

    /// The verdict on "diffusion beats every other family", given per-seed values of diffusion and
    /// of each other family; `higherIsBetter` says which way the measurement points.
    /// Returns the verdict and the family index (into `others`) of the strongest rival.
    public static func decide(diffusion: [Double], others: [[Double]], higherIsBetter: Bool) -> (verdict: Verdict, rival: Int) {
        precondition(!diffusion.isEmpty && !others.isEmpty && others.allSatisfy { !$0.isEmpty }, "Verdict.decide: every family needs values")
        let sign = higherIsBetter ? 1.0 : -1.0
        let means = others.map { meanAndSpread($0).mean * sign }
        let rival = means.indices.max { means[$0] < means[$1] }!
        let d = meanAndSpread(diffusion), o = meanAndSpread(others[rival])
        let gap = sign * (d.mean - o.mean)
        let se = (d.spread * d.spread / Double(diffusion.count) + o.spread * o.spread / Double(others[rival].count)).squareRoot()
        if gap > 2 * se && gap > 0 { return (.supported, rival) }
        if gap < -2 * se && gap < 0 { return (.notSupported, rival) }
        return (.tie, rival)
    }
}
