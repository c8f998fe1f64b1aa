/// Anything a chapter can show as a figure: it knows how to write itself as a PNG.
///
/// Plot's plots conform with a one-line extension (`extension LinePlot: NotebookFigure {}`) since
/// they already have `save(to:)`. The CSV of the numbers behind a figure is written beside the PNG
/// either by `save(to:)` itself (as `<name>.csv`) or by the notebook from `csvText`.
public protocol NotebookFigure {
    /// Writes the figure as a PNG file at `pngPath` (and optionally its CSV beside it).
    func save(to pngPath: String) throws

    /// The numbers behind the figure as CSV text, or `nil` when there are none or `save` writes them.
    var csvText: String? { get }
}

extension NotebookFigure {
    /// By default a figure carries no CSV of its own.
    public var csvText: String? { nil }
}
