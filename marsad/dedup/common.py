"""What the two dedup indexes share: the "earliest copy" order and the parameters row they persist.

Earliest is decided by publication, never by insertion order, so that a stream that delivers an older
article late still names the older one first. The rule, used everywhere in marsad.dedup:

    order key = (publication time as an ISO string, article id); undated articles come after all dated ones.

A `date` sorts before any `datetime` of the same day (its ISO string is a prefix), and ties go to the smaller id.
Aware datetimes are compared in UTC; naive ones are taken as they are.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime

from marsad.model import Article

Published = datetime | date | None

META_SCHEMA = "CREATE TABLE IF NOT EXISTS dedup_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"

# Sorts after every ISO date/datetime: undated articles are never "first" over a dated copy.
_UNDATED = "\uffff"


class IndexVersionError(RuntimeError):
    """The stored signatures were made with other parameters or another algorithm version.

    They cannot be compared with new ones; the index must be rebuilt from the articles' text."""


def published_iso(published: Published) -> str | None:
    """The ISO string stored for `published` (UTC for aware datetimes, seconds precision)."""
    if published is None:
        return None
    if isinstance(published, datetime):
        if published.tzinfo is not None:
            published = published.astimezone(UTC).replace(tzinfo=None)
        return published.isoformat(timespec="seconds")
    return published.isoformat()


def order_key(published_iso_: str | None, article_id: str) -> tuple[str, str]:
    """The "earliest copy" sort key of an article from its stored ISO publication string."""
    return (published_iso_ or _UNDATED, article_id)


def published_at(article: Article) -> Published:
    """An article's publication as precisely as it is known: date plus "HH:MM" when the page gave a time."""
    if article.published is None:
        return None
    if article.published_time:
        try:
            hh, mm = (int(x) for x in article.published_time.split(":")[:2])
            return datetime(article.published.year, article.published.month, article.published.day, hh, mm)
        except ValueError:  # a malformed time is no reason to lose the date
            pass
    return article.published


def create_tables(conn: sqlite3.Connection, schema: str) -> None:
    """Run CREATE ... IF NOT EXISTS statements one by one (executescript would commit the caller's work)."""
    statement = ""
    for line in schema.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):  # knows about ";" inside comments and strings
            conn.execute(statement)
            statement = ""


def check_meta(conn: sqlite3.Connection, name: str, params: dict, empty: bool) -> None:
    """Record `params` under `name`, or refuse if the index already holds rows made with other ones."""
    row = conn.execute("SELECT value FROM dedup_meta WHERE name=?", (name,)).fetchone()
    stored = json.loads(row[0]) if row else None
    if stored is None or (empty and stored != params):
        conn.execute(
            "INSERT INTO dedup_meta(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value=excluded.value",
            (name, json.dumps(params, sort_keys=True)),
        )
        return
    if stored != params:
        changed = sorted(k for k in set(stored) | set(params) if stored.get(k) != params.get(k))
        raise IndexVersionError(
            f"{name}: stored with other parameters ({', '.join(changed)}): {stored} != {params}; "
            "drop the dedup tables and re-add the articles"
        )
