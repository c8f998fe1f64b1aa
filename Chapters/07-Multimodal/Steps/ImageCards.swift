import Plot

/// One card of an `ImageCards` figure: an image with lines of text beside it.
public struct ImageCard {
    /// The image (pixels in [0, 1]).
    public var image: GridImage
    /// Lines drawn to the right of the image, top to bottom; a line may carry its own colour.
    public var lines: [(text: String, color: Color)]

    /// A card.
    public init(image: GridImage, lines: [(text: String, color: Color)]) {
        self.image = image
        self.lines = lines
    }
}

/// Images with several lines of text each (captions, questions and answers, retrieved captions):
/// the text is too long to fit under a 32-pixel image, so it goes beside it, one line per row.
public struct ImageCards: Chart {
    /// Title above the cards.
    public var title: String
    /// The cards, filled row by row.
    public var cards: [ImageCard]
    /// Cards per row.
    public var columns: Int
    /// Pixel size of each image side.
    public var imageSide: Int
    /// Text size.
    public var textSize: Double
    /// Canvas size.
    public var width: Int
    public var height: Int
    /// Fonts and padding.
    public var style = ChartStyle()

    /// A figure of cards.
    public init(title: String, cards: [ImageCard], columns: Int, imageSide: Int = 128, textSize: Double = 15,
                width: Int, height: Int) {
        self.title = title
        self.cards = cards
        self.columns = max(1, columns)
        self.imageSide = imageSide
        self.textSize = textSize
        self.width = width
        self.height = height
    }

    public func draw(on canvas: inout Canvas, in frame: Rect) {
        let p = style.padding
        let titleH = BitmapFont.measure(title, size: style.titleSize).height + 2 * p
        let rows = (cards.count + columns - 1) / columns
        let cellW = (frame.width - 2 * p) / Double(columns)
        let cellH = (frame.height - titleH - p) / Double(max(rows, 1))
        let side = Double(imageSide)
        for (i, card) in cards.enumerated() {
            let x = frame.x + p + Double(i % columns) * cellW
            let y = frame.y + titleH + Double(i / columns) * cellH
            let rect = Rect(x: x, y: y, width: side, height: side)
            canvas.drawImage(card.image.pngImage, in: rect)
            canvas.strokeRect(rect.inset(by: -1), color: Color(190, 190, 190), lineWidth: 1)
            let lineH = BitmapFont.measure("Ag", size: textSize).height + 5
            for (j, line) in card.lines.enumerated() {
                canvas.drawText(line.text, at: Point(x + side + 12, y + 2 + Double(j) * lineH), size: textSize,
                                color: line.color, align: .left, valign: .top)
            }
        }
        canvas.drawText(title, at: Point(frame.midX, frame.y + p), size: style.titleSize, color: .ink,
                        align: .center, valign: .top, bold: true)
    }

    /// One row per card and line: card index, line index, text.
    public func csv() -> CSVTable {
        var rows: [[String]] = []
        for (i, c) in cards.enumerated() { for (j, l) in c.lines.enumerated() { rows.append([String(i), String(j), l.text]) } }
        return CSVTable(header: ["card", "line", "text"], rows: rows)
    }
}
