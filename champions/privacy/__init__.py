"""Your data: the export of everything held about a person, consents on record and the data register."""
