import Testing
@testable import Notebook

@Test(arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (1_234_567, "1,234,567"), (-1234, "-1,234"), (-100, "-100")])
func groupedThousands(n: Int, text: String) {
    #expect(grouped(n) == text)
}

/// Decimals and rounding: 2.675 is stored as 2.67499999…, so two decimals give 2.67 (a
/// formatter that rounded the decimal text would say 2.68); 0.125 is exact, and C rounds its
/// half to even (0.12).
@Test func fixedDecimals() {
    #expect(f(3.14159) == "3.142")
    #expect(f(2.675, 2) == "2.67")
    #expect(f(0.125, 2) == "0.12")
    #expect(f(-1.5, 0) == "-2")
    #expect(f(Float(0.1), 4) == "0.1000")
    #expect(f(1234.5, "%.1e") == "1.2e+03")
    #expect(f(7, "%03.0f") == "007")
}

/// Shares as percentages, with and without the space before the sign.
@Test func percentages() {
    #expect(pct(0.1234) == "12.3%")
    #expect(pct(1) == "100.0%")
    #expect(pct(0.5, 0) == "50%")
    #expect(pct(0.00049, 2) == "0.05%")
    #expect(pct(0.1234, space: true) == "12.3 %")
    #expect(pct(-0.25, 1, space: true) == "-25.0 %")
}
