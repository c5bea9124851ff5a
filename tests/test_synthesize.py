"""Story synthesis: headline choice, attributed summary, absolute dates, timeline order."""

from datetime import date

from marsad.model import Article
from marsad.synthesize.headline import choose_headline
from marsad.synthesize.summary import absolute_dates, summarize
from marsad.synthesize.timeline import timeline

LEAD = ("أعلنت وزارة الصحة اليوم الإثنين تسجيل ثلاثين إصابة جديدة بفيروس كورونا في العاصمة ليرتفع "
        "إجمالي عدد المصابين إلى مئتين وست حالات.")
SECOND = ("وأوضح المتحدث الرسمي باسم الوزارة أن الحالات الجديدة جميعها من المخالطين للمصابين الذين "
          "تم اكتشافهم خلال الأسبوع الماضي في المستشفيات الحكومية.")
OTHER = ("وقررت السلطات إغلاق المدارس والجامعات في جميع المحافظات لمدة أسبوعين اعتبارا من يوم السبت "
         "المقبل ضمن الإجراءات الاحترازية لمنع انتشار الفيروس.")
CONNECTIVE = ("من جهته، قال وزير الصحة إن الوزارة رفعت درجة الاستعداد في كل المستشفيات وخصصت أجنحة "
              "للعزل في المدن الكبرى.")


def art(i, body, day=20, outlet="أ", title="الصحة تسجل 30 إصابة جديدة بكورونا"):
    return Article(id=i, origin=i, title=title, body=tuple(body), outlet=outlet, published=date(2020, 7, day))


def test_headline_prefers_the_wording_most_titles_share():
    titles = ["الصحة تسجل 30 إصابة جديدة بكورونا", "30 إصابة جديدة بكورونا في العاصمة",
              "تقرير: العالم يترقب لقاحا", None]
    assert choose_headline(titles) in titles[:2]
    assert choose_headline([None, " "]) is None


def test_every_summary_sentence_names_all_members_that_state_it():
    a = art("a", [LEAD, SECOND], day=20, outlet="أ")
    b = art("b", [LEAD.replace("العاصمة", "العاصمة الرياض"), OTHER], day=20, outlet="ب")
    c = art("c", [OTHER, CONNECTIVE], day=21, outlet="ج")
    summary = summarize([a, b, c])
    assert 1 <= len(summary) <= 6
    lead = next(s for s in summary if "ثلاثين إصابة" in s.text)
    assert set(lead.sources) == {"a", "b"}  # paraphrased copy in b counts
    schools = next(s for s in summary if "إغلاق المدارس" in s.text)
    assert set(schools.sources) == {"b", "c"}
    assert not summary[0].text.startswith("من جهته")  # no dangling opener first
    texts = [s.text for s in summary]
    assert len(texts) == len(set(texts))  # the same sentence from two outlets appears once


def test_relative_day_is_made_absolute_from_the_article_date():
    out = absolute_dates("يستقبل الرئيس اليوم الإثنين رئيس الوزراء", date(2021, 7, 26))
    assert "26 يوليو 2021" in out and out.startswith("يستقبل الرئيس اليوم الإثنين")
    assert absolute_dates("يستقبل الرئيس اليوم الإثنين", None) == "يستقبل الرئيس اليوم الإثنين"


def test_timeline_orders_by_publication_with_undated_last():
    a, b = art("a", [LEAD], day=22), art("b", [LEAD], day=20)
    c = Article(id="c", origin="c", title="t", body=("x",))
    assert [t.article for t in timeline([a, c, b])] == ["b", "a", "c"]


def test_a_story_whose_every_sentence_points_back_has_no_summary():
    # every usable sentence opens with a connective ("من جهته") that needs text the reader has not seen
    assert summarize([art("a", [CONNECTIVE]), art("b", [CONNECTIVE], outlet="ب")]) == []
