"""A story's timeline: its members by publication time, with outlet, and the first and last report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from marsad.model import Article


@dataclass(frozen=True)
class TimelineEntry:
    published: str | None  # "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"
    article: str
    outlet: str | None
    title: str | None
    duplicate_of: str | None = None


def _stamp(a: Article) -> str | None:
    if a.published is None:
        return None
    return a.published.isoformat() + (f"T{a.published_time}" if a.published_time else "")


def timeline(members: Sequence[Article], duplicate_of: dict[str, str | None] | None = None) -> list[TimelineEntry]:
    """Members in publication order (undated last, then by id, so the order is stable)."""
    dup = duplicate_of or {}
    ordered = sorted(members, key=lambda a: (a.published or date.max, a.published_time or "", a.id))
    return [TimelineEntry(_stamp(a), a.id, a.outlet or a.source, a.title, dup.get(a.id)) for a in ordered]
