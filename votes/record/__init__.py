"""The record in data/: its files, reading and writing them, and their validation."""
