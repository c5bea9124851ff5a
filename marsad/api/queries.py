"""What the API and the page read from the store: connections, story lists with filters. Story views are in
marsad.api.views."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from marsad.store import search
from marsad.store import sqlite as store


def prepare_store(db: str | Path) -> None:
    """Bring a store up to date for serving: schema, search index (backfilled), the views' tables, the table
    that lets a story's passages be read without the passage index, and this process' story table."""
    from marsad.api import views
    from marsad.dedup.passages import ensure_capped

    conn = store.open_store(db)
    try:
        search.ensure_schema(conn)
        views.ensure_schema(conn)
        ensure_capped(conn)
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


def store_version(conn: sqlite3.Connection) -> tuple:
    """Changes with every ingest that changes anything: it records pages, and new articles raise the largest
    seq."""
    return tuple(conn.execute("SELECT (SELECT MAX(seq) FROM articles), (SELECT MAX(rowid) FROM pages)").fetchone())


def _story_table(conn: sqlite3.Connection) -> list[_StoryRow]:
    """Every story's aggregates, newest last report first, then the larger story. Kept in memory per store
    and recomputed when `store_version` changed."""
    key = store_version(conn)
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
