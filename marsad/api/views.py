"""Story views for the server: computed once, kept in the store, and computed ahead of the readers.

A story's view (`marsad.synthesize.view.story_json`) costs from tens of milliseconds (one article) to
seconds (hundreds: NER over every member, the summary). So that a request seldom pays it, the store keeps:

- `story_view_cache`: story id -> (signature, view JSON). The signature covers the members (ids and duplicate
  marks, in order) and marsad's version: a story that gains or loses a member, or a new marsad, no longer
  matches and is computed afresh. An in-process LRU (`ViewCache`) sits in front of it.
- `story_view_mentions`: article id -> its entity mentions, per marsad version. NER is most of a view's cost
  and depends on the article alone, so a story that gains one member tags only that one.

`ViewWarmer` computes every stale view in a child process (`warm_store`), at server start and whenever the
store changes (an ingest through the API or from any other process); costliest stories first. A request
for a view not warmed yet (the story changed a moment ago, or the first pass has not reached it) computes
it on the spot and stores it: always correct, only slower.

Not covered by the signature: whether a shared passage counts as boilerplate can change as other stories
gain articles (marsad.dedup.passages); a view keeps its wire passages until its own members change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from marsad.api.queries import read_connection, store_version
from marsad.enrich.entities import Mention
from marsad.model import Article
from marsad.store import sqlite as store
from marsad.synthesize.view import build_view, entity_text, story_json

log = logging.getLogger(__name__)

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS story_view_cache (story_id TEXT PRIMARY KEY, signature TEXT NOT NULL,"
    " view TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS story_view_mentions (article_id TEXT PRIMARY KEY, version TEXT NOT NULL,"
    " mentions TEXT NOT NULL)",  # JSON [[start, end, type], ...] into `entity_text` of the article
)


def ensure_schema(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA:
        conn.execute(statement)


def _version() -> str:
    from marsad import __version__

    return __version__


def signature(members: Sequence[tuple[str, str | None]]) -> str:
    """Of a story's (article id, duplicate of) in store order: what its cached view must have been made from."""
    h = hashlib.sha1(_version().encode())
    for article_id, duplicate_of in members:
        h.update(f"\x00{article_id}\x01{duplicate_of or ''}".encode())
    return f"{len(members)}:{h.hexdigest()[:16]}"


@dataclass(frozen=True)
class Computed:
    story_id: str
    signature: str  # of the members the view was computed from
    view: dict
    new_mentions: dict[str, list[Mention]]  # the ones tagged for it, not read from the store


def _stored_mentions(conn: sqlite3.Connection, articles: Sequence[Article]) -> dict[str, list[Mention]]:
    by_id = {a.id: a for a in articles}
    try:
        rows = conn.execute(
            "SELECT article_id, mentions FROM story_view_mentions WHERE version=?"
            " AND article_id IN (SELECT value FROM json_each(?))", (_version(), json.dumps(list(by_id)))).fetchall()
    except sqlite3.OperationalError:  # a store not prepared for serving (no table yet)
        return {}
    out: dict[str, list[Mention]] = {}
    for article_id, stored in rows:
        text = entity_text(by_id[article_id])
        out[article_id] = [Mention(s, e, text[s:e], t) for s, e, t in json.loads(stored)]
    return out


def compute_view(conn: sqlite3.Connection, story_id: str) -> Computed | None:
    """A story's view from the store as it is now (one read snapshot), reusing stored entity mentions."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # members, mentions and passages from one snapshot, whatever an ingest commits
    try:
        members = store.story_articles(conn, story_id)
        if not members:
            return None
        articles = [s.article for s in members]
        mentions = _stored_mentions(conn, articles)
        stored = set(mentions)
        view = build_view(story_id, articles, {s.article.id: s.duplicate_of for s in members}, conn, mentions)
    finally:
        if own:
            conn.execute("COMMIT")
    sig = signature([(s.article.id, s.duplicate_of) for s in members])
    return Computed(story_id, sig, story_json(view), {k: m for k, m in mentions.items() if k not in stored})


def save_views(conn: sqlite3.Connection, computed: Iterable[Computed]) -> None:
    """Store computed views and the mentions tagged for them, in one transaction."""
    computed = list(computed)
    if not computed:
        return
    version = _version()
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("INSERT OR REPLACE INTO story_view_cache(story_id, signature, view) VALUES(?,?,?)",
                         [(c.story_id, c.signature, json.dumps(c.view, ensure_ascii=False)) for c in computed])
        conn.executemany(
            "INSERT OR REPLACE INTO story_view_mentions(article_id, version, mentions) VALUES(?,?,?)",
            [(article_id, version, json.dumps([[m.start, m.end, m.type] for m in ms], ensure_ascii=False))
             for c in computed for article_id, ms in c.new_mentions.items()])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class ViewCache:
    """Story views for requests: an in-process LRU in front of `story_view_cache`; computed when missing."""

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
        key = (story_id, signature([(r[0], r[1]) for r in rows]))
        with self._lock:
            if key in self._mem:
                self._mem.move_to_end(key)
                return self._mem[key]
        view = self._stored(conn, *key)
        if view is None:  # not warmed yet: computed here, on the request path
            computed = compute_view(conn, story_id)
            if computed is None:
                return None
            self._save(computed)
            key, view = (story_id, computed.signature), computed.view
        with self._lock:
            self._mem[key] = view
            while len(self._mem) > self.size:
                self._mem.popitem(last=False)
        return view

    @staticmethod
    def _stored(conn: sqlite3.Connection, story_id: str, sig: str) -> dict | None:
        try:
            row = conn.execute("SELECT signature, view FROM story_view_cache WHERE story_id=?", (story_id,)).fetchone()
        except sqlite3.OperationalError:  # a store without the cache table (opened read-only)
            return None
        return json.loads(row[1]) if row is not None and row[0] == sig else None

    def _save(self, computed: Computed) -> None:
        """Best effort: a store busy with an ingest (the one writer) is not waited for."""
        try:
            conn = sqlite3.connect(str(self.db), timeout=0.05, isolation_level=None)
            try:
                conn.execute("PRAGMA busy_timeout=50")
                save_views(conn, [computed])
            finally:
                conn.close()
        except sqlite3.Error:  # busy or read-only: the warmer or the next request will store it
            pass


# -- warming ---------------------------------------------------------------------------------------------------


def stale_stories(conn: sqlite3.Connection) -> list[str]:
    """Stories whose stored view is missing or stale, costliest (most members) first."""
    members: dict[str, list[tuple[str, str | None]]] = {}
    for story_id, article_id, duplicate_of in conn.execute(
            "SELECT story_id, id, duplicate_of FROM articles WHERE story_id IS NOT NULL ORDER BY story_id, seq"):
        members.setdefault(story_id, []).append((article_id, duplicate_of))
    cached = dict(conn.execute("SELECT story_id, signature FROM story_view_cache").fetchall())
    stale = [s for s, rows in members.items() if cached.get(s) != signature(rows)]
    return sorted(stale, key=lambda s: (-len(members[s]), s))


def warm_store(db: str | Path, should_stop: Callable[[], bool] = lambda: False, flush_s: float = 1.0,
               busy_s: float = 60.0) -> int:
    """Compute and store every stale view of the store at `db` (see `stale_stories`), saving about every
    `flush_s` seconds so that the write lock is held briefly; forget views of stories that no longer exist.
    Returns how many views were stored. Ends early when an ingest holds the write lock for over `busy_s`
    seconds (its commit changes the store, and `ViewWarmer` runs another pass then)."""
    conn = store.connect(db)
    conn.execute(f"PRAGMA busy_timeout={int(busy_s * 1000)}")
    done = 0
    try:
        ensure_schema(conn)
        pending, last = [], time.monotonic()
        for story_id in stale_stories(conn):
            if should_stop():
                break
            computed = compute_view(conn, story_id)
            if computed is not None:
                pending.append(computed)
            if time.monotonic() - last >= flush_s:
                save_views(conn, pending)
                done, pending, last = done + len(pending), [], time.monotonic()
        save_views(conn, pending)
        conn.execute("DELETE FROM story_view_cache WHERE story_id NOT IN"
                     " (SELECT story_id FROM articles WHERE story_id IS NOT NULL)")
        return done + len(pending)
    except sqlite3.OperationalError as e:  # busy beyond the timeout: a long ingest holds the write lock
        log.warning("warming story views stopped after %d views: %s", done, e)
        return done
    finally:
        conn.close()


class ViewWarmer:
    """Keeps the store's views warm while the server runs: a thread that runs `warm_store` in a child process
    at start and whenever `store_version` has changed (checked every `poll_s` seconds, or at once on `poke`).

    A process, not a thread of the server: computing views is CPU-bound Python, which in the server would hold
    the GIL against request threads; the child runs at lower priority (nice), so requests come first."""

    def __init__(self, db: str | Path, poll_s: float = 2.0) -> None:
        self.db = Path(db)
        self.poll_s = poll_s
        self.passes = 0  # completed passes
        self._proc: subprocess.Popen | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="marsad-view-warmer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        """The store has just changed (an ingest through the API): look now."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def status(self) -> dict:
        return {"enabled": True, "warming": self._proc is not None, "passes": self.passes}

    def _run(self) -> None:
        warmed_for = None
        while not self._stop.is_set():
            try:
                conn = read_connection(self.db)
                try:
                    version = store_version(conn)
                finally:
                    conn.close()
                if version != warmed_for:
                    self._pass()
                    warmed_for = version  # a change during the pass gives a new version: one more pass
            except (OSError, sqlite3.Error):  # requests still get their views, computed on demand
                log.exception("warming story views")
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def _pass(self) -> None:
        self._proc = subprocess.Popen([sys.executable, "-m", "marsad.api.views", str(self.db)],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        try:
            while self._proc.poll() is None:
                if self._stop.wait(0.2):
                    self._proc.terminate()
                    self._proc.wait(timeout=10)
                    return
            if self._proc.returncode != 0:
                log.warning("warming story views failed (exit %s)", self._proc.returncode)
            self.passes += 1
        finally:
            self._proc = None


def main(argv: Sequence[str]) -> int:
    """`python -m marsad.api.views DB`: one warming pass, at low priority, ending early if its parent ends."""
    logging.basicConfig(level=logging.WARNING)
    if hasattr(os, "nice"):
        os.nice(10)
    parent = os.getppid()
    done = warm_store(argv[0], should_stop=lambda: os.getppid() != parent)
    log.info("warmed %d story views", done)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
