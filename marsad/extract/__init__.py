"""Extraction: Page -> Article (or Rejection)."""
