"""Date expressions: month namings, doubled forms, numeric, Hijri, weekdays and relative expressions."""

import csv
from datetime import date
from pathlib import Path

import pytest

from marsad.arabic.dates import DateMention, find_dates, parse_date, weekday_of

DATA = Path(__file__).parent / "data" / "arabic" / "date_expressions.tsv"
REF = date(2021, 7, 25)  # a Sunday


def _one(text: str, ref: date | None = None) -> DateMention:
    found = find_dates(text, ref)
    assert len(found) == 1, found
    return found[0]


def test_publication_lines_from_the_seeds():
    d = _one("نشر في المساء يوم 25 - 07 - 2021")
    assert (d.value, d.kind, d.precision, d.time) == (date(2021, 7, 25), "numeric", "day", None)
    assert d.text == "25 - 07 - 2021"
    d = _one("الجمعة 23/07/2021 - 03:53 بتوقيت نيويورك")
    assert (d.value, d.time) == (date(2021, 7, 23), "03:53")
    assert d.text.startswith("الجمعة")


def test_offsets_index_the_original_text():
    text = "وصل الكاظمي، ليل الأحد، إلى واشنطن في 26 يوليو/تموز 2021، وفق بيان."
    for d in find_dates(text, REF):
        assert text[d.start : d.end] == d.text
    assert [d.text for d in find_dates(text)] == ["26 يوليو/تموز 2021"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("3 يناير 2020", date(2020, 1, 3)),
        ("8 فيفري 2019", date(2019, 2, 8)),  # Algerian/Tunisian
        ("12 أفريل 2019", date(2019, 4, 12)),
        ("5 جوان 2019", date(2019, 6, 5)),
        ("14 جويلية 2019", date(2019, 7, 14)),
        ("20 أوت 2019", date(2019, 8, 20)),
        ("22 يوليوز 2006", date(2006, 7, 22)),  # Moroccan
        ("1 غشت 2020", date(2020, 8, 1)),
        ("10 شتنبر 2020", date(2020, 9, 10)),
        ("3 نونبر 2020", date(2020, 11, 3)),
        ("31 دجنبر 2020", date(2020, 12, 31)),
        ("6 كانون الثاني 1903", date(1903, 1, 6)),  # Levantine/Iraqi
        ("14 شباط 1919", date(1919, 2, 14)),
        ("7 تشرين الثاني 1919", date(1919, 11, 7)),
        ("1 تشرين أول 2019", date(2019, 10, 1)),
        ("25 كانون الأول 2020", date(2020, 12, 25)),
    ],
)
def test_every_month_naming(text, expected):
    d = _one(text)
    assert (d.value, d.kind, d.precision) == (expected, "absolute", "day")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("26 يوليو تموز 2021", date(2021, 7, 26)),
        ("أبريل/نيسان 2021", date(2021, 4, 1)),
        ("11 سبتمبر (أيلول) 2001", date(2001, 9, 11)),
        ("25 أبريل / أبريل 2024", date(2024, 4, 25)),
        ("28 تموز (يوليو) 2015", date(2015, 7, 28)),
    ],
)
def test_doubled_month_names_are_one_mention(text, expected):
    assert _one(text).value == expected
    assert _one(text).text == text


def test_two_different_months_are_not_a_doubled_name():
    assert [d.value for d in find_dates("بين يوليو أغسطس 2021", REF)] == [date(2021, 7, 1), date(2021, 8, 1)]


def test_year_less_dates_take_the_reference_year():
    assert find_dates("يوم 26 يوليو") == []
    assert _one("يوم 26 يوليو", REF).value == date(2021, 7, 26)
    assert _one("في 29 يونيو الماضي", date(2021, 1, 10)).value == date(2020, 6, 29)
    assert _one("في 12 آب (أغسطس) المقبل", date(2021, 9, 1)).value == date(2022, 8, 12)


def test_month_alone_needs_a_reference_and_an_unambiguous_name():
    assert _one("منذ تولي بايدن منصبه في يناير", REF).value == date(2021, 1, 1)
    assert find_dates("وقالت تيريزا ماي إن", REF) == []
    assert find_dates("قافلة نيسان لسيارات الدفع الرباعي", REF) == []


def test_iso_and_numeric_forms():
    d = _one("2021-07-23T03:53:00Z")
    assert (d.value, d.time) == (date(2021, 7, 23), "03:53")
    assert _one("بتاريخ 23.07.2021").value == date(2021, 7, 23)
    assert _one("في 07/23/2021").value == date(2021, 7, 23)  # only m/d/y fits
    assert _one("٢٥/٠٧/٢٠٢١").value == date(2021, 7, 25)
    assert _one("25 يوليو 2021 - 10:30 م").time == "22:30"


def test_hijri_dates_convert_to_gregorian():
    d = _one("الثلاثاء 5 شوال 1436هـ")
    assert (d.value, d.kind, d.precision) == (date(2015, 7, 21), "hijri", "day")
    assert _one("15 رمضان 1436").value == date(2015, 7, 2)
    d = _one("ولد عام 1396هـ")
    assert (d.value, d.precision) == (date(1976, 1, 2), "year")
    assert _one("بتاريخ 26 - 5 - 1436هـ").value == date(2015, 3, 17)
    d = _one("ذو الحجة", date(2015, 8, 1))
    assert (d.value, d.precision) == (date(2015, 9, 14), "month")
    assert find_dates("ذو الحجة") == []  # no year without a reference
    assert find_dates("قال رجب طيب أردوغان", REF) == []  # a name, not the month
    assert _one("خلال شهر رمضان", date(2015, 6, 1)).value == date(2015, 6, 18)


def test_weekdays_resolve_against_the_reference():
    assert _one("من المقرر أن يلتقي غدا الاثنين", REF).value == date(2021, 7, 26)
    assert _one("يستقبل الرئيس، اليوم الإثنين، رئيس الوزراء", date(2021, 7, 26)).value == date(2021, 7, 26)
    assert _one("وقال البيت الأبيض في بيان يوم الجمعة", REF).value == date(2021, 7, 23)
    assert _one("البيان سينشر بمناسبة زيارة الكاظمي يوم الاثنين،", date(2021, 7, 23)).value == date(
        2021, 7, 26
    )
    assert _one("الجمعة المقبلة", REF).value == date(2021, 7, 30)
    assert _one("أمس الأربعاء", date(2015, 7, 24)).value == date(2015, 7, 22)
    assert find_dates("بعد صلاة الجمعة", REF) == []
    assert find_dates("وقال يوم الجمعة") == []  # relative: needs ref


def test_relative_expressions():
    cases = {
        "أمس": (date(2021, 7, 24), "day"),
        "أول من أمس": (date(2021, 7, 23), "day"),
        "غدا": (date(2021, 7, 26), "day"),
        "الأسبوع الماضي": (date(2021, 7, 18), "day"),
        "الشهر المقبل": (date(2021, 8, 1), "month"),
        "الشهر الماضي": (date(2021, 6, 1), "month"),
        "مطلع العام": (date(2021, 1, 1), "month"),
        "نهاية العام": (date(2021, 12, 1), "month"),
        "العام الماضي": (date(2020, 1, 1), "year"),
        "منذ 3 أيام": (date(2021, 7, 22), "day"),
        "قبل يومين": (date(2021, 7, 23), "day"),
    }
    for text, (value, precision) in cases.items():
        d = _one(text, REF)
        assert (d.value, d.precision, d.kind) == (value, precision, "relative"), text
        assert find_dates(text) == []


def test_bare_numbers_and_names_are_not_dates():
    assert find_dates("بلغ العدد 2017 شخصا") == []
    assert find_dates("وتوجو 207 آبار") == []
    assert find_dates("قوى 14 آذار", REF) == []
    assert [d.text for d in find_dates("هزم التنظيم في العراق عام 2017 على")] == ["عام 2017"]


def test_parse_date_and_weekday_of():
    assert parse_date("نشر في بيان اليوم يوم 27 - 07 - 2021") == date(2021, 7, 27)
    assert parse_date("لا تاريخ هنا") is None
    assert weekday_of("الإثنين") == 0 and weekday_of("يوم الجمعة") == 4 and weekday_of("سبت") == 5
    assert weekday_of("الأحد") == 6 and weekday_of("غدا") is None


def _rows():
    with DATA.open(encoding="utf-8") as f:
        lines = [ln for ln in f if not ln.startswith("#")]
    return list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_real_date_expressions_pass_rate():
    rows = _rows()
    assert len(rows) >= 150
    failures = []
    for source, ref, expected, precision, time, expr, context in rows:
        refd = date.fromisoformat(ref) if ref != "-" else None
        at = context.find(expr)
        assert at >= 0, (source, expr)
        hits = [d for d in find_dates(context, refd) if d.start < at + len(expr) and d.end > at]
        if expected == "none":
            ok = not hits
        else:
            ok = bool(hits) and hits[0].value == date.fromisoformat(expected)
            ok = ok and (precision == "-" or hits[0].precision == precision)
            ok = ok and (time == "-" or hits[0].time == time)
        if not ok:
            failures.append(f"{source} {expr!r}: expected {expected}/{precision}, got {hits[:1]}")
    rate = 1 - len(failures) / len(rows)
    print(f"\n{len(rows)} date expressions, pass rate {rate:.1%}")
    for f in failures:
        print("  FAIL", f)
    assert rate >= 0.97, failures
