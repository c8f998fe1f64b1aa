// Chapter 00 — The engine.
//
// Every later chapter trains models with the engine in Sources/Engine: tensors, reverse-mode
// automatic differentiation, layers and optimizers. This chapter builds the central idea in front
// of the reader — a gradient by hand, the same gradient by the engine, and a numerical check —
// and then uses the engine for real: a small network learns to separate two interleaved moons.
// The steps live in Steps/ (module Ch00Engine) so the tests can call them.

import Ch00Engine
import Datasets
import Engine
import Notebook
import Plot

Notebook.run(number: 0, slug: "engine", title: "The engine") { nb in
    nb.section("1. A gradient by hand")
    nb.say("""
    Training a model means nudging its weights downhill on a loss, and "downhill" is the gradient: \
    how much the loss changes per unit change of each weight. Take one artificial neuron with two \
    inputs, a tanh activation and a squared-error loss:
    """)
    nb.code("z = w1·x1 + w2·x2 + b      a = tanh(z)      L = (a − y)²", language: "text")
    let ex = ScalarExample()
    let fwd = ex.forward()
    nb.say("""
    With x1 = \(ex.x1), x2 = \(ex.x2), w1 = \(ex.w1), w2 = \(ex.w2), b = \(ex.b) and target y = \(ex.y), \
    the forward pass gives z = \(String(format: "%.4f", fwd.z)), a = \(String(format: "%.4f", fwd.a)) and \
    L = \(String(format: "%.6f", fwd.loss)). The chain rule multiplies the local derivatives along the \
    path from each weight to the loss: dL/da = 2(a − y), da/dz = 1 − a², and dz/dw1 = x1, dz/dw2 = x2, \
    dz/db = 1. So dL/dw1 = 2(a − y)(1 − a²)·x1, and likewise for the others.
    """)

    nb.section("2. The same gradient by the engine, and by finite differences")
    nb.say("""
    The engine does this bookkeeping automatically. Every operation on tensors that need gradients \
    records its inputs and a small backward rule (for tanh: multiply the incoming gradient by \
    1 − tanh²). Calling backward() on the loss visits the recorded operations in reverse order and \
    applies each rule once: reverse-mode automatic differentiation, the algorithm behind every deep \
    learning library. A third, independent answer comes from nudging each weight by ±h and measuring \
    the change of the loss: (L(w + h) − L(w − h)) / 2h.
    """)
    nb.code("""
    let w1 = Tensor(scalar: 0.3, requiresGrad: true)   // likewise w2 and b
    let loss = ((w1 * x1 + w2 * x2 + b).tanh() - y).square()
    loss.backward()                                     // w1.grad, w2.grad, b.grad are filled in
    """)
    let hand = ex.handGradients()
    let (_, engine) = ex.engineGradients()
    let fd = ex.finiteDifferences()
    let names = ["dL/dw1", "dL/dw2", "dL/db"]
    nb.table(headers: ["gradient", "chain rule (by hand)", "engine (float32)", "finite difference (h = 1e-5)"],
             rows: (0..<3).map { [names[$0], String(format: "%.7f", hand[$0]), String(format: "%.7f", engine[$0]),
                                  String(format: "%.7f", fd[$0])] })
    let worst = (0..<3).map { abs(Double(engine[$0]) - hand[$0]) }.max() ?? 0
    nb.number("largest |engine − hand| over the three gradients", worst, key: "ch00_engine_vs_hand_max_error", unit: "", format: "%.2e")
    nb.say("""
    The engine computes in 32-bit floats, which carry about 7 significant digits, so it agrees with \
    the exact (64-bit) hand derivation to roughly that many digits; the finite difference agrees to \
    about 10 digits here because it was computed in 64-bit arithmetic.
    """)
    nb.say("""
    The table cannot show why h = 1e-5, or why the engine's own checks (next section) use a larger \
    step. The finite difference has two errors pulling h in opposite directions: the Taylor terms \
    the formula drops grow like h², and the rounding of the two losses, divided by 2h, grows like \
    1/h. Measured on this neuron, with the loss computed in 64-bit and in 32-bit floats:
    """)
    let hs = (0...24).map { pow(10, -0.5 * Double($0)) }
    let stepErrors = ex.stepSizeErrors(hs)
    let bestDouble = stepErrors.min { $0.doubleError < $1.doubleError }!
    let bestFloat = stepErrors.min { $0.floatError < $1.floatError }!
    try nb.figure(LinePlot(title: "Finite differences: the error depends on the step h",
                           xLabel: "step h (log scale)", yLabel: "largest |finite difference − exact gradient| (log scale)",
                           xScale: .log10, yScale: .log10,
                           series: [LineSeries(name: "loss in 64-bit floats (Double)", x: hs, y: stepErrors.map(\.doubleError), marker: .circle),
                                    LineSeries(name: "loss in 32-bit floats (Float, as the engine computes)", x: hs, y: stepErrors.map(\.floatError), marker: .square)]),
                  name: "step-size",
                  caption: "Right of each minimum the dropped Taylor terms dominate (slope 2); left of it rounding dominates (slope −1). Float32 rounds 2²⁹ times more coarsely, so its best h is larger and its best error far worse.")
    nb.number("best step in Double", bestDouble.h, key: "ch00_best_step_double", unit: "", format: "%.0e")
    nb.number("error at the best step in Double", bestDouble.doubleError, key: "ch00_best_error_double", unit: "", format: "%.1e")
    nb.number("best step in Float", bestFloat.h, key: "ch00_best_step_float", unit: "", format: "%.0e")
    nb.number("error at the best step in Float", bestFloat.floatError, key: "ch00_best_error_float", unit: "", format: "%.1e")
    nb.say("""
    The flat top left of the Float curve is where w + h rounds back to w: the two losses are \
    identical, the estimate is 0, and the error is the whole gradient. The table's h = 1e-5 sits \
    near the Double minimum; in Float the same h is off by \(String(format: "%.0e", stepErrors[10].floatError)) \
    (against gradients of about 1), which is why the engine's checks below use a larger step and \
    an argued tolerance.
    """)

    nb.section("3. Checking every operation")
    nb.say("""
    A wrong backward rule does not crash: the model just trains badly, or not at all. So every op in \
    the engine is checked the same way, on small random inputs, against central differences. The \
    check is in float32, so, as the figure above showed, the numerical answer itself is only \
    accurate to a few digits. Each op gets a tolerance argued from float32 rounding (the aside below \
    says how), and the table reports the worst error as a fraction of it: below 1 passes.

    > **Aside, for the curious: where the tolerance comes from.** A float32 loss L is rounded to \
    about 2⁻²⁴·|L| for each operation behind it; with κ operations on the path to one output, \
    the difference of two losses can be off by about κ·2⁻²⁴·|L|, and dividing by the step h turns \
    that into a gradient error of κ·2⁻²⁴·|L|/h (the left branch of the figure). The dropped \
    Taylor terms add about h²·|L‴|/6 (the right branch); the check measures them by repeating the \
    difference with h/2 (halving h divides that error by 4) and compares autograd with the \
    extrapolated (4·D(h/2) − D(h))/3. The tolerance is twice the sum of the two bounds plus 10⁻⁴ \
    of the gradient for autograd's own rounding; κ is set per op family (4 for an add, 64 for a \
    normalisation or a convolution, whose outputs depend on many inputs). The code and its \
    argument are in `Sources/Engine/Check/GradCheck.swift`. You can skip this aside and still \
    follow every later chapter.
    """)
    let survey = gradientSurvey(seed: nb.seed)
    nb.table(headers: ["op", "max |autograd − numeric|", "fraction of tolerance", "result"],
             rows: survey.map { [$0.op, String(format: "%.2e", $0.maxError), String(format: "%.3f", $0.worstRatio),
                                 $0.worstRatio <= 1 ? "pass" : "FAIL"] })
    nb.number("ops checked", survey.count, key: "ch00_ops_checked", unit: "count")
    nb.number("ops within tolerance", survey.filter { $0.worstRatio <= 1 }.count, key: "ch00_ops_within_tolerance", unit: "count")
    nb.number("worst error as a fraction of tolerance, over all ops", survey.map(\.worstRatio).max() ?? 0,
              key: "ch00_worst_tolerance_fraction", unit: "", format: "%.3f")
    var check = BarChart(title: "Gradient check: every op within its float32 tolerance",
                         categories: survey.map(\.op),
                         series: [BarSeries(name: "worst error / tolerance", values: survey.map(\.worstRatio))],
                         xLabel: "operation", yLabel: "worst error / tolerance (log scale)",
                         referenceLines: [ReferenceLine(value: 1, label: "tolerance: 1 (pass below)", dashed: true)],
                         width: 1600, height: 900)
    // Ratios span ten decades (pure copies are exact up to rounding, the rest sit at 1e-3 to 1e-1): only a
    // log axis shows them all, and shows how far below the tolerance each op sits.
    check.yAxis.scale = .log10
    check.showValues = false
    try nb.figure(check, name: "gradient-check",
                  caption: "Largest disagreement between autograd and finite differences, as a fraction of the tolerance argued from float32 rounding, on a log axis; the dashed line at 1 is the tolerance (below passes).")

    nb.section("4. Training a network: two moons")
    let config = nb.pick(quick: TwoMoonsConfig.quick, full: TwoMoonsConfig())
    let layerSizes = [2] + config.hidden + [2]
    nb.say("""
    Now the engine does real work. The data are two interleaving half-moons of points, a classic \
    set that no straight line can separate. A multi-layer perceptron with layers \
    2 → \(config.hidden.map(String.init).joined(separator: " → ")) → 2 and tanh activations maps each \
    point to two scores (logits); softmax turns them into class probabilities and cross-entropy \
    measures how wrong they are. AdamW updates the \(layerSizes.indices.dropLast().reduce(0) { $0 + (layerSizes[$1] + 1) * layerSizes[$1 + 1] }) \
    weights for \(config.steps) full-batch steps on \(config.trainPoints) points; another \
    \(config.testPoints) points, never trained on, measure how well it generalises.
    """)
    var progress = nb.progress(0..<config.steps, label: "training").makeIterator()
    let result = try nb.timed("train MLP") {
        try trainTwoMoons(config, seed: nb.seed) { _ in _ = progress.next() }
    }
    nb.number("initial loss", result.losses.first!, key: "ch00_initial_loss_nats", unit: "nats", format: "%.4f")
    nb.number("final loss", result.losses.last!, key: "ch00_final_loss_nats", unit: "nats", format: "%.5f")
    nb.number("final training accuracy", result.trainAccuracy.last!, key: "ch00_train_accuracy", unit: "share", format: "%.4f")
    nb.number("test accuracy (unseen points)", result.testAccuracy, key: "ch00_test_accuracy", unit: "share", format: "%.4f")
    nb.say("""
    The loss starts near ln 2 ≈ 0.693, the value for guessing 50/50, and falls by orders of magnitude. \
    The plateau early on is typical: the network first learns the easy, nearly linear part of the \
    boundary, then bends it around the tips of the moons.
    """)
    let steps = (1...result.losses.count).map(Double.init)
    let lossPlot = LinePlot(title: "Training loss", xLabel: "step", yLabel: "cross-entropy (nats)",
                            xScale: .log10, yScale: .log10,
                            series: [LineSeries(name: "training loss", x: steps, y: result.losses)],
                            referenceLines: [ReferenceLine(value: log(2), label: "chance (ln 2)", dashed: true)])
    let accPlot = LinePlot(title: "Training accuracy", xLabel: "step", yLabel: "fraction classified correctly",
                           xScale: .log10,
                           series: [LineSeries(name: "training accuracy", x: steps, y: result.trainAccuracy)],
                           referenceLines: [ReferenceLine(value: 0.5, label: "chance", dashed: true)])
    try nb.figure(Figure(title: "An MLP learning the two moons with AdamW", rows: 1, columns: 2,
                         panels: [lossPlot, accPlot], width: 1600, height: 700),
                  name: "loss", caption: "Loss and accuracy during training (log-scaled steps).")

    nb.section("5. What the network learned")
    let xr: ClosedRange<Float> = -1.6...2.6, yr: ClosedRange<Float> = -1.1...1.6, res = 120
    let grid = decisionGrid(result.model, x: xr, y: yr, resolution: res)
    let test = result.test
    var scatter = ScatterPlot(title: "Decision boundary on unseen points",
                              xLabel: "x₁", yLabel: "x₂",
                              x: (0..<test.count).map { test.point($0).x }, y: (0..<test.count).map { test.point($0).y },
                              category: test.labels, categoryNames: ["upper moon (class 0)", "lower moon (class 1)"],
                              pointSize: 6)
    scatter.background = BackgroundField(xRange: Double(xr.lowerBound)...Double(xr.upperBound),
                                         yRange: Double(yr.lowerBound)...Double(yr.upperBound),
                                         columns: res, rows: res, values: grid, kind: .probability)
    try nb.figure(scatter, name: "decision-boundary",
                  caption: "Test points coloured by their true class over the network's probability of class 1; the outlined curve is p = 0.5.")
    nb.say("""
    The shading is the network's probability of the lower moon at every point of the plane, and the \
    outlined curve where it crosses one half is the decision boundary. It bends around both moons: \
    something a single linear layer cannot do, and the reason networks stack layers with \
    nonlinearities between them. Every later chapter trains models with exactly this loop — \
    forward, loss, backward, optimizer step — only bigger.
    """)
}

import Foundation
