"""Reading files for the readers: gzip by its magic bytes, and size caps that survive gzip bombs."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO

MAX_PAGE_BYTES = 16 * 2**20  # one page, after decompression; news pages are far smaller
_CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"


class InputError(Exception):
    """An input that cannot be read; the message is the reason for the Rejection."""


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n % 2**20 else f"{n // 2**20} MiB"


def is_gzip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(2) == GZIP_MAGIC


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes as a stream, gunzipped when the file is gzip (whatever its name says)."""
    gz = is_gzip(path)
    if not gz and path.name.lower().endswith(".gz") and path.stat().st_size > 0:  # empty: say so later
        raise InputError("not gzip data despite the .gz name")
    if gz:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_capped(path: Path, limit: int = MAX_PAGE_BYTES) -> bytes:
    """The whole file (gunzipped if gzip), or InputError when it is over `limit` bytes or corrupt.

    Decompression stops at the limit, so a gzip bomb costs `limit` bytes of memory, not its full size.
    """
    try:
        size = path.stat().st_size
        gz = is_gzip(path)
        if not gz and size > limit:
            raise InputError(f"file too large: {mib(size)} (limit {mib(limit)})")
        with open_binary(path) as f:
            data = _read_upto(f, limit + 1)
    except InputError:
        raise
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise InputError(f"corrupt or truncated gzip data: {e}") from e
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}") from e
    if len(data) > limit:
        reason = "decompressed size over limit" if gz else "file too large"
        raise InputError(f"{reason} ({mib(limit)})")
    return data


def _read_upto(f: BinaryIO, n: int) -> bytes:
    buf = io.BytesIO()
    while buf.tell() < n:
        chunk = f.read(min(_CHUNK, n - buf.tell()))
        if not chunk:
            break
        buf.write(chunk)
    return buf.getvalue()


_HTML_MARKERS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<meta ",
    b"<title",
    b"<div",
    b"<p>",
    b"<p ",
)
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")


def sniff_kind(head: bytes) -> str:
    """What the first bytes of an unnamed input look like: 'warc', 'feed', 'jsonl', 'html' or 'text'."""
    h = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if h.startswith(b"warc/"):
        return "warc"
    if any(m in h for m in _FEED_MARKERS) and b"<html" not in h:
        return "feed"
    if h.startswith(b"{"):
        return "jsonl"
    if any(m in h for m in _HTML_MARKERS):
        return "html"
    return "text"
