"""The records that flow between marsad's stages.

sources -> Page -> extract -> Article | Rejection
Records are small, frozen and typed; stages are functions from records to records.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Page:
    """One input item as a reader found it, before extraction.

    Exactly one of `data` (raw bytes, encoding unknown), `text` (already decoded) is set.
    `kind` says what the content is: "html", "text" (a plain-text dump of a page) or
    "record" (an article already extracted upstream, e.g. a JSONL line with title/content).
    `meta` carries what the container said about the item (JSONL fields, WARC headers, feed entry).
    """

    origin: str  # where it came from: a path, "path#line", "warc-path#offset", a URL
    kind: str  # "html" | "text" | "record"
    data: bytes | None = None
    text: str | None = None
    url: str | None = None
    id: str | None = None  # an id given by the input (kept as the article id)
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def page_id(self) -> str:
        """The input's own id, else a stable id from the content."""
        if self.id:
            return self.id
        h = hashlib.sha1()
        h.update(self.data if self.data is not None else (self.text or "").encode("utf-8"))
        return "pg-" + h.hexdigest()[:16]


@dataclass(frozen=True)
class Rejection:
    """A page that could not become an article, and why. Nothing is dropped silently."""

    origin: str
    reason: str
    id: str | None = None


@dataclass(frozen=True)
class Article:
    """A clean article. `body` paragraphs are verbatim display text; matching keys come from marsad.arabic."""

    id: str
    origin: str
    title: str | None
    body: tuple[str, ...]
    subtitle: str | None = None
    outlet: str | None = None
    credited: tuple[str, ...] = ()
    published: date | None = None
    published_time: str | None = None  # "HH:MM"
    language: str | None = None
    url: str | None = None
    source: str | None = None  # the input's outlet slug, when it gave one (e.g. "okaz")

    @property
    def text(self) -> str:
        return "\n".join(self.body)
