import Foundation

/// Chapter 07's checks: hand cases, a non-square batch and logits large enough to overflow exp.
func ch07Checks(_ f: any Ch07Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 7, id: "normalize-rows", title: "unit-length embeddings",
                 hint: "divide each row by √(Σ row²); leave an all-zero row alone") {
            try expectClose(try f.normalizeRows([3, 4, 0, 0, 1, 1], rows: 3, columns: 2), [0.6, 0.8, 0, 0, 1 / 2.0.squareRoot(), 1 / 2.0.squareRoot()],
                            tol: 1e-12, "normalizeRows([[3, 4], [0, 0], [1, 1]])")
            return "a 3×2 matrix with a zero row"
        },
        Exercise(chapter: 7, id: "similarity-logits", title: "image–text similarity logits",
                 hint: "logits = images·textsᵀ / τ, shape [m × n]") {
            try expectClose(try f.similarityLogits(images: [1, 0, 0, 2], texts: [1, 1, 2, 0, 0, -1], m: 2, n: 3, d: 2, temperature: 0.5),
                            [2, 4, 0, 4, 0, -4], tol: 1e-12, "similarityLogits(2 images, 3 texts, d = 2, τ = 0.5)")
            return "2 images × 3 texts"
        },
        Exercise(chapter: 7, id: "infonce", title: "the symmetric InfoNCE loss",
                 hint: "average row and column cross-entropies with targets on the diagonal; stable logsumexp") {
            // Rows of [[2, 0], [1, −1]]: log(1 + e⁻²) and 2 + log(1 + e⁻²); columns: log(1 + e⁻¹) and 1 + log(1 + e⁻¹).
            let want = (2 * log(1 + exp(-2.0)) + 2 + 2 * log(1 + exp(-1.0)) + 1) / 4
            try expectClose(try f.infoNCELoss(logits: [2, 0, 1, -1], n: 2), want, tol: 1e-12, "infoNCELoss([[2, 0], [1, −1]])")
            try expectClose(try f.infoNCELoss(logits: [1000, 0, 0, 1000], n: 2), 0, tol: 1e-12, "infoNCELoss([[1000, 0], [0, 1000]])")
            try expectClose(try f.infoNCELoss(logits: [0, 0, 0, 0, 0, 0, 0, 0, 0], n: 3), log(3), tol: 1e-12, "infoNCELoss(3×3 zeros) = log 3")
            return "asymmetric 2×2, huge logits, the chance level log n"
        },
    ]
}
