"""read(): one entry point over mixed inputs, in input order, never raising on bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from marsad.model import Page, Rejection
from marsad.sources import read

DATA = Path(__file__).resolve().parent / "data" / "sources"


def test_mixed_inputs_are_dispatched_in_order(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("نص".encode())
    (tmp_path / "b.jsonl.gz").write_bytes(
        gzip.compress(json.dumps({"id": "j1", "content": "x"}).encode() + b"\n")
    )
    inputs = [
        str(tmp_path / "a.txt"),
        tmp_path / "missing.html",
        str(tmp_path / "b.jsonl.gz"),
        str(DATA / "feed.atom"),
    ]
    items = list(read(inputs))
    assert [type(i).__name__ for i in items] == ["Page", "Rejection", "Page", "Page", "Page"]
    assert items[1] == Rejection(str(tmp_path / "missing.html"), "no such file or directory")
    assert items[2].id == "j1" and items[3].origin.endswith("feed.atom#entry1")


def test_an_empty_input_list_reads_nothing() -> None:
    assert list(read([])) == []


def test_every_item_is_a_page_or_a_rejection(tmp_path: Path) -> None:
    for name, data in {
        "bin.html": b"\x00\x01\x02" * 100,
        "x.jsonl": b"garbage\n{}\n",
        "y.warc": b"WARC/1.0\r\nbroken",
        "z.rss": b"<rss><channel><item>",
        "w.htm.gz": b"\x1f\x8b\x08\x00broken",
    }.items():
        (tmp_path / name).write_bytes(data)
    items = list(read([tmp_path]))
    assert items and all(isinstance(i, Page | Rejection) for i in items)
    assert {Path(i.origin.split("#")[0]).name for i in items} == {
        "bin.html",
        "x.jsonl",
        "y.warc",
        "z.rss",
        "w.htm.gz",
    }
