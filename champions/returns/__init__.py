"""Quarterly returns: windows coordinators open, the short return each champion sends, and the totals."""
