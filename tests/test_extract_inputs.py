"""extract(): dispatch on the page kind, and every kind of bad input becomes a Rejection with its reason."""

from __future__ import annotations

from datetime import date

import pytest

import marsad.extract as ex
from marsad.extract import extract
from marsad.model import Article, Page, Rejection

TITLE = "افتتاح جسر جديد يربط ضفتي النهر في العاصمة"
PARAS = [
    "افتتح وزير النقل صباح اليوم جسرا جديدا يربط ضفتي النهر في العاصمة، بطول يزيد على كيلومترين "
    "وبتكلفة بلغت ثلاثمائة مليون دولار.",
    "وقال الوزير في كلمة خلال حفل الافتتاح إن الجسر سيخفف الازدحام المروري في وسط المدينة، ويختصر "
    "زمن الرحلة بين الضفتين إلى النصف تقريبا.",
    "وأضاف أن الوزارة تعمل على مشروعات مماثلة في ثلاث محافظات أخرى، على أن يكتمل أولها قبل نهاية العام المقبل.",
]
DUMP = "\n\n".join([TITLE, TITLE, *PARAS])


def text_page(data: bytes | None = None, text: str | None = None) -> Page:
    return Page(origin="test.txt", kind="text", data=data, text=text)


def html_page(html: str | bytes) -> Page:
    if isinstance(html, bytes):
        return Page(origin="test.html", kind="html", data=html)
    return Page(origin="test.html", kind="html", text=html)


def test_text_page_from_utf8_bytes():
    a = extract(text_page(DUMP.encode("utf-8")))
    assert isinstance(a, Article)
    assert a.title == TITLE
    assert list(a.body) == PARAS
    assert a.language == "ar"
    assert a.origin == "test.txt"


def test_text_page_in_windows_1256_with_crlf():
    a = extract(text_page(DUMP.replace("\n", "\r\n").encode("cp1256")))
    assert isinstance(a, Article)
    assert list(a.body) == PARAS


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  ", None])
def test_empty_page_is_rejected(data):
    r = extract(text_page(data=data, text=None if data is not None else ""))
    assert isinstance(r, Rejection)
    assert r.reason == "empty page"


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4\n" + b"x" * 200, b"\x89PNG\r\n\x1a\n" + bytes(200), b"ab\x00cd" * 100]
)
def test_binary_data_is_rejected(data):
    r = extract(text_page(data))
    assert isinstance(r, Rejection)
    assert r.reason.startswith("binary data")


def test_binary_text_with_nul_characters_is_rejected():
    r = extract(text_page(text="abc\x00def" * 50))
    assert isinstance(r, Rejection)
    assert r.reason.startswith("binary data")


def test_undecodable_bytes_are_rejected():
    r = extract(text_page(bytes(range(0x80, 0x100)) * 8))
    assert isinstance(r, Rejection)
    assert "undecodable" in r.reason


def test_too_large_page_is_rejected_before_decoding(monkeypatch):
    monkeypatch.setattr(ex, "MAX_BYTES", 1000)
    r = extract(text_page(("نص " * 1000).encode("utf-8")))
    assert isinstance(r, Rejection)
    assert r.reason.startswith("too large")


def test_too_large_text_is_rejected(monkeypatch):
    monkeypatch.setattr(ex, "MAX_TEXT_CHARS", 1000)
    r = extract(text_page(text="نص " * 1000))
    assert isinstance(r, Rejection)
    assert r.reason.startswith("too large")


def test_page_without_article_text_is_rejected():
    r = extract(text_page(text="الرئيسية\nسياسة\nاقتصاد\nرياضة\nاتصل بنا"))
    assert isinstance(r, Rejection)
    assert r.reason == "no article text found"


def test_unknown_kind_is_rejected():
    r = extract(Page(origin="x", kind="pdf", text="..."))
    assert isinstance(r, Rejection)
    assert "unknown page kind" in r.reason


def test_truncated_html_still_gives_its_text():
    html = "<html><head><title>" + TITLE + "</title></head><body><h1>" + TITLE + "</h1>"
    html += "".join(f"<p>{p}</p>" for p in PARAS)
    html += '<div class="comments"><p>تعليق'  # cut off mid-element
    a = extract(html_page(html.encode("utf-8")[:-3]))
    assert isinstance(a, Article)
    assert list(a.body) == PARAS
    assert a.title == TITLE


def test_malformed_html_with_stray_and_unclosed_tags():
    html = "<div><p>" + PARAS[0] + "</span></div></div><p>" + PARAS[1] + "<p>" + PARAS[2] + "</td></body>"
    a = extract(html_page(html))
    assert isinstance(a, Article)
    assert list(a.body) == PARAS


@pytest.mark.parametrize("html", ["", "<html><body></body></html>", "<html><body><nav>الرئيسية</nav></body>"])
def test_html_without_text_is_rejected(html):
    r = extract(html_page(html))
    assert isinstance(r, Rejection)
    assert r.reason in ("empty page", "no article text found")


def test_page_in_another_language_is_ok_with_its_language():
    paras = [
        "The transport minister opened a new bridge across the river on Monday morning, saying it would cut "
        "travel times in the capital by half.",
        "The bridge, more than two kilometres long, cost three hundred million dollars and took four years to "
        "build, officials said.",
    ]
    html = "<html><body><h1>New bridge opens</h1>" + "".join(f"<p>{p}</p>" for p in paras) + "</body></html>"
    a = extract(html_page(html))
    assert isinstance(a, Article)
    assert a.language == "en"
    assert list(a.body) == paras


def test_record_is_taken_as_given():
    page = Page(
        origin="corpus.jsonl#L3",
        kind="record",
        text=PARAS[0] + "\n\n " + PARAS[1] + "\n" + PARAS[2] + "\n",
        id="snn-1",
        url="http://example.com/a",
        meta={"title": TITLE, "source": "okaz", "date": "2015-07-21 02:51:32"},
    )
    a = extract(page)
    assert isinstance(a, Article)
    assert a.id == "snn-1"
    assert list(a.body) == PARAS
    assert a.title == TITLE
    assert a.published == date(2015, 7, 21)
    assert a.published_time == "02:51"
    assert a.source == "okaz"
    assert a.outlet == "okaz"  # no name given: the slug stands in


def test_record_with_outlet_name_and_content_in_meta():
    page = Page(
        origin="x#L1",
        kind="record",
        meta={"content": PARAS, "outlet": "عكاظ", "source": "okaz", "published": "الثلاثاء 21 يوليو 2015"},
    )
    a = extract(page)
    assert isinstance(a, Article)
    assert a.outlet == "عكاظ"
    assert a.published == date(2015, 7, 21)
    assert list(a.body) == PARAS


def test_empty_record_is_rejected():
    r = extract(Page(origin="x#L1", kind="record", text="  \n ", id="e1"))
    assert isinstance(r, Rejection)
    assert r.reason == "empty page"
    assert r.id == "e1"


def test_feed_entry_excerpt_takes_the_feeds_title_outlet_and_date():
    page = Page(
        origin="feed.rss#entry1",
        kind="html",
        text="<p>افتتح وزير النقل جسرا جديدا في العاصمة اليوم</p>",
        meta={"title": TITLE, "outlet": "الأنباء", "published": "Tue, 21 Jul 2015 10:00:00 +0300"},
    )
    a = extract(page)
    assert isinstance(a, Article)
    assert a.body == ("افتتح وزير النقل جسرا جديدا في العاصمة اليوم",)
    assert (a.title, a.outlet, a.published) == (TITLE, "الأنباء", date(2015, 7, 21))


def test_crawl_time_is_not_a_publication_date():
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</body></html>"
    page = Page(origin="x.warc#1", kind="html", data=html.encode(), meta={"fetched": "2024-04-25T10:00:00Z"})
    a = extract(page)
    assert isinstance(a, Article)
    assert a.published is None
