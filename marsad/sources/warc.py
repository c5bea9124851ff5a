"""WARC reader (warcio): HTTP responses of a crawl as pages, from .warc or .warc.gz.

- `response` records with an HTTP payload, and `resource` records (a document stored without HTTP),
  become Page(kind="html") for text/html and application/xhtml+xml, Page(kind="text") for text/plain,
  with `data` the payload bytes (transfer and content encodings undone), `url` the WARC-Target-URI,
  and meta: charset (from Content-Type, for decode()), content_type, http_status, fetched (WARC-Date:
  when it was crawled, not when it was published), warc_record_id, and truncated when the crawler
  cut the record short.
- `request`, `metadata`, `warcinfo`, `revisit` and `conversion` records are not pages: skipped quietly.

Bad input, each one Rejection with origin "path#<record offset>" and the file goes on: a response
that is not 2xx ("HTTP 404"), one that is not a page ("not a page: image/png"), an empty payload, a
payload over the page limit, a content encoding that fails. A file that is not a WARC (it must start
with "WARC/"), or is corrupt or truncated, gives one Rejection at the point where reading stopped
(records after a corrupt one cannot be found); the records before it are kept.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from marsad.model import Page, Rejection
from marsad.sources._io import MAX_PAGE_BYTES, InputError, mib, open_binary, sniff_kind

log = logging.getLogger(__name__)

PAGE_RECORDS = ("response", "resource")
# What warcio raises while parsing malformed records: these for bad headers and corrupt gzip members, and
# AttributeError/TypeError/KeyError/IndexError where a record lacks a header it assumes (a response
# without WARC-Target-URI). Only warcio's parsing is guarded by this; an error in marsad's own code raises.
_WARCIO_ERRORS = (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError, AttributeError, TypeError,
                  KeyError, IndexError, OverflowError)  # OverflowError: a Content-Length of 25 digits
KINDS = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}


def read_warc(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Page | Rejection]:
    """Pages and rejections from the response and resource records of a WARC file."""
    problem = _not_a_warc(path)
    if problem:
        yield Rejection(str(path), problem)
        return
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        records = ArchiveIterator(f)
        stream = iter(records)
        while True:
            try:
                record = next(stream, None)
                if record is None:
                    records.read_to_end()
                    break
            except _WARCIO_ERRORS as e:
                yield Rejection(f"{path}#{records.offset}", f"malformed WARC, rest of file not read: {_short(e)}")
                return
            # The record's start; get_record_offset() would read the record to its end first.
            item = _page(record, f"{path}#{records.offset}", max_bytes)
            if item is not None:
                yield item
    if records.offset < size:
        # warcio ends quietly on a file cut inside a record; say so rather than drop the rest unseen.
        rest = size - records.offset
        yield Rejection(
            f"{path}#{records.offset}", f"truncated WARC: the last {rest} bytes are not a whole record"
        )


def _not_a_warc(path: Path) -> str | None:
    """Why `path` cannot be read as a WARC, if it cannot. (warcio would read some junk as ARC.)"""
    try:
        with open_binary(path) as f:
            head = f.read(5)
    except InputError as e:
        return str(e)
    except (OSError, EOFError, zlib.error) as e:
        return f"cannot read: {_short(e)}"
    if not head:
        return "empty file"
    if head != b"WARC/":
        return f"not a WARC file (starts with {head!r})"
    return None


def _page(record: ArcWarcRecord, origin: str, max_bytes: int) -> Page | Rejection | None:
    rtype = record.rec_type
    if not rtype:
        return Rejection(origin, "malformed WARC record: no WARC-Type")
    if rtype not in PAGE_RECORDS:
        log.debug("%s: %s record skipped", origin, rtype)
        return None
    headers = record.http_headers if rtype == "response" else None
    if rtype == "response" and headers is None:
        ctype = record.rec_headers.get_header("Content-Type") or "no HTTP headers"
        return Rejection(origin, f"not a page: response record without HTTP ({ctype})")
    status = None
    if headers is not None:
        code = headers.get_statuscode()
        status = int(code) if code and code.isascii() and code.isdigit() else None  # "²00" is no status
        if status is None or not 200 <= status < 300:
            return Rejection(origin, f"HTTP {code or 'status missing'}")
    content_type = (headers or record.rec_headers).get_header("Content-Type") or ""
    mime, charset = _parse_content_type(content_type)

    try:
        payload = record.content_stream().read(max_bytes + 1)
        cut = _cut_short(record)
    except _WARCIO_ERRORS as e:
        return Rejection(origin, f"cannot decode the payload's content encoding: {_short(e)}")
    if len(payload) > max_bytes:
        return Rejection(origin, f"payload over the {mib(max_bytes)} limit")
    if not payload.strip():
        return Rejection(origin, "empty payload")
    if mime:
        kind = KINDS.get(mime)
        if kind is None:
            return Rejection(origin, f"not a page: {mime}")
    else:
        kind = sniff_kind(payload)  # no Content-Type: look at the bytes
        if kind not in ("html", "text"):
            return Rejection(origin, f"not a page: untyped payload that looks like {kind}")

    meta: dict = {"content_type": mime or None, "charset": charset, "http_status": status}
    meta["fetched"] = record.rec_headers.get_header("WARC-Date")
    meta["warc_record_id"] = record.rec_headers.get_header("WARC-Record-ID")
    truncated = record.rec_headers.get_header("WARC-Truncated") or cut
    if truncated:
        meta["truncated"] = truncated  # the crawler's reason ("length", "time"), or where the file ended
        log.warning("%s: truncated record (%s)", origin, truncated)
    return Page(
        origin=origin,
        kind=kind,
        data=payload,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        meta={k: v for k, v in meta.items() if v is not None},
    )


def _cut_short(record: ArcWarcRecord) -> str | None:
    """'file ended inside the record' when the file holds less than the record's Content-Length."""
    raw = record.raw_stream
    while raw.read(1 << 16):  # whatever the payload reader left (trailers); nothing for whole records
        pass
    return "file ended inside the record" if getattr(raw, "limit", 0) > 0 else None


def _parse_content_type(value: str) -> tuple[str, str | None]:
    """('text/html', 'windows-1256') from 'text/html; charset="windows-1256"'."""
    parts = value.split(";")
    mime = parts[0].strip().lower()
    charset = None
    for p in parts[1:]:
        name, _, v = p.partition("=")
        if name.strip().lower() == "charset" and v.strip():
            charset = v.strip().strip("\"'")
    return mime, charset


def _short(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    return text if len(text) <= 200 else text[:200] + "…"
