"""Dense mode (`marsad ingest --dense`): body embeddings as one more piece of join evidence."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from test_cluster_online import load  # the mini corpus (pytest puts tests/ on the path)

from marsad.cluster import OnlineClusterer, cluster_online
from marsad.cluster.decision import DENSE_FEATURES, FEATURES, default_decision
from marsad.cluster.dense import embed_articles, pack, unpack
from marsad.cluster.online import ClusterModeError
from marsad.model import Article


def test_retelling_is_closer_than_another_happening_of_the_kind():
    def art(i: str, title: str, body: str) -> Article:
        return Article(id=i, origin=i, title=title, body=(body,))

    visit = art("v1", "الكاظمي يصل إلى واشنطن", "وصل رئيس الوزراء العراقي مصطفى الكاظمي إلى واشنطن للقاء الرئيس بايدن "
                "وبحث انسحاب القوات الأمريكية القتالية من العراق.")
    retold = art("v2", "بايدن يستقبل رئيس وزراء العراق", "استقبل الرئيس الأمريكي جو بايدن في البيت الأبيض رئيس "
                 "الحكومة العراقية الكاظمي، وناقشا إنهاء المهمة القتالية للجنود الأمريكيين في العراق.")
    other = art("o1", "أمطار غزيرة في جدة", "هطلت أمطار غزيرة على مدينة جدة وأغلقت السلطات عددا من الطرق "
                "ودعت السكان إلى البقاء في منازلهم.")
    v = embed_articles([visit, retold, other])
    assert all(abs(float(np.linalg.norm(x)) - 1.0) < 1e-4 for x in v)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2


def test_the_dense_model_reads_two_more_features():
    d = default_decision(dense=True)
    assert d.features == DENSE_FEATURES == (*FEATURES, "nn_dense", "nn_dense_x_days")
    assert d.dense and not default_decision().dense
    # more body-embedding similarity, all else equal, makes a join more likely
    x = [0.2] * len(FEATURES)
    days = x[FEATURES.index("days_since_last")]
    assert d.probability((*x, 0.9, 0.9 * days)) > d.probability((*x, 0.3, 0.3 * days))


def test_pack_round_trip_is_close():
    v = embed_articles([Article(id="a", origin="a", title="عنوان", body=("نص قصير عن حدث ما.",))])[0]
    back = unpack(pack(v))
    assert back is not None and back.shape == v.shape
    assert float(np.abs(back - v).max()) < 1e-3
    assert unpack(pack(None)) is None


def test_dense_clusterer_restores_its_members_vectors_and_keeps_its_ids():
    arts = load()
    straight = cluster_online(arts).assignments
    conn = sqlite3.connect(":memory:")
    oc = OnlineClusterer(conn, dense=True)
    got = {a.id: oc.add(a) for a in arts[:6]}
    oc.flush()
    back = OnlineClusterer(conn)  # follows the store's mode
    assert back.dense
    members = [m for s in back.stories.values() for m in s.members]
    assert members and all(m.dense is not None and m.dense.shape == (512,) for m in members)
    got.update({a.id: back.add(a) for a in arts[6:]})
    # the mini corpus's happenings come out the same with or without the embeddings
    groups = lambda asg: sorted(sorted(k for k in asg if asg[k] == s) for s in set(asg.values()))  # noqa: E731
    assert groups(got) == groups(straight)


def test_a_store_refuses_the_other_mode():
    arts = load()
    conn = sqlite3.connect(":memory:")
    oc = OnlineClusterer(conn)
    oc.add(arts[0])
    oc.flush()
    with pytest.raises(ClusterModeError, match="without --dense"):
        OnlineClusterer(conn, dense=True)
    assert not OnlineClusterer(conn).dense


def test_the_dense_features_are_the_member_cosine_and_it_times_the_days():
    arts = load()
    oc = OnlineClusterer(dense=True)
    by_id = {a.id: a for a in arts}
    first, follow = by_id["a1"], by_id["a2"]  # two reports of one Kirkuk bombing
    oc.add(first)
    feats, hours = oc.prepare(follow)
    story = next(iter(oc.stories.values()))
    x = oc.features(feats, story, hours)
    cosine = float(feats.dense @ story.members[0].dense)
    assert len(x) == len(DENSE_FEATURES)
    assert x[-2] == pytest.approx(cosine) and cosine > 0.3
    assert x[-1] == pytest.approx(cosine * x[FEATURES.index("days_since_last")])


def test_ingest_dense_stores_the_mode_and_the_vectors(tmp_path):
    from pathlib import Path

    from marsad.pipeline import ingest

    seeds = str(Path(__file__).resolve().parents[1] / "examples" / "seeds")
    db = tmp_path / "m.db"
    report = ingest([seeds], db, dense=True)
    assert report.ingested == 5
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM cluster_meta WHERE key='dense'").fetchone() == ("1",)
    back = OnlineClusterer(conn)
    assert back.dense and all(m.dense is not None for s in back.stories.values() for m in s.members)
    conn.close()
    with pytest.raises(ClusterModeError, match="with --dense"):
        ingest([seeds, str(Path(__file__).resolve().parents[1] / "examples" / "saudinewsnet")], db, dense=False)


def test_batch_mode_reads_the_embeddings_too():
    from marsad.cluster import cluster_batch

    arts = load()
    dense = cluster_batch(arts, default_decision(dense=True)).assignments
    plain = cluster_batch(arts).assignments
    groups = lambda asg: sorted(sorted(k for k in asg if asg[k] == s) for s in set(asg.values()))  # noqa: E731
    assert groups(dense) == groups(plain)  # the mini corpus's happenings, either way
