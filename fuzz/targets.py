"""What fuzzing checks, one function per target: each takes the fuzzer's bytes and raises on a broken property.

Shared by the coverage-guided harness (fuzz/harness.py, atheris), the property-based tests
(tests/test_fuzz_*.py, hypothesis) and the replay of saved inputs (tests/test_fuzz_regressions.py).
A target fails when an exception escapes (readers and extractors turn bad input into a Rejection or an
empty result, never an exception) or when an output holds text the input does not: extractors only
select and trim the page's own text; date and number mentions are slices of the text they were found in.
Hangs are caught by the callers' time limits (libFuzzer's -timeout, hypothesis' deadline).
"""

from __future__ import annotations

import gzip
import html
import math
import re
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

from marsad.arabic.dates import find_dates, parse_date
from marsad.arabic.numbers import find_numbers, parse_number
from marsad.extract import extract
from marsad.extract.html import extract_html
from marsad.extract.text import extract_text, learn_template
from marsad.model import Article, Page, Rejection
from marsad.sources import DecodeError, decode, read

# File names the readers dispatch on; the input's first byte picks one.
READER_NAMES = ("page.html", "dump.txt", "lines.jsonl", "crawl.warc", "feed.xml", "noext", "page.html.gz",
                "lines.jsonl.gz", "crawl.warc.gz")
READER_LIMIT = 1 << 20  # the page limit the readers run with here: small, so the over-limit paths run too
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + "".join(
    chr(c) for c in range(0x80, 0x10000) if unicodedata.category(chr(c)) == "Cf") + "]")
_REF = date(2021, 7, 26)


def text_of(data: bytes) -> str:
    """The fuzzer's bytes as text (invalid UTF-8 replaced)."""
    return data.decode("utf-8", errors="replace")


def _views(source: str) -> tuple[str, ...]:
    """The page's text as it may show: as written, entities decoded, tags removed; invisible characters
    (controls, format characters such as U+0601 or zero-width joiners) dropped, as a browser shows none."""
    visible = _INVISIBLE.sub("", source)
    decoded = html.unescape(visible)
    return source, visible, decoded, _TAG.sub("", decoded), html.unescape(_TAG.sub("", visible))


def assert_words_from(output: str | None, views: tuple[str, ...], what: str) -> None:
    """Every word of `output` stands in the input: as a substring of one of its views, or as two such
    substrings joined (the texts of two elements laid side by side, as in a browser)."""
    for word in _WORD.findall(output or ""):
        if not any(word in v for v in views) and not any(
            any(word[:k] in v for v in views) and any(word[k:] in v for v in views) for k in range(1, len(word))
        ):
            raise AssertionError(f"{what} holds {word!r}, which the input does not")


def _check_fields(fields, views: tuple[str, ...]) -> None:
    for para in fields.body:
        assert isinstance(para, str) and para.strip(), "an empty body paragraph"
        assert_words_from(para, views, "body")
    assert_words_from(fields.title, views, "title")
    assert_words_from(fields.subtitle, views, "subtitle")
    assert fields.published is None or isinstance(fields.published, date)
    _check_clock(fields.published_time)


def _check_clock(hhmm: str | None) -> None:
    if hhmm is not None:
        hh, mm = hhmm.split(":")
        assert 0 <= int(hh) < 24 and 0 <= int(mm) < 60, hhmm


def check_readers(data: bytes) -> None:
    """Any file, under any of the names readers dispatch on: Pages and Rejections only, none empty."""
    name = READER_NAMES[data[0] % len(READER_NAMES)] if data else "empty.html"
    body = data[1:]
    if name.endswith(".gz") and body[:1] != b"\x1f":  # mostly real gzip, to reach the reader inside
        body = gzip.compress(body, mtime=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(body)
        for item in read([str(path)], max_bytes=READER_LIMIT):
            assert item.origin.startswith(str(path)), item.origin
            if isinstance(item, Rejection):
                assert isinstance(item.reason, str) and item.reason.strip(), item
            else:
                assert isinstance(item, Page), item
                assert item.kind in ("html", "text", "record"), item.kind
                assert (item.data or item.text or "").strip(), "an empty page"
                assert len(item.data or b"") <= READER_LIMIT


def check_decode(data: bytes) -> None:
    """Bytes become text or a DecodeError with a reason; printable ASCII reads as itself."""
    try:
        text = decode(data)
    except DecodeError as e:
        assert str(e).strip()
        return
    assert isinstance(text, str)
    if all(b >= 0x20 and b < 0x7F or b in b"\t\n\r" for b in data):
        assert text == data.decode("ascii"), "ASCII text changed by decoding"


def check_html(data: bytes) -> None:
    """The HTML extractor keeps to the page's own words."""
    source = text_of(data)
    _check_fields(extract_html(source, "https://example.com/a"), _views(source))


def check_text(data: bytes) -> None:
    """The text-dump extractor keeps whole lines of the dump, verbatim, and learns templates without failing."""
    source = text_of(data)
    fields = extract_text(source)
    flat = source.replace("\r\n", "\n").replace("\r", "\n")
    for para in fields.body:
        assert para in flat, f"body paragraph not in the dump: {para[:80]!r}"
    for line in (fields.title, fields.subtitle):
        assert line is None or line in flat, f"title line not in the dump: {line[:80]!r}"
    _check_fields(fields, (flat,))
    template = learn_template([source, source[: len(source) // 2], source[len(source) // 2 :]])
    _check_fields(extract_text(source, template), (flat,))


def check_page(data: bytes) -> None:
    """Raw bytes as an HTML page or a text dump, through decoding, extraction and language detection."""
    kind = "html" if data[:1] in (b"<", b" ") else "text"
    result = extract(Page(origin="fuzz", kind=kind, data=data))
    if isinstance(result, Rejection):
        assert result.reason.strip()
        return
    assert isinstance(result, Article) and result.body
    try:
        source = decode(data)
    except DecodeError as e:  # extract decoded it, so decode must too
        raise AssertionError(f"extracted a page that does not decode: {e}") from e
    _check_fields(result, _views(source))


def check_dates(data: bytes) -> None:
    """Date mentions are ordered, disjoint slices of the text, with valid values."""
    text = text_of(data)
    for ref in (None, _REF):
        end = 0
        for m in find_dates(text, ref):
            assert end <= m.start < m.end <= len(text), (m.start, m.end, end)
            assert text[m.start : m.end] == m.text
            assert isinstance(m.value, date)
            _check_clock(m.time)
            assert m.kind in ("absolute", "numeric", "hijri", "relative", "weekday"), m.kind
            assert m.precision in ("day", "month", "year"), m.precision
            end = m.end
        parse_date(text, ref)


def check_numbers(data: bytes) -> None:
    """Number mentions are ordered, disjoint slices of the text with finite values; nouns come from it."""
    text = text_of(data)
    end = 0
    for m in find_numbers(text):
        assert end <= m.start < m.end <= len(text), (m.start, m.end, end)
        assert text[m.start : m.end] == m.text
        assert isinstance(m.value, float | int) and math.isfinite(m.value), m.value
        assert m.qualifier in ("exact", "about", "at_least", "at_most"), m.qualifier
        assert m.noun is None or m.noun == "%" or m.noun in text, m.noun
        end = m.end
    value = parse_number(text)
    assert value is None or math.isfinite(value), value


TARGETS = {
    "readers": check_readers,
    "decode": check_decode,
    "html": check_html,
    "text": check_text,
    "page": check_page,
    "dates": check_dates,
    "numbers": check_numbers,
}
