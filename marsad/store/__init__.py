"""The embedded store (SQLite)."""
