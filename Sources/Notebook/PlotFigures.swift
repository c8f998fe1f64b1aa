import Plot

// Every chart of the Plot library saves itself (PNG plus its CSV), which is all a notebook figure needs.
extension LinePlot: NotebookFigure {}
extension ScatterPlot: NotebookFigure {}
extension Heatmap: NotebookFigure {}
extension BarChart: NotebookFigure {}
extension Histogram: NotebookFigure {}
extension ImageGrid: NotebookFigure {}
extension Figure: NotebookFigure {}
