import Foundation
import Testing
@testable import Plot

/// Renders one example of each plot to PLOT_EXAMPLES (a folder) for looking at by eye; skipped
/// unless that environment variable is set, so the normal suite writes nothing outside /tmp tests.
struct ExampleFigures {
    var folder: String? { ProcessInfo.processInfo.environment["PLOT_EXAMPLES"] }

    @Test func fontSheet() throws {
        guard let folder else { return }
        var c = Canvas(width: 900, height: 420)
        var ascii = ""
        for i in 32..<127 { ascii.append(Character(Unicode.Scalar(i)!)) }
        let lines = [String(ascii.prefix(48)), String(ascii.dropFirst(48)),
                     "·−×≈²³ ⁰¹²³⁴⁵⁶⁷⁸⁹⁻ αβσμε →±… 10⁻³ 2×10⁴ ≤≥°λθπΣ ☃"]
        var y = 30.0
        for size in [14.0, 17.5, 21, 28] {
            for line in lines {
                c.drawText(line, at: Point(10, y), size: size)
                y += size * 1.5
            }
        }
        c.drawText("Vertical label (units)", at: Point(880, 210), size: 17.5, align: .center, valign: .middle, vertical: true)
        try c.write(to: folder + "/font.png")
    }
}
