"""Inputs of a batch run: which files there are (listed on the client), and reading one file (on a worker).

Listing happens once, on the client, so that every file becomes its own task and a folder of many WARC
files is read by many workers. The order is `marsad.sources`' own (inputs in the order given; inside a
folder, each folder's files in name order, then its subfolders in name order; hidden and documentation files
skipped), because which copy of a repeated page counts is decided by input order, as in `marsad ingest`.

Local paths are read by `marsad.sources.read` as given, so origins are the same strings a single-machine
ingest would record. Any other fsspec URL (s3://, gs://, hdfs://, memory:// ...) is copied to a local
temporary file first (the readers need a seekable local file: gzip, WARC offsets) and its origins name the
URL again. http(s) URLs are feeds, as for `marsad ingest`.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fsspec.core import url_to_fs
from fsspec.utils import get_protocol

from marsad.model import Page, Rejection
from marsad.sources import read
from marsad.sources.files import not_an_input


@dataclass(frozen=True)
class InputFile:
    """One file (or feed URL) to read: `number` is its place in the input order."""

    number: int
    path: str
    fetch: bool  # an fsspec URL that is copied locally before reading


def _is_local(name: str) -> bool:
    return get_protocol(name) in ("file", "local") and "://" not in name


def _is_feed(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def _walk(top: str, walk: Iterable[tuple[str, list[str], list[str]]], join) -> Iterator[str]:
    """Files under `top` in `marsad.sources.files.read_folder`'s order; `walk` must honour pruning of dirs."""
    for root, dirs, files in walk:
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not not_an_input(name):
                yield join(root, name)


def list_inputs(inputs: Sequence[str]) -> list[InputFile]:
    """Every file to read, numbered in input order. A missing path stays in the list: reading it gives the
    same Rejection as `marsad ingest` ("no such file or directory")."""
    paths: list[tuple[str, bool]] = []
    for name in map(os.fspath, inputs):
        if not name or _is_feed(name):
            paths.append((name, False))
        elif _is_local(name):
            if os.path.isdir(name):
                paths.extend((p, False) for p in _walk(name, os.walk(name), os.path.join))
            else:
                paths.append((name, False))
        else:
            fs, root = url_to_fs(name)
            if fs.isdir(root):
                paths.extend(
                    (fs.unstrip_protocol(p), True) for p in _walk(root, fs.walk(root), posixpath.join)
                )
            else:
                paths.append((name, True))
    return [InputFile(i, p, fetch) for i, (p, fetch) in enumerate(paths)]


def read_input(f: InputFile) -> list[Page | Rejection]:
    """Every page of one input file, and a Rejection for each item that cannot be read."""
    if not f.fetch:
        return list(read([f.path]))
    fs, path = url_to_fs(f.path)
    with tempfile.TemporaryDirectory(prefix="marsad-") as tmp:
        # the name keeps the file's extensions: the readers choose a format by them (.jsonl.gz, .warc)
        local = str(Path(tmp, posixpath.basename(path.rstrip("/")) or "input"))
        try:
            fs.get_file(path, local)
        except FileNotFoundError:
            return [Rejection(f.path, "no such file or directory")]
        except OSError as e:
            return [Rejection(f.path, f"cannot read: {e}")]
        return [_renamed(item, local, f.path) for item in read([local])]


def _renamed(item: Page | Rejection, local: str, url: str) -> Page | Rejection:
    """The item with its origin naming the URL it came from instead of the temporary copy."""
    if item.origin.startswith(local):
        return replace(item, origin=url + item.origin[len(local) :])
    return item
