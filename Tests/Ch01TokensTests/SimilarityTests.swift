import Testing
@testable import Ch01Tokens

@Suite struct SimilarityTests {
    @Test func cosineOfKnownVectors() {
        #expect(abs(cosine([1, 0], [0, 2])) < 1e-15)
        #expect(abs(cosine([1, 1], [2, 2]) - 1) < 1e-15)
        #expect(abs(cosine([1, 0], [1, 1]) - 0.5.squareRoot()) < 1e-15)
    }

    /// Two tight clusters: every neighbour agrees, centroids classify everything, and a word whose
    /// vector sits in the other cluster is counted as a miss.
    @Test func agreementOnClusters() {
        let vectors: [[Double]] = [[1, 0.1], [1, -0.1], [1, 0], [0.1, 1], [-0.1, 1], [0, 1]]
        let cats = [(name: "a", ids: [0, 1, 2]), (name: "b", ids: [3, 4, 5])]
        #expect(neighbourAgreement(vectors, categories: cats).rate == 1)
        #expect(centroidAccuracy(vectors, categories: cats) == 1)
        let swapped = [(name: "a", ids: [0, 1, 3]), (name: "b", ids: [2, 4, 5])]
        let r = neighbourAgreement(vectors, categories: swapped)
        // Nearest neighbours: 0→2, 1→2, 2→0 (tie with 1, smaller id), 3→5, 4→5, 5→3 (tie with 4):
        // only 4→5 stays inside its category.
        #expect(r.agreeing == 1 && r.total == 6)
    }

    @Test func analogyFindsTheParallelogram() {
        // b − a + c lands exactly on word 3.
        let vectors: [[Double]] = [[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [1, 0, 1]]
        #expect(analogy(vectors, 0, 1, 2, count: 1)[0].id == 3)
    }
}
