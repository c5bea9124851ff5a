"""HTML extraction: the article's paragraphs, its headline and the metadata the page states; furniture out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from marsad.extract import extract_html

DATA = Path(__file__).parent / "data" / "extract"

TITLE = "افتتاح جسر جديد يربط ضفتي النهر في العاصمة"
PARAS = [
    "افتتح وزير النقل صباح اليوم جسرا جديدا يربط ضفتي النهر في العاصمة، بطول يزيد على كيلومترين "
    "وبتكلفة بلغت ثلاثمائة مليون دولار.",
    "وقال الوزير في كلمة خلال حفل الافتتاح إن الجسر سيخفف الازدحام المروري في وسط المدينة، ويختصر "
    "زمن الرحلة بين الضفتين إلى النصف تقريبا.",
    "وأضاف أن الوزارة تعمل على مشروعات مماثلة في ثلاث محافظات أخرى، على أن يكتمل أولها قبل نهاية العام المقبل.",
]


def page(head: str = "", body_top: str = "", article_extra: str = "", tail: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    return f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">{head}</head><body>
<header><nav><a href="/">الرئيسية</a><a href="/p">سياسة</a><a href="/e">اقتصاد</a></nav></header>
{body_top}
<main><article>
<h1>{TITLE}</h1>
<div class="share-bar"><a>فيسبوك</a> <a>تويتر</a> <a>واتساب</a></div>
<figure><img src="a.jpg"><figcaption>الجسر الجديد عند افتتاحه صباح اليوم (رويترز)</figcaption></figure>
<div class="article-body">{paras}{article_extra}</div>
<div class="related-posts"><h3>اقرأ أيضا</h3><ul><li><a>ارتفاع أسعار الذهب في الأسواق المحلية</a></li>
<li><a>المنتخب يستعد لمباراة الحسم في الدوري</a></li></ul></div>
<section id="comments"><h3>التعليقات</h3><p>لا توجد تعليقات على الخبر حتى الآن، كن أول من يعلق على هذا الخبر.</p></section>
</article></main>
<aside class="sidebar"><h3>الأكثر قراءة</h3><p>خبر آخر طويل بما يكفي ليبدو فقرة من فقرات المقال، لكنه في الشريط الجانبي.</p></aside>
<footer><p>جميع الحقوق محفوظة © 2024 صحيفة المدينة الجديدة</p></footer>
{tail}
<script>var x = "لا يظهر";</script>
</body></html>"""


def test_article_paragraphs_without_furniture():
    r = extract_html(page())
    assert list(r.body) == PARAS


def test_headline_from_h1_confirmed_by_og_title_with_site_suffix():
    head = f'<meta property="og:title" content="{TITLE} - المدينة الجديدة"><title>{TITLE} | أخبار</title>'
    r = extract_html(page(head))
    assert r.title == TITLE


def test_stated_publication_time_and_arabic_site_name():
    head = (
        '<meta property="article:published_time" content="2020-08-24T09:23:13+03:00">'
        '<meta property="article:modified_time" content="2021-01-01T00:00:00Z">'
        '<meta property="og:site_name" content="المدينة الجديدة">'
    )
    r = extract_html(page(head))
    assert r.published == date(2020, 8, 24)
    assert r.published_time == "09:23"
    assert r.outlet == "المدينة الجديدة"


def test_json_ld_date_publisher_and_headline():
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",'
        f'"headline":"{TITLE}","datePublished":"2019-02-08T10:00:00+01:00",'
        '"publisher":{"@type":"Organization","name":"الصباح"}}]}</script>'
    )
    r = extract_html(page(ld))
    assert r.published == date(2019, 2, 8)
    assert r.outlet == "الصباح"
    assert r.title == TITLE


def test_no_stated_date_means_none_not_the_copyright_year():
    r = extract_html(page())
    assert r.published is None


def test_date_printed_under_the_headline_when_no_metadata():
    extra_top = ""
    html = page(body_top=extra_top).replace(
        f"<h1>{TITLE}</h1>", f"<h1>{TITLE}</h1><time>الجمعة 8 فيفري 2019</time>"
    )
    r = extract_html(html)
    assert r.published == date(2019, 2, 8)


def test_latin_site_name_is_matched_to_the_arabic_name_the_page_prints():
    head = '<meta property="og:site_name" content="Al Madina News">'
    tail = '<div class="brand"><span>المدينة</span></div>'
    r = extract_html(page(head, tail=tail))
    assert r.outlet == "المدينة"


def test_in_article_subheading_is_kept():
    html = page().replace(f"<p>{PARAS[1]}</p>", f"<h2>موعد التشغيل</h2><p>{PARAS[1]}</p>")
    r = extract_html(html)
    assert list(r.body) == [PARAS[0], "موعد التشغيل", PARAS[1], PARAS[2]]


def test_paragraphs_split_by_line_breaks_and_inline_markup_kept_together():
    html = page().replace(
        f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p>",
        f"<p>{PARAS[0][:20]}<b>{PARAS[0][20:40]}</b><a href='#'>{PARAS[0][40:]}</a><br><br>{PARAS[1]}</p>",
    )
    r = extract_html(html)
    assert list(r.body) == PARAS


def test_real_page_excerpt():
    html = (DATA / "article.html").read_text(encoding="utf-8")
    r = extract_html(html, url="https://www.example-news.com/2020/11/123/")
    assert r.title and r.title.startswith("سرقة منزل")
    assert len(r.body) == 3
    assert all("©" not in p and "Previous" not in p for p in r.body)
    assert r.published == date(2020, 11, 9)
    assert r.outlet == "بيروت اوبزرفر"  # the Arabic name its menu prints for "Beirut Observer"


def test_layout_class_naming_furniture_does_not_remove_the_article():
    html = page().replace("<main>", '<form id="form1"><div class="layout has-sidebar"><main>')
    html = html.replace("</main>", "</main></div></form>")
    r = extract_html(html)
    assert list(r.body) == PARAS
