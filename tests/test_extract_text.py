"""Plain-text dump extraction: each kind of page furniture is dropped, the article and its header kept.

Pages are composed here from invented paragraphs and the furniture families seen in scraped dumps.
"""

from __future__ import annotations

from datetime import date

import pytest

from marsad.extract import extract_text, learn_template

NBSP4 = "\u00a0" * 4
TITLE = "الصحة تسجل ثلاثين حالة جديدة في المدن الساحلية"
P1 = (
    "أعلنت وزارة الصحة اليوم الثلاثاء تسجيل ثلاثين حالة جديدة في المدن الساحلية، وأوضحت أن الفرق "
    "الطبية تتابع الحالات عن كثب في المستشفيات الحكومية."
)
P2 = (
    "وقال المتحدث باسم الوزارة إن المستشفيات جاهزة لاستقبال المزيد من المرضى، داعيا المواطنين إلى "
    "الالتزام بالإرشادات الصحية وتجنب التجمعات الكبيرة خلال الأيام المقبلة."
)
P3 = (
    "وأشار إلى أن الوزارة ستعقد مؤتمرا صحفيا غدا لعرض آخر المستجدات، بحضور ممثلين عن منظمة الصحة "
    "العالمية وعدد من الخبراء المحليين والدوليين."
)
P4 = (
    "وكانت السلطات قد أغلقت عددا من المدارس في الأسبوع الماضي، في إجراء احترازي قالت إنه سيستمر حتى "
    "تنخفض أعداد الإصابات إلى المستوى المطلوب."
)
BODY = [P1, P2, P3, P4]
NAV_RUN = NBSP4.join(
    [
        "ارتفاع أسعار الذهب في الأسواق المحلية",
        "المنتخب يستعد لمباراة الحسم",
        "افتتاح معرض الكتاب الدولي",
        "أمطار غزيرة على المناطق الشمالية",
        "البورصة تغلق على ارتفاع طفيف",
        "وزير التعليم يزور المدارس الجديدة",
    ]
)


def page(*parts: str | list[str], sep: str = "\n\n") -> str:
    out: list[str] = []
    for p in parts:
        out.extend(p if isinstance(p, list) else [p])
    return sep.join(out)


def test_navigation_run_joined_by_no_break_spaces_is_dropped():
    r = extract_text(page(NAV_RUN, TITLE, *BODY))
    assert list(r.body) == BODY
    assert r.title == TITLE


def test_menu_bars_breadcrumbs_and_vertical_menus_are_dropped():
    menu = "الرئيسية | سياسة | اقتصاد | رياضة | ثقافة | فن"
    crumb = "الرئيسية / صحة"
    vertical = ["الرئيسية", "محليات", "دوليات", "رياضة", "اتصل بنا"]
    r = extract_text(page(menu, "\n".join(vertical), crumb, TITLE, *BODY))
    assert list(r.body) == BODY
    assert r.title == TITLE


def test_tickers_are_dropped():
    strip = " ".join(
        [
            "افتتاح مستشفى جديد في العاصمة",
            "المنتخب يفوز بثلاثية نظيفة",
            "انخفاض أسعار النفط في التعاملات المبكرة",
            "وزير الخارجية يستقبل نظيره الفرنسي",
            "إطلاق حملة وطنية للتشجير في المحافظات",
            "تعديل مواعيد الدوام في الدوائر الحكومية",
        ]
    )
    urgent = ["عاجل انقطاع الكهرباء عن أحياء في الشمال", "عاجل إغلاق طريق الساحل بسبب الضباب"]
    r = extract_text(page("أحدث الأخبار|", strip, "\n".join(urgent), TITLE, *BODY))
    assert list(r.body) == BODY
    assert r.title == TITLE


def test_aggregator_notices_and_source_line():
    text = page(
        NAV_RUN,
        "شكرا على الإبلاغ!\nسيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها من طرف عدة أشخاص.",
        TITLE,
        "نشر في الأنباء يوم 14 - 03 - 2019",
        *BODY,
        "انقر هنا لقراءة الخبر من مصدره.",
    )
    r = extract_text(text)
    assert list(r.body) == BODY
    assert r.outlet == "الأنباء"
    assert r.credited == ()
    assert r.published == date(2019, 3, 14)


def test_social_bullets_share_and_comment_lines_are_dropped():
    social = "• facebook\n  • twitter\n  • youtube\n  • rss"
    tail = [
        "شارك القصة",
        "تابع القراءة",
        "Close",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "أضف تعليقك\nالاسم\nالبريد الإلكتروني\nإرسال",
        "طباعة Email فيسبوك تويتر لينكدين واتساب",
    ]
    r = extract_text(page(social, TITLE, "Changed", "مشاركة", *BODY, *tail))
    assert list(r.body) == BODY


def test_title_printed_twice_is_kept_once_and_captions_shown_twice_are_dropped():
    caption = "عاملون في مستشفى حكومي يستقبلون المرضى (أرشيفية)"
    r = extract_text(page(TITLE, TITLE, caption, caption, *BODY))
    assert r.title == TITLE
    assert list(r.body) == BODY


def test_title_site_suffix_is_stripped():
    r = extract_text(page(f"{TITLE} |  أخبار الصحة", f"{TITLE} | أخبار الصحة", *BODY))
    assert r.title == TITLE


def test_related_list_inside_the_article_is_dropped_and_text_after_it_kept():
    related = "\n".join(
        [
            "اقرأ أيضا:",
            "• افتتاح مستشفى جديد في العاصمة",
            "• المنتخب يفوز بثلاثية نظيفة",
            "• انخفاض أسعار النفط في التعاملات المبكرة",
        ]
    )
    r = extract_text(page(TITLE, P1, P2, related, P3, P4))
    assert list(r.body) == BODY


def test_related_list_after_the_article_and_footer_are_dropped():
    related = "\n".join(
        [
            "الموضوعات المتعلقة",
            "قبل 19 دقيقة",
            "افتتاح مستشفى جديد في العاصمة",
            "قبل ساعة",
            "المنتخب يفوز بثلاثية نظيفة",
        ]
    )
    footer = [
        "الكلمات الدالة :\nمستشفى\nحالات",
        "جميع الحقوق محفوظة © 2019 صحيفة الأنباء",
        "لا مانع من الاقتباس وإعادة النشر شريطة ذكر المصدر ( الأنباء ) - الآراء والتعليقات المنشورة تعبر عن رأي أصحابها فقط",
        "Privacy Policy | Terms of Use | Contact Us",
    ]
    r = extract_text(page(TITLE, *BODY, related, *footer))
    assert list(r.body) == BODY
    assert r.outlet == "الأنباء"  # named by the copyright and the reuse notice


def test_standalone_byline_is_dropped():
    r = extract_text(page(TITLE, "كتب: سامي العلي", *BODY))
    assert list(r.body) == BODY


def test_in_article_subheadings_are_kept_in_place():
    r = extract_text(page(TITLE, P1, P2, "إجراءات احترازية", P3, '"الوضع تحت السيطرة"', P4))
    assert list(r.body) == [P1, P2, "إجراءات احترازية", P3, '"الوضع تحت السيطرة"', P4]


def test_inline_photo_credit_and_headline_between_paragraphs_are_dropped():
    inject = "© REUTERS / JOHN SMITH\nالحكومة تعلن خطة جديدة للنقل العام"
    r = extract_text(page(TITLE, P1, inject, P2, P3, P4))
    assert list(r.body) == BODY


def test_body_paragraphs_are_verbatim_input_text():
    odd = P2.replace("المستشفيات", "المستشفيات\u00a0", 1)  # a no-break space inside is display text
    text = page(TITLE, "  " + P1 + "  ", odd, P3, P4)
    r = extract_text(text)
    assert list(r.body) == [P1, odd, P3, P4]
    for para in r.body:
        assert para in text


def test_agency_and_outlet_from_source_line():
    r = extract_text(page(TITLE, "المصدر / وكالات - الأنباء", *BODY))
    assert r.outlet == "الأنباء"
    assert r.credited == ("وكالات",)


def test_sources_list_credits_all_and_names_the_first_outlet():
    r = extract_text(page(TITLE, *BODY, "المصادر:\nالأنباء، أ ف ب", "شارك القصة"))
    assert r.outlet == "الأنباء"
    assert r.credited == ("الأنباء", "أ ف ب")


def test_agency_alone_is_credited_not_taken_as_outlet():
    r = extract_text(page(TITLE, "المصدر / الأناضول", *BODY))
    assert r.outlet is None
    assert r.credited == ("الأناضول",)


def test_header_clock_above_the_title_is_not_the_publication_date():
    text = page("الخميس 25 أبريل / أبريل 2024", TITLE, TITLE, *BODY)
    r = extract_text(text)
    assert r.published is None
    assert r.published_time is None


def test_date_printed_under_the_title_is_the_publication_date():
    text = page("السبت، 25 أكتوبر 2025 9:00 ص", TITLE, "١٩:٢٩ الخميس ٢٣ / ٧ / ٢٠١٥", *BODY)
    r = extract_text(text)
    assert r.published == date(2015, 7, 23)
    assert r.published_time == "19:29"


def test_timezone_stamp_above_the_title_is_a_publication_date():
    r = extract_text(page("الجمعة 23/07/2021 - 03:53 بتوقيت مكة المكرمة", TITLE, TITLE, *BODY))
    assert r.published == date(2021, 7, 23)
    assert r.published_time == "03:53"


def test_published_wins_over_updated():
    r = extract_text(page(TITLE, "نشر في: 31-07-2015 04:19 | آخر تحديث: 03-08-2015 10:27", *BODY))
    assert r.published == date(2015, 7, 31)
    assert r.published_time == "04:19"


def test_english_date_line():
    r = extract_text(page(TITLE, "November 9, 2020", *BODY))
    assert r.published == date(2020, 11, 9)


def test_no_date_on_the_page_means_none():
    r = extract_text(page(NAV_RUN, TITLE, *BODY, "Leave a Reply"))
    assert r.published is None


def test_subtitle_under_the_title():
    deck = "لمتابعة انتشار المرض في المحافظات"
    r = extract_text(page(TITLE, deck, "نشر في الأنباء يوم 14 - 03 - 2019", *BODY))
    assert r.title == TITLE
    assert r.subtitle == deck
    assert deck not in r.body


def test_crlf_line_ends():
    r = extract_text(page(TITLE, *BODY).replace("\n", "\r\n"))
    assert list(r.body) == BODY


def test_page_without_prose_has_no_body():
    r = extract_text(page(NAV_RUN, "الرئيسية\nسياسة\nاقتصاد\nرياضة", "جميع الحقوق محفوظة © 2020"))
    assert r.body == ()


SLOGAN = (
    "نحن نغطي الأخبار المحلية والعالمية على مدار الساعة، ونقدم لقرائنا التحليلات الموثوقة والتقارير "
    "الخاصة من مراسلينا في كل مكان."
)


def _site_page(body: list[str], title: str) -> str:
    return page(title, *body, SLOGAN, "الرئيسية\nمحليات\nدوليات")


OTHER = [
    "شهدت المدينة أمطارا غزيرة صباح اليوم، وأعلنت البلدية رفع درجة الاستعداد في جميع الأحياء المنخفضة.",
    "وارتفع مؤشر السوق المحلية في ختام تعاملات الأسبوع، مدعوما بصعود أسهم المصارف وشركات الاتصالات.",
    "وفاز الفريق الأول على ضيفه بهدفين مقابل هدف، ليحافظ على صدارة الدوري قبل ثلاث جولات من النهاية.",
]


def test_template_learns_lines_recurring_across_a_sites_pages():
    others = [
        _site_page([OTHER[0]], "عنوان أول عن الطقس في المدينة"),
        _site_page([OTHER[1]], "عنوان ثان عن الاقتصاد المحلي"),
        _site_page([OTHER[2]], "عنوان ثالث عن الرياضة"),
    ]
    target = _site_page(BODY, TITLE)
    assert SLOGAN in extract_text(target).body  # reads like a paragraph: rules alone keep it
    template = learn_template([*others, target], min_pages=3)
    assert SLOGAN in template
    r = extract_text(target, template)
    assert list(r.body) == BODY
    assert r.title == TITLE


def test_template_keeps_lines_seen_on_too_few_pages():
    template = learn_template([page(TITLE, P1), page(TITLE, P2), page("آخر", P3)], min_pages=3)
    assert TITLE not in template
    assert len(template) == 0
    with pytest.raises(ValueError):
        learn_template([], min_pages=1)
