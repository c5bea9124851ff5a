"""Deduplication: exact and near-duplicate articles (minhash) and shared wire passages (passages).

Both indexes live in the store's SQLite connection, own their tables (`ensure_schema`), stream (one article
at a time, no rebuild), write rows without committing (the caller commits per batch) and reopen from their
tables without touching text. "Earliest" follows marsad.dedup.common: publication time, then id.
"""

from marsad.dedup.common import IndexVersionError
from marsad.dedup.minhash import Duplicate, DuplicateIndex, MinHashParams
from marsad.dedup.passages import PassageIndex, PassageParams, SharedPassage

__all__ = [
    "Duplicate",
    "DuplicateIndex",
    "IndexVersionError",
    "MinHashParams",
    "PassageIndex",
    "PassageParams",
    "SharedPassage",
]
