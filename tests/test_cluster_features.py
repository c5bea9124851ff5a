"""The clusterer's reading of an article: stems, counts with their nouns, event days, online idf."""

from __future__ import annotations

from datetime import date

from marsad.cluster.decision import FEATURES, default_decision
from marsad.cluster.features import DocFreq, article_hours, dot, read_terms, unit, weigh
from marsad.model import Article


def art(aid: str, title: str, body: str, day: date = date(2015, 7, 31), clock: str = "10:00") -> Article:
    return Article(id=aid, origin=aid, title=title, body=(body,), published=day, published_time=clock)


def test_terms_are_stems_without_stopwords():
    t = read_terms(art("x", "وزير الخارجية يلتقي نظيره في الرياض", "التقى وزير الخارجية اليوم نظيره في الرياض."))
    assert "وزير" in t.title
    assert "في" not in t.title and "في" not in t.lead


def test_counts_keep_their_noun_and_years_are_dropped():
    t = read_terms(art("x", "استشهاد 3 جنود على الحدود", "استشهد 3 جنود في عام 2015 وأصيب سبعة آخرون."))
    assert "3" in t.numbers
    assert any(n.startswith("3:") for n in t.numbers)
    assert "2015" not in t.numbers


def test_event_day_resolved_against_publication():
    t = read_terms(art("x", "مقتل مزارع بمقذوف", "قتل مزارع مساء أمس الخميس في قرية حدودية.", day=date(2015, 7, 31)))
    assert date(2015, 7, 30).toordinal() in t.days


def test_idf_is_learned_online_and_rare_terms_lead_retrieval():
    df = DocFreq()
    common = read_terms(art("c", "أخبار اليوم", "أخبار اليوم المحلية والعالمية"))
    for _ in range(50):
        df.observe(common.terms)
    rare = read_terms(art("r", "أخبار اليوم عن كركوك", "أخبار اليوم عن انفجار في كركوك"))
    df.observe(rare.terms)
    assert df.idf("كركوك") > df.idf("اخبار")
    f = weigh(rare, df)
    assert "كركوك" in f.salient and "اخبار" not in f.salient
    assert abs(dot(f.body, f.body) - 1.0) < 1e-9  # unit vectors: dot is cosine


def test_hours_from_date_and_time():
    a = art("x", "t", "b", day=date(1970, 1, 2), clock="06:30")
    assert article_hours(a) == 24 + 6.5
    assert unit({"a": 3.0, "b": 4.0}) == {"a": 0.6, "b": 0.8}


def test_shipped_model_matches_the_features():
    d = default_decision()
    assert len(d.weights) == len(FEATURES)
    assert 0.0 < d.threshold < 1.0


def _busy_df(n_docs: int, terms) -> DocFreq:
    """Document frequencies of a busy news day: every one of `terms` is common."""
    return DocFreq(n_docs, {k: n_docs // 10 for k in terms})


def test_an_article_without_a_rare_word_still_has_retrieval_keys():
    """On the war's busiest days "a UAE plane lands at Aden airport" has no rare word; without keys it
    could never meet the other reports of its landing."""
    t = read_terms(art("x", "هبوط طائرة إماراتية تحمل مساعدات بمطار عدن", "هبطت طائرة إماراتية في مطار عدن."))
    df = _busy_df(10_000, t.terms)
    df.counts["هبوط"] = 50  # the least common of them leads
    f = weigh(t, df)
    assert not f.rare or all(k.startswith("#") for k in f.rare)  # nothing is rare here ...
    assert f.salient and f.salient[0] == "هبوط"  # ... yet the title's least common words are keys
    assert set(f.salient) <= set(t.title)
