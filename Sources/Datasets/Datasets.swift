// The Datasets library: embedded, seeded data generators and loaders for real files.
//
// - Stories/: `StoryCorpus`, a procedural English-like story corpus whose exact entropy is known.
// - Tokenizer/: a byte-level BPE tokenizer that reads and writes Hugging Face `tokenizer.json`.
// - TextFile.swift: loading a UTF-8 text file with typed errors.
// - BigramBaseline.swift: count-based unigram/bigram byte models, the baselines language models must beat.
