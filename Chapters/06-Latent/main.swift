// Chapter 06: Latent space (being written).
import Ch06Latent
import Notebook

Notebook.run(number: 6, slug: "latent", title: "Latent space") { nb in
    nb.say("This chapter is being written.")
}
