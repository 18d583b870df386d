"""Privacy writes, one module per concern: exports, consents and the data register."""
