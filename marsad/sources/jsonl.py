"""JSONL reader: one page or article a line, optionally gzip-compressed.

Each line is a JSON object:
- `id` -> Page.id (kept as the article id); `url` (or `link`) -> Page.url;
- `content`, `text` or `body` (a string, or a list of paragraphs) -> Page(kind="record", text=...):
  an article already extracted upstream;
- otherwise `html` -> Page(kind="html", text=html): a page still to extract;
- every other field goes to `meta` as given (`title`, `author`, `source` = an outlet slug, `outlet` =
  an outlet name, `date`, ...); `published`, or else `date`, is also copied to meta["published"], the
  key all readers use for the publication date as the input wrote it.

Bad input, each one Rejection with origin "path#L<n>" (blank lines are not items and are skipped):
a line that is not UTF-8, not JSON, not a JSON object, has no content field or only an empty one,
repeats an id seen earlier in the file, or is longer than the page limit. The file goes on after each.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from marsad.model import Page, Rejection
from marsad.sources._io import MAX_PAGE_BYTES, InputError, mib, open_binary

log = logging.getLogger(__name__)

RECORD_FIELDS = ("content", "text", "body")  # already-extracted article text, first non-empty wins
HTML_FIELDS = ("html",)
_NOT_META = (*RECORD_FIELDS, *HTML_FIELDS, "id", "url", "link")  # the page's own fields, not repeated in meta
_SKIP_BUDGET = 16  # an over-long line is skipped for at most this many limits before giving up


def read_jsonl(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Page | Rejection]:
    """Pages and rejections from a .jsonl or .jsonl.gz file, one per non-blank line."""
    try:
        f = open_binary(path)
    except InputError as e:
        yield Rejection(str(path), str(e))
        return
    except OSError as e:
        yield Rejection(str(path), f"cannot read: {e.strerror or e}")
        return
    seen: dict[str, int] = {}
    with f:
        try:
            yield from _lines(f, path, max_bytes, seen)
        except (OSError, EOFError, zlib.error) as e:  # a corrupt or truncated gzip surfaces mid-file
            yield Rejection(str(path), f"file ends badly, rest not read: {e}")


def _lines(f: BinaryIO, path: Path, max_bytes: int, seen: dict[str, int]) -> Iterator[Page | Rejection]:
    n = 0
    while True:
        raw = f.readline(max_bytes + 1)
        if not raw:
            return
        n += 1
        origin = f"{path}#L{n}"
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            if not _skip_rest_of_line(f, max_bytes * _SKIP_BUDGET):
                yield Rejection(
                    origin, f"line over the {mib(max_bytes)} limit and no line end; rest of file not read"
                )
                return
            yield Rejection(origin, f"line over the {mib(max_bytes)} limit")
            continue
        if not raw.strip():
            continue
        yield _parse(raw, origin, seen, n)


def _skip_rest_of_line(f: BinaryIO, budget: int) -> bool:
    """Read past the current line's end; False when no end comes within `budget` bytes."""
    while budget > 0:
        chunk = f.readline(1 << 20)
        if not chunk:
            return True  # the file ended: nothing more to skip
        if chunk.endswith(b"\n"):
            return True
        budget -= len(chunk)
    return False


def _parse(raw: bytes, origin: str, seen: dict[str, int], n: int) -> Page | Rejection:
    try:
        line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
    except UnicodeDecodeError as e:
        return Rejection(origin, f"line is not valid UTF-8 (byte {e.start})")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return Rejection(origin, f"invalid JSON: {e.msg} at column {e.colno}")
    except RecursionError:
        return Rejection(origin, "invalid JSON: nested too deeply")
    if not isinstance(obj, dict):
        return Rejection(origin, f"line is a JSON {type(obj).__name__}, not an object")

    raw_id = obj.get("id")
    page_id = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None
    if page_id is not None:
        if page_id in seen:
            return Rejection(origin, f"duplicate id {page_id} (first at line {seen[page_id]})", id=page_id)
        seen[page_id] = n

    kind, text, reason = _content(obj)
    if text is None:
        return Rejection(origin, reason, id=page_id)
    meta = {k: v for k, v in obj.items() if k not in _NOT_META and v is not None}
    published = obj.get("published") or obj.get("date")
    if published:
        meta["published"] = published
    url = obj.get("url") or obj.get("link")
    return Page(
        origin=origin, kind=kind, text=text, url=url if isinstance(url, str) else None, id=page_id, meta=meta
    )


def _content(obj: dict) -> tuple[str, str | None, str]:
    """(kind, text, why-not): the record text if any, else the HTML, else the reason there is none."""
    present: list[str] = []
    for kind, fields in (("record", RECORD_FIELDS), ("html", HTML_FIELDS)):
        for name in fields:
            if name not in obj or obj[name] is None:
                continue
            present.append(name)
            value = obj[name]
            if isinstance(value, list) and all(isinstance(p, str) for p in value):
                value = "\n".join(value)  # a body given as paragraphs
            if not isinstance(value, str):
                return kind, None, f"field '{name}' is not text ({type(value).__name__})"
            if value.strip():
                return kind, value, ""
    if present:
        return "record", None, f"empty content ({', '.join(present)})"
    return "record", None, "no content field (expected one of " + ", ".join(RECORD_FIELDS + HTML_FIELDS) + ")"
