#!/usr/bin/env bash
# Killed runs: kills chapter 02 (--quick, which trains and caches a GPT, then writes 7 figures)
# with SIGKILL at random points, during training and during figure writing, and checks after
# every kill that
#   - the output folder holds one complete earlier output, byte for byte, or nothing;
#   - every cache entry is complete (byte-identical to the one a clean run writes);
# and at the end that a rerun completes with the reference bytes and leaves no staging folder or
# temporary cache file behind.
#
#   Tests/kill_test.sh [--kills N] [--bin DIR] [--seed S]
#
# N kills (default 20; CI runs 4), each at a random time (uniform over a fresh run's length) or,
# every other kill, right after a random number of files has appeared in the staging folder.
# Runs alternate between seeds 0 and 1, so a folder that mixed two runs' files would show.
# Needs `swift build -c release` first; --bin defaults to its bin path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills=20
bin=""
seed=12345
while [[ $# -gt 0 ]]; do
    case "$1" in
        --kills) kills="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        *) echo "kill_test: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[[ -n "$bin" ]] || bin="$(cd "$root" && swift build -c release --show-bin-path </dev/null)"
exe="$bin/ch02-attention"
[[ -x "$exe" ]] || { echo "kill_test: $exe not found; run swift build -c release first" >&2; exit 2; }
RANDOM=$seed

tmp="$(mktemp -d "${TMPDIR:-/tmp}/kill-test.XXXXXX")"
pid=""
# On any exit: no chapter left running, no temporary folder left behind (and no command here may
# fail, or `set -e` would turn a passing run's exit status into 1).
cleanup() {
    if [[ -n "$pid" ]]; then kill -9 "$pid" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "kill_test: FAIL: $*" >&2; exit 1; }

# The bytes `walkthrough --verify` compares: a report up to its timings heading, other files whole.
comparable() {
    if [[ "$(basename "$1")" == README.md ]]; then sed '/^## Timings (machine-dependent)/,$d' "$1"; else cat "$1"; fi
}
# True when folders $1 and $2 hold the same files with the same comparable bytes.
same_folder() {
    [[ -d "$1" && -d "$2" ]] || return 1
    [[ "$(cd "$1" && find . -type f | LC_ALL=C sort)" == "$(cd "$2" && find . -type f | LC_ALL=C sort)" ]] || return 1
    local f
    while IFS= read -r f; do
        cmp -s <(comparable "$1/$f") <(comparable "$2/$f") || return 1
    done < <(cd "$1" && find . -type f)
}

# References: one clean run per seed, each with its own cache; and how long a fresh run takes.
for s in 0 1; do
    start=$(date +%s%N)
    "$exe" --quick --threads 1 --seed "$s" --out "$tmp/ref$s" --cache "$tmp/refcache" >/dev/null 2>&1 || fail "reference run (seed $s) failed"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
done
fresh_ms=$ms
echo "kill_test: reference runs done (a fresh run takes ${fresh_ms} ms)"

out="$tmp/figs/02-attention"
cache="$tmp/cache"
mkdir -p "$tmp/figs"
# The previous complete outputs a killed run must leave in place: a finished seed-1 run.
cp -R "$tmp/ref1" "$out"
done_kills=0
finished=0
run=0
while (( done_kills < kills )); do
    s=$(( run % 2 )); run=$((run + 1))
    "$exe" --quick --threads 1 --seed "$s" --out "$out" --cache "$cache" >/dev/null 2>&1 &
    pid=$!
    if (( done_kills % 2 == 0 )); then
        # Anywhere in the run: training, sampling or writing.
        sleep "$(awk -v r=$RANDOM -v t="$fresh_ms" 'BEGIN { printf "%.3f", (r / 32767) * t / 1000 }')"
        how="after a random delay"
    else
        # While figures are written: once the staging folder holds a random number of files.
        want=$(( RANDOM % 14 + 1 ))
        how="with $want file(s) staged"
        while kill -0 "$pid" 2>/dev/null; do
            staged=$( (find "$tmp/figs/02-attention.partial-$pid" -type f 2>/dev/null || true) | wc -l)
            (( staged >= want )) && break
            sleep 0.005
        done
    fi
    if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        done_kills=$((done_kills + 1))
        state="nothing"
        if [[ -e "$out" ]]; then
            if same_folder "$out" "$tmp/ref0"; then state="seed 0's outputs"
            elif same_folder "$out" "$tmp/ref1"; then state="seed 1's outputs"
            else fail "after kill $done_kills ($how), $out is neither complete output"; fi
        fi
        for f in "$cache"/*.safetensors; do
            [[ -e "$f" ]] || continue
            cmp -s "$f" "$tmp/refcache/$(basename "$f")" || fail "after kill $done_kills, cache entry $(basename "$f") is not complete"
        done
        echo "kill_test: kill $done_kills/$kills ($how, seed $s): folder holds $state; cache entries complete"
    else
        wait "$pid" || fail "a run that was not killed failed (seed $s)"
        finished=$((finished + 1))
        same_folder "$out" "$tmp/ref$s" || fail "a run that finished wrote other bytes than the reference (seed $s)"
        rm -rf "$cache"  # so the next runs train again and the kills land during training
    fi
done

# A rerun after the last kill completes with the reference bytes and cleans up after the kills.
for s in 0 1; do
    "$exe" --quick --threads 1 --seed "$s" --out "$out" --cache "$cache" >/dev/null 2>&1 || fail "rerun (seed $s) failed"
    same_folder "$out" "$tmp/ref$s" || fail "rerun (seed $s) after the kills wrote other bytes than the reference"
done
leftovers=$(find "$tmp/figs" "$cache" -mindepth 1 -maxdepth 1 \( -name '*.partial-*' -o -name '*.old-*' -o -name '.*.tmp-*' \) | wc -l)
(( leftovers == 0 )) || fail "$leftovers staging folder(s) or temporary file(s) left after the rerun: $(ls -a "$tmp/figs" "$cache")"
for f in "$cache"/*.safetensors; do
    cmp -s "$f" "$tmp/refcache/$(basename "$f")" || fail "cache entry $(basename "$f") differs from the reference after the rerun"
done
echo "kill_test: OK: $done_kills of $kills kills left a complete folder (or none) and complete cache entries; $finished run(s) finished before their kill; reruns gave the reference bytes"
