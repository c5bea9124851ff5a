"""Wires the stages together; the only module that knows their order.

read (sources) -> extract -> dedup -> cluster -> store
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from urllib.parse import urlsplit

from marsad.model import Article, Page, Rejection

log = logging.getLogger(__name__)

# Articles deduplicated and indexed together (one signing call, one executemany); all batches of a run
# go into the run's one transaction (see `ingest`).
BATCH = 500


@dataclass(frozen=True)
class Extracted:
    """One input page and what extraction made of it."""

    page_id: str
    origin: str
    result: Article | Rejection


def rejection_id(r: Rejection) -> str:
    return r.id or "rj-" + hashlib.sha1(r.origin.encode("utf-8")).hexdigest()[:16]


def site_key(page: Page) -> str:
    """Pages of one site share template lines: group by URL host, else by folder."""
    if page.url:
        host = urlsplit(page.url).netloc
        if host:
            return host
    return str(Path(page.origin.split("#", 1)[0]).parent)


def learn_templates(pages: list[Page]):
    """Lines recurring across several pages of one site are template, not article."""
    from marsad.extract import text as text_extract

    by_site: dict[str, list[Page]] = defaultdict(list)
    for p in pages:
        if p.kind in ("text", "html"):
            by_site[site_key(p)].append(p)
    templates = {}
    for site, group in by_site.items():
        if len(group) >= 3:
            templates[site] = text_extract.learn_template(_page_text(p) for p in group)
    return templates


def _page_text(page: Page) -> str:
    from marsad.sources.encoding import DecodeError, decode

    if page.text is not None:
        return page.text
    try:
        return decode(page.data or b"", page.meta.get("charset"))
    except DecodeError:
        return ""


def extract_pages(inputs: Iterable[str], learn_template: bool = True) -> Iterator[Extracted]:
    """Read every input and extract each page; bad pages become rejections, never exceptions."""
    from marsad.sources import read

    pages: list[Page] = []
    for item in read(inputs):
        if isinstance(item, Rejection):
            yield Extracted(rejection_id(item), item.origin, item)
            continue
        if item.kind == "record" or not learn_template:
            yield Extracted(item.page_id, item.origin, extract_page(item))
        else:
            pages.append(item)  # held back until the batch's templates are known
    templates = learn_templates(pages) if pages else {}
    for p in pages:
        yield Extracted(p.page_id, p.origin, extract_page(p, templates.get(site_key(p))))


def extract_page(page: Page, template=None) -> Article | Rejection:
    """`extract`, where an error a parser raises on a hostile page rejects that page instead of stopping
    the batch. The traceback is logged: such a page is a bug to fix (fuzz/ hunts for them)."""
    from marsad.extract import extract

    try:
        return extract(page, template)
    except Exception as e:  # third-party parsers (lexbor, lxml, trafilatura) raise anything on hostile input
        log.exception("extraction failed on %s", page.origin)
        return Rejection(page.origin, f"extraction failed: {type(e).__name__}", page.id)


@dataclass
class IngestReport:
    ingested: int = 0
    duplicate: int = 0
    rejected: int = 0
    already: int = 0  # pages this store had seen before: re-ingesting changes nothing
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return self.ingested + self.duplicate + self.rejected + self.already


def publication_order_key(a: Article) -> tuple:
    return (a.published.isoformat() if a.published else "9999", a.published_time or "", a.id)


def _when(a: Article) -> datetime | date | None:
    if a.published and a.published_time:
        hour, minute = (int(x) for x in a.published_time.split(":")[:2])
        return datetime.combine(a.published, dtime(hour, minute))
    return a.published


def _stored_story(conn, article_id: str) -> str | None:
    row = conn.execute("SELECT story_id FROM articles WHERE id=?", (article_id,)).fetchone()
    return row[0] if row else None


def ingest(
    inputs: Iterable[str],
    db: str | Path,
    progress: Callable[[int], None] | None = None,
    dense: bool | None = None,
) -> IngestReport:
    """Ingest pages into the store at `db`: extract, deduplicate, cluster, store.

    `dense`: cluster with body embeddings too (`OnlineClusterer(dense=...)`); None follows the store's mode.

    Extraction runs first and holds no lock, so two ingests extract side by side.
    Then the store's one writer path (`store.write_transaction`): one ingest at a time deduplicates,
    clusters and stores its articles, in publication order as the online clusterer expects, in ONE
    transaction. A crash or `kill -9` leaves the store as it was before the run, and the same command
    again gives the store an uninterrupted run gives. (Commits per batch would lose less work to a crash,
    but a clusterer restored from the store mid-run does not place every later article where the one that
    ran on would: its index posting lists come back in another order, so the next run's story ids could
    differ.)
    """
    from marsad.store import search
    from marsad.store import sqlite as store

    extracted: list[Extracted] = []
    for ex in extract_pages(inputs):
        extracted.append(ex)
        if progress:
            progress(1)
    conn = store.open_store(db)
    try:
        search.ensure_schema(conn)  # schema changes before the write lock: readers never wait on them
        with store.write_transaction(conn):
            return _store_run(conn, extracted, dense)
    finally:
        conn.close()


def _store_run(conn, extracted: list[Extracted], dense: bool | None = None) -> IngestReport:
    """Account for every page and store the new articles (inside the caller's write transaction)."""
    from marsad.store import sqlite as store

    report = IngestReport()
    seen = store.seen_pages(conn)  # read under the write lock: another ingest may have just stored them
    known = store.article_ids(conn)
    articles: list[tuple[str, Article]] = []
    for ex in extracted:
        if (ex.page_id, ex.origin) in seen:
            report.already += 1
            continue
        seen.add((ex.page_id, ex.origin))
        if isinstance(ex.result, Article) and ex.result.id in known:
            # the same page again from another place: an exact copy of a stored article
            store.record_page(conn, ex.page_id, ex.origin, "duplicate", "same page as a stored article",
                              ex.result.id)
            report.duplicate += 1
        elif isinstance(ex.result, Rejection):
            store.record_page(conn, ex.page_id, ex.origin, "rejected", ex.result.reason)
            report.rejected += 1
            key = ex.result.reason.split(":", 1)[0]
            report.reasons[key] = report.reasons.get(key, 0) + 1
        else:
            known.add(ex.result.id)
            articles.append((ex.page_id, ex.result))
    articles.sort(key=lambda pa: publication_order_key(pa[1]))
    _store_articles(conn, articles, report, dense)
    return report


def _store_articles(
    conn, articles: list[tuple[str, Article]], report: IngestReport, dense: bool | None = None
) -> None:
    """Deduplicate, cluster and store new articles, batch by batch, in publication order."""
    from marsad.cluster.dense import embed_articles
    from marsad.cluster.online import OnlineClusterer
    from marsad.dedup.minhash import DuplicateIndex
    from marsad.dedup.passages import PassageIndex
    from marsad.store import search
    from marsad.store import sqlite as store

    if not articles:
        return
    dups = DuplicateIndex(conn)
    passages = PassageIndex(conn)
    clusterer = OnlineClusterer(conn, dense=dense)
    story_of: dict[str, str | None] = {}
    for i in range(0, len(articles), BATCH):
        batch = articles[i : i + BATCH]
        verdicts = dups.add_many((a.id, a.text, _when(a)) for _, a in batch)
        passages.add_many((a.id, a.body, _when(a)) for _, a in batch)
        vectors = {}
        if clusterer.dense:  # the articles to cluster, embedded in one call (copies are not clustered)
            fresh = [a for (_, a), dup in zip(batch, verdicts, strict=True) if dup is None]
            vectors = dict(zip((a.id for a in fresh), embed_articles(fresh), strict=True))
        for (page_id, a), dup in zip(batch, verdicts, strict=True):
            if dup is not None:
                # a copy joins the story of the earliest copy, without being clustered itself
                story = story_of.get(dup.duplicate_of) or _stored_story(conn, dup.duplicate_of)
                store.put_article(conn, a, dup.duplicate_of, dup.similarity, story)
                store.record_page(conn, page_id, a.origin, "duplicate", None, a.id)
                report.duplicate += 1
            else:
                story = clusterer.add(a, vectors.get(a.id))
                store.put_article(conn, a, None, None, story)
                store.record_page(conn, page_id, a.origin, "ingested", None, a.id)
                report.ingested += 1
            story_of[a.id] = story
        for moved in dups.repointed:  # an older copy arrived late: copies now point at it
            d = dups.get(moved)
            if d is not None:
                conn.execute("UPDATE articles SET duplicate_of=?, similarity=? WHERE id=?",
                             (d.duplicate_of, d.similarity, moved))
        search.index_articles(conn, (a for _, a in batch))  # full-text search, in the same transaction
    clusterer.flush()
