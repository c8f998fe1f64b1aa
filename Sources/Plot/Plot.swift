// The Plot library; see the files beside this one.
