"""Story views kept in the store: computed ahead of requests (warmed), recomputed when a story changes, entity
mentions tagged once per article, and a request that finds no warm view still gets the right one."""

import json
import time
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")  # starlette 1.x prefers httpx2 for TestClient

from fastapi.testclient import TestClient  # noqa: E402

from marsad.api import views  # noqa: E402
from marsad.api.app import create_app  # noqa: E402
from marsad.api.queries import read_connection  # noqa: E402
from marsad.pipeline import ingest  # noqa: E402

CORPUS = Path(__file__).parent / "data" / "api" / "corpus.jsonl"
TOKEN = "views-token"
# us-2 again under another id, from another outlet: it joins the story of us-1, us-2 and us-3 as a copy
COPY = {"id": "us-4", "source": "almadina", "url": "https://www.al-madina.com/4", "date": "2015-07-22 15:00:00",
        "title": "خادم الحرمين يستقبل وزير الدفاع الأمريكي",
        "content": "استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز في قصر السلام بجدة وزير الدفاع الأمريكي "
                   "آشتون كارتر والوفد المرافق له، وجرى خلال الاستقبال بحث العلاقات الثنائية والتعاون العسكري بين "
                   "البلدين والأوضاع في اليمن.\nوقالت مصادر أمريكية إن الهجوم الأخير في محافظة عدن أسفر عن مقتل 36 "
                   "شخصا، بينما أكدت الإدارة الأمريكية استمرار دعمها للتحالف العربي."}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "m.db"
    ingest([str(CORPUS)], path)
    create_app(path, warm=False)  # prepares the store for serving
    return path


def _story_of(db, article_id):
    conn = read_connection(db)
    try:
        return conn.execute("SELECT story_id FROM articles WHERE id=?", (article_id,)).fetchone()[0]
    finally:
        conn.close()


def _stale(db):
    conn = read_connection(db)
    try:
        return views.stale_stories(conn)
    finally:
        conn.close()


def test_warming_stores_every_view_once_and_requests_then_compute_nothing(db, monkeypatch):
    assert len(_stale(db)) == 4
    assert views.warm_store(db) == 4
    assert _stale(db) == [] and views.warm_store(db) == 0

    def no_compute(*_):
        raise AssertionError("a warmed view must not be computed on request")

    monkeypatch.setattr(views, "compute_view", no_compute)
    client = TestClient(create_app(db, warm=False))
    us = _story_of(db, "us-1")
    v = client.get(f"/api/stories/{us}").json()
    assert {a["id"] for a in v["articles"]} == {"us-1", "us-2", "us-3"} and v["summary"] and v["entities"]
    assert client.get(f"/story/{us}").status_code == 200


def test_a_request_before_warming_computes_the_same_view(db):
    us = _story_of(db, "us-1")
    on_request = TestClient(create_app(db, warm=False)).get(f"/api/stories/{us}").json()
    conn = read_connection(db)
    stored = json.loads(conn.execute("SELECT view FROM story_view_cache WHERE story_id=?", (us,)).fetchone()[0])
    conn.close()
    assert stored == on_request  # and stored for the next request
    assert us not in _stale(db)


def test_entity_mentions_are_tagged_once_per_article(db, monkeypatch):
    us = _story_of(db, "us-1")
    conn = read_connection(db)
    first = views.compute_view(conn, us)
    assert set(first.new_mentions) == {"us-1", "us-2"}  # us-3 is a copy of us-1: its entities are not counted
    w = views.store.connect(db)
    views.save_views(w, [first])
    w.close()

    def no_ner(*_):
        raise AssertionError("stored mentions must be reused")

    monkeypatch.setattr("marsad.enrich.entities.find_entities", no_ner)
    again = views.compute_view(conn, us)
    conn.close()
    assert again.new_mentions == {} and again.view == first.view and again.signature == first.signature


def test_a_story_that_gains_a_member_is_stale_and_warmed_again(db, tmp_path):
    views.warm_store(db)
    us = _story_of(db, "us-1")
    (tmp_path / "copy.jsonl").write_text(json.dumps(COPY, ensure_ascii=False) + "\n", encoding="utf-8")
    ingest([str(tmp_path / "copy.jsonl")], db)
    assert _story_of(db, "us-4") == us
    assert _stale(db) == [us]
    assert views.warm_store(db) == 1
    client = TestClient(create_app(db, warm=False))
    assert "us-4" in {a["id"] for a in client.get(f"/api/stories/{us}").json()["articles"]}


def test_warming_gives_way_to_a_long_ingest(db):
    ingest_conn = views.store.connect(db)
    ingest_conn.execute("BEGIN IMMEDIATE")  # as an ingest holds the write lock for its whole run
    try:
        assert views.warm_store(db, flush_s=0.0, busy_s=0.05) == 0
    finally:
        ingest_conn.execute("ROLLBACK")
        ingest_conn.close()
    assert len(_stale(db)) == 4 and views.warm_store(db) == 4  # the next pass stores them


def _wait(check, seconds=90.0):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_the_server_warms_views_at_start_and_after_an_ingest(db):
    with TestClient(create_app(db, token=TOKEN, warm=True)) as client:  # `with`: runs the app's lifespan
        _wait(lambda: client.get("/api/health").json()["views"]["passes"] >= 1)
        assert _stale(db) == []
        r = client.post("/api/ingest", content=(json.dumps(COPY, ensure_ascii=False) + "\n").encode(),
                        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"})
        assert r.json()["duplicate"] == 1
        _wait(lambda: client.get("/api/health").json()["views"]["passes"] >= 2)
        assert _stale(db) == []
        assert client.get("/api/health").json()["views"]["enabled"]
    assert TestClient(create_app(db, warm=False)).get("/api/health").json()["views"]["enabled"] is False
