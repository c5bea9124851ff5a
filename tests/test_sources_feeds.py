"""RSS and Atom: entries as pages from files and from a feed served on 127.0.0.1; failures as rejections."""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from marsad.model import Page, Rejection
from marsad.sources import read
from marsad.sources.feeds import read_feed_url

DATA = Path(__file__).resolve().parent / "data" / "sources"
RSS_1256 = """<?xml version="1.0" encoding="windows-1256"?>
<rss version="2.0"><channel><title>صحيفة</title>
<item><title>خبر عاجل</title><link>https://x.example/1</link><description>نص الخبر العاجل</description></item>
</channel></rss>
""".encode("cp1256")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 -- the http.server API
        if self.path == "/slow.rss":
            time.sleep(1.0)  # past the client's timeout; it has gone, so answer nothing
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(DATA)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_rss_items_become_html_pages_with_link_title_date_and_outlet() -> None:
    first, second, third = read([DATA / "feed.rss"])
    assert isinstance(first, Page) and first.kind == "html"
    assert first.text.startswith("<p>هبطت أول طائرة إغاثة سعودية")  # content:encoded over description
    assert first.url == "https://news.example/2015/07/22/aden-airport"
    assert first.origin == f"{DATA / 'feed.rss'}#entry1"
    assert first.meta["title"] == "افتتاح مطار عدن أمام رحلات الإغاثة"
    assert first.meta["outlet"] == "صحيفة الاختبار" and first.meta["author"] == "وكالات"
    assert first.meta["published_utc"] == "2015-07-22T06:30:00+00:00"
    assert first.meta["summary"] == "هبطت أول طائرة إغاثة في مطار عدن."
    assert second.text == "<p>أعلنت وزارة الصحة تسجيل حالتين جديدتين في الرياض.</p>"  # summary only
    assert third == Rejection(f"{DATA / 'feed.rss'}#entry3", "feed entry has no content or summary")


def test_atom_entries_keep_their_content_type() -> None:
    html, text = read([DATA / "feed.atom"])
    assert (html.kind, html.url, html.meta["outlet"]) == (
        "html",
        "https://agency.example/news/1",
        "وكالة الأنباء التجريبية",
    )
    assert (
        html.meta["published"] == "2015-07-31T08:15:00+03:00"
        and html.meta["entry_id"] == "urn:example:entry:1"
    )
    assert (text.kind, text.text) == ("text", "نص عادي بلا وسوم.")
    assert "summary" not in text.meta  # the summary only repeats the content


def test_a_feed_in_windows_1256_and_gzipped(tmp_path: Path) -> None:
    path = tmp_path / "ar.rss.gz"
    path.write_bytes(gzip.compress(RSS_1256))
    [page] = read([path])
    assert page.meta["title"] == "خبر عاجل" and page.text == "نص الخبر العاجل"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>',
            "not an RSS or Atom feed",
        ),
        (b"<rss version='2.0'><channel><title>t</title></channel></rss>", "feed has no entries"),
        (b"", "empty file"),
    ],
)
def test_what_is_not_a_feed_is_rejected(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    [item] = read([path])
    assert isinstance(item, Rejection) and item.reason.startswith(reason)


def test_a_feed_url_is_fetched(server: str) -> None:
    pages = [p for p in read([f"{server}/feed.rss"]) if isinstance(p, Page)]
    assert [p.origin for p in pages] == [f"{server}/feed.rss#entry1", f"{server}/feed.rss#entry2"]
    assert pages[0].meta["feed"] == f"{server}/feed.rss"


def test_a_missing_feed_url_is_one_rejection(server: str) -> None:
    assert list(read([f"{server}/nope.rss"])) == [
        Rejection(f"{server}/nope.rss", "cannot fetch feed: HTTP 404 File not found")
    ]


def test_an_unreachable_feed_url_is_one_rejection() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    [item] = read([f"http://127.0.0.1:{port}/feed.rss"])
    assert isinstance(item, Rejection) and item.reason.startswith("cannot fetch feed:")


def test_a_slow_feed_url_times_out(server: str) -> None:
    start = time.perf_counter()
    [item] = read_feed_url(f"{server}/slow.rss", timeout=0.2)
    assert isinstance(item, Rejection) and item.reason.startswith("cannot fetch feed")
    assert time.perf_counter() - start < 1.0
