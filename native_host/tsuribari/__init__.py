"""Tsuribari: dissect a suspicious mail like an analyst and explain the verdict."""
__version__ = "0.1.0"
