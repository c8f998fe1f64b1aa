/// A byte corpus from any texts (chapter 03 trains on a raw crawl and on its curated subset).
extension ByteCorpus {
    /// Training bytes from `train` and validation bytes from `validation`, each joined by the
    /// story separator, so windows may cross document boundaries as they do in the story corpus.
    public init(train: [String], validation: [String]) {
        precondition(!train.isEmpty && !validation.isEmpty, "both sides of the split need documents")
        self.train = Array(train.joined(separator: StoryCorpus.separator).utf8)
        self.validation = Array(validation.joined(separator: StoryCorpus.separator).utf8)
        trainDocuments = train.count
        validationDocuments = validation.count
    }
}
