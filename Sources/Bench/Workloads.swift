import Engine

/// A named benchmark workload; names and shapes are torch_reference.py's contract.
struct Workload {
    let name: String
    /// Set by `--reference`: gemm workloads call `Gemm.reference` instead of the engine's matmul.
    nonisolated(unsafe) static var useReference = false

    /// Builds the inputs, times the steps and fills a row.
    let body: (inout Row) -> Void

    func run(threads: Int, referenceColumn: Bool = false) -> Row {
        var row = Row(workload: name, threads: threads)
        body(&row)
        if row.ms != nil { row.peak_rss_mib = peakResidentMiB() }
        if referenceColumn {
            if let why = Workload.referenceSkipped[name] {
                row.reference_note = why
            } else {
                // The same steps with every accelerated op on its plain-loop twin (`Engine.useReference`).
                var ref = Row(workload: name, threads: threads)
                Engine.withReference(true) { body(&ref) }
                row.reference_ms = ref.ms
            }
        }
        return row
    }

    /// Workloads whose reference-path step would take too long for a benchmark run, with the
    /// measurement or estimate that says so (one gpt-s step on the reference path took 1.6 s).
    static let referenceSkipped: [String: String] = [
        "gemm-1024": "reference skipped (over 3 s per product: 8× gemm-512's 0.4 s)",
        "gpt-m": "reference skipped (about 12 s per step: 7× gpt-s's FLOPs)",
        "gpt-l": "reference skipped (about 70 s per step: 43× gpt-s's FLOPs)",
        "conv16": "reference skipped (27 s per step, measured)",
    ]

    static let all: [Workload] = [128, 256, 512, 1024].map(gemm) + [
        gptWorkload("gpt-s", vocab: 65, context: 64, width: 64, heads: 4, layers: 2, batch: 32, steps: 30),
        gptWorkload("gpt-m", vocab: 65, context: 64, width: 128, heads: 4, layers: 4, batch: 32, steps: 20),
        gptWorkload("gpt-l", vocab: 65, context: 128, width: 256, heads: 8, layers: 6, batch: 16, steps: 8),
        Workload(name: "mlp2d", body: mlp2d),
        Workload(name: "conv16", body: conv16),
    ]

    /// One C = A·B of two n×n matrices with entries uniform in [0, 1), through the engine's matmul
    /// (output allocated each step, like `A @ B`). The reference kernel gets 3 steps: it is slow.
    static func gemm(_ n: Int) -> Workload {
        Workload(name: "gemm-\(n)") { row in
            var rng = RNG(seed: 0)
            let a = Tensor.uniform([n, n], 0, 1, rng: &rng), b = Tensor.uniform([n, n], 0, 1, rng: &rng)
            let flops = 2 * Double(n) * Double(n) * Double(n)
            let reps = max(3, Int(4e9 / flops))
            let c = Tensor.zeros([n, n])
            let dt = Tensor.noGrad {
                medianSeconds(warmup: 3, steps: useReference ? 3 : reps) {
                    if useReference {
                        Gemm.reference(transA: false, transB: false, m: n, n: n, k: n, a: a.data, lda: n,
                                       b: b.data, ldb: n, c: c.storage.pointer, ldc: n, accumulate: false)
                    } else {
                        _ = a.matmul(b)
                    }
                }
            }
            row.ms = dt * 1e3
            row.gflops = flops / dt / 1e9
        }
    }
}
