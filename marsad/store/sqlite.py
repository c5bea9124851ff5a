"""The embedded store: one SQLite file in WAL mode holding pages, articles and stories.

Every input page ends in `pages` as ingested, duplicate or rejected (with its reason), so counts add up.
Stage modules that keep state (dedup, cluster) own their tables and receive this store's connection;
`open_store` applies every schema, so opening an old file migrates it.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from marsad.model import Article

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 60  # how long one statement waits for a lock before SQLite says "database is locked"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    page_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ingested', 'duplicate', 'rejected')),
    reason TEXT,
    article_id TEXT,
    seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (page_id, origin)
);
CREATE INDEX IF NOT EXISTS pages_status ON pages(status, seen_at);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL,
    url TEXT,
    source TEXT,
    outlet TEXT,
    title TEXT,
    subtitle TEXT,
    credited TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    published_time TEXT,
    language TEXT,
    body TEXT NOT NULL,
    duplicate_of TEXT,
    similarity REAL,
    story_id TEXT
);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story_id);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
"""


@dataclass(frozen=True)
class StoredArticle:
    """An article as the store holds it, with what later stages decided about it."""

    article: Article
    duplicate_of: str | None
    similarity: float | None
    story_id: str | None


@dataclass(frozen=True)
class StoryRow:
    id: str
    members: tuple[str, ...]
    outlets: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection tuned for one writer and many readers (WAL, busy timeout)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    conn.execute("PRAGMA journal_mode=WAL")
    # an ingest's one transaction can grow the WAL to hundreds of MB; once checkpointed it shrinks to this
    conn.execute(f"PRAGMA journal_size_limit={64 * 2**20}")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def open_store(path: str | Path) -> sqlite3.Connection:
    """Open (or create) a store and bring its schema to the current version.

    A store already up to date is not written to, so opening one never waits for an ingest's lock."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    found = _schema_version(conn)
    if found > SCHEMA_VERSION:
        raise RuntimeError(f"store {path} has schema {found}, newer than this marsad ({SCHEMA_VERSION})")
    if found < SCHEMA_VERSION or _missing_objects(conn):
        with write_transaction(conn):
            for statement in SCHEMA.split(";"):  # executescript would commit the transaction
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO meta(key, value) VALUES('schema_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (str(SCHEMA_VERSION),),
            )
    return conn


def _missing_objects(conn: sqlite3.Connection) -> bool:
    """Whether a table or index of SCHEMA is missing (one added to SCHEMA without a version change)."""
    names = set(re.findall(r"CREATE (?:TABLE|INDEX) IF NOT EXISTS (\w+)", SCHEMA))
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    return not names <= have


def _schema_version(conn: sqlite3.Connection) -> int:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone() is None:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(row["value"]) if row else 0


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """The store's one writer path: BEGIN IMMEDIATE ... COMMIT, ROLLBACK when the block raises.

    IMMEDIATE takes the write lock before the first read: a deferred transaction that read first and then
    wants to write fails at once with "database is locked" when another writer committed in between (WAL
    cannot upgrade a stale snapshot), whatever the busy timeout. A second writer waits for the first to
    finish, however long its transaction takes; a writer killed mid-transaction leaves nothing behind."""
    _begin_immediate(conn)
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _begin_immediate(conn: sqlite3.Connection) -> None:
    waited = 0
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
        waited += BUSY_TIMEOUT_S  # each try waited the busy timeout in SQLite's own handler
        log.info("waiting for another writer to finish (%d s so far)", waited)


def seen_pages(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    """(page id, origin) of every page this store has accounted for."""
    return {(r[0], r[1]) for r in conn.execute("SELECT page_id, origin FROM pages")}


def article_ids(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT id FROM articles")}


def record_page(
    conn: sqlite3.Connection,
    page_id: str,
    origin: str,
    status: str,
    reason: str | None = None,
    article_id: str | None = None,
) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO pages(page_id, origin, status, reason, article_id) VALUES(?,?,?,?,?)",
        (page_id, origin, status, reason, article_id),
    )


def put_article(
    conn: sqlite3.Connection,
    a: Article,
    duplicate_of: str | None,
    similarity: float | None,
    story_id: str | None,
) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO articles(id, origin, url, source, outlet, title, subtitle, credited, published,"
        " published_time, language, body, duplicate_of, similarity, story_id)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            a.id,
            a.origin,
            a.url,
            a.source,
            a.outlet,
            a.title,
            a.subtitle,
            json.dumps(list(a.credited), ensure_ascii=False),
            a.published.isoformat() if a.published else None,
            a.published_time,
            a.language,
            json.dumps(list(a.body), ensure_ascii=False),
            duplicate_of,
            similarity,
            story_id,
        ),
    )


def _row_article(r: sqlite3.Row) -> StoredArticle:
    a = Article(
        id=r["id"],
        origin=r["origin"],
        title=r["title"],
        body=tuple(json.loads(r["body"])),
        subtitle=r["subtitle"],
        outlet=r["outlet"],
        credited=tuple(json.loads(r["credited"])),
        published=date.fromisoformat(r["published"]) if r["published"] else None,
        published_time=r["published_time"],
        language=r["language"],
        url=r["url"],
        source=r["source"],
    )
    return StoredArticle(a, r["duplicate_of"], r["similarity"], r["story_id"])


def iter_articles(conn: sqlite3.Connection, ids: Iterable[str] | None = None) -> Iterator[StoredArticle]:
    """Stored articles in ingest order (or the given ids, in that order)."""
    if ids is None:
        for r in conn.execute("SELECT * FROM articles ORDER BY seq"):
            yield _row_article(r)
        return
    for i in ids:
        r = conn.execute("SELECT * FROM articles WHERE id=?", (i,)).fetchone()
        if r is not None:
            yield _row_article(r)


def get_article(conn: sqlite3.Connection, article_id: str) -> StoredArticle | None:
    return next(iter_articles(conn, [article_id]), None)


def story_articles(conn: sqlite3.Connection, story_id: str) -> list[StoredArticle]:
    rows = conn.execute("SELECT * FROM articles WHERE story_id=? ORDER BY seq", (story_id,)).fetchall()
    return [_row_article(r) for r in rows]


def iter_stories(conn: sqlite3.Connection) -> Iterator[StoryRow]:
    """Stories as their members say: first/last seen from members' publication dates."""
    rows = conn.execute(
        "SELECT story_id, id, COALESCE(outlet, source) AS outlet, published, published_time FROM articles"
        " WHERE story_id IS NOT NULL ORDER BY story_id, COALESCE(published, '9999'), seq"
    )
    cur: str | None = None
    members: list[str] = []
    outlets: list[str] = []
    stamps: list[str] = []

    def flush() -> StoryRow:
        return StoryRow(cur, tuple(members), tuple(dict.fromkeys(outlets)), min(stamps, default=None),
                        max(stamps, default=None))

    for r in rows:
        if r["story_id"] != cur:
            if cur is not None:
                yield flush()
            cur, members, outlets, stamps = r["story_id"], [], [], []
        members.append(r["id"])
        if r["outlet"]:
            outlets.append(r["outlet"])
        if r["published"]:
            stamps.append(r["published"] + (f"T{r['published_time']}" if r["published_time"] else ""))
    if cur is not None:
        yield flush()


def page_counts(conn: sqlite3.Connection) -> dict[str, int]:
    counts = {"ingested": 0, "duplicate": 0, "rejected": 0}
    for r in conn.execute("SELECT status, COUNT(*) AS n FROM pages GROUP BY status"):
        counts[r["status"]] = r["n"]
    return counts


def last_rejections(conn: sqlite3.Connection, limit: int = 10) -> list[sqlite3.Row]:
    # rowid breaks ties: the pages of one run can share a timestamp
    return conn.execute(
        "SELECT origin, reason, seen_at FROM pages WHERE status='rejected' ORDER BY seen_at DESC, rowid DESC"
        " LIMIT ?",
        (limit,),
    ).fetchall()


def rejection_reasons(conn: sqlite3.Connection) -> dict[str, int]:
    """Rejected pages per kind of reason, most first: the reason up to its first ':' or '(' (the rest
    names a byte, a line or a size)."""
    counts: dict[str, int] = {}
    for reason, n in conn.execute("SELECT reason, COUNT(*) FROM pages WHERE status='rejected' GROUP BY reason"):
        key = re.split(r"[:(]", reason or "no reason given", maxsplit=1)[0].strip()
        counts[key] = counts.get(key, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
