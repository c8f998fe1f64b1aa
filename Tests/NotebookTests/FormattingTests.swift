import Testing
@testable import Notebook

@Test(arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (1_234_567, "1,234,567"), (-1234, "-1,234"), (-100, "-100")])
func groupedThousands(n: Int, text: String) {
    #expect(grouped(n) == text)
}
