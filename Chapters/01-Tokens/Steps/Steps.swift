// Steps of chapter 01-Tokens.
