/// The training loop every chapter writes, written once: a plain `for` loop, no callbacks beyond
/// the optional `afterStep`.
///
/// One step, in this order: set the learning rate from the schedule, compute the loss (the
/// caller's closure: batch, forward), check it is finite (a diverged run stops with its step
/// named), clear the old gradients, backpropagate, clip the gradient norm, update.

/// One optimisation step on `loss`: finite check (throws `NonFiniteError` naming `lossName` and
/// `step`), `zeroGrad`, `backward`, gradient clipping at norm `clip` over the optimizer's
/// parameters when given, `optimizer.step()`. Returns the loss value. For loops whose steps live
/// in a method of their own; `trainingLoop` calls it for every step.
@discardableResult
public func trainingStep(_ loss: Tensor, optimizer: Optimizer, step: Int, clip: Float? = nil,
                         lossName: String = "training loss") throws -> Float {
    try loss.checkFinite(lossName, step: step)
    optimizer.zeroGrad()
    loss.backward()
    if let clip { _ = clipGradNorm(optimizer.parameters, maxNorm: clip) }
    optimizer.step()
    return loss.item()
}

/// Runs `steps` optimisation steps and returns the loss of each (the loss curve).
///
/// - `loss`: called once per step with the step number; draws the batch (and any noise) from the
///   caller's generator and returns the scalar loss. Everything random happens here, in the
///   caller's order, so a loop moved onto this helper draws exactly what it drew before.
/// - `schedule`: when given, sets `optimizer.learningRate` before each step's loss.
/// - `afterStep`: called after each update with the step and its loss value (evaluation,
///   progress); nothing else is called back.
///
/// Throws `NonFiniteError` at the first loss that is NaN or infinite, naming `lossName` and the step.
@discardableResult
public func trainingLoop(steps: Int, optimizer: Optimizer, schedule: LRSchedule? = nil, clip: Float? = nil,
                         lossName: String = "training loss",
                         afterStep: (_ step: Int, _ loss: Float) throws -> Void = { _, _ in },
                         loss: (_ step: Int) throws -> Tensor) throws -> [Float] {
    var curve: [Float] = []
    curve.reserveCapacity(steps)
    for step in 0..<steps {
        if let schedule { optimizer.learningRate = schedule.lr(at: step) }
        let value = try trainingStep(try loss(step), optimizer: optimizer, step: step, clip: clip, lossName: lossName)
        curve.append(value)
        try afterStep(step, value)
    }
    return curve
}
