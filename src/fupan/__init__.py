"""Fupan: a community forum engine, the modern successor to Discuz! X3.5."""

__version__ = "0.1.0"
