"""Files and folders: walk a folder, pick a reader by file type, and read single-page files.

File types, by extension (case-insensitive; each may also end in `.gz`, which is decompressed):
- `.txt`, `.text` -> Page(kind="text") (a plain-text dump of a page);
- `.html`, `.htm`, `.xhtml`, `.shtml`, and saved server pages `.php`, `.asp`, `.aspx`, `.jsp`
  -> Page(kind="html");
- `.jsonl`, `.ndjson` -> marsad.sources.jsonl; `.warc` -> marsad.sources.warc;
  `.xml`, `.rss`, `.atom` -> marsad.sources.feeds;
- no extension -> the first bytes decide (WARC, feed, JSONL, HTML, else text).
The type comes from the name, not the content: a `.txt` holding HTML stays text (a dump may quote tags).
Single-page files keep their raw bytes in Page.data; decoding happens at extraction (encoding.decode).

Folders are walked recursively: each folder's files in name order, then its subfolders in name order
(the same order on every machine). Hidden files and folders (".git", ".DS_Store") and documentation
files (*.md, *.rst, README, LICENSE, NOTICE ...) are not inputs and are skipped, logged at debug
level; every other file yields pages or a Rejection.

Bad input, each one Rejection with the path as origin: no such path, unsupported file type, an empty
file, a file over the page limit, a .gz that is not gzip, corrupt or over the limit once decompressed
(a gzip bomb stops at the limit), and an unreadable file or folder.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from marsad.model import Page, Rejection
from marsad.sources._io import MAX_PAGE_BYTES, InputError, open_binary, read_capped, sniff_kind
from marsad.sources.feeds import read_feed_bytes, read_feed_file
from marsad.sources.jsonl import read_jsonl
from marsad.sources.warc import read_warc

log = logging.getLogger(__name__)

PAGE_TYPES = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".php": "html",
    ".asp": "html",
    ".aspx": "html",
    ".jsp": "html",
}
JSONL_TYPES = {".jsonl", ".ndjson"}
WARC_TYPES = {".warc"}
FEED_TYPES = {".xml", ".rss", ".atom"}
DOC_TYPES = {".md", ".rst"}
DOC_NAMES = {"readme", "license", "licence", "notice", "copying", "authors", "changelog"}


def read_path(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Page | Rejection]:
    """Pages and rejections from a file or, recursively, a folder."""
    if path.is_dir():
        yield from read_folder(path, max_bytes)
    elif path.exists():
        yield from read_file(path, max_bytes)
    else:
        yield Rejection(str(path), "no such file or directory")


def read_folder(folder: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Page | Rejection]:
    """Every input file under `folder`, in sorted order, skipping hidden and documentation files."""
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        while errors:  # a subfolder that could not be listed
            e = errors.pop()
            yield Rejection(str(e.filename or root), f"cannot read folder: {e.strerror or e}")
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not_an_input(name):
                log.debug("skipped %s (hidden or documentation)", path)
                continue
            yield from read_file(path, max_bytes)
    for e in errors:
        yield Rejection(str(e.filename or folder), f"cannot read folder: {e.strerror or e}")


def read_file(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Page | Rejection]:
    """The pages of one file, by its type."""
    if not path.is_file():  # a FIFO or device would block or never end
        yield Rejection(str(path), "not a regular file")
        return
    suffix = file_type(path)
    if suffix in JSONL_TYPES:
        yield from read_jsonl(path, max_bytes)
    elif suffix in WARC_TYPES:
        yield from read_warc(path, max_bytes)
    elif suffix in FEED_TYPES:
        yield from read_feed_file(path, 4 * max_bytes)  # a feed holds many entries
    elif suffix in PAGE_TYPES:
        yield _page(path, PAGE_TYPES[suffix], max_bytes)
    elif suffix == "":
        yield from _sniffed(path, max_bytes)
    else:
        yield Rejection(str(path), f"unsupported file type '{suffix}'")


def file_type(path: Path) -> str:
    """The extension that says what a file holds, lower-case, past a trailing .gz: 'a.HTML.gz' -> '.html'."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    stem, dot, ext = name.rpartition(".")
    return "." + ext if dot and stem else ""


def _page(path: Path, kind: str, max_bytes: int) -> Page | Rejection:
    try:
        data = read_capped(path, max_bytes)
    except InputError as e:
        return Rejection(str(path), str(e))
    if not data.strip():
        return Rejection(str(path), "empty file" if not data else "empty file (whitespace only)")
    return Page(origin=str(path), kind=kind, data=data)


def _sniffed(path: Path, max_bytes: int) -> Iterator[Page | Rejection]:
    """A file without an extension: dispatch on what its first bytes look like."""
    try:
        with open_binary(path) as f:
            head = f.read(4096)
    except InputError as e:
        yield Rejection(str(path), str(e))
        return
    except (OSError, EOFError) as e:
        yield Rejection(str(path), f"cannot read: {e}")
        return
    kind = sniff_kind(head)
    log.debug("%s sniffed as %s", path, kind)
    if kind == "warc":
        yield from read_warc(path, max_bytes)
    elif kind == "jsonl":
        yield from read_jsonl(path, max_bytes)
    elif kind == "feed":
        try:
            data = read_capped(path, 4 * max_bytes)
        except InputError as e:
            yield Rejection(str(path), str(e))
            return
        yield from read_feed_bytes(data, str(path))
    else:
        yield _page(path, kind, max_bytes)


def not_an_input(name: str) -> bool:
    """Hidden files and a folder's documentation: README, LICENSE(.txt), SOURCE.md, notes.rst ..."""
    lower = name.lower()
    if lower.startswith("."):
        return True
    stem, dot, ext = lower.rpartition(".")
    if not dot:
        stem, ext = lower, ""
    return "." + ext in DOC_TYPES or (stem in DOC_NAMES and ext in ("", "txt"))
