"""Near-duplicates across partitions: MinHash LSH as a shuffle on band keys, then the dedup index per group.

1. Each partition signs its articles with `marsad.dedup.minhash.sign_many` (rensa) and emits one row per
   LSH band: (band key, article ref). Two articles share a band key exactly where rensa's LSH (bands of
   consecutive signature rows) makes them candidates.
2. Rows are exchanged by band key; a bucket holding several articles links them (a chain is enough).
3. The links form components (`components`): every article's candidates are in its component, so the
   single-machine `DuplicateIndex`, run over one component's articles, gives each of them the very verdict
   it gives over the whole corpus (its verdict depends only on its copies, whatever the insertion order).

Articles whose body is too short to deduplicate have no signature and are never anybody's copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from marsad.batch.records import Copy
from marsad.dedup.common import order_key, published_at, published_iso
from marsad.dedup.hashing import BASE, mix
from marsad.dedup.minhash import DuplicateIndex, MinHashParams, Signature
from marsad.model import Article

PARAMS = MinHashParams()


def band_keys(
    signatures: Sequence[Signature], params: MinHashParams = PARAMS
) -> tuple[np.ndarray, np.ndarray]:
    """(which signatures have a MinHash, their band keys as (m, num_bands) uint64).

    A key mixes the band's number with its rows, so equal rows in different bands never meet; 64-bit
    collisions could only add candidates, which the dedup index then checks on the text."""
    have = np.array([s.minhash is not None for s in signatures], dtype=bool)
    rows = params.num_perm // params.num_bands
    digests = [s.minhash.digest() for s in signatures if s.minhash is not None]
    d = np.array(digests, dtype=np.uint64).reshape(len(digests), params.num_bands, rows)
    key = np.broadcast_to(np.arange(1, params.num_bands + 1, dtype=np.uint64), d.shape[:2])
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        for j in range(rows):
            key = mix(key * np.uint64(BASE) + d[:, :, j])
    return have, key


def bucket_links(*pieces: np.ndarray) -> np.ndarray:
    """Links (ref, ref) between articles that share a band key, from (key, ref) rows: within each bucket,
    each article is linked to the next one (a chain connects the bucket as well as all pairs would)."""
    rows = np.concatenate(pieces) if pieces else np.empty((0, 2), dtype=np.uint64)
    if len(rows) < 2:
        return np.empty((0, 2), dtype=np.int64)
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    same = rows[1:, 0] == rows[:-1, 0]
    links = np.stack([rows[:-1, 1][same], rows[1:, 1][same]], axis=1).astype(np.int64)
    return np.unique(links, axis=0)


def components(links: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, label): the linked nodes, sorted, and for each the smallest node of its connected component.

    Min-label propagation with pointer jumping: vectorized, a few rounds even for long chains."""
    nodes, inverse = np.unique(links, return_inverse=True)
    ends = inverse.reshape(-1, 2)
    label = np.arange(len(nodes))
    while True:
        low = np.minimum(label[ends[:, 0]], label[ends[:, 1]])
        new = label.copy()
        np.minimum.at(new, ends[:, 0], low)
        np.minimum.at(new, ends[:, 1], low)
        new = new[new]
        if np.array_equal(new, label):
            return nodes, nodes[label]
        label = new


def balance(labels: np.ndarray, n: int) -> dict[int, int]:
    """Component label -> one of n tasks, the largest components first, each to the least loaded task."""
    comps, sizes = np.unique(labels, return_counts=True)
    load = [0] * n
    out: dict[int, int] = {}
    for i in np.lexsort((comps, -sizes)):
        task = min(range(n), key=load.__getitem__)
        out[int(comps[i])] = task
        load[task] += int(sizes[i])
    return out


def copies(articles: Sequence[Article], params: MinHashParams = PARAMS) -> list[Copy]:
    """The copies among `articles` (whole LSH components) by the single-machine dedup index, each with the
    original its `duplicate_of` chain leads to."""
    ordered = sorted(articles, key=lambda a: order_key(published_iso(published_at(a)), a.id))
    conn = sqlite3.connect(":memory:")
    try:
        index = DuplicateIndex(conn, params)
        verdicts = index.add_many((a.id, a.text, published_at(a)) for a in ordered)
    finally:
        conn.close()
    of = {a.id: v for a, v in zip(ordered, verdicts, strict=True) if v is not None}
    out = []
    for a in ordered:
        v = of.get(a.id)
        if v is None:
            continue
        root = v.duplicate_of
        while root in of:  # a copy of a copy: ingest gives it the story its chain of originals leads to
            root = of[root].duplicate_of
        out.append(Copy(a.id, v.duplicate_of, v.similarity, v.shared, v.kind, root))
    return out
