"""Online story clustering: in publication order, each article joins an active story or opens one.

- Candidates come from an inverted index over rare terms (entity proxies) of stories active within
  `WINDOW_HOURS`; posting lists are capped, so an assignment costs the same at 10k or 1M stored articles.
- Each candidate is scored by a small logistic model over article-story similarities (title, body,
  entity cosines, shared counts, time since the story's first and last article); the article joins the
  best candidate when its probability clears the model's threshold, else it founds a new story.
- With a `pairs.json` beside `pairs.py` (not shipped: it measured worse held-out, see MODEL.md), stories
  are scored by an article-article model against their kept members instead (or blended / gated with it).
- With `dense=True` (`marsad ingest --dense`) each body is also embedded (`cluster.dense`) and the model
  `decision_dense.json` reads its best cosine against the story's kept members as well (and that times the days
  since the story's latest article); slower, see MODEL.md.
- Story ids are "st-" + a hash of the founding article's id: adding articles never renames a story.
- State (document frequencies, active stories' centroids, the index) lives in SQLite tables this module
  owns; a new `OnlineClusterer` on the same connection restores it and continues with the same ids.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from marsad.cluster import dense as dense_vectors
from marsad.cluster.decision import FEATURES, Decision, default_decision
from marsad.cluster.features import ArticleFeatures, ArticleTerms, DocFreq, dot, read_terms, weigh
from marsad.cluster.pairs import PairModel, default_pair_model, pair_vector
from marsad.model import Article

log = logging.getLogger(__name__)

# A story stops taking articles this long after its latest one: follow-ups come within days,
# a similar happening weeks later is another story.
WINDOW_HOURS = 96.0
MAX_CANDIDATES = 8  # stories fully compared per article (the best by shared rare terms)
MAX_POSTING = 64  # stories kept per index term: the most recent ones; older are out of the window anyway
CENTROID_TERMS = 200  # terms kept per centroid sub-vector (the heaviest), so big stories stay small
MAX_KEYS = 96
MEMBERS_KEPT = 8
NN_FLOOR = 0.2  # index terms per story
FLUSH_EVERY = 1000  # adds between automatic writes of document frequencies and story state
SWEEP_EVERY = 2000  # adds between sweeps of stories that left the window
# A story's headlines number its happening by an ordinal when at least this share of its members' titles do
# (not one stray member).
ORDINAL_SHARE = 0.3
# Past this many distinct terms, terms seen once are forgotten at a sweep (lossy counting): most are
# one-off pairs and typos, and a stream of millions of articles would otherwise grow without end.
DF_CAP = 400_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS cluster_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cluster_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cluster_stories (
    id TEXT PRIMARY KEY,
    founder TEXT NOT NULL,
    size INTEGER NOT NULL,
    first_hours REAL NOT NULL,
    last_hours REAL NOT NULL,
    state TEXT
);
CREATE INDEX IF NOT EXISTS cluster_stories_last ON cluster_stories(last_hours);
CREATE TABLE IF NOT EXISTS cluster_members (
    article_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    hours REAL NOT NULL,
    p REAL
);
CREATE INDEX IF NOT EXISTS cluster_members_story ON cluster_members(story_id);
CREATE TABLE IF NOT EXISTS cluster_vectors (
    article_id TEXT PRIMARY KEY,
    hours REAL NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS cluster_vectors_hours ON cluster_vectors(hours);
"""


_DAYS_SINCE_LAST = FEATURES.index("days_since_last")


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the clusterer's tables when missing (idempotent)."""
    # statement by statement: executescript would commit a transaction the caller has open
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


class ClusterModeError(ValueError):
    """A store clustered in one mode (dense embeddings or not) met a clusterer in the other."""


def story_id_for(founder_article_id: str) -> str:
    """A story's id, from the id of the article that founded it: stable whatever joins later."""
    return "st-" + hashlib.sha1(founder_article_id.encode("utf-8")).hexdigest()[:12]


class StoryState:
    """An active story as the clusterer keeps it: centroid sums, their squared norms, index keys."""

    __slots__ = (
        "id", "founder", "size", "first", "last", "title", "body", "ents",
        "n_title", "n_body", "n_ents", "keys", "numbers", "outlets", "members", "days",
        "ordinals",
    )

    def __init__(self, sid: str, founder: str, hours: float) -> None:
        self.id = sid
        self.founder = founder
        self.size = 0
        self.first = hours
        self.last = hours
        self.title: dict[str, float] = {}
        self.body: dict[str, float] = {}
        self.ents: dict[str, float] = {}
        self.n_title = self.n_body = self.n_ents = 0.0
        self.keys: list[str] = []
        self.numbers: set[str] = set()
        self.outlets: set[str] = set()
        self.days: set[int] = set()
        self.ordinals: dict[int, int] = {}  # place in a series -> members whose titles number it so
        # a few members' own vectors (the founder and the latest): a follow-up often resembles one
        # earlier article closely while the centroid has drifted
        self.members: list[ArticleFeatures] = []

    def add(self, a: ArticleFeatures, hours: float) -> list[str]:
        """Fold an article in; returns the index keys that are new to this story."""
        self.size += 1
        self.first = min(self.first, hours)
        self.last = max(self.last, hours)
        self.n_title = _fold(self.title, a.title, self.n_title)
        self.n_body = _fold(self.body, a.body, self.n_body)
        self.n_ents = _fold(self.ents, a.ents, self.n_ents)
        self.numbers.update(n for n in a.numbers if ":" in n)
        if a.outlet:
            self.outlets.add(a.outlet)
        self.days.update(a.days)
        for n in a.ordinals:
            self.ordinals[n] = self.ordinals.get(n, 0) + 1
        if len(self.members) >= MEMBERS_KEPT:
            del self.members[1]
        self.members.append(a)
        have = set(self.keys)
        new = [k for k in a.salient if k not in have][: max(0, MAX_KEYS - len(self.keys))]
        self.keys.extend(new)
        return new

    def to_json(self) -> str:
        return json.dumps(
            {"t": self.title, "b": self.body, "e": self.ents, "k": self.keys, "m": [m.id for m in self.members],
             "n": sorted(self.numbers), "o": sorted(self.outlets),
             "d": sorted(self.days), "r": sorted(self.ordinals.items())},
            ensure_ascii=False, separators=(",", ":"),
        )

    @staticmethod
    def from_row(
        sid: str, founder: str, size: int, first: float, last: float, state: str | None,
        vectors: dict[str, ArticleFeatures],
    ) -> StoryState:
        s = StoryState(sid, founder, first)
        s.size, s.last = size, last
        if state:
            d = json.loads(state)
            s.members = [vectors[m] for m in d["m"] if m in vectors]
            s.title, s.body, s.ents = d["t"], d["b"], d["e"]
            s.n_title, s.n_body, s.n_ents = (sum(x * x for x in v.values()) for v in (s.title, s.body, s.ents))
            s.keys, s.numbers, s.outlets, s.days = d["k"], set(d["n"]), set(d["o"]), set(d["d"])
            s.ordinals = dict(d.get("r", ()))  # absent from state stored by earlier versions
        return s


def _fold(centroid: dict[str, float], v: dict[str, float], norm2: float) -> float:
    """Add unit vector v to a centroid sum in place; returns the new squared norm (kept incrementally)."""
    cross = dot(v, centroid)
    for k, x in v.items():
        centroid[k] = centroid.get(k, 0.0) + x
    norm2 += 2.0 * cross + sum(x * x for x in v.values())
    if len(centroid) > 2 * CENTROID_TERMS:
        keep = sorted(centroid.items(), key=lambda kv: -kv[1])[:CENTROID_TERMS]
        centroid.clear()
        centroid.update(keep)
        norm2 = sum(x * x for _, x in keep)
    return norm2


def pack_vectors(a: ArticleFeatures) -> bytes:
    """A member's vectors as stored (compressed JSON): restored stories compare with their members too."""
    return zlib.compress(
        json.dumps(
            [a.title, a.body, a.ents, a.rare, sorted(a.numbers), sorted(a.days), a.outlet,
             dense_vectors.pack(a.dense)],
            ensure_ascii=False, separators=(",", ":"),
        ).encode()
    )


def unpack_vectors(article_id: str, hours: float, data: bytes) -> ArticleFeatures:
    d = json.loads(zlib.decompress(data))
    t, b, e = d[:3]
    if len(d) < 7:  # stored by an older version: vectors only
        return ArticleFeatures(article_id, hours, None, t, b, e, (), frozenset(), frozenset())
    dense = dense_vectors.unpack(d[7]) if len(d) > 7 else None
    return ArticleFeatures(article_id, hours, d[6], t, b, e, (), frozenset(d[4]), frozenset(d[5]), d[3], dense=dense)


def _cos(v: dict[str, float], centroid: dict[str, float], norm2: float) -> float:
    return dot(v, centroid) / math.sqrt(norm2) if norm2 > 0 else 0.0


def pair_features(a: ArticleFeatures, s: StoryState, hours: float) -> tuple[float, ...]:
    """The decision model's inputs for article `a` joining story `s` (order: decision.FEATURES)."""
    ct = _cos(a.title, s.title, s.n_title)
    cb = _cos(a.body, s.body, s.n_body)
    ce = _cos(a.ents, s.ents, s.n_ents)
    ctb = _cos(a.title, s.body, s.n_body)
    nums = sum(1 for n in a.numbers if n in s.numbers)
    # what the article's title says that the story's titles never said: a new happening of the same kind
    # ("the third plane", "the new leader") shares the body's vocabulary but not its headline
    st = s.title
    novel_title = sum(x * x for k, x in a.title.items() if k not in st)
    se = s.ents
    novel_ents = sum(x * x for k, x in a.ents.items() if k not in se)
    nt, nb, ne = ct, cb, ce
    if max(ct, cb, ce) >= NN_FLOOR and s.size > 1:  # members are compared only where it can matter
        for m in s.members:
            nt = max(nt, dot(a.title, m.title))
            nb = max(nb, dot(a.body, m.body))
            ne = max(ne, dot(a.ents, m.ents))
    return (
        ct,
        cb,
        ce,
        ctb,
        math.log1p(nums),
        abs(hours - s.last) / 24.0,
        abs(hours - s.first) / 24.0,
        math.log(s.size),
        max(ct, cb, ce),
        ct * cb,
        nt,
        nb,
        ne,
        novel_title,
        novel_ents,
        1.0 if a.days & s.days else 0.0,
        1.0 if a.days and s.days and not a.days & s.days else 0.0,
    )


def dense_nn(a: ArticleFeatures, s: StoryState) -> float:
    """The best cosine of the article's body embedding against the story's kept members' (0 without one)."""
    if a.dense is None:
        return 0.0
    return max((float(a.dense @ m.dense) for m in s.members if m.dense is not None), default=0.0)


def another_in_series(a: ArticleFeatures, s: StoryState) -> bool:
    """True when the article's title numbers its happening and the story's headlines number a different one:
    the third aid plane is not the second plane's story, however alike the reports are."""
    if not a.ordinals or not s.ordinals:
        return False
    floor = ORDINAL_SHARE * s.size
    theirs = {n for n, k in s.ordinals.items() if k >= floor}
    return bool(theirs) and not a.ordinals & theirs


def story_probability(model: PairModel, a: ArticleFeatures, s: StoryState) -> float:
    """How likely article `a` reports story `s`'s happening: the mean of its best pair probabilities
    against the story's kept members (the best `model.top`, fewer in a smaller story)."""
    ps = sorted((model.probability(pair_vector(a, m)) for m in s.members), reverse=True)
    if not ps:
        return 0.0
    k = min(model.top, len(ps))
    return sum(ps[:k]) / k


@dataclass(frozen=True)
class Assignment:
    """Where one article went, and how sure the decision was (p of joining; None for a founder)."""

    article_id: str
    story_id: str
    p: float | None
    new_story: bool


@dataclass(frozen=True)
class Candidate:
    """A retrieved story, the pair features against it, and the model's probability of joining it."""

    story: StoryState
    x: tuple[float, ...]
    p: float


@dataclass
class Stats:
    """Counters that show the assignment is sublinear: comparisons per article stay small."""

    articles: int = 0
    comparisons: int = 0  # full article-story similarity computations
    postings_read: int = 0


class OnlineClusterer:
    """Assigns articles to stories one at a time, in publication order.

    With a connection, state lives in this module's tables (`ensure_schema`) and is restored on
    construction; `add` writes rows but never commits: call `flush()` before the caller's commit so the
    centroids and document frequencies of the batch are stored with it. With `conn=None` it is in memory,
    and can start from the document frequencies `df` of articles it will not see (a time window of a longer
    corpus starts from everything before it).

    `dense=True` embeds each body and decides with `decision_dense.json` (or the given dense `decision`). A
    store keeps the mode it was clustered in: `dense=None` follows it, the other mode is refused.
    `max_candidates` is how many retrieved stories each article is compared with (more for measuring what
    retrieval allows, `bench/cluster_quality.py --mode oracle`).
    """

    def __init__(
        self,
        conn: sqlite3.Connection | None = None,
        decision: Decision | None = None,
        window_hours: float = WINDOW_HOURS,
        pairs: PairModel | None | bool = True,
        df: DocFreq | None = None,
        dense: bool | None = None,
        max_candidates: int = MAX_CANDIDATES,
    ) -> None:
        if conn is not None and df is not None:
            raise ValueError("a clusterer with a store restores its document frequencies from it")
        self.conn = conn
        if conn is not None:
            ensure_schema(conn)
            if dense is None and decision is None:  # follow the mode the store was clustered in
                row = conn.execute("SELECT value FROM cluster_meta WHERE key='dense'").fetchone()
                dense = row is not None and row[0] == "1"
        self.decision = decision or default_decision(bool(dense))
        if dense is not None and dense != self.decision.dense:
            raise ValueError(f"dense={dense} needs a decision model {'with' if dense else 'without'} nn_dense")
        self.dense = self.decision.dense
        # the article-article model decides when there is one (pairs=False: the story-level model alone)
        self.pairs: PairModel | None = (
            default_pair_model() if pairs is True else (None if pairs is False else pairs)
        )
        self.threshold = self.pairs.threshold if self.pairs is not None else self.decision.threshold
        self.window = window_hours
        self.max_candidates = max_candidates
        self.df = DocFreq() if df is None else DocFreq(df.n_docs, dict(df.counts))
        self.stories: dict[str, StoryState] = {}  # active (within the window of the clock) only
        self.index: dict[str, list[str]] = {}
        self.clock: float | None = None  # latest publication time seen
        self.stats = Stats()
        self._df_delta: dict[str, int] = {}
        self._docs_delta = 0
        self._dirty: set[str] = set()
        self._vectors: list[tuple[str, float, bytes]] = []
        self._since_flush = 0
        self._since_sweep = 0
        if conn is not None:
            self._restore()

    # -- assignment -------------------------------------------------------------------------------

    def add(self, article: Article, dense: Any = None) -> str:
        """Assign one article; returns its story id. With a store, adding an article again returns its story.
        In dense mode `dense` is the article's embedding when the caller made it (embedding many at once is
        faster, `dense.embed_articles`); else it is made here."""
        return self.assign(article, dense).story_id

    def assign(self, article: Article, dense: Any = None) -> Assignment:
        if self.conn is not None:
            row = self.conn.execute(
                "SELECT story_id FROM cluster_members WHERE article_id=?", (article.id,)
            ).fetchone()
            if row is not None:
                return Assignment(article.id, row[0], None, False)
        feats, hours = self.prepare(article, dense)
        return self.decide(feats, hours, self.score(feats, hours))

    def decide(self, feats: ArticleFeatures, hours: float, scored: list[Candidate]) -> Assignment:
        """Join the most probable of the scored candidates when it reaches the threshold, else found a story."""
        best = max(scored, key=lambda c: c.p, default=None)
        if best is not None and best.p >= self.threshold:
            return self.place(feats, hours, best.story, best.p)
        return self.place(feats, hours, None, None)

    def prepare(self, article: Article, dense: Any = None) -> tuple[ArticleFeatures, float]:
        """Read and weigh an article (updating document frequencies) and place it on the clock."""
        terms = read_terms(article)
        if self.dense:
            terms = replace(terms, dense=dense if dense is not None else dense_vectors.embed_articles([article])[0])
        return self.prepare_terms(terms)

    def prepare_terms(self, terms: ArticleTerms) -> tuple[ArticleFeatures, float]:
        """`prepare` from an article's idf-free reading (`features.read_terms`)."""
        self._observe(terms.terms)
        feats = weigh(terms, self.df)
        hours = feats.hours if feats.hours is not None else (self.clock or 0.0)
        self.clock = hours if self.clock is None else max(self.clock, hours)
        return feats, hours

    def features(self, feats: ArticleFeatures, s: StoryState, hours: float) -> tuple[float, ...]:
        """The decision model's inputs: `pair_features`, then in dense mode `dense_nn` and it times the days
        since the story's latest article (`decision.DENSE_FEATURES`)."""
        x = pair_features(feats, s, hours)
        if not self.dense:
            return x
        d = dense_nn(feats, s)
        return (*x, d, d * x[_DAYS_SINCE_LAST])

    def score(self, feats: ArticleFeatures, hours: float) -> list[Candidate]:
        """The retrieved candidate stories with their pair features and join probabilities (0 for a story
        of another happening in a numbered series, `another_in_series`)."""
        out = []
        prob = self.decision.probability
        pm = self.pairs
        for s in self.candidates(feats, hours):
            self.stats.comparisons += 1
            if pm is None:
                x = self.features(feats, s, hours)
                p = prob(x)
            else:
                x = ()
                p = story_probability(pm, feats, s)
                if pm.gate > 0.0:
                    p = prob(self.features(feats, s, hours)) if p >= pm.gate else 0.0
                elif pm.blend > 0.0:
                    p = pm.blend * prob(self.features(feats, s, hours)) + (1.0 - pm.blend) * p
            if another_in_series(feats, s):
                p = 0.0
            out.append(Candidate(s, x, p))
        return out

    def place(self, feats: ArticleFeatures, hours: float, story: StoryState | None, p: float | None) -> Assignment:
        """Put the article into `story`, or found a new story when None."""
        new = story is None
        if story is None:
            sid = story_id_for(feats.id)
            story = self.stories.get(sid) or StoryState(sid, feats.id, hours)
            self.stories[sid] = story
        for k in story.add(feats, hours):
            posting = self.index.setdefault(k, [])
            posting.append(story.id)
            if len(posting) > MAX_POSTING:
                del posting[: len(posting) - MAX_POSTING]
        self._dirty.add(story.id)
        self.stats.articles += 1
        if self.conn is not None:
            self.conn.execute(
                "INSERT OR REPLACE INTO cluster_members(article_id, story_id, hours, p) VALUES(?,?,?,?)",
                (feats.id, story.id, hours, p),
            )
            self._vectors.append((feats.id, hours, pack_vectors(feats)))
        self._since_flush += 1
        self._since_sweep += 1
        if self.conn is not None and self._since_flush >= FLUSH_EVERY:
            self.flush()
        if self._since_sweep >= SWEEP_EVERY:
            self._sweep()
        return Assignment(feats.id, story.id, p, new)

    def add_many(self, articles: Iterable[Article]) -> dict[str, str]:
        return {a.id: self.add(a) for a in articles}

    def candidates(self, a: ArticleFeatures, hours: float) -> list[StoryState]:
        """Active stories sharing the most (idf-weighted) rare terms with the article: index lookups only."""
        score: dict[str, float] = {}
        idf = self.df.idf
        for k in a.salient:
            posting = self.index.get(k)
            if not posting:
                continue
            w = idf(k)
            self.stats.postings_read += len(posting)
            for sid in posting:
                score[sid] = score.get(sid, 0.0) + w
        out: list[StoryState] = []
        # ties broken by id, not by posting order: a clusterer restored from the store ranks as the running one
        for sid in sorted(score, key=lambda sid: (-score[sid], sid)):
            if len(out) >= self.max_candidates:
                break
            s = self.stories.get(sid)
            if s is None or hours - s.last > self.window or s.first - hours > self.window:
                continue
            out.append(s)
        return out

    def _observe(self, terms: Iterable[str]) -> None:
        terms = list(terms)
        self.df.observe(terms)
        if self.conn is not None:
            d = self._df_delta
            for t in terms:
                d[t] = d.get(t, 0) + 1
            self._docs_delta += 1

    def _sweep(self) -> None:
        """Forget stories that left the window (they stay in the store) and their index entries."""
        self._since_sweep = 0
        if self.clock is None:
            return
        if self.conn is not None:
            self.flush()  # a story leaving memory must be stored first
        if len(self.df.counts) > DF_CAP:
            self._prune_df()
        horizon = self.clock - 2 * self.window  # slack for articles that arrive a little out of order
        gone = {sid for sid, s in self.stories.items() if s.last < horizon}
        if not gone:
            return
        for sid in gone:
            del self.stories[sid]
        if self.conn is not None:  # members' vectors are kept only while their story can take articles
            keep = {m.id for s in self.stories.values() for m in s.members}
            old = [r[0] for r in self.conn.execute("SELECT article_id FROM cluster_vectors WHERE hours < ?", (horizon,))]
            self.conn.executemany("DELETE FROM cluster_vectors WHERE article_id=?", [(i,) for i in old if i not in keep])
        for k in list(self.index):
            kept = [sid for sid in self.index[k] if sid not in gone]
            if kept:
                self.index[k] = kept
            else:
                del self.index[k]

    def _prune_df(self) -> None:
        counts = self.df.counts
        for t in [t for t, n in counts.items() if n <= 1]:
            del counts[t]
        if self.conn is not None:
            self.conn.execute("DELETE FROM cluster_df WHERE df <= 1")
        log.debug("document frequencies pruned to %d terms", len(counts))

    # -- persistence ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write pending document frequencies and changed stories (no commit: the caller commits)."""
        self._since_flush = 0
        if self.conn is None:
            self._dirty.clear()
            return
        c = self.conn
        if self._df_delta:
            c.executemany(
                "INSERT INTO cluster_df(term, df) VALUES(?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                self._df_delta.items(),
            )
            self._df_delta = {}
        c.execute(
            "INSERT INTO cluster_meta(key, value) VALUES('n_docs', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
            (str(self._docs_delta),),
        )
        self._docs_delta = 0
        c.execute("INSERT OR REPLACE INTO cluster_meta(key, value) VALUES('dense', ?)", ("1" if self.dense else "0",))
        if self.clock is not None:
            c.execute(
                "INSERT INTO cluster_meta(key, value) VALUES('clock', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (repr(self.clock),),
            )
        rows = []
        for sid in self._dirty:
            s = self.stories.get(sid)
            if s is not None:
                rows.append((s.id, s.founder, s.size, s.first, s.last, s.to_json()))
        c.executemany(
            "INSERT INTO cluster_stories(id, founder, size, first_hours, last_hours, state) VALUES(?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET size=excluded.size, first_hours=excluded.first_hours, "
            "last_hours=excluded.last_hours, state=excluded.state",
            rows,
        )
        self._dirty.clear()
        c.executemany("INSERT OR REPLACE INTO cluster_vectors(article_id, hours, data) VALUES(?,?,?)", self._vectors)
        self._vectors = []

    def _restore(self) -> None:
        c = self.conn
        assert c is not None
        meta = dict(c.execute("SELECT key, value FROM cluster_meta").fetchall())
        if not meta:
            return
        stored = meta.get("dense", "0") == "1"  # stores clustered before the mode existed are not dense
        if stored != self.dense:
            mode = "with --dense" if stored else "without --dense"
            raise ClusterModeError(f"this store's stories were clustered {mode}: ingest into it the same way")
        self.df = DocFreq(int(meta.get("n_docs", 0)), dict(c.execute("SELECT term, df FROM cluster_df").fetchall()))
        self.clock = float(meta["clock"]) if "clock" in meta else None
        if self.clock is None:
            return
        horizon = self.clock - 2 * self.window
        rows = c.execute(
            "SELECT id, founder, size, first_hours, last_hours, state FROM cluster_stories WHERE last_hours >= ? "
            "ORDER BY last_hours, id",
            (horizon,),
        ).fetchall()
        want = [m for r in rows if r[5] for m in json.loads(r[5])["m"]]
        vectors: dict[str, ArticleFeatures] = {}
        for i in range(0, len(want), 500):
            chunk = want[i : i + 500]
            q = "SELECT article_id, hours, data FROM cluster_vectors WHERE article_id IN ({})".format(",".join("?" * len(chunk)))
            for aid, h, data in c.execute(q, chunk):
                vectors[aid] = unpack_vectors(aid, h, data)
        for row in rows:
            s = StoryState.from_row(*row, vectors)
            self.stories[s.id] = s
        for s in sorted(self.stories.values(), key=lambda s: (s.last, s.id)):
            for k in s.keys:
                self.index.setdefault(k, []).append(s.id)
        for k, posting in self.index.items():
            if len(posting) > MAX_POSTING:
                self.index[k] = posting[-MAX_POSTING:]
        log.info("cluster state restored: %d docs, %d active stories", self.df.n_docs, len(self.stories))
