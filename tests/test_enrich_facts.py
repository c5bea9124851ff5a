from marsad.enrich.facts import compatible, disagreements, extract_facts, group_facts

A = "قال مسؤولون إن التفجير الانتحاري في سوق ببغداد أسفر عن 30 قتيلا وعشرات الجرحى يوم 19 يوليو 2021."
B = "أسفر التفجير الانتحاري في سوق شعبي ببغداد عن 36 قتيلا على الأقل، بحسب مصادر طبية."
C = "ولا يزال نحو 2500 جندي أمريكي في العراق منذ عام 2014."
D = "ويوجد حوالي 3500 جندي أجنبي في العراق بينهم قوات التحالف."
E = "وشنت الفصائل ما لا يقل عن 50 هجوما على المصالح الأمريكية منذ بداية العام."
F = "وبلغ عدد الهجمات على المصالح الأمريكية نحو خمسين هجوما منذ مطلع العام."


def facts_of(**texts):
    return [f for art, text in texts.items() for f in extract_facts(art, text)]


def test_facts_carry_value_noun_qualifier_and_sentence():
    facts = extract_facts("b", B)
    assert [(f.value, f.qualifier, f.noun_key) for f in facts] == [(36, "at_least", "قتيل")]
    assert facts[0].sentence == B and facts[0].article_id == "b"


def test_dates_and_years_are_not_facts():
    assert [f.value for f in extract_facts("a", A)] == [30]
    assert [f.value for f in extract_facts("c", C)] == [2500]


def test_different_death_tolls_are_a_disagreement():
    dis = disagreements(group_facts(facts_of(a=A, b=B)))
    assert len(dis) == 1
    assert dis[0].values == {"30": ["a"], "36": ["b"]}
    assert set(dis[0].sentences) == {A, B}


def test_different_quantities_are_not_confused():
    facts = facts_of(c=C, d=D)
    assert disagreements(group_facts(facts)) == []
    assert len(group_facts(facts)) == 2


def test_qualifiers_make_values_compatible():
    facts = facts_of(e=E, f=F)
    groups = group_facts(facts)
    assert len(groups) == 1 and len(groups[0].facts) == 2
    assert compatible(*groups[0].facts)
    assert disagreements(groups) == []


def test_one_article_alone_is_no_disagreement():
    assert disagreements(group_facts(facts_of(a=A + " " + B))) == []


def test_an_additional_count_is_not_another_report_of_it():
    a = "وقالت السفارة إن الولايات المتحدة ستسلم مصر ثماني طائرات مقاتلة هذا الأسبوع."
    b = "وذكر البيان أن واشنطن ستسلم مصر أربع طائرات مقاتلة أخرى في الخريف."
    assert disagreements(group_facts(facts_of(a=a, b=b))) == []


def test_counts_far_apart_are_different_quantities():
    a = "وسجلت الوزارة 1048 حالة إصابة بالفيروس منذ ظهوره."
    b = "وما زالت 6 حالات إصابة بالفيروس تحت العلاج."
    assert disagreements(group_facts(facts_of(a=a, b=b))) == []


def test_two_values_in_one_article_are_different_things_there():
    a = "تحمل السفينة 3540 طنا من المواد الغذائية، و450 طنا من التمور."
    b = "وتحمل السفينة 450 طنا من التمور."
    groups = group_facts(facts_of(a=a, b=b))
    assert disagreements(groups) == []
    dates = next(g for g in groups if any(f.value == 450 and f.article_id == "b" for f in g.facts))
    assert {f.value for f in dates.facts} == {450}
