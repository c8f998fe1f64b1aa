#!/usr/bin/env bash
# Checks the `generate` executable against the checkpoints chapter 10 exports:
# the same seed gives the same text, merged and unmerged LoRA checkpoints load, and every kind of
# bad input exits with status 2 and one line naming the problem.
# Usage: Tests/check_generate.sh PATH/TO/generate EXPORT_DIR
set -uo pipefail
gen="$1"; dir="$2"
fail() { echo "check_generate: FAIL: $*"; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

lora="$(ls "$dir"/recipes-lora-r*.safetensors | grep -v merged | head -1)"
merged="${lora%.safetensors}-merged.safetensors"
[[ -f "$lora" && -f "$merged" ]] || fail "no exported LoRA checkpoints in $dir"

a="$("$gen" text --checkpoint "$lora" --prompt "Recipe:" --max-tokens 60 --seed 3)" || fail "generate failed on $lora"
b="$("$gen" text --checkpoint "$lora" --prompt "Recipe:" --max-tokens 60 --seed 3)" || fail "second run failed"
[[ "$a" == "$b" ]] || fail "the same seed gave different text"
[[ "$a" == Recipe:* && ${#a} -ge 60 ]] || fail "output does not continue the prompt: $a"
"$gen" text --checkpoint "$merged" --prompt "Recipe:" --max-tokens 20 --temperature 0 >/dev/null || fail "merged checkpoint did not load"

expect_error() {  # expect_error WORD args...: exit 2, one line on stderr containing WORD
    local word="$1"; shift
    "$gen" "$@" >"$tmp/out" 2>"$tmp/err"; local code=$?
    [[ $code -eq 2 ]] || fail "'$*' exited $code, expected 2 (stderr: $(cat "$tmp/err"))"
    [[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "'$*' printed $(wc -l <"$tmp/err") lines on stderr, expected 1: $(cat "$tmp/err")"
    grep -q -- "$word" "$tmp/err" || fail "'$*': message does not mention '$word': $(cat "$tmp/err")"
}
expect_error "no such file" text --checkpoint "$tmp/missing.safetensors" --prompt "x"
head -c 100 "$lora" >"$tmp/truncated.safetensors"
expect_error "truncated.safetensors" text --checkpoint "$tmp/truncated.safetensors" --prompt "x"
printf 'not a checkpoint at all' >"$tmp/text.safetensors"
expect_error "text.safetensors" text --checkpoint "$tmp/text.safetensors" --prompt "x"
expect_error "temperature" text --checkpoint "$lora" --prompt "x" --temperature -1
expect_error "top-k" text --checkpoint "$lora" --prompt "x" --top-k 0
expect_error "prompt" text --checkpoint "$lora" --prompt ""
# Images: the text-to-image bundle chapter 10 exports.
bundle="$dir/text-to-image-purple.safetensors"
[[ -f "$bundle" ]] || fail "no exported text-to-image checkpoint in $dir"
"$gen" image --checkpoint "$bundle" --prompt "a red circle" --out "$tmp/a.png" --count 2 --steps 5 --seed 4 >/dev/null || fail "generate image failed"
"$gen" image --checkpoint "$bundle" --prompt "a red circle" --out "$tmp/b.png" --count 2 --steps 5 --seed 4 >/dev/null || fail "second image run failed"
cmp -s "$tmp/a.png" "$tmp/b.png" || fail "the same seed gave different images"
[[ "$(head -c 8 "$tmp/a.png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] || fail "generate image did not write a PNG"
expect_error "pink" image --checkpoint "$bundle" --prompt "a pink circle" --out "$tmp/c.png"
expect_error "not a text-to-image checkpoint" image --checkpoint "$lora" --prompt "a red circle" --out "$tmp/c.png"
expect_error "png" image --checkpoint "$bundle" --prompt "a red circle" --out "$tmp/c.jpg"
[[ ! -e "$tmp/c.png" ]] || fail "a failed image run left a file behind"
echo "check_generate: OK: reproducible text and images, merged and unmerged checkpoints, 9 kinds of bad input rejected with exit 2"
