#if canImport(ExerciseSolutions)
import Foundation
import Testing
@testable import ExerciseGrading
import ExerciseSolutions

// One plausible mistake per chapter, each a whole chapter's functions with one of them wrong.
// The grader must fail the wrong exercise (and only that one): this is what makes each chapter's
// check a check, not a formality.

enum ForwardDifference: Ch00Exercises {
    static func centralDifference(_ f: ([Double]) -> Double, at x: [Double], h: Double) throws -> [Double] {
        x.indices.map { i in var p = x; p[i] += h; return (f(p) - f(x)) / h }
    }
    static func linearBackward(x: [Double], w: [Double], upstream: [Double], n: Int, inFeatures: Int, outFeatures: Int) throws -> (dx: [Double], dw: [Double], db: [Double]) {
        try Ch00.linearBackward(x: x, w: w, upstream: upstream, n: n, inFeatures: inFeatures, outFeatures: outFeatures)
    }
    static func layerNormBackward(x: [Double], gamma: [Double], upstream: [Double], eps: Double) throws -> (dx: [Double], dgamma: [Double], dbeta: [Double]) {
        try Ch00.layerNormBackward(x: x, gamma: gamma, upstream: upstream, eps: eps)
    }
}

enum OverlappingMerge: Ch01Exercises {
    static func mostFrequentPair(_ ids: [Int]) throws -> (Int, Int)? { try Ch01.mostFrequentPair(ids) }
    static func merge(_ ids: [Int], pair: (Int, Int), newID: Int) throws -> [Int] {
        // Replaces at every position where the pair starts, so [7, 7, 7] becomes [new, new].
        var out: [Int] = []
        for i in ids.indices.dropLast() where ids[i] == pair.0 && ids[i + 1] == pair.1 { out.append(newID) }
        return out.isEmpty ? ids : out
    }
    static func encode(_ text: String, merges: [(Int, Int)]) throws -> [Int] { try Ch01.encode(text, merges: merges) }
}

enum DiagonalHidden: Ch02Exercises {
    static func causalMask(_ t: Int) throws -> [Bool] { (0..<(t * t)).map { $0 % t >= $0 / t } }
    static func stableSoftmax(_ scores: [Double]) throws -> [Double] { try Ch02.stableSoftmax(scores) }
    static func attention(q: [Double], k: [Double], v: [Double], t: Int, d: Int, causal: Bool) throws -> [Double] {
        try Ch02.attention(q: q, k: k, v: v, t: t, d: d, causal: causal)
    }
}

enum LuhnFromTheLeft: Ch03Exercises {
    static func luhnValid(_ number: String) throws -> Bool {
        let digits = number.compactMap(\.wholeNumberValue)
        guard digits.count >= 2 else { return false }
        return digits.enumerated().reduce(0) { s, e in let v = e.offset % 2 == 1 ? e.element * 2 : e.element; return s + (v > 9 ? v - 9 : v) } % 10 == 0
    }
    static func minHashSignature(shingles: [UInt64], seeds: [UInt64]) throws -> [UInt64] { try Ch03.minHashSignature(shingles: shingles, seeds: seeds) }
    static func lshCandidatePairs(signatures: [[UInt64]], bands: Int, rows: Int) throws -> [[Int]] {
        try Ch03.lshCandidatePairs(signatures: signatures, bands: bands, rows: rows)
    }
}

enum SmallestMeasuredLoss: Ch04Exercises {
    static func computeOptimal(flops: Double, tokensPerParameter: Double) throws -> (parameters: Double, tokens: Double) {
        try Ch04.computeOptimal(flops: flops, tokensPerParameter: tokensPerParameter)
    }
    static func fitPowerLaw(x: [Double], y: [Double]) throws -> (a: Double, b: Double) { try Ch04.fitPowerLaw(x: x, y: y) }
    static func isoFLOPOptimum(parameters: [Double], losses: [Double]) throws -> Double {
        parameters[losses.indices.min { losses[$0] < losses[$1] }!]
    }
}

enum AlphaBarShifted: Ch05Exercises {
    static func alphaBar(betas: [Double]) throws -> [Double] {
        var p = 1.0
        return betas.map { b in defer { p *= 1 - b }; return p }
    }
    static func noisySample(x0: [Double], noise: [Double], alphaBar: Double) throws -> [Double] { try Ch05.noisySample(x0: x0, noise: noise, alphaBar: alphaBar) }
    static func ddimStep(xt: [Double], predictedNoise: [Double], alphaBar: Double, alphaBarPrevious: Double) throws -> [Double] {
        try Ch05.ddimStep(xt: xt, predictedNoise: predictedNoise, alphaBar: alphaBar, alphaBarPrevious: alphaBarPrevious)
    }
}

enum KLWithoutHalf: Ch06Exercises {
    static func reparameterize(mean: [Double], logVariance: [Double], noise: [Double]) throws -> [Double] {
        try Ch06.reparameterize(mean: mean, logVariance: logVariance, noise: noise)
    }
    static func gaussianKL(mean: [Double], logVariance: [Double]) throws -> Double { 2 * (try Ch06.gaussianKL(mean: mean, logVariance: logVariance)) }
    static func gaussianKLGradient(mean: [Double], logVariance: [Double]) throws -> (dMean: [Double], dLogVariance: [Double]) {
        try Ch06.gaussianKLGradient(mean: mean, logVariance: logVariance)
    }
}

enum RowsOnlyInfoNCE: Ch07Exercises {
    static func normalizeRows(_ m: [Double], rows: Int, columns: Int) throws -> [Double] { try Ch07.normalizeRows(m, rows: rows, columns: columns) }
    static func similarityLogits(images: [Double], texts: [Double], m: Int, n: Int, d: Int, temperature: Double) throws -> [Double] {
        try Ch07.similarityLogits(images: images, texts: texts, m: m, n: n, d: d, temperature: temperature)
    }
    static func infoNCELoss(logits: [Double], n: Int) throws -> Double {
        (0..<n).reduce(0) { s, i in
            let row = logits[(i * n)..<(i * n + n)], m = row.max()!
            return s + m + log(row.reduce(0) { $0 + exp($1 - m) }) - logits[i * n + i]
        } / Double(n)
    }
}

enum SoftmaxDownColumns: Ch08Exercises {
    static func guidedNoise(unconditional: [Double], conditional: [Double], scale: Double) throws -> [Double] {
        try Ch08.guidedNoise(unconditional: unconditional, conditional: conditional, scale: scale)
    }
    static func crossAttentionWeights(queries: [Double], keys: [Double], pixels: Int, tokens: Int, d: Int) throws -> [Double] {
        // Normalises over pixels instead of tokens.
        let rowWise = try Ch08.crossAttentionWeights(queries: keys, keys: queries, pixels: tokens, tokens: pixels, d: d)
        return (0..<(pixels * tokens)).map { rowWise[($0 % tokens) * pixels + $0 / tokens] }
    }
    static func crossAttention(queries: [Double], keys: [Double], values: [Double], pixels: Int, tokens: Int, d: Int, tokenMask: [Bool]) throws -> [Double] {
        try Ch08.crossAttention(queries: queries, keys: keys, values: values, pixels: pixels, tokens: tokens, d: d, tokenMask: tokenMask)
    }
}

enum NaiveGeneratorLoss: Ch09Exercises {
    static func generatorLoss(fakeLogits: [Double]) throws -> Double {
        fakeLogits.reduce(0) { $0 - log(1 / (1 + exp(-$1))) } / Double(fakeLogits.count)
    }
    static func discriminatorLoss(realLogits: [Double], fakeLogits: [Double]) throws -> Double {
        try Ch09.discriminatorLoss(realLogits: realLogits, fakeLogits: fakeLogits)
    }
    static func spectralNorm(_ w: [Double], rows: Int, columns: Int, iterations: Int) throws -> Double {
        try Ch09.spectralNorm(w, rows: rows, columns: columns, iterations: iterations)
    }
}

enum MergeWithoutScale: Ch10Exercises {
    static func loraParameterCount(layers: [(inFeatures: Int, outFeatures: Int)], rank: Int) throws -> (trainable: Int, frozen: Int) {
        try Ch10.loraParameterCount(layers: layers, rank: rank)
    }
    static func loraForward(x: [Double], weight: [Double], a: [Double], b: [Double], n: Int, inFeatures: Int, outFeatures: Int, rank: Int, alpha: Double) throws -> [Double] {
        try Ch10.loraForward(x: x, weight: weight, a: a, b: b, n: n, inFeatures: inFeatures, outFeatures: outFeatures, rank: rank, alpha: alpha)
    }
    static func loraMerge(weight: [Double], a: [Double], b: [Double], inFeatures: Int, outFeatures: Int, rank: Int, alpha: Double) throws -> [Double] {
        try Ch10.loraMerge(weight: weight, a: a, b: b, inFeatures: inFeatures, outFeatures: outFeatures, rank: rank, alpha: Double(rank))
    }
}

enum SymmetricHann: Ch11Exercises {
    static func hannWindow(_ n: Int) throws -> [Double] { (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n - 1)) } }
    static func powerSpectrum(frame: [Double], window: [Double]) throws -> [Double] { try Ch11.powerSpectrum(frame: frame, window: window) }
    static func wordErrorRate(reference: String, hypothesis: String) throws -> Double { try Ch11.wordErrorRate(reference: reference, hypothesis: hypothesis) }
}

/// The reference set with chapter `chapter` replaced by a mistaken one.
func withMistake(_ chapter: Int) -> ExerciseSet {
    ExerciseSet(
        ch00: chapter == 0 ? ForwardDifference.self : Ch00.self, ch01: chapter == 1 ? OverlappingMerge.self : Ch01.self,
        ch02: chapter == 2 ? DiagonalHidden.self : Ch02.self, ch03: chapter == 3 ? LuhnFromTheLeft.self : Ch03.self,
        ch04: chapter == 4 ? SmallestMeasuredLoss.self : Ch04.self, ch05: chapter == 5 ? AlphaBarShifted.self : Ch05.self,
        ch06: chapter == 6 ? KLWithoutHalf.self : Ch06.self, ch07: chapter == 7 ? RowsOnlyInfoNCE.self : Ch07.self,
        ch08: chapter == 8 ? SoftmaxDownColumns.self : Ch08.self, ch09: chapter == 9 ? NaiveGeneratorLoss.self : Ch09.self,
        ch10: chapter == 10 ? MergeWithoutScale.self : Ch10.self, ch11: chapter == 11 ? SymmetricHann.self : Ch11.self)
}

/// Each chapter's mistake fails exactly the exercise it breaks, with an expected-vs-got message.
@Test(arguments: [
    (0, "central-difference"), (1, "merge"), (2, "causal-mask"), (3, "luhn"), (4, "isoflop-optimum"), (5, "alpha-bar"),
    (6, "gaussian-kl"), (7, "infonce"), (8, "cross-attention-weights"), (9, "generator-loss"), (10, "lora-merge"),
    (11, "hann-window"),
])
func aTypicalMistakeFailsItsExercise(chapter: Int, broken: String) {
    for exercise in withMistake(chapter).exercises(chapter: chapter) {
        let outcome = grade(exercise)
        if exercise.id == broken {
            guard case let .fail(message) = outcome else { Issue.record("\(exercise.fullID) passed a wrong implementation"); continue }
            #expect(message.contains("expected"), "\(exercise.fullID): \(message)")
        } else {
            #expect(outcome.passed, "\(exercise.fullID): \(outcome)")
        }
    }
}
#endif
