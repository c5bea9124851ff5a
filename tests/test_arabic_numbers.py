"""Counted numbers: both separator conventions, number words, scales, qualifiers and counted nouns."""

import csv
import math
from pathlib import Path

from marsad.arabic.numbers import find_numbers, parse_number

DATA = Path(__file__).parent / "data" / "arabic" / "number_expressions.tsv"


def _all(text):
    return [(m.text, m.value, m.qualifier, m.noun) for m in find_numbers(text)]


def test_issue_examples():
    assert _all("تصر على انسحاب 2500 جندي أمريكي") == [("2500", 2500, "exact", "جندي")]
    assert _all("52 ألفا و495 شهيدا في قطاع غزة") == [("52 ألفا و495", 52495, "exact", "شهيدا")]
    assert _all("صادرات 4.3 مليار دولار") == [("4.3 مليار", 4.3e9, "exact", "دولار")]
    assert _all("يقرر استيراد مليون رأس غنم") == [("مليون", 1e6, "exact", "رأس")]
    assert _all("يحبط إدخال أزيد من 3 قناطير") == [("3", 3, "at_least", "قناطير")]
    assert _all("بلغ عددها نحو خمسين هجوما") == [("خمسين", 50, "about", "هجوما")]
    assert _all("قبل ثلاثة أشهر من الانتخابات") == [("ثلاثة", 3, "exact", "أشهر")]


def test_separator_conventions_and_digits():
    assert parse_number("2,500 جندي") == 2500
    assert parse_number("1.500 شخص") == 1500  # Maghrebi/Levantine thousands
    assert parse_number("1,200,000 حاج") == 1_200_000
    assert parse_number("3,5 في المئة") == 3.5
    assert parse_number("3.104 مليون برميل") == 3_104_000  # decimal before a scale word
    assert parse_number("سعر 3.800 درهم") == 3.8  # three-decimal price
    assert parse_number("١٢٫٥ مليون") == 12_500_000
    assert parse_number("٢٬٥٠٠ جندي") == 2500
    assert parse_number("1.234,5 يورو") == 1234.5


def test_number_words_compounds_and_scales():
    assert parse_number("خمسة وعشرين عاما") == 25
    assert parse_number("ثلاثة عشر قتيلا") == 13
    assert parse_number("مائة وخمسة وعشرون شخصا") == 125
    assert parse_number("ثلاث مائة رجل") == 300
    assert parse_number("ثلاثة آلاف وخمسمائة ريال") == 3500
    assert parse_number("مليارين و340 مليونا و800 ألف ريال") == 2_340_800_000
    assert parse_number("ألفي شخص") == 2000
    assert parse_number("مليون ونصف") == 1_500_000
    assert parse_number("بأربعين عامًا") == 40


def test_ranges_are_two_numbers():
    assert [m.value for m in find_numbers("بين 500 ألف و600 ألف برميل")] == [500_000, 600_000]


def test_qualifiers():
    q = {m.text: m.qualifier for m in find_numbers("ما لا يقل عن ثماني هجمات و17 هجومًا")}
    assert q == {"ثماني": "at_least", "17": "exact"}
    assert find_numbers("أكثر من 18 مليون مشاهد")[0].qualifier == "at_least"
    assert find_numbers("ما لا يزيد عن 20 شخصا")[0].qualifier == "at_most"
    assert find_numbers("أقل من 5 دقائق")[0].qualifier == "at_most"
    assert find_numbers("حوالي 20 رقما")[0].qualifier == "about"
    assert find_numbers("زهاء 300 مقاتل")[0].qualifier == "about"
    assert find_numbers("خمسة أجانب على الأقل")[0].qualifier == "at_least"
    assert find_numbers("10 آلاف شخص تقريبا")[0].qualifier == "about"


def test_dates_times_years_and_non_numbers_are_skipped():
    assert find_numbers("هزم التنظيم في العراق عام 2017 على أيدي") == []
    assert find_numbers("الجمعة 23/07/2021 - 03:53 بتوقيت نيويورك") == []
    assert find_numbers("انتخابات 2021 المبكرة") == []
    assert find_numbers("قاذفات B‑2 وF-16") == []
    assert find_numbers("آلاف جنود الاحتياط") == []  # vague plural
    assert find_numbers("جندي واحد") == []  # adjective
    assert find_numbers("لست أدري") == []
    assert find_numbers("من الساعة 4.30 الى الساعة 10م") == []
    assert _all("2000 شخص") == [("2000", 2000, "exact", "شخص")]  # a count, not a year


def test_nouns_and_percentages():
    assert find_numbers("73 في المئة من الأصوات")[0].noun == "%"
    assert find_numbers("بنسبة 14.7%")[0].noun == "%"
    assert find_numbers("المرتبة 63 عالميا")[0].noun is None
    assert find_numbers("نحو 3 آلاف معظمهم عسكريون")[0].noun is None
    m = find_numbers("تقل قرابة 40 سورياً")[0]
    assert (m.value, m.noun) == (40, "سورياً")


def test_offsets_index_the_original_text():
    text = "وقتل نحو ٣٠ شخصاً، وأصيب 52 ألفا و495 آخرون."
    for m in find_numbers(text):
        assert text[m.start : m.end] == m.text
    assert [m.value for m in find_numbers(text)] == [30, 52495]


def _rows():
    with DATA.open(encoding="utf-8") as f:
        lines = [ln for ln in f if not ln.startswith("#")]
    return list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_real_number_expressions_pass_rate():
    rows = _rows()
    assert len(rows) >= 150
    failures = []
    for source, value, qualifier, noun, expr, context in rows:
        at = context.find(expr)
        assert at >= 0, (source, expr)
        hits = [m for m in find_numbers(context) if m.start < at + len(expr) and m.end > at]
        if value == "none":
            ok = not hits
        else:
            h = hits[0] if hits else None
            ok = (
                h is not None
                and math.isclose(h.value, float(value), rel_tol=1e-9)
                and h.qualifier == qualifier
                and h.noun == (None if noun == "-" else noun)
            )
        if not ok:
            failures.append(f"{source} {expr!r}: expected {value}/{qualifier}/{noun}, got {hits[:1]}")
    rate = 1 - len(failures) / len(rows)
    print(f"\n{len(rows)} number expressions, pass rate {rate:.1%}")
    for f in failures:
        print("  FAIL", f)
    assert rate >= 0.97, failures
