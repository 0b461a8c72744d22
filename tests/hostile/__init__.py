"""Hostile-input corpus, generated at test time (no checked-in blobs)."""
