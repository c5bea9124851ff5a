"""WARC: response and resource records become pages; other records are skipped, non-pages rejected."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.model import Page, Rejection
from marsad.sources import decode, read
from marsad.sources.warc import read_warc

ARABIC = "قصف مركز حدودي في جازان ومقتل ثلاثة من حرس الحدود"
HTML_1256 = f"<html><head><title>خبر</title></head><body><p>{ARABIC}</p></body></html>".encode("cp1256")
HTML_UTF8 = f"<html><body><p>{ARABIC}</p></body></html>".encode()


def _response(
    w: WARCWriter, url: str, body: bytes, ctype: str | None, status: str = "200 OK", extra=()
) -> None:
    headers = [("Content-Type", ctype)] if ctype else []
    http = StatusAndHeaders(status, headers + list(extra), protocol="HTTP/1.1")
    w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))


def make_warc(path: Path, gz: bool = True) -> Path:
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "marsad tests"}))
        request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        w.write_record(w.create_warc_record("https://news.example/a", "request", http_headers=request))
        _response(w, "https://news.example/a", HTML_1256, "text/html; charset=windows-1256")
        _response(w, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        _response(
            w, "https://news.example/gone", b"<html>not found</html>", "text/html", status="404 Not Found"
        )
        _response(w, "https://news.example/b.txt", "نص عادي".encode(), "text/plain; charset=utf-8")
        zipped = gzip.compress(HTML_UTF8)
        _response(w, "https://news.example/z", zipped, "text/html", extra=[("Content-Encoding", "gzip")])
        _response(w, "https://news.example/empty", b"", "text/html")
        _response(w, "https://news.example/untyped", HTML_UTF8, None)
        w.write_record(
            w.create_warc_record(
                "file:///saved/page.html",
                "resource",
                payload=io.BytesIO(HTML_UTF8),
                warc_content_type="text/html",
            )
        )
        w.write_record(
            w.create_warc_record(
                "https://news.example/a",
                "metadata",
                payload=io.BytesIO(b"outlinks: 3"),
                warc_content_type="text/plain",
            )
        )
    return path


@pytest.mark.parametrize("gz", [True, False])
def test_pages_and_rejections_from_a_warc(tmp_path: Path, gz: bool) -> None:
    path = make_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), gz)
    items = list(read([path]))
    summary = [(i.url, i.kind) if isinstance(i, Page) else i.reason for i in items]
    assert summary == [
        ("https://news.example/a", "html"),
        "not a page: image/png",
        "HTTP 404",
        ("https://news.example/b.txt", "text"),
        ("https://news.example/z", "html"),
        "empty payload",
        ("https://news.example/untyped", "html"),
        ("file:///saved/page.html", "html"),
    ]
    assert all(i.origin.startswith(f"{path}#") for i in items)
    assert len({i.origin for i in items}) == len(items)  # each record's own offset


def test_the_page_carries_the_payload_and_the_declared_charset(tmp_path: Path) -> None:
    page = next(read_warc(make_warc(tmp_path / "c.warc.gz")))
    assert page.data == HTML_1256 and page.text is None
    assert page.meta["charset"] == "windows-1256" and page.meta["content_type"] == "text/html"
    assert page.meta["http_status"] == 200 and page.meta["fetched"] and page.meta["warc_record_id"]
    assert ARABIC in decode(page.data, page.meta["charset"])


def test_content_encoding_is_undone(tmp_path: Path) -> None:
    pages = [i for i in read_warc(make_warc(tmp_path / "c.warc.gz")) if isinstance(i, Page)]
    assert next(p for p in pages if p.url.endswith("/z")).data == HTML_UTF8


def test_a_payload_over_the_limit_is_rejected(tmp_path: Path) -> None:
    items = list(read_warc(make_warc(tmp_path / "c.warc.gz"), max_bytes=100))
    assert items[0].reason.startswith("payload over the")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("junk.warc", b"this is not a web archive\n" * 10, "not a WARC file (starts with b'this ')"),
        ("empty.warc.gz", b"", "empty file"),
        ("page.warc.gz", gzip.compress(b"<html>not a warc</html>"), "not a WARC file (starts with b'<html')"),
        ("plain.warc.gz", b"WARC/1.0 but not compressed", "not gzip data despite the .gz name"),
    ],
)
def test_a_file_that_is_not_a_warc_is_one_rejection(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert list(read([path])) == [Rejection(str(path), reason)]


def test_a_truncated_warc_gz_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    path = make_warc(tmp_path / "c.warc.gz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    items = list(read([path]))
    assert isinstance(items[0], Page) and items[0].url == "https://news.example/a"
    # the damaged tail is accounted for, never dropped silently; where the cut falls (compressed sizes vary
    # with the record's date and id) decides whether warcio sees a cut record or a record without its HTTP head
    last = items[-1]
    assert isinstance(last, Rejection)
    assert last.reason.startswith("truncated WARC") or "without HTTP" in last.reason


def test_a_page_cut_by_the_end_of_an_uncompressed_warc_is_kept_and_flagged(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=False)
        _response(w, "https://news.example/long", HTML_UTF8 * 50, "text/html")
    path.write_bytes(path.read_bytes()[:-500])
    [page] = read([path])
    assert page.meta["truncated"] == "file ended inside the record"
    assert HTML_UTF8.startswith(page.data[: len(HTML_UTF8)])
