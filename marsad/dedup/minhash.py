"""Exact and near-duplicate articles.

- Exact: a 128-bit hash of the body's matching key (marsad.arabic normalize + tokenize, joined by one space),
  so copies that differ only in spacing, punctuation, diacritics or letter variants are exact copies.
- Near: word-bigram shingles of the same tokens, each hashed once with numpy (marsad.dedup.hashing).
  rensa's MinHash (batch API, the hashes as 8-byte tokens) and banded LSH find the candidates without
  comparing all pairs; each candidate is then checked EXACTLY on the two shingle sets (kept as sorted 32-bit
  hashes): a copy shares >= `threshold` of the longer text's shingles. Checking exactly instead of on the
  signatures' estimate removes the estimate's noise (about +-0.04 at 128 permutations) right where copies
  and rewrites meet; see bench/dedup.py for the measurements.

`duplicate_of` of an article is the EARLIEST (marsad.dedup.common) other indexed article that is an exact or
near copy of it, or None when none is earlier. The verdict does not depend on the order articles arrive in:
adding an older copy late re-points the later copies to it (their rows are updated and their ids listed in
`DuplicateIndex.repointed`). A copy of a copy that is not itself close enough to the first keeps pointing at
the copy it is close to; readers follow `duplicate_of` chains.

The index lives in the store's SQLite connection (tables `dedup_minhash`, `dedup_meta`). Signatures are kept in
rensa's own serialization beside the parameters and rensa's ALGORITHM_VERSION they were made with, so
reopening rebuilds the LSH from stored signatures without touching any text.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version

import numpy as np
from rensa import RMinHash, RMinHashLSH

from marsad.arabic.normalize import normalize
from marsad.arabic.tokens import tokenize
from marsad.dedup.common import (
    META_SCHEMA,
    Published,
    check_meta,
    create_tables,
    order_key,
    published_at,
    published_iso,
)
from marsad.dedup.hashing import word_shingle_hashes
from marsad.model import Article

log = logging.getLogger(__name__)

# marsad's own version of what a signature means (tokens, shingles, hashes); bump on any change.
ALGORITHM_VERSION = 1

SCHEMA = (
    META_SCHEMA
    + """
CREATE TABLE IF NOT EXISTS dedup_minhash (
    key INTEGER PRIMARY KEY,            -- the article's key in the LSH index
    article_id TEXT NOT NULL UNIQUE,
    published TEXT,                     -- ISO date or datetime: decides which copy is earliest
    body_hash BLOB,                     -- NULL when the body is too short to deduplicate
    signature BLOB,                     -- rensa RMinHash state; NULL when too short
    shingles BLOB,                      -- sorted unique uint32 (little-endian) shingle hashes
    duplicate_of TEXT,                  -- earliest indexed copy, NULL when this is the first
    similarity REAL,                    -- Jaccard of the two shingle sets (1.0 for exact copies)
    shared REAL,                        -- share of the longer text's shingles found in the other
    kind TEXT CHECK (kind IN ('exact', 'near'))
);
"""
)


@dataclass(frozen=True)
class MinHashParams:
    """Signature and matching parameters; persisted, and checked when an index is reopened.

    Chosen on SaudiNewsNet pairs labelled by how much text they share (bench/dedup.py): word bigrams, and
    >= 0.75 of the longer text's bigrams found in the other, separate copies sharing >= 80 % of their text
    from rewrites (F1 0.966; 2- to 5-grams and Jaccard thresholds were tried). A share >= 0.75 implies
    Jaccard >= 0.6, and 32 bands of 4 rows make such a pair an LSH candidate with probability >= 0.988
    (0.9996 at Jaccard 0.7)."""

    num_perm: int = 128
    num_bands: int = 32
    seed: int = 1
    shingle: int = 2
    threshold: float = 0.75
    min_tokens: int = 8  # shorter bodies (captions, residue) are never called copies

    def meta(self) -> dict:
        return {
            **asdict(self),
            "marsad_algorithm": ALGORITHM_VERSION,
            "rensa": version("rensa"),
            "rensa_algorithm": RMinHash.ALGORITHM_VERSION,
        }


@dataclass(frozen=True)
class Duplicate:
    """What the index says about one article: the earliest copy it duplicates, and how closely."""

    duplicate_of: str
    similarity: float  # Jaccard of the two shingle sets (1.0 for an exact copy)
    kind: str  # "exact" | "near"
    shared: float = 1.0  # share of the longer text's shingles that the other has


@dataclass(frozen=True)
class Signature:
    """The matching keys of one body; all None when it is too short to deduplicate."""

    body_hash: bytes | None
    minhash: RMinHash | None
    shingles: np.ndarray | None  # sorted unique uint32


def shingles(tokens: Sequence[str], k: int) -> list[str]:
    """Word k-grams joined by a space (the whole text when it is shorter than k words): the strings whose
    hashes `sign_many` computes without building them (and what the bench gives rensa and datasketch)."""
    if len(tokens) <= k:
        return [" ".join(tokens)] if tokens else []
    return list(map(" ".join, zip(*(tokens[i:] for i in range(k)), strict=False)))


CHUNK = 512  # documents hashed and signed together: big enough for numpy, small enough to stay in cache


def _sign_joined(joined: list[str], params: MinHashParams, with_sets: bool = True):
    """MinHashes (and exact shingle sets) of space-joined token strings, one chunk at a time.

    Each shingle is hashed once, with numpy (marsad.dedup.hashing), never built as a string. rensa signs the
    64-bit hashes as 8-byte tokens (numpy's S8 view drops trailing zero bytes, which keeps distinct hashes
    distinct); their low 32 bits, sorted and unique, are the exact sets that confirm a candidate."""
    minhashes: list[RMinHash] = []
    sets: list[np.ndarray] = []
    for start in range(0, len(joined), CHUNK):
        part = joined[start : start + CHUNK]
        flat, doc = word_shingle_hashes(part, params.shingle)
        bounds = np.searchsorted(doc, np.arange(len(part) + 1)).tolist()
        tokens = flat.astype("<u8").view("S8").tolist()  # the same bytes on every platform
        token_sets = [tokens[bounds[i] : bounds[i + 1]] for i in range(len(part))]
        if len(part) >= 32:
            minhashes.extend(RMinHash.from_token_sets(token_sets, params.num_perm, params.seed))
        else:  # a batch call costs ~0.1 ms before its first document: a streaming add signs one by one
            for token_set in token_sets:
                mh = RMinHash(params.num_perm, params.seed)
                mh.update(token_set)
                minhashes.append(mh)
        if with_sets:
            # (document, low 32 bits) in one sortable word; chance collisions between two articles are negligible
            pairs = np.unique((doc.astype(np.uint64) << np.uint64(32)) | (flat & np.uint64(0xFFFFFFFF)))
            low, owner = pairs.astype(np.uint32), (pairs >> np.uint64(32)).astype(np.int64)
            cut = np.searchsorted(owner, np.arange(len(part) + 1))
            sets.extend(low[cut[i] : cut[i + 1]] for i in range(len(part)))
    return minhashes, sets


def minhash_tokens(
    token_lists: Sequence[Sequence[str]], params: MinHashParams = MinHashParams()
) -> list[RMinHash]:
    """rensa MinHashes of many token lists (what bench/dedup.py times against its peers)."""
    return _sign_joined([" ".join(t) for t in token_lists if t], params, with_sets=False)[0]


def sign_many(texts: Iterable[str], params: MinHashParams = MinHashParams()) -> list[Signature]:
    """Signatures of many bodies: the body hash, the MinHash and the exact shingle set of each."""
    hashes: list[bytes | None] = []
    joined: list[str] = []
    for text in texts:
        tokens = tokenize(normalize(text))
        if len(tokens) < params.min_tokens:
            hashes.append(None)
            continue
        key = " ".join(tokens)
        joined.append(key)
        hashes.append(hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest())
    minhashes, sets = _sign_joined(joined, params)
    signed = iter(zip(minhashes, sets, strict=True))
    return [Signature(h, *next(signed)) if h is not None else Signature(None, None, None) for h in hashes]


def ensure_schema(conn: sqlite3.Connection) -> None:
    create_tables(conn, SCHEMA)


class DuplicateIndex:
    """Streaming exact + near-duplicate index over one SQLite connection.

    `add` checks one article against everything indexed and inserts it (no rebuild); `add_many` does the
    same for a batch with one signing call and the same verdicts. Both write rows but never commit: the
    caller commits per batch."""

    NAME = "minhash"

    def __init__(self, conn: sqlite3.Connection, params: MinHashParams = MinHashParams()) -> None:
        self.conn = conn
        self.params = params
        ensure_schema(conn)
        empty = conn.execute("SELECT 1 FROM dedup_minhash LIMIT 1").fetchone() is None
        check_meta(conn, self.NAME, params.meta(), empty)
        self._lsh = RMinHashLSH(params.threshold, params.num_perm, params.num_bands)
        self._ids: list[str] = []  # key -> article id (keys are dense, in insertion order)
        self._key: dict[str, int] = {}
        self._order: list[tuple[str, str]] = []
        self._sets: list[np.ndarray | None] = []
        # key -> (key of the earliest copy, jaccard, shared, kind), or None for a first copy
        self._dup: list[tuple[int, float, float, str] | None] = []
        self._exact: dict[bytes, list[int]] = {}
        self.repointed: list[str] = []  # earlier-indexed ids re-pointed by the last add/add_many
        self._load()

    # -- reading -------------------------------------------------------------------------------------

    def _load(self) -> None:
        rows = self.conn.execute(
            "SELECT key, article_id, published, body_hash, signature, shingles, duplicate_of, similarity,"
            " shared, kind FROM dedup_minhash ORDER BY key"
        ).fetchall()
        pairs = []
        for key, article_id, published, body_hash, state, blob, *_ in rows:
            if key != len(self._ids):
                raise RuntimeError(f"dedup_minhash keys are not dense at {key}")
            sset = (
                np.frombuffer(blob, dtype="<u4").astype(np.uint32, copy=False) if blob is not None else None
            )
            self._append(article_id, published, body_hash, sset)
            if state is not None:
                mh = RMinHash(self.params.num_perm, self.params.seed)
                mh.__setstate__(state)  # rensa's own versioned serialization, as pickle would restore it
                pairs.append((key, mh))
        for key, *_, dup, sim, shared, kind in rows:
            if dup is not None:
                self._dup[key] = (self._key[dup], sim, shared, kind)
        if pairs:
            self._lsh.insert_pairs(pairs)
        log.debug("dedup: loaded %d signatures", len(pairs))

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._key

    def get(self, article_id: str) -> Duplicate | None:
        """The current verdict for an indexed article (it may have changed since it was added)."""
        key = self._key.get(article_id)
        if key is None or self._dup[key] is None:
            return None
        other, sim, shared, kind = self._dup[key]
        return Duplicate(self._ids[other], sim, kind, shared)

    def copies(self, text: str) -> list[Duplicate]:
        """Every indexed exact or near copy of `text` (earliest first), without adding it."""
        found = self._copies(sign_many([text], self.params)[0])
        return [
            Duplicate(self._ids[k], round(sim, 4), kind, round(shared, 4))
            for k, (sim, shared, kind) in sorted(found.items(), key=lambda kv: self._order[kv[0]])
        ]

    # -- writing -------------------------------------------------------------------------------------

    def add(self, article_id: str, text: str, published: Published = None) -> Duplicate | None:
        """Index one article; its earliest indexed copy, or None when it is the first."""
        return self.add_many([(article_id, text, published)])[0]

    def add_article(self, article: Article) -> Duplicate | None:
        return self.add(article.id, article.text, published_at(article))

    def add_many(self, items: Iterable[tuple[str, str, Published]]) -> list[Duplicate | None]:
        """Index a batch (signed in one call); the verdicts are those of adding the items one by one."""
        items = list(items)
        self.repointed = []
        fresh: dict[str, tuple[str, Published]] = {}
        for article_id, text, published in items:
            if article_id not in self._key and article_id not in fresh:  # a repeated id: the first counts
                fresh[article_id] = (text, published)
        signatures = sign_many((text for text, _ in fresh.values()), self.params)
        added = []
        for (article_id, (_, published)), sig in zip(fresh.items(), signatures, strict=True):
            iso = published_iso(published)
            added.append((self._insert(article_id, iso, sig), iso, sig))
        # Rows are written after the whole batch, so a verdict changed by a later item is written once.
        self.conn.executemany(
            "INSERT INTO dedup_minhash(key, article_id, published, body_hash, signature, shingles,"
            " duplicate_of, similarity, shared, kind) VALUES(?,?,?,?,?,?,?,?,?,?)",
            [self._row(key, iso, sig) for key, iso, sig in added],
        )
        # Articles indexed before this call whose verdict changed: their rows are updated here.
        self.repointed = [a for a in dict.fromkeys(self.repointed) if a not in fresh]
        self.conn.executemany(
            "UPDATE dedup_minhash SET duplicate_of=?, similarity=?, shared=?, kind=? WHERE key=?",
            [self._update_row(self._key[a]) for a in self.repointed],
        )
        return [self.get(article_id) for article_id, _, _ in items]

    def _append(self, article_id: str, published: str | None, body_hash: bytes | None, sset) -> int:
        key = len(self._ids)
        self._ids.append(article_id)
        self._key[article_id] = key
        self._order.append(order_key(published, article_id))
        self._sets.append(sset)
        self._dup.append(None)
        if body_hash is not None:
            self._exact.setdefault(body_hash, []).append(key)
        return key

    def _copies(self, sig: Signature) -> dict[int, tuple[float, float, str]]:
        """Indexed copies of a signed body: key -> (jaccard, shared, kind)."""
        found: dict[int, tuple[float, float, str]] = {}
        if sig.body_hash is None:
            return found
        for other in self._exact.get(sig.body_hash, ()):
            found[other] = (1.0, 1.0, "exact")
        mine = sig.shingles
        for other in self._lsh.query(sig.minhash):
            theirs = self._sets[other]
            if other in found or theirs is None:
                continue
            inter = len(np.intersect1d(mine, theirs, assume_unique=True))
            shared = inter / max(len(mine), len(theirs))
            if shared >= self.params.threshold:
                found[other] = (inter / (len(mine) + len(theirs) - inter), shared, "near")
        return found

    def _insert(self, article_id: str, published: str | None, sig: Signature) -> int:
        copies = self._copies(sig)
        key = self._append(article_id, published, sig.body_hash, sig.shingles)
        if sig.minhash is not None:
            self._lsh.insert(key, sig.minhash)
        mine = self._order[key]
        for other, (sim, shared, kind) in copies.items():
            theirs = self._order[other]
            if theirs < mine:
                cur = self._dup[key]
                if cur is None or theirs < self._order[cur[0]]:
                    self._dup[key] = (other, round(sim, 4), round(shared, 4), kind)
            else:  # an older copy arrived late: it becomes the earliest copy of the later one
                cur = self._dup[other]
                if cur is None or mine < self._order[cur[0]]:
                    self._dup[other] = (key, round(sim, 4), round(shared, 4), kind)
                    self.repointed.append(self._ids[other])
        return key

    def _row(self, key: int, published: str | None, sig: Signature) -> tuple:
        dup = self._dup[key] or (None, None, None, None)
        return (
            key,
            self._ids[key],
            published,
            sig.body_hash,
            sig.minhash.__getstate__() if sig.minhash is not None else None,
            sig.shingles.astype("<u4").tobytes() if sig.shingles is not None else None,
            self._ids[dup[0]] if dup[0] is not None else None,
            *dup[1:],
        )

    def _update_row(self, key: int) -> tuple:
        other, sim, shared, kind = self._dup[key]
        return (self._ids[other], sim, shared, kind, key)
