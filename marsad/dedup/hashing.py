"""Stable 64-bit string hashes computed with numpy for many strings at once.

Python's own `hash` is salted per process and hashing strings one by one in Python is slow; these hashes
depend only on the code points, so they can be stored and compared across runs. A string's hash is the
polynomial sum(code[i] * BASE**i) modulo 2**64, read off prefix sums of the whole batch and shifted back to
the string's own start with BASE's modular inverse, then mixed by splitmix64's finalizer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BASE = 0x100000001B3  # odd, so its powers are invertible modulo 2**64
_BASE_INV = pow(BASE, -1, 1 << 64)
CHUNK_CHARS = 1 << 22  # bounds the power tables (32 MB each) and the temporaries of one pass

# (BASE**i, BASE**-i) tables, replaced as one tuple so that a thread reading them while another grows
# them (Dask workers run as threads) never gets one old and one new table
_TABLES = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))


def powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < n (cached and grown by doubling)."""
    global _TABLES
    pw, ipw = _TABLES
    if len(pw) < n:
        size = max(n, 2 * len(pw))
        one = np.ones(1, dtype=np.uint64)
        with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
            pw = np.concatenate([one, np.cumprod(np.full(size - 1, BASE, dtype=np.uint64))])
            ipw = np.concatenate([one, np.cumprod(np.full(size - 1, _BASE_INV, dtype=np.uint64))])
        _TABLES = (pw, ipw)
    return pw[:n], ipw[:n]


def mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: neighbouring polynomial hashes become independent-looking 64-bit values."""
    with np.errstate(over="ignore"):
        z = z ^ (z >> np.uint64(30))
        z = z * np.uint64(0xBF58476D1CE4E5B9)
        z = z ^ (z >> np.uint64(27))
        z = z * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def codes(text: str) -> np.ndarray:
    """The code points of `text` as uint64."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def prefix_hashes(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(prefix, inverse powers): hash of c[i:j] is mix((prefix[j] - prefix[i]) * inverse[i])."""
    pw, ipw = powers(len(c) + 1)
    with np.errstate(over="ignore"):
        prefix = np.concatenate([np.zeros(1, np.uint64), np.cumsum(c * pw[: len(c)], dtype=np.uint64)])
    return prefix, ipw


def hash_strings(strings: Sequence[str]) -> np.ndarray:
    """One stable uint64 hash per string."""
    out = np.empty(len(strings), dtype=np.uint64)
    start = 0
    while start < len(strings):
        stop, size = start, 0
        while stop < len(strings) and (size == 0 or size + len(strings[stop]) <= CHUNK_CHARS):
            size += len(strings[stop])
            stop += 1
        part = strings[start:stop]
        lens = np.fromiter(map(len, part), dtype=np.int64, count=len(part))
        ends = np.cumsum(lens)
        begins = ends - lens
        prefix, ipw = prefix_hashes(codes("".join(part)))
        with np.errstate(over="ignore"):
            out[start:stop] = mix((prefix[ends] - prefix[begins]) * ipw[begins] + lens.astype(np.uint64))
        start = stop
    return out


def word_shingle_hashes(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the word k-grams of texts made of words separated by single spaces: (hashes, text index).

    A text with fewer than k words has one shingle, itself. Each hash equals `hash_strings` of the k-gram's
    own text ("w1 w2"), but no k-gram string is ever built. Texts must be non-empty."""
    hashes, owner = [], []
    start = 0
    lens_all = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    while start < len(texts):
        # texts joined by one space must fit a chunk (a single longer text is taken alone)
        stop = max(
            start + 1, int(np.searchsorted(np.cumsum(lens_all[start:] + 1), CHUNK_CHARS, "right")) + start
        )
        lens = lens_all[start:stop]
        c = codes(" ".join(texts[start:stop]))
        n = len(c)
        prefix, ipw = prefix_hashes(c)
        spaces = np.flatnonzero(c == 32)
        wbeg = np.concatenate([[0], spaces + 1])
        wend = np.concatenate([spaces, [n]])
        text_beg = np.cumsum(lens + 1) - (lens + 1)
        doc = np.searchsorted(text_beg, wbeg, "right") - 1
        nwords = np.bincount(doc, minlength=len(lens))
        first_word = np.cumsum(nwords) - nwords
        nsh = np.maximum(nwords - k + 1, 1)  # shingles per text
        j = np.repeat(first_word - (np.cumsum(nsh) - nsh), nsh) + np.arange(nsh.sum())  # first word of each
        d = np.repeat(np.arange(len(lens)), nsh)
        last = np.minimum(j + k - 1, first_word[d] + nwords[d] - 1)
        b, e = wbeg[j], wend[last]
        with np.errstate(over="ignore"):
            hashes.append(mix((prefix[e] - prefix[b]) * ipw[b] + (e - b).astype(np.uint64)))
        owner.append(d + start)
        start = stop
    if not hashes:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    return np.concatenate(hashes), np.concatenate(owner)
