"""Discussions."""
