"""Readers: turn inputs (files, folders, JSONL, WARC, RSS/Atom feeds) into Page records.

    from marsad.sources import read
    for item in read(["examples/", "crawl.warc.gz", "https://example.com/rss.xml"]):
        ...  # a marsad.model.Page, or a marsad.model.Rejection saying why an item could not be read

`read` dispatches on each input: an http(s) URL is a feed; a folder is walked recursively (sorted);
a file goes by its extension (see marsad.sources.files): .txt/.html/.htm (one page each), .jsonl,
.warc, .xml/.rss/.atom, each optionally .gz. A missing path is a Rejection ("no such file or
directory"). Readers never raise on bad input: a bad item is one Rejection with its reason and
origin ("path", "path#L12", "path#<warc offset>", "feed#entry3") and reading goes on.

Pages carry raw bytes (`data`, from files and WARC: decode them with marsad.sources.encoding.decode,
passing meta["charset"] when set) or text (`text`, from JSONL and feeds). `meta` uses these keys
where the input gives them: title, outlet (a publication's name), source (an outlet slug), published
(the publication date as the input wrote it), author, charset, content_type, fetched (crawl time);
JSONL lines also keep their other fields as given.

Modules, one job each: encoding (bytes -> text), files (filesystem and dispatch), jsonl, warc, feeds.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.model import Page, Rejection
from marsad.sources._io import MAX_PAGE_BYTES
from marsad.sources.encoding import DecodeError, decode
from marsad.sources.feeds import FEED_TIMEOUT_S, read_feed_url
from marsad.sources.files import read_path

__all__ = ["MAX_PAGE_BYTES", "DecodeError", "decode", "read"]


def read(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = MAX_PAGE_BYTES,
    timeout: float = FEED_TIMEOUT_S,
) -> Iterator[Page | Rejection]:
    """Every page of every input, in input order, with a Rejection for each item that cannot be read.

    `max_bytes` caps one page (after decompression); `timeout` bounds fetching a feed URL.
    """
    for item in inputs:
        name = os.fspath(item)
        if not name:
            yield Rejection(name, "empty input name")  # Path("") would mean the current folder
        elif name.lower().startswith(("http://", "https://")):
            yield from read_feed_url(name, timeout=timeout)
        else:
            yield from read_path(Path(name), max_bytes=max_bytes)
