// Chapter 05: Diffusion (being written).
import Ch05Diffusion
import Notebook

Notebook.run(number: 5, slug: "diffusion", title: "Diffusion") { nb in
    nb.say("This chapter is being written.")
}
