"""The article-article pair model: symmetric features, the shipped file, members restored with their evidence."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from marsad.cluster import OnlineClusterer, story_id_for
from marsad.cluster.features import DocFreq, read_terms, weigh
from marsad.cluster.pairs import PAIR_FEATURES, PAIR_MODEL_PATH, PairModel, default_pair_model, pair_vector
from marsad.model import Article


def art(i: str, title: str, body: str, day: int = 22, outlet: str = "x") -> Article:
    return Article(
        id=i, origin=i, title=title, body=(body,), outlet=outlet, source=outlet,
        published=date(2015, 7, day), published_time="10:00",
    )


def feats(*arts: Article):
    df = DocFreq()
    terms = [read_terms(a) for a in arts]
    for t in terms:
        df.observe(t.terms)
    return [weigh(t, df) for t in terms]


def test_pair_vector_is_symmetric_and_sees_count_clashes():
    a, b = feats(
        art("a", "مقتل 3 جنود في هجوم على نقطة حدودية", "قتل 3 جنود في هجوم على نقطة حدودية بمنطقة سترة"),
        art("b", "مقتل 2 جنود في هجوم آخر على نقطة حدودية", "قتل 2 جنود في هجوم على موقع حدودي", day=24, outlet="y"),
    )
    x, y = pair_vector(a, b), pair_vector(b, a)
    assert len(x) == len(PAIR_FEATURES)
    assert x == pytest.approx(y)
    f = dict(zip(PAIR_FEATURES, x, strict=True))
    assert f["count_clash"] >= 1.0  # 3 soldiers vs 2 soldiers: two reports
    assert f["gap_days"] == pytest.approx(2.0)
    assert f["same_outlet"] == 0.0


def test_pair_model_round_trips_and_the_shipped_file_matches():
    m = PairModel((0.5,) * len(PAIR_FEATURES), -1.0, (0.0,) * len(PAIR_FEATURES), (1.0,) * len(PAIR_FEATURES), 0.4, 2)
    assert PairModel.from_json(json.loads(json.dumps(m.to_json()))) == m
    if PAIR_MODEL_PATH.exists():
        shipped = default_pair_model()
        assert shipped is not None and 0.0 < shipped.threshold < 1.0


def test_restored_members_keep_their_rare_terms_counts_and_outlet():
    conn = sqlite3.connect(":memory:")
    oc = OnlineClusterer(conn)
    a = art("a1", "وزير الداخلية البحريني يزور سترة بعد التفجير", "زار وزير الداخلية منطقة سترة وقتل 2 شرطيين")
    oc.add(a)
    oc.flush()
    back = OnlineClusterer(conn)
    m = back.stories[story_id_for("a1")].members[0]
    orig = oc.stories[story_id_for("a1")].members[0]
    assert m.rare == pytest.approx(orig.rare)
    assert m.numbers == orig.numbers and m.outlet == orig.outlet and m.days == orig.days


def test_clusterer_with_a_pair_model_joins_a_rewrite_and_keeps_another_happening_apart():
    w = {"cos_body": 3.0, "cos_cross": 2.0, "shared_rare": 1.0, "gap_days": -1.0, "count_clash": -2.0}
    m = PairModel(tuple(w.get(f, 0.0) for f in PAIR_FEATURES), -3.0, (0.0,) * len(PAIR_FEATURES),
                  (1.0,) * len(PAIR_FEATURES), 0.5, 1)
    oc = OnlineClusterer(pairs=m)
    body = "سقطت قذيفة أطلقتها ميليشيا الحوثي على محل تجاري في نجران وأصيب مقيم بجروح طفيفة"
    s1 = oc.add(art("n1", "إصابة مقيم بقذيفة حوثية على محل في نجران", body))
    s2 = oc.add(art("n2", "مقيم يصاب بقذيفة أطلقها الحوثيون على نجران", body + " ونقل إلى المستشفى", outlet="y"))
    s3 = oc.add(art("m1", "مايكروسوفت تطلق ويندوز 10 في 190 دولة", "أطلقت شركة مايكروسوفت نظام التشغيل ويندوز 10"))
    assert s1 == s2 == story_id_for("n1")
    assert s3 == story_id_for("m1")
