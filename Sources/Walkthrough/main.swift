print("walkthrough: not built yet")
