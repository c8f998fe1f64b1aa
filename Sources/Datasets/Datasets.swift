// The Datasets library; see the files beside this one.
