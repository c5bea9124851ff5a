"""The batch run's output: five Parquet tables under one folder (local or any fsspec URL), and a manifest.

    OUT/pages/part-*.parquet       page_id, origin, status (ingested|duplicate|rejected), reason, article_id
    OUT/articles/part-*.parquet    id, origin, url, source, outlet, title, subtitle, credited (list), published
                                   (date), published_time ("HH:MM"), language, body (list of paragraphs)
    OUT/duplicates/part-*.parquet  article_id, duplicate_of, similarity, shared, kind (exact|near)
    OUT/members/part-*.parquet     story_id, article_id (copies included: a copy is in its original's story)
    OUT/stories/part-*.parquet     story_id, headline, founder, size, outlets (list), first_seen, last_seen
    OUT/batch.json                 what ran (inputs, options, counts, seconds a stage); written last

The rows mean what the store's rows mean (`marsad articles`, `marsad stories`): a page is accounted once,
a stored article is in `articles`, its copy verdict in `duplicates`, its story in `members`. Each table is a
Parquet dataset (one file per task), readable by pyarrow, pandas, DuckDB, Spark or Dask.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict

import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.core import url_to_fs

_TEXT = pa.string()
_TEXTS = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "pages": pa.schema(
        [("page_id", _TEXT), ("origin", _TEXT), ("status", _TEXT), ("reason", _TEXT), ("article_id", _TEXT)]
    ),
    "articles": pa.schema(
        [
            ("id", _TEXT),
            ("origin", _TEXT),
            ("url", _TEXT),
            ("source", _TEXT),
            ("outlet", _TEXT),
            ("title", _TEXT),
            ("subtitle", _TEXT),
            ("credited", _TEXTS),
            ("published", pa.date32()),
            ("published_time", _TEXT),
            ("language", _TEXT),
            ("body", _TEXTS),
        ]
    ),
    "duplicates": pa.schema(
        [
            ("article_id", _TEXT),
            ("duplicate_of", _TEXT),
            ("similarity", pa.float64()),
            ("shared", pa.float64()),
            ("kind", _TEXT),
        ]
    ),
    "members": pa.schema([("story_id", _TEXT), ("article_id", _TEXT)]),
    "stories": pa.schema(
        [
            ("story_id", _TEXT),
            ("headline", _TEXT),
            ("founder", _TEXT),
            ("size", pa.int64()),
            ("outlets", _TEXTS),
            ("first_seen", _TEXT),
            ("last_seen", _TEXT),
        ]
    ),
}
MANIFEST = "batch.json"


def rows(table: str, records: Iterable) -> list[dict]:
    """Table rows from records (dataclasses) whose fields include the table's columns."""
    names = SCHEMAS[table].names
    return [{k: v for k, v in asdict(r).items() if k in names} for r in records]


def _path(out: str, *parts: str) -> str:
    return "/".join([out.rstrip("/"), *parts])


def write_part(out: str, table: str, part: int, rows: Sequence[dict]) -> int:
    """Write one task's rows of `table` as OUT/table/part-NNNNN.parquet (even when empty: every task leaves
    its file, so a dataset is never missing); returns the number of rows."""
    fs, path = url_to_fs(_path(out, table, f"part-{part:05d}.parquet"))
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    with fs.open(path, "wb") as f:
        pq.write_table(pa.Table.from_pylist(list(rows), schema=SCHEMAS[table]), f)
    return len(rows)


def clear(out: str) -> None:
    """Remove a previous run's tables and manifest from OUT (a run with fewer tasks must not leave stale parts)."""
    fs, root = url_to_fs(out)
    for name in [*SCHEMAS, MANIFEST]:
        path = _path(root, name)
        if fs.exists(path):
            fs.rm(path, recursive=True)
    fs.makedirs(root, exist_ok=True)


def write_manifest(out: str, manifest: dict) -> None:
    fs, root = url_to_fs(out)
    with fs.open(_path(root, MANIFEST), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)


def read_manifest(out: str) -> dict | None:
    """The manifest of a finished run in OUT, or None (no run, or one that did not finish)."""
    fs, root = url_to_fs(out)
    path = _path(root, MANIFEST)
    if not fs.exists(path):
        return None
    with fs.open(path, "r", encoding="utf-8") as f:
        return json.load(f)


def read_table(out: str, table: str) -> pa.Table:
    """One whole table of a run (all its parts, in part order)."""
    fs, root = url_to_fs(out)
    files = sorted(fs.glob(_path(root, table, "part-*.parquet")))
    parts = []
    for name in files:
        with fs.open(name, "rb") as f:
            parts.append(pq.read_table(f, schema=SCHEMAS[table]))
    return pa.concat_tables(parts) if parts else SCHEMAS[table].empty_table()
