import Testing
@testable import Plot

/// The opt-in rule that keeps a plot's legend off its reference-line labels.
struct LegendAvoidanceTests {
    /// Two flat series along the top leave both bottom corners free; a labelled line near the
    /// bottom puts its label at the bottom right, the corner the legend takes by default (ties go
    /// to the right). With the option on, the label's points count against that corner and the
    /// legend moves to the bottom left; with it off nothing changes (existing figures keep their bytes).
    @Test func legendMovesOffTheReferenceLabelOnlyWhenAsked() {
        let xs = (0...20).map { Double($0) / 2 }
        var plot = LinePlot(title: "Legend and floor", xLabel: "x (units)", yLabel: "y (units)")
        plot.add(LineSeries(name: "first", x: xs, y: xs.map { _ in 10 }))
        plot.add(LineSeries(name: "second", x: xs, y: xs.map { _ in 9.5 }))
        plot.referenceLines = [ReferenceLine(value: 0.6, label: "entropy floor")]
        plot.yAxis.range = 0...10.5
        let layout = plot.layout()
        let area = layout.plotArea
        let data = plot.series.flatMap { densify(plot.pixelPoints($0, layout)) }

        #expect(plot.labelAvoidance(layout).isEmpty)
        let byDefault = legendCorner(plot.legendEntries, in: area, avoid: data, style: plot.style).corner
        #expect(byDefault.x > area.midX && byDefault.y > area.midY)

        plot.legendAvoidsReferenceLabels = true
        let label = plot.labelAvoidance(layout)
        // The label's points sit at the right end of the line, within a text height of it.
        let lineY = layout.y.pixel(0.6)
        #expect(!label.isEmpty && label.allSatisfy { $0.x > area.midX && abs($0.y - lineY) < 40 })
        let avoiding = legendCorner(plot.legendEntries, in: area, avoid: data + label, style: plot.style)
        #expect(avoiding.corner.x < area.midX && avoiding.corner.y > area.midY)
        #expect(avoiding.score == 0)
    }
}
