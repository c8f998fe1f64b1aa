import Foundation
import Notebook
import Testing

/// The committed full run's manifest carries the keys issue 28 asks for, with values at or above
/// its floors, so a grading script or CI can read the chapter's results without parsing prose.
@Suite struct ManifestTests {
    static var manifestURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Figures/04-scaling/manifest.json")
    }

    @Test func committedManifestMeetsTheIssueFloors() throws {
        let manifest = try Manifest.read(from: Self.manifestURL)
        #expect(!manifest.quick)
        var values: [String: Double] = [:]
        for n in manifest.numbers {
            #expect(n.key.hasPrefix("ch04_"), "key \(n.key) lacks the chapter prefix")
            values[n.key] = n.value
        }
        let bracketed = try #require(values["ch04_isoflop_bracketed_budgets"])
        #expect(bracketed >= 3)
        let a = try #require(values["ch04_nopt_exponent"])
        let lo = try #require(values["ch04_nopt_exponent_low"]), hi = try #require(values["ch04_nopt_exponent_high"])
        #expect(lo <= a && a <= hi)
        #expect(values["ch04_dopt_exponent"] != nil)
        let largest = try #require(values["ch04_icl_gain_largest"]), smallest = try #require(values["ch04_icl_gain_smallest"])
        #expect((-1...1).contains(largest) && (-1...1).contains(smallest))
        // Units are present where a number has one: shares, counts, bits.
        let units = Dictionary(uniqueKeysWithValues: manifest.numbers.map { ($0.key, $0.unit) })
        #expect(units["ch04_icl_gain_largest"] == "share")
        #expect(units["ch04_isoflop_bracketed_budgets"] == "count")
        #expect(units["ch04_entropy_floor"] == "bits/char")
    }
}
