"""A coordinator's home: the work waiting across the portal, each kind counted and linked to its page."""
