"""Property-based fuzzing of the HTML and text-dump extractors: no exception escapes, and what they return
is the page's own text (properties: fuzz/targets.py)."""

from fuzz_strategies import SETTINGS, any_bytes, html_pages, lines
from hypothesis import given
from targets import check_html, check_page, check_text


@SETTINGS
@given(html_pages)
def test_html_extractor_keeps_to_the_page_text(page):
    check_html(page.encode())


@SETTINGS
@given(lines)
def test_text_extractor_keeps_whole_lines(dump):
    check_text(dump.encode())


@SETTINGS
@given(any_bytes)
def test_any_bytes_become_an_article_or_a_rejection(data):
    check_page(data)
