import Foundation

/// Chapter 04's checks: budgets in closed form and fits to data built to have a known answer.
func ch04Checks(_ f: any Ch04Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 4, id: "compute-optimal", title: "compute-optimal parameters and tokens",
                 hint: "C = 6·N·D and D = k·N give N = √(C / 6k), D = k·N") {
            let got = try f.computeOptimal(flops: 5.76e23, tokensPerParameter: 20)
            try expectClose([got.parameters, got.tokens], [(5.76e23 / 120).squareRoot(), 20 * (5.76e23 / 120).squareRoot()],
                            tol: 1e-9, "computeOptimal(C = 5.76e23, k = 20) as [N, D]")
            let small = try f.computeOptimal(flops: 6e18, tokensPerParameter: 10)
            try expectClose(6 * small.parameters * small.tokens, 6e18, tol: 1e-9, "6·N·D for C = 6e18, k = 10")
            try expectClose(small.tokens / small.parameters, 10, tol: 1e-9, "D / N for C = 6e18, k = 10")
            return "Chinchilla's budget gives N ≈ \(String(format: "%.1f", got.parameters / 1e9)) B"
        },
        Exercise(chapter: 4, id: "power-law-fit", title: "a power-law fit in log–log space",
                 hint: "least-squares line through (log x, log y); a = e^intercept, b = −slope") {
            let x = [1e3, 1e4, 1e5, 1e6]
            let exact = try f.fitPowerLaw(x: x, y: x.map { 5 * pow($0, -0.3) })
            try expectClose([exact.a, exact.b], [5, 0.3], tol: 1e-9, "fitPowerLaw on y = 5·x^−0.3 as [a, b]")
            // log x = [0, 1, 2, 3], log y = [0, 2, 2, 3]: the least-squares slope is 4.5 / 5 = 0.9 and
            // the intercept 1.75 − 0.9·1.5 = 0.4 (a line through the end points would have slope 1).
            let e = exp(1.0)
            let scattered = try f.fitPowerLaw(x: [1, e, e * e, e * e * e], y: [1, e * e, e * e, e * e * e])
            try expectClose([scattered.a, scattered.b], [exp(0.4), -0.9], tol: 1e-9,
                            "fitPowerLaw(x = [1, e, e², e³], y = [1, e², e², e³]) as [a, b]")
            return "exact and scattered points"
        },
        Exercise(chapter: 4, id: "isoflop-optimum", title: "the vertex of an IsoFLOP parabola",
                 hint: "least-squares parabola in u = log₁₀ N; answer 10^(−c₁ / 2c₂), usually between samples") {
            let u = [6.0, 6.5, 7.0, 7.5, 8.0]
            // Adding a multiple of [−1, 2, 0, −2, 1] (orthogonal to 1, u and u² on five equally spaced
            // points) leaves the least-squares parabola unchanged, so the vertex stays at 10^7.3; the
            // smallest measured loss sits at 10^7.5 and a parabola through three points moves.
            let wiggle = [-1.0, 2, 0, -2, 1]
            let losses = u.indices.map { 2 + 0.5 * (u[$0] - 7.3) * (u[$0] - 7.3) + 0.05 * wiggle[$0] }
            let got = try f.isoFLOPOptimum(parameters: u.map { pow(10, $0) }, losses: losses)
            try expectClose(log10(max(got, 1e-300)), 7.3, tol: 1e-6,
                            "log₁₀ of isoFLOPOptimum(N = 10^[6, 6.5, 7, 7.5, 8], losses with vertex at 10^7.3)")
            let u2 = [5.0, 5.5, 6.5, 7.0]
            let got2 = try f.isoFLOPOptimum(parameters: u2.map { pow(10, $0) }, losses: u2.map { 3 + 0.2 * ($0 - 5.8) * ($0 - 5.8) })
            try expectClose(log10(max(got2, 1e-300)), 5.8, tol: 1e-6, "log₁₀ of isoFLOPOptimum on an exact parabola with vertex 10^5.8")
            return "the vertex between samples, least squares over five points"
        },
    ]
}
