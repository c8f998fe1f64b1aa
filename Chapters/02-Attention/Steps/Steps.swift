// Steps of chapter 02-Attention.
