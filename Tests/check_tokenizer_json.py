#!/usr/bin/env python3
"""Checks a tokenizer.json written by the Swift BPETokenizer against Hugging Face `tokenizers`.

Usage: check_tokenizer_json.py TOKENIZER_JSON TEXT_FILE IDS_FILE

TEXT_FILE is UTF-8 text; IDS_FILE holds the ids the Swift tokenizer gave for it, separated by
white space (chapter 01 writes sample.txt and sample-ids.txt beside its tokenizer.json). The
script encodes the text with `tokenizers`, compares the ids, decodes them and compares the text.
Exit status: 0 if everything matches, 1 on a mismatch, 2 on bad arguments or unreadable files.
"""
import sys
from pathlib import Path


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        from tokenizers import Tokenizer
    except ImportError:
        print("check_tokenizer_json: the Python package 'tokenizers' is not installed", file=sys.stderr)
        return 2
    json_path, text_path, ids_path = (Path(a) for a in argv[1:])
    try:
        tokenizer = Tokenizer.from_file(str(json_path))
        # Read bytes and decode ourselves: no newline translation, no locale-dependent encoding.
        text = text_path.read_bytes().decode("utf-8")
        expected = [int(x) for x in ids_path.read_text().split()]
    except Exception as error:  # a bad file is a usage problem, not a mismatch
        print(f"check_tokenizer_json: cannot read inputs: {error}", file=sys.stderr)
        return 2

    ids = tokenizer.encode(text).ids
    if ids != expected:
        first = next((i for i, (a, b) in enumerate(zip(ids, expected)) if a != b), min(len(ids), len(expected)))
        print(f"check_tokenizer_json: FAIL: ids differ at position {first} "
              f"(python {ids[first:first + 5]}, swift {expected[first:first + 5]}; "
              f"{len(ids)} vs {len(expected)} ids)", file=sys.stderr)
        return 1
    decoded = tokenizer.decode(ids)
    if decoded != text:
        first = next((i for i, (a, b) in enumerate(zip(decoded, text)) if a != b), min(len(decoded), len(text)))
        print(f"check_tokenizer_json: FAIL: decode differs at character {first}: "
              f"{decoded[first:first + 20]!r} vs {text[first:first + 20]!r}", file=sys.stderr)
        return 1
    print(f"check_tokenizer_json: OK: {len(ids)} ids for {len(text)} characters match, decode gives the text back")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
