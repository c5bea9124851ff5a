"""The small records the batch stages pass between tasks and write as Parquet rows."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.model import Article
from marsad.pipeline import publication_order_key

# Where an input item stands in `marsad ingest`'s order: (held back for site templates, input file, item).
# Ingest extracts pages that need no template first and the held-back ones after: the first copy of a
# repeated page is the first in this order.
Seq = tuple[int, int, int]


@dataclass(frozen=True)
class PageRow:
    """One input page's accounting, as the store's `pages` table holds it."""

    page_id: str
    origin: str
    status: str  # ingested | duplicate | rejected
    reason: str | None
    article_id: str | None


@dataclass(frozen=True)
class Copy:
    """An article that copies an earlier one (the dedup index's verdict), and the original it leads back
    to by following `duplicate_of` (a copy belongs to its original's story)."""

    article_id: str
    duplicate_of: str
    similarity: float
    shared: float
    kind: str  # exact | near
    root: str


@dataclass(frozen=True)
class Member:
    """An article in a story, with what the story's row is made of."""

    story_id: str
    article_id: str
    order: tuple[str, str, str]  # publication order (ingest's): members are listed in it
    title: str | None
    outlet: str | None
    stamp: str | None  # "YYYY-MM-DD[THH:MM]", as `marsad stories` prints first/last seen


def member(a: Article, story_id: str) -> Member:
    stamp = (
        a.published.isoformat() + (f"T{a.published_time}" if a.published_time else "")
        if a.published
        else None
    )
    return Member(story_id, a.id, publication_order_key(a), a.title, a.outlet or a.source, stamp)


@dataclass(frozen=True)
class StoryOut:
    """A story as the `stories` table holds it; `founder` is the article its id is made from."""

    story_id: str
    headline: str | None
    founder: str
    size: int
    outlets: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
