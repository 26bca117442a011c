"""numbtrack: a gentle terminal tracker for noticing body sensations and feelings."""

__version__ = "0.1.0"
