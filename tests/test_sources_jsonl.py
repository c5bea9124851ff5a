"""JSONL: records and HTML lines, ids kept, and each bad line one Rejection with its line number."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from marsad.model import Page, Rejection
from marsad.sources import read
from marsad.sources.jsonl import read_jsonl

ARTICLE = {
    "id": "snn-000000000001",
    "source": "okaz",
    "url": "http://www.okaz.com.sa/new/1",
    "date": "2015-07-22 10:15:00",
    "title": "خادم الحرمين يستقبل وزير الدفاع الأمريكي",
    "author": "واس - جدة",
    "content": "استقبل خادم الحرمين الشريفين في جدة وزير الدفاع الأمريكي.",
}


def lines(*items: object) -> bytes:
    return b"".join(
        (i if isinstance(i, bytes) else json.dumps(i, ensure_ascii=False).encode()) + b"\n" for i in items
    )


def test_an_article_line_becomes_a_record_page_with_its_id_and_fields(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(lines(ARTICLE))
    [page] = read([path])
    assert page == Page(
        origin=f"{path}#L1", kind="record", text=ARTICLE["content"], url=ARTICLE["url"], id=ARTICLE["id"]
    )
    assert page.meta["title"] == ARTICLE["title"] and page.meta["source"] == "okaz"
    assert page.meta["author"] == "واس - جدة" and page.meta["date"] == ARTICLE["date"]
    assert page.meta["published"] == ARTICLE["date"]  # the key every reader uses
    assert "content" not in page.meta


def test_field_variants_html_text_body_outlet_published(tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    path.write_bytes(
        lines(
            {"id": 5, "html": "<p>نص</p>", "outlet": "عكاظ", "published": "2015-07-23"},
            {"text": "نص عادي", "link": "https://x.example/2"},
            {"body": ["فقرة أولى", "فقرة ثانية"], "content": ""},
        )
    )
    html, text, body = read([path])
    assert (html.kind, html.text, html.id, html.meta["outlet"], html.meta["published"]) == (
        "html",
        "<p>نص</p>",
        "5",
        "عكاظ",
        "2015-07-23",
    )
    assert (text.kind, text.url, text.id) == ("record", "https://x.example/2", None)
    assert body.text == "فقرة أولى\nفقرة ثانية"


def test_bad_lines_are_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        lines(
            ARTICLE,
            b"{not json",
            b"",  # a blank line is not an item
            b"[1, 2]",
            {"id": "x1", "title": "no body"},
            {"id": "x2", "content": "   "},
            {"id": "x3", "content": 42},
            dict(ARTICLE),  # the same id again
            b"\xff\xfe{}",
            {"id": "ok", "content": "يبقى"},
        )
    )
    got = [
        (i.origin.rsplit("#", 1)[1], i.reason if isinstance(i, Rejection) else "page") for i in read([path])
    ]
    assert got == [
        ("L1", "page"),
        ("L2", "invalid JSON: Expecting property name enclosed in double quotes at column 2"),
        ("L4", "line is a JSON list, not an object"),
        ("L5", "no content field (expected one of content, text, body, html)"),
        ("L6", "empty content (content)"),
        ("L7", "field 'content' is not text (int)"),
        ("L8", "duplicate id snn-000000000001 (first at line 1)"),
        ("L9", "line is not valid UTF-8 (byte 0)"),
        ("L10", "page"),
    ]


def test_rejections_keep_the_line_id(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_bytes(lines({"id": "snn-empty", "content": ""}))
    assert list(read([path])) == [Rejection(f"{path}#L1", "empty content (content)", id="snn-empty")]


def test_gzip_jsonl_and_a_bom_on_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b"\xef\xbb\xbf" + lines(ARTICLE, {"id": "b", "text": "ب"})))
    assert [p.id for p in read([path])] == [ARTICLE["id"], "b"]


def test_a_line_over_the_limit_is_rejected_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_bytes(lines({"id": "big", "content": "x" * 5000}, {"id": "small", "content": "y"}))
    items = list(read_jsonl(path, max_bytes=1000))
    assert isinstance(items[0], Rejection) and items[0].reason.startswith("line over the")
    assert items[1].id == "small" and items[1].origin == f"{path}#L2"


def test_a_truncated_gzip_keeps_what_was_read_and_says_why_it_stopped(tmp_path: Path) -> None:
    data = gzip.compress(lines(*({"id": f"n{i}", "content": f"نص رقم {i} " * 50} for i in range(200))))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(read([path]))
    assert len(items) > 10 and all(isinstance(i, Page) for i in items[:-1])
    assert items[-1].origin == str(path) and items[-1].reason.startswith("file ends badly")


def test_a_gzip_bomb_without_line_ends_stops_reading_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as f:
        f.write(lines({"id": "first", "content": "ok"}))
        for _ in range(40):
            f.write(bytes(1 << 20))
    first, stop = read_jsonl(path, max_bytes=1 << 20)
    assert first.id == "first"
    assert stop.reason == "line over the 1 MiB limit and no line end; rest of file not read"
