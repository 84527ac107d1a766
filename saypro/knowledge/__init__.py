"""The knowledge base (help centre): articles in categories, full-text search, "was this
helpful?" votes, and links to the right article from coach warnings and empty states."""
