// The Notebook library; see the files beside this one.
