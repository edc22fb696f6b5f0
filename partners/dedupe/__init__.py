"""Duplicate detection of organisations: one normalisation of names for every path."""
