import Exercises

// One protocol per chapter lists the functions its exercises ask for. The student's stubs
// (module `Exercises`) and the reference solutions (module `ExerciseSolutions`, see
// SolutionSet.swift) both conform, so
// the same checks grade either; a signature changed by mistake is a compile error here.

/// Chapter 00's exercise functions.
public protocol Ch00Exercises {
    static func centralDifference(_ f: ([Double]) -> Double, at x: [Double], h: Double) throws -> [Double]
    static func linearBackward(x: [Double], w: [Double], upstream: [Double], n: Int, inFeatures: Int,
                               outFeatures: Int) throws -> (dx: [Double], dw: [Double], db: [Double])
    static func layerNormBackward(x: [Double], gamma: [Double], upstream: [Double],
                                  eps: Double) throws -> (dx: [Double], dgamma: [Double], dbeta: [Double])
}

/// Chapter 01's exercise functions.
public protocol Ch01Exercises {
    static func mostFrequentPair(_ ids: [Int]) throws -> (Int, Int)?
    static func merge(_ ids: [Int], pair: (Int, Int), newID: Int) throws -> [Int]
    static func encode(_ text: String, merges: [(Int, Int)]) throws -> [Int]
}

/// Chapter 02's exercise functions.
public protocol Ch02Exercises {
    static func causalMask(_ t: Int) throws -> [Bool]
    static func stableSoftmax(_ scores: [Double]) throws -> [Double]
    static func attention(q: [Double], k: [Double], v: [Double], t: Int, d: Int, causal: Bool) throws -> [Double]
}

/// Chapter 03's exercise functions.
public protocol Ch03Exercises {
    static func luhnValid(_ number: String) throws -> Bool
    static func minHashSignature(shingles: [UInt64], seeds: [UInt64]) throws -> [UInt64]
    static func lshCandidatePairs(signatures: [[UInt64]], bands: Int, rows: Int) throws -> [[Int]]
}

/// Chapter 04's exercise functions.
public protocol Ch04Exercises {
    static func computeOptimal(flops: Double, tokensPerParameter: Double) throws -> (parameters: Double, tokens: Double)
    static func fitPowerLaw(x: [Double], y: [Double]) throws -> (a: Double, b: Double)
    static func isoFLOPOptimum(parameters: [Double], losses: [Double]) throws -> Double
}

/// Chapter 05's exercise functions.
public protocol Ch05Exercises {
    static func alphaBar(betas: [Double]) throws -> [Double]
    static func noisySample(x0: [Double], noise: [Double], alphaBar: Double) throws -> [Double]
    static func ddimStep(xt: [Double], predictedNoise: [Double], alphaBar: Double, alphaBarPrevious: Double) throws -> [Double]
}

/// Chapter 06's exercise functions.
public protocol Ch06Exercises {
    static func reparameterize(mean: [Double], logVariance: [Double], noise: [Double]) throws -> [Double]
    static func gaussianKL(mean: [Double], logVariance: [Double]) throws -> Double
    static func gaussianKLGradient(mean: [Double], logVariance: [Double]) throws -> (dMean: [Double], dLogVariance: [Double])
}

/// Chapter 07's exercise functions.
public protocol Ch07Exercises {
    static func normalizeRows(_ m: [Double], rows: Int, columns: Int) throws -> [Double]
    static func similarityLogits(images: [Double], texts: [Double], m: Int, n: Int, d: Int, temperature: Double) throws -> [Double]
    static func infoNCELoss(logits: [Double], n: Int) throws -> Double
}

/// Chapter 08's exercise functions.
public protocol Ch08Exercises {
    static func guidedNoise(unconditional: [Double], conditional: [Double], scale: Double) throws -> [Double]
    static func crossAttentionWeights(queries: [Double], keys: [Double], pixels: Int, tokens: Int, d: Int) throws -> [Double]
    static func crossAttention(queries: [Double], keys: [Double], values: [Double], pixels: Int, tokens: Int, d: Int,
                               tokenMask: [Bool]) throws -> [Double]
}

/// Chapter 09's exercise functions.
public protocol Ch09Exercises {
    static func generatorLoss(fakeLogits: [Double]) throws -> Double
    static func discriminatorLoss(realLogits: [Double], fakeLogits: [Double]) throws -> Double
    static func spectralNorm(_ w: [Double], rows: Int, columns: Int, iterations: Int) throws -> Double
}

/// Chapter 10's exercise functions.
public protocol Ch10Exercises {
    static func loraParameterCount(layers: [(inFeatures: Int, outFeatures: Int)], rank: Int) throws -> (trainable: Int, frozen: Int)
    static func loraForward(x: [Double], weight: [Double], a: [Double], b: [Double], n: Int, inFeatures: Int,
                            outFeatures: Int, rank: Int, alpha: Double) throws -> [Double]
    static func loraMerge(weight: [Double], a: [Double], b: [Double], inFeatures: Int, outFeatures: Int, rank: Int,
                          alpha: Double) throws -> [Double]
}

/// Chapter 11's exercise functions.
public protocol Ch11Exercises {
    static func hannWindow(_ n: Int) throws -> [Double]
    static func powerSpectrum(frame: [Double], window: [Double]) throws -> [Double]
    static func wordErrorRate(reference: String, hypothesis: String) throws -> Double
}

extension Exercises.Ch00: Ch00Exercises {}
extension Exercises.Ch01: Ch01Exercises {}
extension Exercises.Ch02: Ch02Exercises {}
extension Exercises.Ch03: Ch03Exercises {}
extension Exercises.Ch04: Ch04Exercises {}
extension Exercises.Ch05: Ch05Exercises {}
extension Exercises.Ch06: Ch06Exercises {}
extension Exercises.Ch07: Ch07Exercises {}
extension Exercises.Ch08: Ch08Exercises {}
extension Exercises.Ch09: Ch09Exercises {}
extension Exercises.Ch10: Ch10Exercises {}
extension Exercises.Ch11: Ch11Exercises {}
