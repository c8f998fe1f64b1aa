// Steps of chapter 00.
