#!/usr/bin/env bash
# libFuzzer targets for every parser of outside input (see Sources/Engine/README.md, "Fuzzing").
#
#   Tests/Fuzz/fuzz.sh build [TARGET…]         compile the targets (default all) into .build-fuzz/
#   Tests/Fuzz/fuzz.sh run TARGET [FLAGS…]     run one target; FLAGS go to libFuzzer, e.g.
#                                              -runs=1000000 or -max_total_time=300
#   Tests/Fuzz/fuzz.sh all [FLAGS…]            build, then run every target in turn
#   Tests/Fuzz/fuzz.sh list                    the target names
#
# Targets: safetensors, checkpoint, cache, tokenizer, manifest, wav. Seeds are in
# Tests/Fuzz/Corpus/TARGET (read only); inputs the fuzzer finds go to .build-fuzz/corpus/TARGET,
# crashes to .build-fuzz/crash-… . Not part of `swift build` or `swift test`: SwiftPM never sees
# these files. The targets are compiled with swiftc directly, because libFuzzer supplies `main`
# and a SwiftPM executable target brings its own; every target is built with AddressSanitizer, so
# out-of-bounds reads, leaks and traps (Swift's precondition failures) all count as crashes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.build-fuzz"
targets=(safetensors checkpoint cache tokenizer manifest wav)
flags=(-O -parse-as-library -sanitize=fuzzer,address -swift-version 5 -g)

# The sources of each target beside its entry point (those outside the Engine module).
sources() {
    case "$1" in
        safetensors) echo "Safetensors.swift" ;;
        checkpoint) echo "Checkpoint.swift" ;;
        cache) echo "TrainingCacheEntry.swift" ;;
        tokenizer) echo "Tokenizer.swift $root/Sources/Datasets/Tokenizer/*.swift $root/Sources/Datasets/UTF8Validation.swift" ;;
        manifest) echo "ManifestFile.swift $root/Sources/Notebook/Report.swift $root/Sources/Notebook/ChapterName.swift" ;;
        wav) echo "WAVFile.swift $root/Sources/Audio/WAV.swift $root/Sources/Audio/WAVError.swift" ;;
        *) echo "fuzz: unknown target '$1' (expected one of: ${targets[*]})" >&2; exit 2 ;;
    esac
}

build() {
    mkdir -p "$out"
    # The engine as a static library with its module, instrumented like the targets.
    cat > "$out/CPrefetch.modulemap" <<EOF
module CPrefetch { header "$root/Sources/CPrefetch/include/CPrefetch.h" export * }
EOF
    mapfile -t engine < <(find "$root/Sources/Engine" -name '*.swift' | LC_ALL=C sort)
    # Recompiled only when an engine source is newer than the library.
    if [[ ! -f "$out/libEngine.a" ]] || [[ -n "$(find "$root/Sources/Engine" -name '*.swift' -newer "$out/libEngine.a")" ]]; then
        echo "fuzz: compiling the Engine module (a few minutes)"
        swiftc "${flags[@]}" -wmo -enable-testing -module-name Engine -emit-module -emit-module-path "$out/Engine.swiftmodule" \
            -emit-library -static -o "$out/libEngine.a" -Xcc -fmodule-map-file="$out/CPrefetch.modulemap" "${engine[@]}"
    fi
    local chosen=("$@")
    (( ${#chosen[@]} > 0 )) || chosen=("${targets[@]}")
    for t in "${chosen[@]}"; do
        echo "fuzz: compiling fuzz-$t"
        # shellcheck disable=SC2046
        (cd "$root/Tests/Fuzz/Targets" && swiftc "${flags[@]}" -module-name "Fuzz_$t" -I "$out" \
            -Xcc -fmodule-map-file="$out/CPrefetch.modulemap" $(sources "$t") -L "$out" -lEngine -o "$out/fuzz-$t")
    done
}

run() {
    local t="$1"; shift
    sources "$t" >/dev/null
    [[ -x "$out/fuzz-$t" ]] || { echo "fuzz: $out/fuzz-$t missing; run '$0 build' first" >&2; exit 2; }
    mkdir -p "$out/corpus/$t"
    # No Swift backtracer (it would symbolicate each crash for half a minute); a hang is an input
    # that takes over 10 s; inputs up to 16 KiB (a tokenizer.json with 256 byte tokens is ~3 KiB).
    (cd "$out" && SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1 \
        "./fuzz-$t" -timeout=10 -max_len=16384 -print_final_stats=1 "$@" \
        "$out/corpus/$t" "$root/Tests/Fuzz/Corpus/$t")
}

case "${1:-}" in
    build) shift; build "$@" ;;
    run) shift; [[ $# -ge 1 ]] || { echo "usage: $0 run TARGET [libFuzzer flags]" >&2; exit 2; }; run "$@" ;;
    all) shift; build; for t in "${targets[@]}"; do echo "fuzz: running $t"; run "$t" "$@"; done ;;
    list) printf '%s\n' "${targets[@]}" ;;
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
