"""What an extractor found on one page, before it becomes an Article (named apart from pipeline.Extracted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PageFields:
    """Fields of an article as a page shows them. `body` paragraphs are verbatim display text."""

    body: tuple[str, ...]
    title: str | None = None
    subtitle: str | None = None
    outlet: str | None = None
    credited: tuple[str, ...] = ()
    published: date | None = None
    published_time: str | None = None  # "HH:MM"
