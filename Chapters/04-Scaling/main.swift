// Chapter 04: Scaling experiments (being written).
import Ch04Scaling
import Notebook

Notebook.run(number: 4, slug: "scaling", title: "Scaling experiments") { nb in
    nb.say("This chapter is being written.")
}
