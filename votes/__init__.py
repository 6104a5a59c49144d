"""votes: how the U.S. Congress votes, and how close each vote came to two thirds."""

__version__ = "0.1.0"
