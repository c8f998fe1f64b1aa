/// Where the labels of reference lines sit, as a grid of points, so that legend placement can
/// treat a label like data it must not cover.
///
/// The rectangle of each label is the one `drawReferenceLines` paints behind the text (right end of
/// the line, above it when there is room, else below); the grid spacing of 6 px matches `densify`,
/// so even a short label outweighs the couple of stray points a legend corner may cover.
func referenceLabelPoints(_ lines: [ReferenceLine], layout: ChartLayout, style: ChartStyle) -> [Point] {
    let plot = layout.plotArea
    var points: [Point] = []
    for line in lines where !line.label.isEmpty {
        let y = layout.y.pixel(line.value)
        guard y.isFinite, y >= plot.y, y <= plot.maxY else { continue }
        let size = BitmapFont.measure(line.label, size: style.tickSize)
        let aboveTop = y - 7 - BitmapFont.ascent * BitmapFont.scale(for: style.tickSize)
        let top = aboveTop > plot.y ? aboveTop : y + 6
        let box = Rect(x: plot.maxX - 12 - size.width, y: top - 3, width: size.width + 8, height: size.height + 2)
        var py = box.y
        while py <= box.maxY {
            var px = box.x
            while px <= box.maxX {
                points.append(Point(px, py))
                px += 6
            }
            py += 6
        }
    }
    return points
}
