"""RSS and Atom reader (feedparser): each entry of a feed file or an http(s) feed URL is one page.

An entry becomes Page(kind="html", text=<its content HTML, else its summary>) (kind "text" when the
feed marks it text/plain), url = the entry's link, origin "<feed>#entry<n>", and meta: title,
published (as the feed wrote it), published_utc (ISO 8601, when feedparser could parse the date),
author, outlet (the feed's title), feed (its path or URL), entry_id, and summary when content was used.
Feed entries are often excerpts: the page is what the feed holds, nothing is fetched per entry.

URLs are fetched with urllib under a timeout and a size cap; nothing else goes on the network.
Bad input, each one Rejection: a URL that cannot be fetched (with the HTTP status or network error),
data that is not RSS/Atom, a feed with no entries, and per entry one with no content or summary.
Malformed XML that feedparser still reads is kept (logged); the entries it recovers are pages.
"""

from __future__ import annotations

import calendar
import gzip
import http.client
import io
import logging
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from marsad.model import Page, Rejection
from marsad.sources._io import GZIP_MAGIC, MAX_PAGE_BYTES, InputError, mib, read_capped

log = logging.getLogger(__name__)

FEED_TIMEOUT_S = 20.0
FEED_MAX_BYTES = 4 * MAX_PAGE_BYTES  # a feed holds many entries
USER_AGENT = "marsad/0.1 (Arabic news story engine)"


def read_feed_file(path: Path, max_bytes: int = FEED_MAX_BYTES) -> Iterator[Page | Rejection]:
    """Entries of an RSS/Atom file (optionally gzip-compressed)."""
    try:
        data = read_capped(path, max_bytes)
    except InputError as e:
        yield Rejection(str(path), str(e))
        return
    yield from read_feed_bytes(data, str(path))


def read_feed_url(
    url: str, timeout: float = FEED_TIMEOUT_S, max_bytes: int = FEED_MAX_BYTES
) -> Iterator[Page | Rejection]:
    """Entries of the feed at an http(s) URL; an unreachable URL is one Rejection."""
    try:
        data, headers = _fetch(url, timeout, max_bytes)
    except InputError as e:
        yield Rejection(url, str(e))
        return
    yield from read_feed_bytes(data, url, headers)


def read_feed_bytes(
    data: bytes, origin: str, headers: dict[str, str] | None = None
) -> Iterator[Page | Rejection]:
    """Entries of a feed held in memory; `headers` are the HTTP response headers, if fetched."""
    if not data.strip():
        yield Rejection(origin, "empty file")
        return
    try:
        parsed = feedparser.parse(data, response_headers=headers or {}, resolve_relative_uris=False)
    except Exception as e:  # feedparser's failure modes are undocumented; one bad feed must not stop a batch
        log.exception("feedparser failed on %s", origin)
        yield Rejection(origin, f"cannot parse feed: {type(e).__name__}: {e}")
        return
    problem = parsed.get("bozo_exception")
    if not parsed.get("version") and not parsed.entries:
        yield Rejection(origin, "not an RSS or Atom feed" + (f" ({problem})" if problem else ""))
        return
    if not parsed.entries:
        yield Rejection(origin, "feed has no entries")
        return
    if problem:
        log.warning("%s: malformed feed, %d entries recovered: %s", origin, len(parsed.entries), problem)
    outlet = parsed.feed.get("title") or None
    for i, entry in enumerate(parsed.entries, 1):
        yield _entry(entry, f"{origin}#entry{i}", origin, outlet)


def _entry(entry: dict, origin: str, feed: str, outlet: str | None) -> Page | Rejection:
    body, ctype, from_content = _body(entry)
    if not body:
        return Rejection(origin, "feed entry has no content or summary")
    meta = {
        "title": entry.get("title"),
        "published": entry.get("published") or entry.get("updated"),
        "published_utc": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        "author": entry.get("author"),
        "outlet": outlet,
        "feed": feed,
        "entry_id": entry.get("id"),
        "summary": entry.get("summary") if from_content and entry.get("summary") != body else None,
    }
    return Page(
        origin=origin,
        kind="text" if ctype == "text/plain" else "html",
        text=body,
        url=entry.get("link") or None,
        meta={k: v for k, v in meta.items() if v},
    )


def _body(entry: dict) -> tuple[str, str, bool]:
    """(text, content type, came from <content>): the longest content, else the summary."""
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        return best["value"], best.get("type") or "text/html", True
    summary = entry.get("summary") or ""
    detail = entry.get("summary_detail") or {}
    return (summary if summary.strip() else ""), detail.get("type") or "text/html", False


def _iso(parsed: time.struct_time | None) -> str | None:
    """ISO 8601 from feedparser's parsed date (a struct_time in UTC)."""
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
    except (OverflowError, ValueError, OSError):
        return None


def _fetch(url: str, timeout: float, max_bytes: int) -> tuple[bytes, dict[str, str]]:
    """The body and headers at `url`, or InputError saying why not."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
            headers = {k.lower(): v for k, v in response.headers.items()}
            headers["content-location"] = response.geturl()
    except urllib.error.HTTPError as e:
        raise InputError(f"cannot fetch feed: HTTP {e.code} {e.reason}") from e
    except urllib.error.URLError as e:
        raise InputError(f"cannot fetch feed: {e.reason}") from e
    except (TimeoutError, http.client.HTTPException, OSError, ValueError) as e:
        raise InputError(f"cannot fetch feed: {type(e).__name__}: {e}") from e
    if len(data) > max_bytes:
        raise InputError(f"feed over the {mib(max_bytes)} limit")
    if data.startswith(GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as g:
                data = g.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as e:
            raise InputError(f"corrupt gzip from server: {e}") from e
        if len(data) > max_bytes:
            raise InputError(f"decompressed size over limit ({mib(max_bytes)})")
        headers.pop("content-encoding", None)
    return data, headers
