"""Title, outlet, credit and date helpers shared by the text and HTML extractors."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.extract import meta


@pytest.mark.parametrize(
    ("title", "outlet", "clean"),
    [
        ("عنوان الخبر |  أخبار السياسة", None, "عنوان الخبر"),
        ("عنوان الخبر - الوئام", "الوئام", "عنوان الخبر"),
        ("عنوان الخبر - فيديو", None, "عنوان الخبر - فيديو"),  # a dash tail is kept unless it is the site
        ("عنوان الخبر", None, "عنوان الخبر"),
    ],
)
def test_title_suffix(title, outlet, clean):
    assert meta.clean_title(title, outlet) == clean


@pytest.mark.parametrize(
    ("lines", "outlet", "credited"),
    [
        (["نشر في الأنباء يوم 14 - 03 - 2019"], "الأنباء", ()),
        (["المصدر / وكالات - هيا"], "هيا", ("وكالات",)),
        (["المصادر:", "العربي، أ ف ب"], "العربي", ("العربي", "أ ف ب")),
        (["المصدر: عكاظ + د ب أ"], "عكاظ", ("عكاظ", "د ب أ")),
        (["المصدر: صحيفة الرياض"], "الرياض", ()),
        (["المصدر / واس"], None, ("واس",)),
    ],
)
def test_source_statements(lines, outlet, credited):
    c = meta.source_credits(lines)
    assert c is not None
    assert c.outlet == outlet
    assert c.credited == credited


def test_no_source_statement():
    assert meta.source_credits(["كتب: سامي العلي", "الرئيسية"]) is None


def test_agencies_are_not_outlets():
    assert meta.is_agency("أ ف ب") and meta.is_agency("رويترز") and meta.is_agency("وكالات")
    assert not meta.is_agency("الوطن")


def test_outlet_hints_from_copyright_and_reuse_notices():
    votes = meta.outlet_hints(
        [
            "© 2015 الجزيرة. جميع الحقوق محفوظة",
            "لا مانع من الاقتباس وإعادة النشر شريطة ذكر المصدر ( الجزيرة ) - الآراء والتعليقات المنشورة",
        ]
    )
    assert meta.choose_outlet(None, votes) == "الجزيرة"


def test_one_weak_hint_is_not_enough():
    assert meta.choose_outlet(None, meta.outlet_hints(["جدة - الوطن"])) is None


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("alwatan", "الوطن"),
        ("okaz", "عكاظ"),
        ("Beirut Observer", "بيروت اوبزرفر"),
        ("aawsat", "الشرق الأوسط"),
    ],
)
def test_latin_site_names_spell_arabic_names(latin, arabic):
    assert meta.spells(meta.latin_skeleton(latin), arabic)


def test_latin_name_does_not_spell_another_name():
    assert not meta.spells(meta.latin_skeleton("alriyadh"), "الوطن")


def test_domain_confirms_one_side_of_a_byline():
    votes = meta.outlet_hints(["الوطن - القاهرة"])
    assert (
        meta.choose_outlet(None, votes, latin=meta.latin_names(["Copyright © 2015 - alwatan.com.sa"]))
        == "الوطن"
    )


def test_latin_dates():
    assert [d for _, d, _ in meta.latin_dates("November 9, 2020")] == [date(2020, 11, 9)]
    assert [(d, t) for _, d, t in meta.latin_dates("Saturday, 25 July 2015 - 10:02")] == [
        (date(2015, 7, 25), "10:02")
    ]
    assert meta.latin_dates("لا تاريخ هنا") == []


def test_publication_date_rules():
    head = ["الخميس 25 أبريل / أبريل 2024", "العنوان", "٠٤:٢٥ الجمعة ٣١ / ٧ / ٢٠١٥"]
    hit = meta.pick_published(head, title_pos=1, body=["نص"])
    assert hit is not None and hit.value == date(2015, 7, 31) and hit.time == "04:25"
    assert meta.pick_published(head[:2], title_pos=1, body=["نص"]) is None  # only a header clock


def test_without_a_title_a_date_contradicting_todays_weekday_is_rejected():
    body = ["يستقبل الرئيس اليوم الإثنين رئيس الوزراء في البيت الأبيض."]
    assert meta.pick_published(["الخميس 25 أبريل 2024"], title_pos=None, body=body) is None
    assert meta.pick_published(["الإثنين 26 يوليو 2021"], title_pos=None, body=body).value == date(
        2021, 7, 26
    )


def test_without_a_title_a_date_far_after_the_story_is_rejected():
    body = ["وقعت الحادثة في عام 2014 وأعيد فتح التحقيق في عام 2015."]
    assert meta.pick_published(["25 أبريل 2024"], title_pos=None, body=body) is None
