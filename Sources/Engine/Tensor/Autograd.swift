/// One recorded operation: its inputs and how to turn the output's gradient into theirs.
///
/// The closure captures the inputs (and whatever else the op saved) but never the output
/// tensor, so output → node → closure → inputs is a chain without cycles.
final class Node {
    let inputs: [Tensor]
    /// Returns one gradient per input, shaped like it (nil for inputs that need none).
    let backward: (Tensor) -> [Tensor?]
    init(inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.inputs = inputs
        self.backward = backward
    }
}

/// Whether ops record the graph. Off inside `Tensor.noGrad { … }` and while running backward.
///
/// The flag is per thread, so one thread's evaluation cannot switch off recording in another
/// (tests run concurrently). It is stored as a pthread key whose value is nil (recording) or 1.
public enum GradMode {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// Whether ops on this thread record gradients.
    public static var enabled: Bool {
        get { pthread_getspecific(key) == nil }
        set { pthread_setspecific(key, newValue ? nil : UnsafeRawPointer(bitPattern: 1)) }
    }
}

extension Tensor {
    /// Runs `body` without recording gradients (inference, evaluation, optimizer updates).
    public static func noGrad<R>(_ body: () throws -> R) rethrows -> R {
        let saved = GradMode.enabled
        GradMode.enabled = false
        defer { GradMode.enabled = saved }
        return try body()
    }

    /// Wraps an op's freshly computed `output`: if any input needs gradients (and recording is
    /// on), the output remembers `inputs` and `backward`.
    static func record(_ output: Tensor, _ inputs: [Tensor], _ backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        if GradMode.enabled && inputs.contains(where: { $0.requiresGrad }) {
            output.requiresGrad = true
            output.node = Node(inputs: inputs, backward: backward)
        }
        return output
    }

    /// Back-propagates from this tensor, adding d(self)/d(leaf) into every leaf's `grad`.
    ///
    /// `gradient` defaults to 1 and must be given for a non-scalar tensor. Gradients *accumulate*:
    /// calling `backward()` twice without `zeroGrad()` adds the two gradients, as in PyTorch.
    /// The graph is kept, so a second call is allowed.
    public func backward(_ gradient: Tensor? = nil) {
        precondition(requiresGrad, "backward() on a tensor that does not require gradients")
        let seed = gradient ?? {
            precondition(count == 1, "backward() without a gradient needs a scalar, this tensor has shape \(shape)")
            return Tensor.full(shape, 1)
        }()
        precondition(seed.shape == shape, "backward gradient has shape \(seed.shape), expected \(shape)")

        // Topological order by an explicit stack (deep graphs would overflow a recursive walk).
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            if !visited.insert(ObjectIdentifier(t)).inserted { continue }
            stack.append((t, true))
            if let node = t.node {
                for input in node.inputs where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                    stack.append((input, false))
                }
            }
        }

        // Intermediate gradients live only for this walk; leaves accumulate into `grad`.
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        Tensor.noGrad {
            for t in order.reversed() {
                let id = ObjectIdentifier(t)
                guard let g = grads.removeValue(forKey: id) else { continue }
                guard let node = t.node else {
                    // A copy: the incoming gradient may share storage with the seed or with a view.
                    t.grad = t.grad.map { accumulate($0, g) } ?? g.copy()
                    continue
                }
                let inputGrads = node.backward(g)
                for (input, ig) in zip(node.inputs, inputGrads) {
                    guard input.requiresGrad, let ig else { continue }
                    precondition(ig.shape == input.shape, "internal: gradient shape \(ig.shape) for input \(input.shape)")
                    let iid = ObjectIdentifier(input)
                    grads[iid] = grads[iid].map { accumulate($0, ig) } ?? ig
                }
            }
        }
    }
}

/// `a + b` for two same-shaped gradients, reusing nothing the caller may still hold.
func accumulate(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = Tensor.empty(a.shape)
    let n = a.count
    let pa = a.data, pb = b.data, po = out.mutableData
    Parallel.forRanges(n, minChunk: 1 << 14) { r in
        for i in r { po[i] = pa[i] + pb[i] }
    }
    return out
}
