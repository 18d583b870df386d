"""Organisational self-assessment: frameworks as data, assessment cycles, what they give back."""
