"""Readers: files, folders, JSONL, WARC and feeds, each yielding Page records."""
