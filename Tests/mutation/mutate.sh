#!/usr/bin/env bash
# Mutation testing: plant one plausible bug at a time (Tests/mutation/mutants.txt), build, run the
# tests, record whether any test failed (the mutant is killed) or all passed (it survived), and put
# the file back. A survivor is a bug the suite cannot see.
#
#   Tests/mutation/mutate.sh                    # every mutant, then the kill rate and the survivors
#   Tests/mutation/mutate.sh ID [ID ...]        # only these mutants
#   Tests/mutation/mutate.sh --check            # only check that every mutant applies exactly once
#   options: --list FILE (default Tests/mutation/mutants.txt), --timeout SECONDS per test run
#            (default 900), --skip-baseline (do not first run the unmutated suite), --log FILE
#            (default .build/mutation.log: one line per mutant, and every test run's output beside it)
#
# Each mutant is a record of `key: value` lines, records separated by blank lines ('#' starts a
# comment line): `id`, `file`, `tests` (a `swift test --filter` regex for the tests nearest the
# file), `from` (exact text, which must occur exactly once in the file), `to` (its replacement)
# and `why` (the bug in one line). The value is everything after "key: ", spaces included.
#
# Order of the test runs, for cost: an incremental release build and the whole suite take minutes
# per mutant on a small machine, so the tests named by `tests` run first (`swift test --filter`),
# and only if they all pass does the whole suite run. A survivor has therefore survived the WHOLE
# suite; a kill by the nearby tests is a kill by the suite too, since it contains them.
#
# A mutant whose text does not occur exactly once is reported INVALID (never skipped silently),
# and so is one that does not compile; neither counts in the kill rate. A test run that exceeds
# the timeout counts as a kill (the suite hung). The mutated file is restored on every exit,
# Ctrl-C included (trap EXIT); restoring copies the saved original back byte for byte.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
shopt -u patsub_replacement 2>/dev/null || true   # '&' in a replacement stays a literal '&'
# A mutant that makes a test trap would otherwise wait on the runtime's backtracer, which can hang
# (one did, holding `swift test` for minutes); the failure itself is what counts.
export SWIFT_BACKTRACE=enable=no

list=Tests/mutation/mutants.txt
timeout_s=900
baseline=1
check_only=0
log=.build/mutation.log
only=()
while (( $# > 0 )); do
    case "$1" in
        --list) list="$2"; shift 2 ;;
        --timeout) timeout_s="$2"; shift 2 ;;
        --skip-baseline) baseline=0; shift ;;
        --check) check_only=1; shift ;;
        --log) log="$2"; shift 2 ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        -*) echo "mutate: unknown option $1" >&2; exit 2 ;;
        *) only+=("$1"); shift ;;
    esac
done
[[ -f "$list" ]] || { echo "mutate: no mutant list at $list" >&2; exit 2; }

# --- Parse the list ---------------------------------------------------------------------------
ids=(); files=(); filters=(); froms=(); tos=(); whys=()
declare -A seen_id=()
flush() {
    [[ -z "${r_id:-}${r_file:-}${r_from:-}" ]] && return 0
    for k in id file tests from to why; do
        local v="r_$k"
        if [[ -z "${!v+x}" ]]; then echo "mutate: $list: record '${r_id:-?}' has no '$k:' line" >&2; exit 2; fi
    done
    [[ -z "${seen_id[$r_id]+x}" ]] || { echo "mutate: $list: id '$r_id' appears twice" >&2; exit 2; }
    seen_id[$r_id]=1
    ids+=("$r_id"); files+=("$r_file"); filters+=("$r_tests"); froms+=("$r_from"); tos+=("$r_to"); whys+=("$r_why")
    unset r_id r_file r_tests r_from r_to r_why
}
lineno=0
while IFS= read -r line || [[ -n "$line" ]]; do
    lineno=$((lineno + 1))
    [[ "$line" == \#* ]] && continue
    if [[ -z "${line//[[:space:]]/}" ]]; then flush; continue; fi
    key="${line%%: *}"
    [[ "$key" != "$line" ]] || { echo "mutate: $list:$lineno: expected 'key: value', found: $line" >&2; exit 2; }
    value="${line#*: }"
    case "$key" in
        id|file|tests|from|to|why) printf -v "r_$key" '%s' "$value" ;;
        *) echo "mutate: $list:$lineno: unknown key '$key' (expected id, file, tests, from, to, why)" >&2; exit 2 ;;
    esac
done < "$list"
flush

# Which mutants to run.
selected=()
if (( ${#only[@]} == 0 )); then
    selected=("${!ids[@]}")
else
    for want in "${only[@]}"; do
        found=0
        for i in "${!ids[@]}"; do [[ "${ids[$i]}" == "$want" ]] && { selected+=("$i"); found=1; }; done
        (( found )) || { echo "mutate: no mutant with id '$want' in $list" >&2; exit 2; }
    done
fi

# How many times `from` occurs in `file` (non-overlapping, exact text).
occurrences() {
    local content from="$2"
    content="$(cat "$1"; printf x)"   # the x keeps trailing newlines
    local rest="${content//"$from"/}"
    echo $(( (${#content} - ${#rest}) / ${#from} ))
}

# --- Restore on every exit ------------------------------------------------------------------------
backup_dir="$(mktemp -d "${TMPDIR:-/tmp}/mutate.XXXXXX")"
mutated=""
restore() {
    if [[ -n "$mutated" ]]; then
        cp -p "$backup_dir/original" "$mutated" && echo "mutate: restored $mutated"
        mutated=""
    fi
}
trap 'restore; rm -rf "$backup_dir"' EXIT
trap 'exit 130' INT TERM

# --- Check every selected mutant applies exactly once --------------------------------------------
invalid=(); invalid_why=()
runnable=()
for i in "${selected[@]}"; do
    f="${files[$i]}"
    if [[ ! -f "$f" ]]; then invalid+=("$i"); invalid_why+=("no file $f"); continue; fi
    [[ -n "${froms[$i]}" ]] || { invalid+=("$i"); invalid_why+=("empty 'from'"); continue; }
    [[ "${froms[$i]}" != "${tos[$i]}" ]] || { invalid+=("$i"); invalid_why+=("'to' equals 'from'"); continue; }
    n="$(occurrences "$f" "${froms[$i]}")"
    if [[ "$n" != 1 ]]; then invalid+=("$i"); invalid_why+=("'from' occurs $n times in $f, expected once"); continue; fi
    runnable+=("$i")
done
for k in "${!invalid[@]}"; do echo "INVALID ${ids[${invalid[$k]}]}: ${invalid_why[$k]}"; done
if (( check_only )); then
    echo "mutate: ${#runnable[@]} of ${#selected[@]} mutants apply exactly once"
    (( ${#invalid[@]} == 0 )); exit $?
fi

mkdir -p "$(dirname "$log")"
logdir="${log%.log}.runs"
rm -rf "$logdir"; mkdir -p "$logdir"
: > "$log"
note() { echo "$*" | tee -a "$log"; }

# `swift test` output, for telling a build failure from a test failure: a run that got as far as
# the tests prints swift-testing's "Test run started" (or XCTest's "Test Suite").
reached_tests() { grep -q -e "Test run started" -e "Test Suite '" "$1"; }

run_tests() {  # $1 log file, rest: extra swift test arguments; returns swift test's status
    local out="$1"; shift
    timeout "$timeout_s" swift test -c release "$@" > "$out" 2>&1 </dev/null
}

if (( baseline )); then
    note "mutate: baseline: swift test -c release (unmutated)"
    start=$SECONDS
    if ! run_tests "$logdir/baseline.txt"; then
        note "mutate: the unmutated suite fails (see $logdir/baseline.txt); every mutant would look killed. Stopping."
        exit 1
    fi
    note "mutate: baseline passed in $((SECONDS - start)) s"
fi

killed=(); survived=(); unbuilt=()
for i in "${runnable[@]}"; do
    id="${ids[$i]}" f="${files[$i]}"
    start=$SECONDS
    cp -p "$f" "$backup_dir/original"
    mutated="$f"
    content="$(cat "$f"; printf x)"
    content="${content%x}"
    printf '%s' "${content/"${froms[$i]}"/"${tos[$i]}"}" > "$f"
    if [[ "$(occurrences "$f" "${tos[$i]}")" -lt 1 ]] || cmp -s "$f" "$backup_dir/original"; then
        restore; note "INVALID $id: the replacement did not change $f"; invalid+=("$i"); invalid_why+=("replacement had no effect"); continue
    fi
    result=""
    if run_tests "$logdir/$id.near.txt" --filter "${filters[$i]}"; then
        if run_tests "$logdir/$id.all.txt" --skip-build; then
            result="SURVIVED"
        else
            status=$?
            result="KILLED by the whole suite"; (( status == 124 )) && result="KILLED (whole suite timed out)"
        fi
    else
        status=$?
        if (( status == 124 )); then
            result="KILLED (nearby tests timed out)"
        elif reached_tests "$logdir/$id.near.txt"; then
            result="KILLED by the nearby tests (${filters[$i]})"
        else
            result="DID NOT BUILD"
        fi
    fi
    restore
    case "$result" in
        SURVIVED) survived+=("$i") ;;
        KILLED*) killed+=("$i") ;;
        *) unbuilt+=("$i") ;;
    esac
    note "$(printf '%-34s %-50s %4d s  %s' "$id" "$result" $((SECONDS - start)) "${whys[$i]}")"
done

total=$(( ${#killed[@]} + ${#survived[@]} ))
note ""
if (( total > 0 )); then
    note "mutate: killed ${#killed[@]} of $total mutants ($(( 100 * ${#killed[@]} / total ))%, rounded down)"
else
    note "mutate: no mutant ran"
fi
for i in "${survived[@]}"; do note "  survivor ${ids[$i]} (${files[$i]}): ${whys[$i]}"; done
for i in "${unbuilt[@]}"; do note "  did not build (not counted): ${ids[$i]}"; done
for k in "${!invalid[@]}"; do note "  invalid (not counted): ${ids[${invalid[$k]}]}: ${invalid_why[$k]}"; done
note "mutate: per-run output in $logdir/"
(( ${#survived[@]} == 0 && ${#invalid[@]} == 0 && ${#unbuilt[@]} == 0 ))
