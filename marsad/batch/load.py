"""`marsad load`: a batch run's Parquet tables into the SQLite store, as if its pages had been ingested.

The store ends as `marsad ingest` leaves it, with the batch's decisions: pages and their accounting, articles
with their copy verdicts and stories, the full-text index, and the state later stages continue from. The
dedup index and the wire-passage index are filled by their own code (`DuplicateIndex`, `PassageIndex`,
given the articles in publication order as ingest gives them), so the copy verdicts are checked against the
batch's on the way; the online clusterer's state (document frequencies, stories' centroids and
keys) is rebuilt by folding each article into the story the batch gave it. A later `marsad ingest` into the
store therefore skips the pages already seen, finds copies of loaded articles and joins new articles to the
loaded stories that are still within its time window.

Articles are stored in publication order, all in one write transaction (`store.write_transaction`, the
store's one writer path): an interrupted load leaves the store as it was, and loading the same output twice
changes nothing. A store that holds articles from elsewhere is refused: the batch's stories and copies were
decided without them.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from marsad.batch import parquet
from marsad.cluster.batch import publication_order
from marsad.cluster.online import OnlineClusterer, StoryState
from marsad.dedup.common import published_at
from marsad.dedup.minhash import DuplicateIndex
from marsad.dedup.passages import PassageIndex
from marsad.model import Article
from marsad.store import search
from marsad.store import sqlite as store

log = logging.getLogger(__name__)

BATCH = 500  # articles signed and indexed together (one signing call, one executemany), as in ingest


class LoadError(RuntimeError):
    """The output cannot be loaded into this store (no finished run, or a store with other articles)."""


@dataclass(frozen=True)
class LoadReport:
    articles: int  # articles added now
    pages: int  # page rows added now
    already: int  # articles the store held already (a re-load)
    stories: int  # stories in the output
    disagreements: int  # copy verdicts of the store's dedup index that differ from the batch's (expected 0)


def _article(r: dict) -> Article:
    return Article(
        id=r["id"],
        origin=r["origin"],
        title=r["title"],
        body=tuple(r["body"] or ()),
        subtitle=r["subtitle"],
        outlet=r["outlet"],
        credited=tuple(r["credited"] or ()),
        published=r["published"],
        published_time=r["published_time"],
        language=r["language"],
        url=r["url"],
        source=r["source"],
    )


def join_story(clusterer: OnlineClusterer, article: Article, story_id: str, founder: str) -> None:
    """Fold `article` into story `story_id` as the online clusterer would had it decided so itself: document
    frequencies, the story's centroid, keys and member rows. A story no longer in memory is restored from
    its stored row; a new one is founded under the batch's id (its founder's)."""
    feats, hours = clusterer.prepare(article)
    state = clusterer.stories.get(story_id)
    if state is None and clusterer.conn is not None:
        row = clusterer.conn.execute(
            "SELECT id, founder, size, first_hours, last_hours, state FROM cluster_stories WHERE id=?",
            (story_id,),
        ).fetchone()
        state = StoryState.from_row(*row, {}) if row is not None else None
    if state is None:
        state = StoryState(story_id, founder, hours)
    clusterer.stories[story_id] = state
    clusterer.place(feats, hours, state, None)


def _stores_article(page: dict) -> bool:
    """A page row of an article the store keeps (ingested, or a copy), not a rejection or a repeated page."""
    return page["status"] != "rejected" and page["reason"] is None


@dataclass(frozen=True)
class _Output:
    """A finished run's tables, as load needs them."""

    articles: list[Article]
    copies: dict[str, dict]  # article id -> its `duplicates` row
    story: dict[str, str]  # article id -> story id
    founders: dict[str, str]  # story id -> founder
    pages: list[dict]

    @staticmethod
    def read(out: str) -> _Output:
        if parquet.read_manifest(out) is None:
            raise LoadError(f"no finished batch run in {out} (run `marsad batch ... --out {out}` first)")

        def table(name: str) -> list[dict]:
            return parquet.read_table(out, name).to_pylist()

        return _Output(
            [_article(r) for r in table("articles")],
            {r["article_id"]: r for r in table("duplicates")},
            {r["article_id"]: r["story_id"] for r in table("members")},
            {r["story_id"]: r["founder"] for r in table("stories")},
            table("pages"),
        )


def _store(
    conn: sqlite3.Connection,
    todo: list[Article],
    run: _Output,
    seen: set[tuple[str, str]],
    progress: Callable[[int], None] | None,
) -> tuple[int, int]:
    """Store `todo` (in publication order) as ingest would have with the run's decisions; returns (page rows
    added, copy verdicts of the store's dedup index that differ from the run's)."""
    own_page = {(r["page_id"], r["origin"]): r["status"] for r in run.pages if _stores_article(r)}
    dups, passages, clusterer = DuplicateIndex(conn), PassageIndex(conn), OnlineClusterer(conn)
    added = disagreements = 0
    for i in range(0, len(todo), BATCH):
        batch = todo[i : i + BATCH]
        verdicts = dups.add_many((a.id, a.text, published_at(a)) for a in batch)
        passages.add_many((a.id, a.body, published_at(a)) for a in batch)
        for a, verdict in zip(batch, verdicts, strict=True):
            copy = run.copies.get(a.id)
            theirs = copy["duplicate_of"] if copy else None
            disagreements += (verdict.duplicate_of if verdict else None) != theirs
            story = run.story[a.id]
            store.put_article(conn, a, theirs, copy["similarity"] if copy else None, story)
            if copy is None:  # copies are not clustered: they join their original's story
                join_story(clusterer, a, story, run.founders[story])
            if (a.id, a.origin) not in seen:
                store.record_page(conn, a.id, a.origin, own_page[(a.id, a.origin)], None, a.id)
                added += 1
        search.index_articles(conn, batch)
        if progress:
            progress(len(batch))
    clusterer.flush()
    # pages that stored no article: rejections and repeated pages
    rest = [r for r in run.pages if not _stores_article(r) and (r["page_id"], r["origin"]) not in seen]
    for r in rest:
        store.record_page(conn, r["page_id"], r["origin"], r["status"], r["reason"], r["article_id"])
    return added + len(rest), disagreements


def load_output(out: str, db: str | Path, progress: Callable[[int], None] | None = None) -> LoadReport:
    """Load the batch output at `out` (a folder or an fsspec URL) into the store at `db`."""
    run = _Output.read(out)
    conn = store.open_store(db)
    try:
        search.ensure_schema(conn)  # schema changes before the write lock, as ingest does
        with store.write_transaction(conn):  # read under the lock: an ingest may have just stored articles
            known = store.article_ids(conn)
            todo = [a for a in publication_order(run.articles) if a.id not in known]
            foreign = len(known - {a.id for a in run.articles})
            if todo and foreign:
                raise LoadError(
                    f"the store at {db} holds {foreign} articles that are not in {out}: load into a new store"
                )
            pages, disagreements = _store(conn, todo, run, store.seen_pages(conn), progress)
    finally:
        conn.close()
    if disagreements:
        log.warning(
            "load: %d copy verdicts of the store's dedup index differ from the batch's", disagreements
        )
    return LoadReport(len(todo), pages, len(run.articles) - len(todo), len(run.founders), disagreements)
