"""Online story clustering: joins, hard negatives, fading, stable ids across a restore, sublinear retrieval."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from marsad.cluster import OnlineClusterer, cluster_batch, cluster_online, ensure_schema, story_id_for
from marsad.cluster.online import MAX_CANDIDATES
from marsad.model import Article

DATA = Path(__file__).parent / "data" / "cluster" / "mini.jsonl"


def load() -> list[Article]:
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        day, clock = r["date"].split(" ")
        out.append(
            Article(
                id=r["id"],
                origin=r["id"],
                title=r["title"],
                body=tuple(p for p in r["content"].split("\n") if p),
                outlet=r["source"],
                source=r["source"],
                published=date.fromisoformat(day),
                published_time=clock[:5],
            )
        )
    return out


@pytest.fixture(scope="module")
def mini() -> dict[str, str]:
    oc = OnlineClusterer()
    return {a.id: oc.add(a) for a in load()}


def test_reports_of_one_happening_join_one_story(mini):
    assert mini["a1"] == mini["a2"] == mini["a3"]  # Kirkuk bombing and its casualty update a day later
    assert mini["b1"] == mini["b2"]
    assert mini["c1"] == mini["c2"]


def test_same_kind_different_happening_stays_apart(mini):
    assert mini["a1"] != mini["b1"]  # two car bombings, two cities, two days
    assert len({mini["a1"], mini["b1"], mini["c1"], mini["f1"], mini["f2"], mini["f3"]}) == 6


def test_old_story_fades(mini):
    # the same market bombed again five weeks later is a new story, however alike the words
    assert mini["e1"] != mini["a1"]
    assert mini["e1"] == story_id_for("e1")


def test_story_id_is_the_founders_hash(mini):
    assert mini["a2"] == story_id_for("a1")
    assert mini["b2"] == story_id_for("b1")


def test_ids_stable_across_restore_from_sqlite():
    arts = load()
    straight = cluster_online(arts).assignments
    conn = sqlite3.connect(":memory:")
    first = OnlineClusterer(conn)
    got = {a.id: first.add(a) for a in arts[:5]}
    first.flush()
    conn.commit()
    second = OnlineClusterer(conn)  # a new process on the same store
    assert second.df.n_docs == 5
    assert {a.id: second.add(a) for a in arts[:5]} == got  # re-adding an article keeps its story
    got.update({a.id: second.add(a) for a in arts[5:]})
    second.flush()
    conn.commit()
    assert got == straight
    rows = dict(conn.execute("SELECT article_id, story_id FROM cluster_members").fetchall())
    assert rows == got


def test_restore_keeps_active_stories_and_their_members():
    arts = load()
    conn = sqlite3.connect(":memory:")
    oc = OnlineClusterer(conn)
    for a in arts[:6]:
        oc.add(a)
    oc.flush()
    back = OnlineClusterer(conn)
    assert set(back.stories) == set(oc.stories)
    sid = story_id_for("a1")
    assert back.stories[sid].size == oc.stories[sid].size == 3
    assert [m.id for m in back.stories[sid].members] == ["a1", "a2", "a3"]
    assert back.stories[sid].title == pytest.approx(oc.stories[sid].title)
    assert back.index.keys() == oc.index.keys()


def test_add_does_not_commit():
    conn = sqlite3.connect(":memory:")
    ensure_schema(conn)
    conn.commit()
    oc = OnlineClusterer(conn)
    oc.add(load()[0])
    oc.flush()
    assert conn.in_transaction  # the caller decides when a batch is committed
    conn.rollback()
    assert conn.execute("SELECT COUNT(*) FROM cluster_members").fetchone()[0] == 0


def _synthetic(n_topics: int, per_topic: int) -> list[Article]:
    """n_topics happenings, each with its own made-up names, reported per_topic times the same day."""
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    out = []
    start = date(2015, 7, 1)
    for t in range(n_topics):
        # every happening's names are its own (t in base 28, then the name's place): rare words to index
        digits = "".join(letters[(t // len(letters) ** j) % len(letters)] for j in range(3))
        names = [digits + letters[i] + letters[(i * 5 + 3) % len(letters)] for i in range(6)]
        day = start + timedelta(days=t // 40)
        for k in range(per_topic):
            title = f"{names[0]} {names[1]} {names[2]} حادث"
            body = (f"{names[0]} {names[1]} {names[2]} {names[3]} {names[4]} {names[5]} وقع حادث في منطقة {names[k % 6]}",)
            out.append(Article(id=f"s{t}-{k}", origin="x", title=title, body=body, published=day, published_time="10:00"))
    return out


def test_candidate_retrieval_does_not_scan_every_story():
    arts = _synthetic(400, 2)
    oc = OnlineClusterer()
    for a in arts:
        oc.add(a)
    active = len(oc.stories)
    assert active >= 100
    assert sum(1 for s in oc.stories.values() if s.size == 2) >= 0.9 * active  # retrieval found the twins
    # each article is compared with a handful of indexed candidates, never with every active story
    assert oc.stats.comparisons <= MAX_CANDIDATES * len(arts)
    assert oc.stats.comparisons / len(arts) < 0.05 * active


def test_batch_and_online_give_the_same_shape():
    arts = load()
    on, ba = cluster_online(arts), cluster_batch(arts)
    for res in (on, ba):
        assert set(res.assignments) == {a.id for a in arts}
        members = [m for s in res.stories for m in s.members]
        assert sorted(members) == sorted(res.assignments)
        for s in res.stories:
            assert s.first_seen <= s.last_seen
            assert all(res.assignments[m] == s.id for m in s.members)
            assert s.id == story_id_for(s.members[0])  # the earliest member founded it
    assert ba.assignments["a1"] == ba.assignments["a3"] != ba.assignments["b1"]


def test_undated_article_is_placed_at_the_clock():
    arts = load()
    oc = OnlineClusterer()
    for a in arts[:3]:
        oc.add(a)
    late = replace(arts[2], id="a2-undated", published=None, published_time=None)
    assert oc.add(late) == story_id_for("a1")


def _plane(aid: str, title: str, hour: int) -> Article:
    body = (
        f"{title}، وعلى متنها أطنان من المواد الغذائية والطبية المقدمة من مركز الملك سلمان للإغاثة "
        "والأعمال الإنسانية، ضمن الجسر الجوي لإغاثة الشعب اليمني في مدينة عدن.",
        "وكان في استقبال الطائرة في مطار عدن الدولي عدد من المسؤولين في الحكومة اليمنية ومحافظ عدن.",
    )
    return Article(
        id=aid, origin=aid, title=title, body=body, outlet=f"outlet-{aid}", source=f"outlet-{aid}",
        published=date(2015, 7, 24), published_time=f"{hour:02d}:00",
    )


def test_another_happening_in_a_numbered_series_founds_its_own_story():
    """The third aid plane is not the second plane's story, however alike the reports; an unnumbered
    report of the same plane still joins (so the split is the ordinal's doing, not the wording's)."""
    second = [
        _plane("p1", "وصول طائرة الإغاثة السعودية الثانية إلى مطار عدن", 8),
        _plane("p2", "طائرة إغاثة سعودية ثانية تهبط في مطار عدن", 9),
        _plane("p3", "وصول ثاني طائرة إغاثة سعودية إلى مطار عدن", 10),
    ]
    oc = OnlineClusterer()
    ids = [oc.add(a) for a in second]
    assert len(set(ids)) == 1
    assert oc.add(_plane("p4", "وصول طائرة الإغاثة السعودية الثالثة إلى مطار عدن", 11)) != ids[0]
    assert oc.add(_plane("p5", "وصول طائرة إغاثة سعودية إلى مطار عدن", 12)) == ids[0]
    assert oc.add(_plane("p6", "الطائرة السعودية الثانية تحط في مطار عدن", 13)) == ids[0]


def test_title_ordinals_number_happenings_not_days_or_times():
    from marsad.arabic.tokens import match_tokens
    from marsad.cluster.features import title_ordinals

    def ords(title: str) -> frozenset[int]:
        return title_ordinals(match_tokens(title))

    assert ords("وصول الطائرة الإغاثية الثالثة إلى عدن") == {3}
    assert ords("وصول ثاني طائرة إغاثة سعودية") == {2}
    assert ords("طائرة إغاثة سعودية تصل عدن") == frozenset()
    # counting the days or times of one happening is not another happening
    assert ords("احتجاجات لليوم الثالث على التوالي في بغداد") == frozenset()
    assert ords("الملك يزور المنطقة لأول مرة") == frozenset()
    assert ords("للمرة الثانية خلال أسبوع") == frozenset()
