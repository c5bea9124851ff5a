"""The batch pipeline's one way of moving data between tasks: an all-to-all exchange of task outputs.

Every source partition is split by a pure function into `n` pieces; destination j then receives piece j of
every source, in source order (so a result never depends on which worker ran what). It is a one-stage
version of the task shuffle of dask.bag and dask.dataframe (which add stages past ~32 partitions: sources x
destinations tasks grow fast; fine to a few hundred partitions, see docs/scale.md), written with Dask
futures so that each destination can also take its own inputs (a partition's articles and the verdicts
about them) and data stays on the workers between stages: the client only gathers small summaries.
"""

from __future__ import annotations

import operator
import pickle
from collections.abc import Callable, Sequence

import numpy as np
from distributed import Client, Future

from marsad.dedup.hashing import hash_strings


def exchange(
    client: Client, parts: Sequence[Future], split: Callable, n: int, *per_source: Sequence, **kwargs
) -> list[list[Future]]:
    """Piece futures by destination: result[j][i] is piece j of source i. `split(part, i, *values, n=n,
    **kwargs)` returns the n pieces of source i (`values`: its items of `per_source`). Hand result[j] to
    destination j's task with `client.submit(f, ..., *result[j])`."""
    splits = client.map(split, parts, range(len(parts)), *per_source, n=n, **kwargs)
    return [[client.submit(operator.getitem, s, j) for s in splits] for j in range(n)]


def by_destination(items: Sequence, destinations: np.ndarray | Sequence[int], n: int) -> list[list]:
    """`items` dealt into n lists by their destination numbers, keeping their order."""
    out: list[list] = [[] for _ in range(n)]
    for item, d in zip(items, destinations, strict=True):
        out[d].append(item)
    return out


def destinations_of(keys: Sequence[str], n: int) -> np.ndarray:
    """A destination in [0, n) for each string key: a stable hash (marsad.dedup.hashing), the same in
    every worker process, unlike Python's salted `hash`."""
    if not keys:
        return np.empty(0, dtype=np.int64)
    return (hash_strings(list(keys)) % np.uint64(n)).astype(np.int64)


def concat(*pieces: list) -> list:
    """Destination pieces as one list, in source order."""
    return [x for piece in pieces for x in piece]


def pack(items: list) -> bytes:
    """A piece as one pickled blob. Dask then moves bytes rather than many small objects, whose
    serialization on a worker busy with a pure-Python task waits on the GIL (seconds a stage on 2 workers)."""
    return pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)


def concat_packed(*pieces: bytes) -> list:
    """`concat` of packed pieces."""
    return [x for piece in pieces for x in pickle.loads(piece)]
