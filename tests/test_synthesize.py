"""Story synthesis: headline choice, attributed summary, absolute dates, timeline order; a summary's robustness to
members of another happening (imperfect clusters)."""

from datetime import date

from marsad.model import Article
from marsad.synthesize.headline import choose_headline
from marsad.synthesize.summary import (
    CORE_SHARE,
    MAX_TOKENS,
    MAX_WORDS,
    _content_keys,
    absolute_dates,
    centrality,
    summarize,
)
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


# One happening told by three outlets (two facts each, in their own words), and a member of another happening of
# the same kind (another fire, another city, four days later) that the clustering merged in: three fresh facts.
FIRE = [
    art("f1", ["اندلع حريق كبير فجر اليوم الإثنين في مستودع للأخشاب بالمنطقة الصناعية جنوب جدة، وتمكنت فرق "
               "الدفاع المدني من السيطرة عليه بعد ثلاث ساعات.",
               "وأوضح المتحدث باسم الدفاع المدني في جدة أن الحريق لم يسفر عن إصابات، وأن التحقيق جار لمعرفة "
               "أسباب اندلاعه في المستودع."], outlet="أ", title="حريق كبير في مستودع للأخشاب جنوب جدة"),
    art("f2", ["سيطرت فرق الدفاع المدني فجر اليوم الإثنين على حريق كبير اندلع في مستودع للأخشاب بالمنطقة "
               "الصناعية جنوب جدة بعد ثلاث ساعات من العمل.",
               "وقال المتحدث باسم الدفاع المدني في جدة إن الحريق لم يسفر عن أي إصابات، وإن التحقيق جار لمعرفة "
               "أسباب اندلاعه."], outlet="ب", title="الدفاع المدني يسيطر على حريق مستودع أخشاب في جدة"),
    art("f3", ["اندلع حريق فجر اليوم في مستودع أخشاب بالمنطقة الصناعية في جنوب جدة، وسيطرت عليه فرق الدفاع "
               "المدني بعد ثلاث ساعات.",
               "وأكد المتحدث باسم الدفاع المدني بجدة أن الحريق لم يسفر عن إصابات وأن التحقيق جار لمعرفة "
               "أسبابه."], outlet="ج", title="حريق في مستودع أخشاب بجدة"),
]
OTHER_FIRE = art("x", [
    "اندلع حريق في مبنى سكني من أربعة طوابق بحي النسيم شرق الرياض مساء الجمعة، وأصيب خمسة من السكان بينهم "
    "طفلان باختناقات.",
    "ونقلت فرق الهلال الأحمر المصابين إلى مستشفى الملك فهد حيث وصفت حالة اثنين منهم بالحرجة.",
    "وطالب سكان الحي البلدية بحصر المباني القديمة وإلزام ملاكها بتركيب أجهزة إنذار الحريق قبل الصيف.",
], day=24, outlet="د", title="إصابة خمسة أشخاص في حريق مبنى سكني بالرياض")


def _topics(articles):
    return [set(_content_keys(a.title or "")).union(*(_content_keys(p) for p in a.body[:2])) for a in articles]


def test_a_member_of_another_happening_is_peripheral():
    members = [*FIRE, OTHER_FIRE]
    weight = dict(zip([a.id for a in members], centrality(members, _topics(members)), strict=True))
    assert max(weight.values()) == 1.0
    assert weight["x"] < CORE_SHARE <= min(weight[a.id] for a in FIRE)


def test_sentences_of_an_off_topic_member_are_not_chosen():
    # the happening's own articles offer two facts, fewer than a summary's three sentences: the off-topic
    # member's fresh facts must not fill the gap, wherever it sits among the members
    for members in ([*FIRE, OTHER_FIRE], [OTHER_FIRE, *FIRE]):
        summary = summarize(members)
        assert summary, "the happening's own sentences are still summarized"
        assert all(set(s.sources) & {"f1", "f2", "f3"} for s in summary)
        assert not any("الرياض" in s.text or "الهلال الأحمر" in s.text for s in summary)
        assert all(len(set(s.sources)) >= 2 for s in summary)  # each sentence stated by several outlets


def test_a_story_of_one_off_topic_looking_member_still_has_a_summary():
    # with nothing central to compare against, the periphery is not dropped: a summary always has sentences
    assert summarize([OTHER_FIRE])


def test_a_lead_too_long_in_one_copy_is_taken_from_another_copy():
    honorific = ("وذلك إنفاذا لتوجيهات القيادة الرشيدة بتقديم كافة أشكال الدعم والمساندة والرعاية الكاملة "
                 "للمواطنين والمقيمين في جميع مناطق ومحافظات المملكة دون استثناء، وبمتابعة مباشرة من أمير "
                 "المنطقة ونائبه ومدير عام الدفاع المدني وقادة الفرق الميدانية")
    trimmed = FIRE[0].body[0]
    long_lead = trimmed[:-1] + "، " + honorific + "."
    assert len(_content_keys(long_lead)) > MAX_TOKENS >= len(_content_keys(trimmed))
    distinct = art("d", [long_lead, FIRE[0].body[1]], outlet="أ", title=FIRE[0].title)
    copy = art("d2", [trimmed, FIRE[0].body[1]], outlet="هـ", title=FIRE[0].title)  # a duplicate of "d"
    other = art("o", [FIRE[1].body[1]], outlet="ب", title=FIRE[1].title)  # states only the second fact
    summary = summarize([distinct, other], [distinct, copy, other])
    lead = next(s for s in summary if "ثلاث ساعات" in s.text)  # the happening itself, from the copy
    assert "d2" in lead.sources and honorific not in lead.text


def test_a_line_that_does_not_end_as_a_sentence_is_not_chosen():
    tags = "وسوم السعودية حوادث السلامة العامة الطوارئ حرائق المستودعات أخبار جدة"  # a tag list: no full stop
    members = [art(a.id, [*a.body, tags], outlet=a.outlet, title=a.title) for a in FIRE]
    assert not any("وسوم" in s.text for s in summarize(members))


def test_the_word_budget_counts_the_dates_spelled_out():
    # three long sentences of different facts, each with a relative day: within the budget as written, over it
    # once the dates are spelled out
    body = [
        "أعلنت الهيئة العامة للإحصاء اليوم الإثنين نتائج المسح الأول للمنشآت الصغيرة والمتوسطة في جميع مناطق "
        "المملكة، وأظهرت النتائج ارتفاع عدد العاملين فيها بنسبة تسعة بالمئة مقارنة بالعام الماضي بحسب البيان "
        "الرسمي الذي نشرته الهيئة على موقعها.",
        "وقال رئيس الهيئة في مؤتمر صحفي عقده أمس الأحد بمقرها في الرياض إن قطاع التجزئة استحوذ على النصيب "
        "الأكبر من الوظائف الجديدة يليه قطاع البناء ثم قطاع الضيافة والمطاعم والخدمات اللوجستية في المدن "
        "الكبرى والصغرى على حد سواء هذا العام.",
        "ومن المنتظر أن تنشر الهيئة غدا الثلاثاء تقريرا مفصلا عن أجور العاملين السعوديين والوافدين في تلك "
        "المنشآت، يتضمن مقارنة بين المناطق الإدارية الثلاث عشرة ومتوسط ساعات العمل الأسبوعية لكل نشاط اقتصادي "
        "على حدة خلال العام الجاري.",
    ]
    assert MAX_WORDS - 9 < sum(len(t.split()) for t in body) <= MAX_WORDS
    members = [art(f"s{i}", [t], outlet=o) for i, (t, o) in enumerate(zip(body, "أبج", strict=True))]
    summary = summarize(members)
    assert summary and sum(len(s.text.split()) for s in summary) <= MAX_WORDS
    assert all("2020" in s.text for s in summary)  # each sentence chosen has its day spelled out
