"""What the API and the page read from the store: story lists with filters, and story views (cached).

A story's view (`marsad.synthesize.view.story_json`) is computed from its members (NER, facts, summary), which
costs tens to hundreds of milliseconds; it is cached in the table `story_view_cache`, keyed by story id and
a signature of its members (ids and duplicate marks) and marsad's version, so a story that gains or loses a
member, or a new marsad, computes it afresh. Cache writes are best effort: a store busy with an ingest
(the one writer) is not waited for.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from marsad.store import search
from marsad.store import sqlite as store

CACHE_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS story_view_cache (story_id TEXT PRIMARY KEY, signature TEXT NOT NULL,"
    " view TEXT NOT NULL)"
)


def prepare_store(db: str | Path) -> None:
    """Bring a store up to date for serving: schema, search index (backfilled), view cache table, and this
    process' story table."""
    conn = store.open_store(db)
    try:
        search.ensure_schema(conn)
        conn.execute(CACHE_SCHEMA)
        _story_table(conn)
    finally:
        conn.close()


def read_connection(db: str | Path) -> sqlite3.Connection:
    """A read-only connection (one per request)."""
    uri = "file:" + quote(str(Path(db).resolve())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


@dataclass(frozen=True)
class StoryFilter:
    since: str | None = None  # YYYY-MM-DD: a member published on or after
    until: str | None = None  # YYYY-MM-DD: a member published on or before
    outlet: str | None = None
    entity: str | None = None  # words of a name, any spelling (full-text phrase over the members)
    min_articles: int = 1


@dataclass(frozen=True)
class _StoryRow:
    id: str
    n: int
    first_seen: str | None
    last_seen: str | None
    first_day: str | None
    last_day: str | None
    outlets: frozenset[str]


_TABLES: dict[str, tuple[tuple, list[_StoryRow]]] = {}
_TABLES_LOCK = threading.Lock()
_TABLES_BUILD = threading.Lock()  # one thread computes a missing table; the others wait for it


def _story_table(conn: sqlite3.Connection) -> list[_StoryRow]:
    """Every story's aggregates, newest last report first, then the larger story. Kept in memory per store
    and recomputed when the store changed: every ingest that changes anything records pages, and new
    articles raise the largest seq, so (largest article seq, largest page rowid) says when."""
    key = tuple(conn.execute("SELECT (SELECT MAX(seq) FROM articles), (SELECT MAX(rowid) FROM pages)").fetchone())
    name = conn.execute("PRAGMA database_list").fetchone()["file"]
    with _TABLES_LOCK:
        got = _TABLES.get(name)
        if got is not None and got[0] == key:
            return got[1]
    with _TABLES_BUILD:
        with _TABLES_LOCK:
            got = _TABLES.get(name)
            if got is not None and got[0] == key:
                return got[1]
        return _build_table(conn, name, key)


def _build_table(conn: sqlite3.Connection, name: str, key: tuple) -> list[_StoryRow]:
    rows = conn.execute(
        "SELECT story_id, COUNT(*) AS n, MAX(published || COALESCE('T' || published_time, '')) AS last_seen,"
        " MIN(published || COALESCE('T' || published_time, '')) AS first_seen, MIN(published) AS first_day,"
        " MAX(published) AS last_day, group_concat(DISTINCT COALESCE(outlet, source)) AS outlets FROM articles"
        " WHERE story_id IS NOT NULL GROUP BY story_id"
    ).fetchall()
    table = [_StoryRow(r["story_id"], r["n"], r["first_seen"], r["last_seen"], r["first_day"], r["last_day"],
                       frozenset((r["outlets"] or "").split(",")) if r["outlets"] else frozenset()) for r in rows]
    table.sort(key=lambda s: s.id)
    table.sort(key=lambda s: -s.n)
    table.sort(key=lambda s: s.last_seen or "", reverse=True)
    table.sort(key=lambda s: s.last_seen is None)
    with _TABLES_LOCK:
        _TABLES[name] = (key, table)
    return table


def list_stories(conn: sqlite3.Connection, f: StoryFilter, limit: int = 20, offset: int = 0) -> tuple[int, list[dict]]:
    """(total, one page of stories): newest last report first, then the larger story."""
    from marsad.synthesize.headline import choose_headline

    keep = None
    if f.entity:
        phrase = search.phrase_query(f.entity)
        if phrase is None:
            return 0, []
        keep = {r[0] for r in conn.execute(
            "SELECT DISTINCT a.story_id FROM search_fts JOIN articles a ON a.seq = search_fts.rowid"
            " WHERE search_fts MATCH ?", (phrase,))}
    found = [s for s in _story_table(conn)
             if s.n >= f.min_articles
             and (not f.since or (s.last_day is not None and s.last_day >= f.since))
             and (not f.until or (s.first_day is not None and s.first_day <= f.until))
             and (not f.outlet or f.outlet in s.outlets)
             and (keep is None or s.id in keep)]
    out = []
    for r in found[max(0, offset) : max(0, offset) + limit]:
        members = conn.execute(
            "SELECT id, title, COALESCE(outlet, source) AS outlet FROM articles WHERE story_id=?"
            " ORDER BY COALESCE(published, '9999'), published_time, seq", (r.id,)).fetchall()
        out.append({
            "id": r.id,
            "headline": choose_headline([m["title"] for m in members]),
            "articles": r.n,
            "outlets": list(dict.fromkeys(m["outlet"] for m in members if m["outlet"])),
            "members": [m["id"] for m in members],
            "first_seen": r.first_seen,
            "last_seen": r.last_seen,
        })
    return len(found), out


def _signature(rows: list[sqlite3.Row]) -> str:
    from marsad import __version__

    h = hashlib.sha1(__version__.encode())
    for r in rows:
        h.update(f"\x00{r['id']}\x01{r['duplicate_of'] or ''}".encode())
    return f"{len(rows)}:{h.hexdigest()[:16]}"


class ViewCache:
    """Story views: an in-process LRU in front of the store's `story_view_cache` table."""

    def __init__(self, db: str | Path, size: int = 512):
        self.db = db
        self.size = size
        self._mem: OrderedDict[tuple[str, str], dict] = OrderedDict()
        self._lock = threading.Lock()

    def story(self, conn: sqlite3.Connection, story_id: str) -> dict | None:
        """The story JSON contract (`story_json`) of `story_id`, or None if there is no such story."""
        rows = conn.execute("SELECT id, duplicate_of FROM articles WHERE story_id=? ORDER BY seq",
                            (story_id,)).fetchall()
        if not rows:
            return None
        sig = _signature(rows)
        key = (story_id, sig)
        with self._lock:
            if key in self._mem:
                self._mem.move_to_end(key)
                return self._mem[key]
        view = None
        try:
            row = conn.execute("SELECT signature, view FROM story_view_cache WHERE story_id=?",
                               (story_id,)).fetchone()
            if row is not None and row["signature"] == sig:
                view = json.loads(row["view"])
        except sqlite3.OperationalError:  # a store without the cache table (opened read-only)
            row = None
        if view is None:
            view = self._compute(conn, story_id)
            self._save(story_id, sig, view)
        with self._lock:
            self._mem[key] = view
            while len(self._mem) > self.size:
                self._mem.popitem(last=False)
        return view

    def _compute(self, conn: sqlite3.Connection, story_id: str) -> dict:
        from marsad.synthesize.view import build_view, story_json

        members = store.story_articles(conn, story_id)
        view = build_view(story_id, [s.article for s in members], {s.article.id: s.duplicate_of for s in members},
                          conn)
        return story_json(view)

    def _save(self, story_id: str, sig: str, view: dict) -> None:
        try:
            conn = sqlite3.connect(str(self.db), timeout=0.05, isolation_level=None)
            try:
                conn.execute("PRAGMA busy_timeout=50")
                conn.execute("INSERT OR REPLACE INTO story_view_cache(story_id, signature, view) VALUES(?,?,?)",
                             (story_id, sig, json.dumps(view, ensure_ascii=False)))
            finally:
                conn.close()
        except sqlite3.Error:  # busy (an ingest holds the write lock) or read-only: next time, then
            pass
