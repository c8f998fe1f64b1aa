/// The chapter's number, for its notebook.
public let chapterNumber = 9
