"""Writes Fixtures/sample-ids.txt: Hugging Face tokenizers' ids for Fixtures/sample.txt.

The tokenizer (Fixtures/tokenizer-300.json) was trained and written by the Swift code:
BPETokenizer.train(text: StoryCorpus(seed: 7).text(documents: 300), vocabSize: 300).
The sample is StoryCorpus(seed: 8).text(documents: 10) followed by a paragraph of tricky strings.
Run from this folder with `pip install tokenizers`; the Swift test compares its ids to this file.
"""
from pathlib import Path

from tokenizers import Tokenizer

here = Path(__file__).parent / "Fixtures"
tokenizer = Tokenizer.from_file(str(here / "tokenizer-300.json"))
text = (here / "sample.txt").read_bytes().decode("utf-8")
ids = tokenizer.encode(text).ids
assert tokenizer.decode(ids) == text
(here / "sample-ids.txt").write_text(" ".join(map(str, ids)) + "\n")
print(f"{len(ids)} ids for {len(text)} characters")
