"""Hypothesis strategies and settings shared by tests/test_fuzz_*.py, and the fuzz targets they check.

The properties live in fuzz/targets.py (shared with the atheris harness); these strategies shape inputs
the way pages come: Arabic news words, numbers and dates in several scripts, markup, JSONL, WARC and feed
records, with junk mixed in. Runs are derandomized so CI is stable (the atheris fuzzer explores at random);
set MARSAD_FUZZ_RANDOM=1 to explore with fresh examples.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))  # fuzz/targets.py, imported after this

SETTINGS = settings(
    deadline=timedelta(seconds=5),  # far above what any of these inputs needs: a slower one is a hang
    derandomize=not os.environ.get("MARSAD_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = """وقال الرئيس الأمريكي جو بايدن يوم الاثنين الإثنين 26 يوليو تموز 2021 ٢٠٢١ ٢٦ ذو الحجة 1442 هـ م
ثلاثة آلاف ألفا جندي نحو أكثر من أقل 50 هجوما % بالمئة مليون مليار دولار ريال و أمس اليوم غدا الساعة 10:30
صباحا مساء منذ أسبوع الماضي المقبل عشرين ٣٠ قتيلا بغداد الرياض واس أ ف ب رويترز المصدر تاريخ النشر
اقرأ أيضا شارك تعليقات حقوق النشر محفوظة الرئيسية رياضة 2021/07/26 26-07-2021 ٢٦/٧/٢٠٢١ 1.5 ٣٫٥ 2,500
""".split()
JUNK = ["،", ".", ":", "/", "-", "(", ")", "«", "»", "؟", "!", "|", "•", "\u200f", "\u200b", "\u0640", "ً",
        "\u0601", "\ufeff", "\x00", "\x0c", "\r", "\t", "\ufffd", "&amp;", "&#1575;", "&#x0;", "&nbsp;", "&"]
SEPARATORS = [" ", " ", " ", "\n", "\n\n", "\r\n", "\u00a0"]

token = st.one_of(st.sampled_from(WORDS), st.sampled_from(JUNK), st.text(max_size=6))
text_soup = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), max_size=120).map(
    lambda parts: "".join(t + s for t, s in parts)
)
lines = st.lists(text_soup, max_size=40).map("\n".join)

TAGS = ["p", "div", "span", "h1", "h2", "article", "main", "header", "footer", "aside", "nav", "a", "b", "br",
        "ul", "li", "table", "tr", "td", "script", "style", "title", "time", "figure", "figcaption", "x-y"]
ATTRS = ["class='share'", "class='post-content'", "id='comments'", "itemprop='articleBody'",
         "property='og:title' content='عنوان الخبر'", "property='article:published_time' content='2021-07-26T10:00'",
         "dir='rtl'", "href='javascript:alert(1)'", "class='ad'", "datetime='2021-13-45'", "x=", "'", '"']


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(tag: str, attrs: list[str], inner: list[str], closed: bool) -> str:
        head = f"<{tag}{''.join(' ' + a for a in attrs)}>"
        return head + "".join(inner) + (f"</{tag}>" if closed else "")

    return st.builds(render, st.sampled_from(TAGS), st.lists(st.sampled_from(ATTRS), max_size=3),
                     st.lists(children, max_size=5), st.booleans())


markup = st.recursive(text_soup, _element, max_leaves=40)
html_pages = st.one_of(
    st.builds(lambda head, body: f"<html><head>{head}</head><body>{body}</body></html>", markup, markup),
    markup,
    st.builds(lambda a, b: a + b, markup, st.sampled_from(["<", "<!--", "<![CDATA[", "</", "&#", "<script>"])),
)

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text_soup),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=5), children,
                                                                                max_size=4)),
    max_leaves=10,
)
records = st.fixed_dictionaries(
    {},
    optional={"id": st.one_of(st.text(max_size=8), st.integers()), "title": json_values, "content": json_values,
              "html": st.one_of(html_pages, json_values), "date": st.one_of(text_soup, json_values),
              "url": json_values, "source": json_values},
)
jsonl = st.lists(
    st.one_of(records.map(lambda r: json.dumps(r, ensure_ascii=False).encode()),
              st.binary(max_size=60), text_soup.map(str.encode)),
    max_size=8,
).map(b"\n".join)


def _warc(headers: list[tuple[str, str]], payload: bytes, declared: int | None) -> bytes:
    length = len(payload) if declared is None else declared
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers)
    return f"WARC/1.0\r\n{lines}Content-Length: {length}\r\n\r\n".encode() + payload + b"\r\n\r\n"


warc_headers = st.lists(st.tuples(
    st.sampled_from(["WARC-Type", "WARC-Target-URI", "WARC-Date", "Content-Type", "WARC-Record-ID",
                     "WARC-Truncated", "X"]),
    st.sampled_from(["response", "resource", "request", "http://example.com/a", "application/http; msgtype=response",
                     "text/html; charset=windows-1256", "2021-07-26T10:00:00Z", "length", "", "\u0627"]),
), max_size=6)
http_payloads = st.builds(
    lambda status, ctype, body: f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n\r\n".encode() + body,
    st.sampled_from(["200 OK", "404 Not Found", "200", "x"]),
    st.sampled_from(["text/html; charset=utf-8", "text/plain", "image/png", "text/html; charset=x-bogus", ""]),
    st.one_of(html_pages.map(str.encode), st.binary(max_size=200)),
)
warcs = st.lists(st.builds(_warc, warc_headers, st.one_of(http_payloads, st.binary(max_size=100)),
                           st.one_of(st.none(), st.integers(-5, 5000))), min_size=1, max_size=3).map(b"".join)
feeds = st.builds(
    lambda title, entries: ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>" + title
                            + "</title>" + "".join(f"<item><title>{t}</title><description>{d}</description>"
                                                   "</item>" for t, d in entries)
                            + "</channel></rss>").encode(),
    text_soup, st.lists(st.tuples(text_soup, html_pages), max_size=3),
)
encoded_text = st.builds(
    lambda text, codec: text.encode(codec, errors="replace"),
    text_soup, st.sampled_from(["utf-8", "cp1256", "iso8859-6", "utf-16", "utf-16-le", "utf-32", "cp1252"]),
)
any_bytes = st.one_of(st.binary(max_size=3000), encoded_text, jsonl, warcs, feeds, html_pages.map(str.encode))
