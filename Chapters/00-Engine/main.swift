print("chapter 00")
