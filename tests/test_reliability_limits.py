"""Hostile shapes that once made extraction or parsing slow with the square of their size (or raise) now
finish in bounded time: deep nesting, floods of attributes, lines or blocks, deep JSON-LD, thousands of
dates before the number parser. Each input is a fraction of the page limit; before the fixes the slowest
took minutes to hours."""

import time

import pytest

from marsad.arabic.numbers import find_numbers
from marsad.extract import extract
from marsad.model import Article, Page, Rejection

LIMIT_S = 15.0  # each case takes about a second on the project's machine; a quadratic path takes far longer
P1 = "وقال المتحدث باسم الوزارة إن الفرق الميدانية باشرت أعمالها في جميع المحافظات منذ الصباح الباكر. " * 3
P2 = "وأضاف أن الأمطار الغزيرة تسببت في إغلاق عدد من الطرق الرئيسية وتعطل حركة السير في المدينة لساعات. " * 3
ARTICLE = f"<h1>أمطار غزيرة تغلق الطرق في المدينة</h1><p>{P1}</p><p>{P2}</p>"


def _nested(tag: str, depth: int) -> str:
    return f"<html><body>{f'<{tag}>' * depth}{ARTICLE}{f'</{tag}>' * depth}</body></html>"


CASES = {
    "200k nested divs": ("html", _nested("div", 200_000), Article),
    "200k nested list items": ("html", _nested("ul", 200_000), Article),
    "200k attributes on one element": (
        "html", "<div " + " ".join(f"a{i}=1" for i in range(200_000)) + f">{ARTICLE}</div>", Article),
    "an unclosed tag with 300k attributes": ("html", "<div " + " x" * 300_000, Rejection),
    "1M '<a ' without a '>'": ("html", "<a " * 1_000_000, Rejection),
    "JSON-LD nested 50k deep": (
        "html", f"<script type='application/ld+json'>{'[' * 50_000}{']' * 50_000}</script>{ARTICLE}", Article),
    "300k short paragraphs": ("html", "<p>نص قصير</p>" * 300_000, Rejection),
    "500k short lines": ("text", "سطر\n" * 500_000, Rejection),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_page_shape_extracts_in_bounded_time(name):
    kind, text, expected = CASES[name]
    t = time.perf_counter()
    result = extract(Page(origin=name, kind=kind, text=text))
    took = time.perf_counter() - t
    assert isinstance(result, expected), result
    if isinstance(result, Article):
        assert any("الأمطار الغزيرة" in p for p in result.body)  # the article survives its wrapping
    assert took < LIMIT_S, f"{name}: {took:.1f} s"


def test_numbers_in_a_text_full_of_dates_take_linear_time():
    text = "21 يوليو 2015 و3 جنود " * 20_000
    t = time.perf_counter()
    found = find_numbers(text)
    assert time.perf_counter() - t < LIMIT_S
    assert len(found) == 20_000 and all(m.value == 3 for m in found)  # the dates are skipped, the counts kept
