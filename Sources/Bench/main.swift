// `swift run -c release bench [--threads N] [--json] [--only NAMES...]`: the engine's side of
// /work/shared/bench/torch_reference.py (same workload names, shapes, repetitions and output),
// plus each workload's peak resident memory.
BenchCommand.main()
