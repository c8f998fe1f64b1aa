import Audio
import Datasets
import Foundation
import Plot

/// Figure panels the chapter draws more than once.
public enum AudioPlots {
    /// A waveform panel: amplitude against time in seconds.
    public static func waveform(_ samples: [Float], sampleRate: Int, title: String, color: Color? = nil) -> LinePlot {
        var p = LinePlot(title: title, xLabel: "time (s)", yLabel: "amplitude")
        p.add(LineSeries(name: "", x: samples.indices.map { Double($0) / Double(sampleRate) }, y: samples.map(Double.init),
                         color: color ?? Palette.color(0)))
        p.series[0].lineWidth = 1
        p.xAxis.range = 0...(Double(samples.count) / Double(sampleRate))
        return p
    }

    /// A log-mel panel: bands (low at the bottom, labelled by centre frequency) against frames
    /// (labelled by time). `image` is band-major [bands · frames].
    public static func logMel(_ image: [Float], bands: Int, frontEnd: LogMelFrontEnd, title: String,
                              range: ClosedRange<Double> = -1...1.4) -> Heatmap {
        let frames = image.count / bands
        var values: [Double] = []
        for r in 0..<bands { let b = bands - 1 - r; values += (0..<frames).map { Double(image[b * frames + $0]) } }
        let rowLabels = (0..<bands).map { String(Int(frontEnd.mel.centre(bands - 1 - $0).rounded())) }
        let colLabels = (0..<frames).map { String(format: "%.2f", frontEnd.stft.time(ofFrame: $0)) }
        var h = Heatmap(title: title, values: values, rows: bands, columns: frames, rowLabels: rowLabels, columnLabels: colLabels,
                        xLabel: "time (s)", yLabel: "mel band centre (Hz)", colorBarLabel: "log-mel", colormap: .viridis, range: range)
        h.squareCells = false
        h.rowLabelEvery = 4
        h.columnLabelEvery = labelStep(frames, most: frames > 100 ? 16 : 5)
        return h
    }

    /// A round label interval that puts at most about `most` labels on an axis of `n` cells.
    public static func labelStep(_ n: Int, most: Int = 16) -> Int {
        [1, 2, 5, 10, 20, 25, 50, 100].first { n / $0 <= most } ?? 100
    }

    /// The log-mel image of one clip (band-major).
    public static func melImage(_ samples: [Float], frontEnd: LogMelFrontEnd) -> [Float] {
        frontEnd.images([samples])[0]
    }
}
