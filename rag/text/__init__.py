"""Language tools shared by the index, the reader and the quote checker: script and width
normalisation, numerals, question types, names, terms and the English dictionary."""
