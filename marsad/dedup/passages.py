"""Shared wire passages: paragraphs (or sentence runs) that several articles carry near-verbatim.

How a passage is found, near-linearly (never comparing all pairs):
1. Units: each body paragraph is a unit; a long one is cut at sentence ends into units of about
   `max_unit_chars` (one-paragraph articles would otherwise hide a shared sentence in a page of text).
2. Key: the unit's matching tokens (marsad.arabic: normalized, proclitics stripped) joined WITHOUT spaces, so
   re-spacing ("الأميركي ين" / "الأميركيين", "عبد الله" / "عبدالله") does not change it at all.
3. Fingerprints: 64-bit hashes of every `gram`-letter substring of the key, winnowed (the minimum of each
   window of `window` consecutive hashes, Schleimer et al. 2003): any shared run of at least
   gram + window - 1 letters yields a common fingerprint, and a changed word only spoils the hashes that
   cover it. Computed with numpy over a whole batch (marsad.dedup.hashing).
4. Inverted index: fingerprint -> units. A new unit's candidates are the units sharing >= `min_shared`
   fingerprints with it; a candidate is confirmed when the shared fingerprints are >= `min_containment`
   of the smaller unit's (containment, so a passage quoted inside a longer paragraph is found too).
5. Boilerplate: a fingerprint already in `max_postings` units (an outlet's footer, a standard sign-off)
   gets no more postings and is ignored when matching; a unit mostly made of such fingerprints is
   boilerplate and is neither matched nor reported.

A new unit joins the passage of the unit it matches best (passages do not merge afterwards). The earliest
copy is decided when a passage is reported (marsad.dedup.common), so streaming order does not matter.

Tables `dedup_passage_article` and `dedup_unit` keep each unit's text and fingerprints; reopening rebuilds
the index from the stored fingerprints without re-reading any text. `shared_passages` answers what
`PassageIndex.passages` does with a few SQL queries over one story's articles, without loading the index
(a story view needs its passages, not 170k units' postings); `dedup_capped` keeps what it needs to tell
boilerplate.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokens import match_tokens
from marsad.dedup.common import (
    META_SCHEMA,
    Published,
    check_meta,
    create_tables,
    order_key,
    published_at,
    published_iso,
)
from marsad.dedup.hashing import codes, mix, prefix_hashes
from marsad.model import Article

log = logging.getLogger(__name__)

# marsad's version of what a fingerprint means (units, key, hash); bump on any change.
ALGORITHM_VERSION = 1

SCHEMA = (
    META_SCHEMA
    + """
CREATE TABLE IF NOT EXISTS dedup_passage_article (
    article INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE,
    published TEXT                      -- ISO date or datetime: decides which copy is earliest
);
CREATE TABLE IF NOT EXISTS dedup_unit (
    unit INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES dedup_passage_article(article),
    paragraph INTEGER NOT NULL,         -- index of the paragraph in the article's body
    fingerprints BLOB NOT NULL,         -- little-endian uint64, sorted, unique
    passage INTEGER NOT NULL,           -- the passage's first unit (its own id when it matched none)
    containment REAL                    -- share of the smaller unit's fingerprints found in the other
);
-- Display text apart, so that reopening reads fingerprints only.
CREATE TABLE IF NOT EXISTS dedup_unit_text (unit INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS dedup_unit_article ON dedup_unit(article);
CREATE INDEX IF NOT EXISTS dedup_unit_passage ON dedup_unit(passage);
-- Fingerprints held by >= max_postings units (signed 64-bit), so that a reader can tell boilerplate passages
-- without loading the index (`shared_passages`). dedup_meta's CAPPED_STATE row says how many units it covers.
CREATE TABLE IF NOT EXISTS dedup_capped (fingerprint INTEGER PRIMARY KEY);
"""
)


@dataclass(frozen=True)
class PassageParams:
    """Persisted with the index and checked on reopen. Chosen on the seeds and SaudiNewsNet (bench/dedup.py).

    Boilerplate: a fingerprint already held by `max_postings` units gets no more postings and no longer
    matches; a unit with >= `boilerplate_share` of such fingerprints is not matched, and a passage is not
    reported when it is carried by >= `max_postings` articles or its first unit has become such a unit. On
    SaudiNewsNet (three weeks, 14 outlets) the passages above 30 articles are daily templates and sign-offs;
    a wire passage carried by more outlets than `max_postings` would be hidden too."""

    gram: int = 20  # letters per hashed substring (about four words)
    window: int = 16  # shared runs of >= gram + window - 1 = 35 letters (about seven words) always match
    min_letters: int = 50  # shorter units (headings, datelines, by-lines) are not indexed
    max_unit_chars: int = 600  # longer paragraphs are cut at sentence ends
    min_shared: int = 3  # fingerprints a candidate must share
    min_containment: float = 0.5  # of the smaller unit's fingerprints
    max_postings: int = 50
    boilerplate_share: float = 0.5

    def meta(self) -> dict:
        return {**asdict(self), "marsad_algorithm": ALGORITHM_VERSION}


@dataclass(frozen=True)
class SharedPassage:
    """A passage several articles carry: the earliest copy's text, the articles (earliest first)."""

    text: str
    articles: tuple[str, ...]
    first: str


# -- fingerprints ----------------------------------------------------------------------------------------


def unit_key(text: str) -> str:
    """The spacing-free matching key of a unit."""
    return "".join(match_tokens(text))


def winnow(keys: Sequence[str], gram: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Winnowed fingerprints of all keys at once: (hashes, key index), sorted by key then hash, unique."""
    lens = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    none = (np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))
    if lens.max(initial=0) < gram:
        return none
    c = codes("".join(keys))
    n = len(c)
    prefix, ipw = prefix_hashes(c)
    with np.errstate(over="ignore"):  # every gram-letter substring, in one pass
        h = mix((prefix[gram:] - prefix[: n - gram + 1]) * ipw[: n - gram + 1])
    # Substrings inside one key only: key i's run of valid starts is [begin_i, end_i - gram].
    ends = np.cumsum(lens)
    nsub = np.maximum(lens - gram + 1, 0)
    starts = np.repeat(ends - lens - np.cumsum(nsub) + nsub, nsub) + np.arange(nsub.sum())
    h = h[starts]
    key = np.repeat(np.arange(len(keys)), nsub)
    # Sliding minimum by doubling spans: m[j] = min(h[j : j + span]).
    m, span = h, 1
    while span * 2 <= window and len(m) > span:
        m = np.minimum(m[:-span], m[span:])
        span *= 2
    picks_h, picks_k = [], []
    nwin = len(h) - window + 1
    if nwin > 0:
        wmin = np.minimum(m[:nwin], m[window - span : window - span + nwin]) if span < window else m[:nwin]
        inside = key[:nwin] == key[window - 1 :]  # windows that do not straddle two keys
        picks_h.append(wmin[inside])
        picks_k.append(key[:nwin][inside])
    nz = np.flatnonzero(nsub)
    short = nsub[nz] < window  # keys shorter than one window: their one fingerprint is their minimum
    if short.any():
        mins = np.minimum.reduceat(h, (np.cumsum(nsub) - nsub)[nz])
        picks_h.append(mins[short])
        picks_k.append(nz[short])
    ph, pk = np.concatenate(picks_h), np.concatenate(picks_k)
    # A window minimum usually repeats over many consecutive windows: drop repeats before sorting.
    run = np.concatenate([[True], (ph[1:] != ph[:-1]) | (pk[1:] != pk[:-1])])
    ph, pk = ph[run], pk[run]
    order = np.lexsort((ph, pk))
    ph, pk = ph[order], pk[order]
    keep = np.concatenate([[True], (ph[1:] != ph[:-1]) | (pk[1:] != pk[:-1])])
    return ph[keep], pk[keep]


def fingerprints(keys: Sequence[str], gram: int, window: int) -> list[np.ndarray]:
    """Winnowed fingerprints (sorted unique uint64) of each key."""
    ph, pk = winnow(keys, gram, window)
    bounds = np.searchsorted(pk, np.arange(len(keys) + 1))
    return [ph[bounds[i] : bounds[i + 1]] for i in range(len(keys))]


def split_units(paragraphs: Sequence[str], max_chars: int) -> list[tuple[int, str]]:
    """(paragraph index, display text) of each unit: paragraphs, long ones cut at sentence ends."""
    units: list[tuple[int, str]] = []
    for i, para in enumerate(paragraphs):
        para = para.strip()
        if len(para) <= max_chars:
            if para:
                units.append((i, para))
            continue
        chunk = ""
        for sentence in split_sentences(para):
            if chunk and len(chunk) + 1 + len(sentence) > max_chars:
                units.append((i, chunk))
                chunk = sentence
            else:
                chunk = f"{chunk} {sentence}" if chunk else sentence
        if chunk:
            units.append((i, chunk))
    return units


# -- the inverted index ---------------------------------------------------------------------------------


def _expand(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ranges [start, start + length) as one index array."""
    total = int(lengths.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(total)


class _Column:
    """A growable numpy column (amortized appends, O(1) vectorized reads)."""

    def __init__(self, dtype) -> None:
        self._a = np.empty(1024, dtype=dtype)
        self.n = 0

    def extend(self, values) -> None:
        values = np.asarray(values, dtype=self._a.dtype)
        while self.n + len(values) > len(self._a):
            self._a = np.concatenate([self._a, np.empty(len(self._a), dtype=self._a.dtype)])
        self._a[self.n : self.n + len(values)] = values
        self.n += len(values)

    @property
    def a(self) -> np.ndarray:
        return self._a[: self.n]


class _Postings:
    """fingerprint -> units, at most `cap` units per fingerprint (the first ones, in unit order).

    A few sorted numpy levels of (keys, units), smallest first, like a log-structured merge tree: new postings
    are merged into the smallest level, a level that outgrows its limit is merged into the next one, so a
    streaming add sorts a few thousand postings, not millions. Lookups are binary searches in each level;
    memory is 16 bytes a posting."""

    FIRST_LEVEL = 1 << 13  # level i holds up to FIRST_LEVEL * GROWTH**i postings
    GROWTH = 8

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.levels: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(len(k) for k, _ in self.levels)

    @staticmethod
    def _merge(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]):
        """One level sorted by key from two (the order of units within a key does not matter)."""
        keys = np.concatenate([a[0], b[0]])
        order = np.argsort(keys)
        return keys[order], np.concatenate([a[1], b[1]])[order]

    def build(self, keys: np.ndarray, units: np.ndarray) -> None:
        """Bulk load postings into an empty index, keeping the `cap` smallest units of each fingerprint."""
        order = np.argsort(keys)
        keys, units = keys[order], units[order]
        first = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
        size = np.diff(np.append(first, len(keys)))
        over = np.repeat(size > self.cap, size)  # only boilerplate fingerprints need their units ordered
        if over.any():
            idx = np.flatnonzero(over)
            idx = idx[np.lexsort((units[idx], keys[idx]))]
            start = np.concatenate([[True], keys[idx][1:] != keys[idx][:-1]])
            gfirst = np.maximum.accumulate(np.where(start, np.arange(len(idx)), 0))
            drop = idx[np.arange(len(idx)) - gfirst >= self.cap]
            keep = np.ones(len(keys), dtype=bool)
            keep[drop] = False
            keys, units = keys[keep], units[keep]
        empty = (keys[:0], units[:0])
        self.levels = [empty]
        while self.FIRST_LEVEL * self.GROWTH ** (len(self.levels) - 1) < len(keys):
            self.levels.append(empty)
        self.levels[-1] = (keys, units)

    def extend(self, keys: np.ndarray, units: np.ndarray) -> None:
        """Add postings already capped by the caller."""
        order = np.argsort(keys)
        carry = (keys[order], units[order])
        for i, level in enumerate(self.levels):
            merged = self._merge(level, carry) if len(level[0]) else carry
            if len(merged[0]) <= self.FIRST_LEVEL * self.GROWTH**i:
                self.levels[i] = merged
                return
            self.levels[i] = (merged[0][:0], merged[1][:0])  # carried into the next level
            carry = merged
        self.levels.append(carry)

    def ranges(self, fp: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per level, (lo, hi) of each fingerprint's postings."""
        return [(np.searchsorted(k, fp, "left"), np.searchsorted(k, fp, "right")) for k, _ in self.levels]

    def count(self, fp: np.ndarray) -> np.ndarray:
        return self.count_in(self.ranges(fp)) if self.levels else np.zeros(len(fp), dtype=np.int64)

    def capped(self) -> np.ndarray:
        """The fingerprints that have reached the cap (sorted)."""
        if not self.levels:
            return np.empty(0, dtype=np.uint64)
        keys, counts = np.unique(np.concatenate([k for k, _ in self.levels]), return_counts=True)
        return keys[counts >= self.cap]

    @staticmethod
    def count_in(ranges: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        return sum(
            (hi - lo for lo, hi in ranges), np.zeros(len(ranges[0][0]) if ranges else 0, dtype=np.int64)
        )

    def units_of(self, ranges: list[tuple[np.ndarray, np.ndarray]], which: np.ndarray):
        """(fingerprint position, unit) for every posting of the fingerprints at positions `which`."""
        pos, found = [which[:0]], [which[:0]]
        for (lo, hi), (_, units) in zip(ranges, self.levels, strict=True):
            n = (hi - lo)[which]
            pos.append(np.repeat(which, n))
            found.append(units[_expand(lo[which], n)])
        return np.concatenate(pos), np.concatenate(found)


# -- the passage index -----------------------------------------------------------------------------------


def ensure_schema(conn: sqlite3.Connection) -> None:
    create_tables(conn, SCHEMA)


CAPPED_STATE = "passages_capped"  # dedup_meta row: {"units": how many units dedup_capped accounts for}


def _stored_units(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(MAX(unit) + 1, 0) FROM dedup_unit").fetchone()[0]


def _capped_units(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT value FROM dedup_meta WHERE name=?", (CAPPED_STATE,)).fetchone()
    return json.loads(row[0])["units"] if row else None


class PassageIndex:
    """Streaming shared-passage index over one SQLite connection.

    `add` matches one article's units against everything indexed, inserts them and returns the passages the
    article shares; `add_many` does the same for a batch, vectorized, with the same result as adding the
    items one by one. Rows are written but never committed: the caller commits per batch."""

    NAME = "passages"

    def __init__(self, conn: sqlite3.Connection, params: PassageParams = PassageParams()) -> None:
        self.conn = conn
        self.params = params
        ensure_schema(conn)
        empty = conn.execute("SELECT 1 FROM dedup_passage_article LIMIT 1").fetchone() is None
        check_meta(conn, self.NAME, params.meta(), empty)
        self._ids: list[str] = []  # article number -> id
        self._article: dict[str, int] = {}
        self._order: list[tuple[str, str]] = []
        self._unit_article = _Column(np.int64)  # unit id -> article number (unit ids are dense)
        self._unit_size = _Column(np.int64)  # unit id -> number of fingerprints
        self._passage = _Column(np.int64)  # unit id -> passage id (the id of the passage's first unit)
        self._members: dict[int, list[int]] = {}  # passage id -> its units, for passages of >= 2 units
        self._postings = _Postings(params.max_postings)
        self._capped_synced = False  # dedup_capped covers every unit (kept so by each chunk added)
        self._load()

    def _load(self) -> None:
        for article, article_id, published in self.conn.execute(
            "SELECT article, article_id, published FROM dedup_passage_article ORDER BY article"
        ):
            if article != len(self._ids):
                raise RuntimeError(f"dedup_passage_article numbers are not dense at {article}")
            self._new_article(article_id, published)
        rows = self.conn.execute(
            "SELECT unit, article, fingerprints, passage FROM dedup_unit ORDER BY unit"
        ).fetchall()
        if rows:
            self._load_units(rows)
        self._sync_capped()

    def _load_units(self, rows: list[tuple[int, int, bytes, int]]) -> None:
        if rows[-1][0] != len(rows) - 1:
            raise RuntimeError("dedup_unit ids are not dense")
        fps = [np.frombuffer(r[2], dtype="<u8") for r in rows]
        sizes = np.fromiter(map(len, fps), dtype=np.int64, count=len(fps))
        self._unit_article.extend([r[1] for r in rows])
        self._unit_size.extend(sizes)
        self._passage.extend([r[3] for r in rows])
        for unit, _, _, passage in rows:
            if passage != unit:
                self._members.setdefault(passage, [passage]).append(unit)
        self._postings.build(
            np.concatenate(fps).astype(np.uint64), np.repeat(np.arange(len(rows), dtype=np.int64), sizes)
        )
        log.debug("passages: loaded %d units, %d postings", len(rows), len(self._postings))

    def _sync_capped(self) -> None:
        """Bring dedup_capped up to date from the loaded index where an older marsad (or none) wrote it.
        Best effort: a read-only or busy store keeps a stale table, which `shared_passages` detects."""
        if _capped_units(self.conn) == self._passage.n:
            self._capped_synced = True
            return
        try:
            self.conn.execute("SAVEPOINT dedup_capped")
            self._record_capped(self._postings.capped())
            self.conn.execute("RELEASE dedup_capped")
        except sqlite3.OperationalError as e:
            log.debug("passages: dedup_capped not updated (%s)", e)
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO dedup_capped")
                self.conn.execute("RELEASE dedup_capped")
            return
        self._capped_synced = True

    def _record_capped(self, fps: np.ndarray) -> None:
        """Add fingerprints that reached the cap; dedup_capped now accounts for every unit indexed."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO dedup_capped(fingerprint) VALUES(?)",
            ((x,) for x in fps.astype(np.uint64).view(np.int64).tolist()),
        )
        self.conn.execute(
            "INSERT INTO dedup_meta(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value=excluded.value",
            (CAPPED_STATE, json.dumps({"units": self._passage.n})),
        )

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._article

    def _new_article(self, article_id: str, published: str | None) -> int:
        self._article[article_id] = len(self._ids)
        self._ids.append(article_id)
        self._order.append(order_key(published, article_id))
        return len(self._ids) - 1

    # -- writing -------------------------------------------------------------------------------------

    def add(
        self, article_id: str, paragraphs: Sequence[str], published: Published = None
    ) -> list[SharedPassage]:
        """Index one article; the passages it shares with the articles indexed before it."""
        return self.add_many([(article_id, paragraphs, published)])[0]

    def add_article(self, article: Article) -> list[SharedPassage]:
        return self.add(article.id, article.body, published_at(article))

    def add_many(
        self, items: Iterable[tuple[str, Sequence[str], Published]], chunk: int = 2000
    ) -> list[list[SharedPassage]]:
        """Index a batch; for each item, the passages its article shares with the articles indexed so far
        (later items of the same batch included). Units are matched exactly as by `add`, one by one."""
        items = list(items)
        touched: list[set[int]] = [set() for _ in items]
        for start in range(0, len(items), chunk):
            self._add_chunk(items[start : start + chunk], touched[start : start + chunk])
        shared = self._shared(set().union(*touched), None)  # one pass for the whole batch
        return [[shared[g] for g in sorted(t) if g in shared] for t in touched]

    def _add_chunk(self, items: list[tuple[str, Sequence[str], Published]], touched: list[set[int]]) -> None:
        p = self.params
        first_unit = self._passage.n
        art_rows: list[tuple[int, str, str | None]] = []
        units: list[tuple[int, int, int, str]] = []  # (item, article, paragraph, text)
        keys: list[str] = []
        for i, (article_id, paragraphs, published) in enumerate(items):
            if article_id in self._article:  # already indexed (or repeated in this batch): the first counts
                continue
            iso = published_iso(published)
            article = self._new_article(article_id, iso)
            art_rows.append((article, article_id, iso))
            for para, text in split_units(paragraphs, p.max_unit_chars):
                key = unit_key(text)
                if len(key) >= p.min_letters:
                    units.append((i, article, para, text))
                    keys.append(key)
        self.conn.executemany(
            "INSERT INTO dedup_passage_article(article, article_id, published) VALUES(?,?,?)", art_rows
        )
        if not units:
            return
        fp, local = winnow(keys, p.gram, p.window)
        m = len(units)
        unit_article = np.fromiter((u[1] for u in units), dtype=np.int64, count=m)
        sizes = np.bincount(local, minlength=m)
        passage = np.arange(first_unit, first_unit + m, dtype=np.int64)
        containment = np.full(m, np.nan)

        # Postings of the chunk in (fingerprint, unit) order; unit order is insertion order.
        order = np.lexsort((local, fp))
        f, u = fp[order], local[order]
        a = unit_article[u]
        n = len(f)
        new_group = np.concatenate([[True], f[1:] != f[:-1]])
        gstart = np.maximum.accumulate(np.where(new_group, np.arange(n), 0))
        new_run = new_group | np.concatenate([[True], a[1:] != a[:-1]])
        astart = np.maximum.accumulate(np.where(new_run, np.arange(n), 0))
        ranges = self._postings.ranges(f)
        c0 = self._postings.count_in(ranges) if ranges else np.zeros(n, dtype=np.int64)  # never more than cap
        room = np.maximum(p.max_postings - c0, 0)
        earlier = np.minimum(astart - gstart, room)  # stored postings of earlier articles in this chunk
        stop = c0 + earlier >= p.max_postings  # boilerplate when this unit is matched
        stored = (np.arange(n) - gstart) < room  # becomes a posting (the first cap units keep it)

        live = np.bincount(u, weights=~stop, minlength=m)
        stop_share = np.bincount(u, weights=stop, minlength=m) / np.maximum(sizes, 1)
        ok = ~stop & (live[u] >= p.min_shared) & (stop_share[u] < p.boilerplate_share)
        # Candidate pairs (new unit, earlier unit): through the index, then within the chunk.
        which = np.flatnonzero(ok)
        q1, v1 = self._postings.units_of(ranges, which)
        take = _expand(gstart[which], earlier[which])
        q2 = np.repeat(which, earlier[which])
        qu = np.concatenate([u[q1], u[q2]])
        v = np.concatenate([v1, u[take] + first_unit])
        if len(qu):
            pair, shared = np.unique(v * m + qu, return_counts=True)
            qu, v = pair % m, pair // m
            old = v < first_unit
            size_v = np.empty(len(v), dtype=np.int64)
            size_v[old] = self._unit_size.a[v[old]]
            size_v[~old] = sizes[v[~old] - first_unit]
            cont = shared / np.minimum(live[qu], size_v)
            good = (shared >= p.min_shared) & (cont >= p.min_containment)
            qu, v, shared, cont = qu[good], v[good], shared[good], cont[good]
            best = np.lexsort((v, -shared, -cont, qu))  # per new unit: best containment, then most shared
            qu, v, cont = qu[best], v[best], cont[best]
            firsts = np.concatenate([[True], qu[1:] != qu[:-1]])[: len(qu)]
            for q, other, c in zip(
                qu[firsts].tolist(), v[firsts].tolist(), cont[firsts].tolist(), strict=True
            ):
                # q's match is always an earlier unit, so its passage is already final
                root = (
                    int(passage[other - first_unit]) if other >= first_unit else int(self._passage.a[other])
                )
                passage[q] = root
                containment[q] = min(c, 1.0)
                self._members.setdefault(root, [root]).append(first_unit + q)
                touched[units[q][0]].add(root)

        self._unit_article.extend(unit_article)
        self._unit_size.extend(sizes)
        self._passage.extend(passage)
        self._postings.extend(f[stored], u[stored] + first_unit)
        # fingerprints this chunk took to the cap (a posting count is min(cap, units holding it))
        starts = np.flatnonzero(new_group)
        before, size = c0[starts], np.diff(np.append(starts, n))
        newly = f[starts][(before < p.max_postings) & (before + size >= p.max_postings)]
        self._record_capped(newly if self._capped_synced else self._postings.capped())
        self._capped_synced = True
        bounds = np.searchsorted(local, np.arange(m + 1))
        blobs = [fp[bounds[j] : bounds[j + 1]].astype("<u8").tobytes() for j in range(m)]
        self.conn.executemany(
            "INSERT INTO dedup_unit(unit, article, paragraph, fingerprints, passage, containment)"
            " VALUES(?,?,?,?,?,?)",
            [
                (
                    first_unit + j,
                    art,
                    para,
                    blobs[j],
                    int(passage[j]),
                    None if np.isnan(containment[j]) else round(float(containment[j]), 4),
                )
                for j, (_, art, para, _) in enumerate(units)
            ],
        )
        self.conn.executemany(
            "INSERT INTO dedup_unit_text(unit, text) VALUES(?,?)",
            [(first_unit + j, text) for j, (*_, text) in enumerate(units)],
        )

    # -- reading -------------------------------------------------------------------------------------

    def _boilerplate(self, roots: list[int]) -> set[int]:
        """The passages (by first unit) that are boilerplate: carried by `max_postings` articles or more, or
        whose first unit's fingerprints are now mostly capped. One vectorized lookup for all of them."""
        p = self.params
        arts = self._unit_article.a
        flagged = {g for g in roots if len(set(arts[self._members[g]].tolist())) >= p.max_postings}
        rest = [g for g in roots if g not in flagged]
        blobs: list[bytes] = []
        for i in range(0, len(rest), 500):
            part = rest[i : i + 500]
            found = dict(
                self.conn.execute(
                    f"SELECT unit, fingerprints FROM dedup_unit WHERE unit IN ({','.join('?' * len(part))})",
                    part,
                ).fetchall()
            )
            blobs.extend(found[g] for g in part)
        if not rest:
            return flagged
        fps = [np.frombuffer(b, dtype="<u8") for b in blobs]
        sizes = np.fromiter(map(len, fps), dtype=np.int64, count=len(fps))
        capped = self._postings.count(np.concatenate(fps).astype(np.uint64)) >= p.max_postings
        share = np.bincount(np.repeat(np.arange(len(rest)), sizes), weights=capped, minlength=len(rest))
        share = share / np.maximum(sizes, 1)
        return flagged | {g for g, sh in zip(rest, share.tolist(), strict=True) if sh >= p.boilerplate_share}

    def _shared(self, roots: Iterable[int], among: set[int] | None) -> dict[int, SharedPassage]:
        """The passages of these first units, restricted to articles `among` (all when None)."""
        arts = self._unit_article.a
        kept: list[tuple[int, list[int]]] = []
        for g in sorted(set(roots)):
            units = self._members[g]
            if among is not None:
                units = [u for u in units if int(arts[u]) in among]
            articles = sorted({int(arts[u]) for u in units}, key=self._order.__getitem__)
            if len(articles) >= 2:
                kept.append((g, articles))
        boiler = self._boilerplate([g for g, _ in kept])
        out: dict[int, SharedPassage] = {}
        for g, articles in kept:
            if g in boiler:
                continue
            first = min(u for u in self._members[g] if int(arts[u]) == articles[0])
            text = self.conn.execute("SELECT text FROM dedup_unit_text WHERE unit=?", (first,)).fetchone()[0]
            out[g] = SharedPassage(text, tuple(self._ids[a] for a in articles), self._ids[articles[0]])
        return out

    def passages(self, article_ids: Collection[str]) -> list[SharedPassage]:
        """Passages shared by at least two of `article_ids`, listing only those articles (earliest first),
        in the order the passages were first indexed. Boilerplate passages (see `PassageParams`) are left out."""
        among = {self._article[a] for a in article_ids if a in self._article}
        if len(among) < 2:
            return []
        passage = self._passage.a
        roots: set[int] = set()
        for article in among:
            for (u,) in self.conn.execute("SELECT unit FROM dedup_unit WHERE article=?", (article,)):
                if int(passage[u]) in self._members:
                    roots.add(int(passage[u]))
        return list(self._shared(roots, among).values())


# -- one story's passages, read without loading the index ----------------------------------------------------

def _in_json(values: Sequence) -> str:
    """One parameter for "IN (SELECT value FROM json_each(?))": any number of values, one statement."""
    return json.dumps(list(values))


def _stored_params(conn: sqlite3.Connection) -> PassageParams:
    """The parameters the stored index was built with (the defaults for an index not built yet)."""
    try:
        row = conn.execute("SELECT value FROM dedup_meta WHERE name=?", (PassageIndex.NAME,)).fetchone()
    except sqlite3.OperationalError:  # no dedup tables yet
        row = None
    if row is None:
        return PassageParams()
    stored = json.loads(row[0])
    stored.pop("marsad_algorithm", None)
    return PassageParams(**stored)


def _capped_is_current(conn: sqlite3.Connection) -> bool:
    try:
        return _capped_units(conn) == _stored_units(conn)
    except sqlite3.OperationalError:  # no dedup tables yet
        return False


def ensure_capped(conn: sqlite3.Connection) -> bool:
    """Bring dedup_capped up to date on a store written by an older marsad (loads the index once, on a
    writable connection), so that `shared_passages` needs no index. True when it had to."""
    if _capped_is_current(conn):
        return False
    PassageIndex(conn, _stored_params(conn))
    return True


def shared_passages(conn: sqlite3.Connection, article_ids: Collection[str]) -> list[SharedPassage]:
    """Exactly `PassageIndex(conn).passages(article_ids)`, read with a few indexed queries over these articles'
    units (milliseconds) instead of loading the whole index (a second on SaudiNewsNet). Loads the index when
    dedup_capped does not cover every unit (a store last written by an older marsad)."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # one snapshot: an ingest may commit between the queries
    try:
        found = _passages_sql(conn, list(dict.fromkeys(article_ids))) if _capped_is_current(conn) else None
    finally:
        if own:
            conn.execute("COMMIT")
    return found if found is not None else PassageIndex(conn, _stored_params(conn)).passages(article_ids)


def _passages_sql(conn: sqlite3.Connection, article_ids: list[str]) -> list[SharedPassage]:
    among: dict[int, tuple[str, tuple[str, str]]] = {}  # article number -> (id, earliest-copy order key)
    for article, article_id, published in conn.execute(
        "SELECT article, article_id, published FROM dedup_passage_article"
        " WHERE article_id IN (SELECT value FROM json_each(?))",
        (_in_json(article_ids),),
    ):
        among[article] = (article_id, order_key(published, article_id))
    if len(among) < 2:
        return []
    first_unit: dict[int, dict[int, int]] = {}  # passage -> article -> the article's first unit in it
    for unit, article, passage in conn.execute(
        "SELECT unit, article, passage FROM dedup_unit WHERE article IN (SELECT value FROM json_each(?))",
        (_in_json(among),),
    ):
        firsts = first_unit.setdefault(passage, {})
        firsts[article] = min(unit, firsts.get(article, unit))
    kept = {
        g: sorted(arts, key=lambda a: among[a][1]) for g, arts in sorted(first_unit.items()) if len(arts) >= 2
    }
    boiler = _boilerplate_sql(conn, list(kept), _stored_params(conn))
    out = []
    for g, articles in kept.items():
        if g in boiler:
            continue
        unit = first_unit[g][articles[0]]
        text = conn.execute("SELECT text FROM dedup_unit_text WHERE unit=?", (unit,)).fetchone()[0]
        out.append(SharedPassage(text, tuple(among[a][0] for a in articles), among[articles[0]][0]))
    return out


def _boilerplate_sql(conn: sqlite3.Connection, roots: list[int], p: PassageParams) -> set[int]:
    """`PassageIndex._boilerplate` from the tables: passages carried by >= max_postings articles, or whose
    first unit's fingerprints are mostly in dedup_capped."""
    flagged = {
        g
        for g, n in conn.execute(
            "SELECT passage, COUNT(DISTINCT article) FROM dedup_unit"
            " WHERE passage IN (SELECT value FROM json_each(?)) GROUP BY passage",
            (_in_json(roots),),
        )
        if n >= p.max_postings
    }
    for g in roots:
        if g in flagged:
            continue
        blob = conn.execute("SELECT fingerprints FROM dedup_unit WHERE unit=?", (g,)).fetchone()[0]
        fps = np.frombuffer(blob, dtype="<u8").view(np.int64).tolist()
        capped = conn.execute(
            "SELECT COUNT(*) FROM dedup_capped WHERE fingerprint IN (SELECT value FROM json_each(?))", (_in_json(fps),)
        ).fetchone()[0]
        if capped / max(len(fps), 1) >= p.boilerplate_share:
            flagged.add(g)
    return flagged
