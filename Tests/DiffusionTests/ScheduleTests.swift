import Foundation
import Testing
@testable import Diffusion

@Suite("Noise schedules")
struct ScheduleTests {
    @Test func linearEndsAndMiddle() {
        let s = NoiseSchedule.linear()
        #expect(s.steps == 1000)
        #expect(s.betas[0] == 1e-4)
        #expect(abs(s.betas[999] - 0.02) < 1e-15)
        #expect(abs(s.betas[499] - (1e-4 + 0.0199 * 499 / 999)) < 1e-15)
        #expect(s.alphaBars[0] == 1 - 1e-4)
        // ᾱ_T from a sum of logs, independent of the running product: about 4.0e-5 for this schedule.
        let logProduct = s.betas.reduce(0.0) { $0 + log1p(-$1) }
        #expect(abs(s.alphaBars[999] / exp(logProduct) - 1) < 1e-10)
        #expect(s.alphaBars[999] > 3e-5 && s.alphaBars[999] < 5e-5)
    }

    @Test func cosineFollowsItsFormula() {
        let s = NoiseSchedule.cosine()
        func f(_ t: Double) -> Double { pow(cos((t / 1000 + 0.008) / 1.008 * Double.pi / 2), 2) }
        // Away from the cap, ᾱ_t equals f(t+1)/f(0) (step t is the paper's step t+1).
        for t in [0, 10, 250, 500, 900] {
            #expect(abs(s.alphaBars[t] - f(Double(t + 1)) / f(0)) < 1e-12, "t = \(t)")
        }
        #expect(s.betas[999] == 0.999)           // the formula gives 1: capped
        #expect(s.betas[0] < 1e-4)                // the cosine schedule starts gentler than the linear one
    }

    @Test func signalToNoiseFallsMonotonically() {
        for s in [NoiseSchedule.linear(), NoiseSchedule.cosine()] {
            let snr = (0..<s.steps).map(s.signalToNoise)
            #expect(zip(snr, snr.dropFirst()).allSatisfy { $0 > $1 }, "\(s.kind)")
        }
    }

    /// The posterior of x_{t−1} given x_t and x_0, derived independently by Bayes' rule from the
    /// prior N(√ᾱ_{t−1} x_0, 1 − ᾱ_{t−1}) and the likelihood N(√α_t x_{t−1}, β_t).
    @Test func posteriorMatchesBayes() {
        let s = NoiseSchedule.linear()
        for t in [1, 2, 50, 500, 999] {
            let priorVar = 1 - s.alphaBars[t - 1]
            let precision = 1 / priorVar + s.alphas[t] / s.betas[t]
            let variance = 1 / precision
            let c0 = variance * s.alphaBars[t - 1].squareRoot() / priorVar
            let ct = variance * s.alphas[t].squareRoot() / s.betas[t]
            let (a, b) = s.posteriorCoefficients(t)
            #expect(abs(s.posteriorVariance(t) / variance - 1) < 1e-9, "t = \(t)")
            #expect(abs(a / c0 - 1) < 1e-9 && abs(b / ct - 1) < 1e-9, "t = \(t)")
        }
        // At t = 0 the previous state is the data itself: no variance, mean = x_0.
        #expect(s.posteriorVariance(0) == 0)
        #expect(abs(s.posteriorCoefficients(0).x0 - 1) < 1e-12 && s.posteriorCoefficients(0).xt == 0)
    }
}
