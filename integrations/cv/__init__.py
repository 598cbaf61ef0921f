"""CV files: what we accept (checked from the bytes, not the name) and the text we read from them."""
