// The Models library; see the files beside this one.
