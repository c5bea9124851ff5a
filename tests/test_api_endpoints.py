"""The HTTP API (FastAPI TestClient): endpoints, paging and filters, JSON errors, the story JSON contract."""

import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")  # starlette 1.x prefers httpx2 for TestClient

from fastapi.testclient import TestClient  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.pipeline import ingest  # noqa: E402

CORPUS = Path(__file__).parent / "data" / "api" / "corpus.jsonl"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "m.db"
    ingest([str(CORPUS)], path)
    return path


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db, token=""))


def _story_of(client, article_id):
    return client.get(f"/api/articles/{article_id}").json()["story"]


def test_health_counts_the_store(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["articles"] == 6 and body["stories"] == 4
    assert body["pages"] == {"ingested": 5, "duplicate": 1, "rejected": 0}


def test_stories_are_paged_newest_first(client):
    first = client.get("/api/stories", params={"limit": 2}).json()
    assert first["total"] == 4 and len(first["stories"]) == 2
    second = client.get("/api/stories", params={"limit": 2, "offset": 2}).json()
    ids = [s["id"] for s in first["stories"] + second["stories"]]
    assert len(set(ids)) == 4
    lasts = [s["last_seen"] for s in first["stories"] + second["stories"]]
    assert lasts == sorted(lasts, reverse=True)
    big = next(s for s in first["stories"] + second["stories"] if s["articles"] == 3)
    assert big["outlets"] == ["okaz", "alriyadh", "sabq"] and big["headline"]
    assert set(big) >= {"id", "headline", "articles", "outlets", "members", "first_seen", "last_seen"}


def test_stories_filter_by_date_outlet_entity_and_size(client):
    us = _story_of(client, "us-1")

    def ids(**params):
        return {s["id"] for s in client.get("/api/stories", params=params).json()["stories"]}

    assert ids(outlet="alriyadh") == {us}
    assert ids(since="2015-07-22", until="2015-07-22") == {us}
    assert us not in ids(since="2015-07-24")
    assert ids(entity="آشتون كارتر") == {us}
    assert ids(entity="اشتون كارتر") == {us}  # any spelling of the name
    assert ids(min_articles=2) == {us}
    assert ids(entity="كارتر الهلال") == set()


def test_story_json_is_the_synthesis_contract(client):
    us = _story_of(client, "us-1")
    r = client.get(f"/api/stories/{us}")
    assert r.status_code == 200
    v = r.json()
    assert set(v) == {"id", "headline", "summary", "entities", "facts", "disagreements", "wire_passages",
                      "timeline", "first_report", "last_report", "articles"}
    assert v["id"] == us and {a["id"] for a in v["articles"]} == {"us-1", "us-2", "us-3"}
    assert v["summary"] and all(s["sources"] for s in v["summary"])
    again = client.get(f"/api/stories/{us}").json()  # from the view cache: the same
    assert again == v


def test_story_view_cache_follows_membership(db):
    from marsad.api.queries import read_connection
    from marsad.api.views import ViewCache

    cache = ViewCache(db)
    conn = read_connection(db)
    us = conn.execute("SELECT story_id FROM articles WHERE id='us-1'").fetchone()[0]
    v1 = cache.story(conn, us)
    row = conn.execute("SELECT signature FROM story_view_cache WHERE story_id=?", (us,)).fetchone()
    assert row is not None and row[0].startswith("3:")
    assert ViewCache(db).story(conn, us) == v1  # read back from the table by a fresh process' cache
    conn.close()


def test_article_endpoint(client):
    a = client.get("/api/articles/us-2").json()
    assert a["outlet"] == "alriyadh" and a["published"] == "2015-07-22" and a["published_time"] == "13:30"
    assert a["body"] and a["story"]
    assert client.get("/api/articles/us-3").json()["duplicate_of"] == "us-1"


@pytest.mark.parametrize("path", ["/api/stories/no-such-story", "/api/articles/no-such-article",
                                  "/api/nothing-here"])
def test_not_found_is_json(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert set(r.json()) == {"error"} and r.json()["error"]


@pytest.mark.parametrize("params", [{"since": "yesterday"}, {"until": "2015-13-45"}, {"limit": 0},
                                    {"limit": 100000}, {"offset": -1}])
def test_bad_parameters_are_json_422(client, params):
    r = client.get("/api/stories", params=params)
    assert r.status_code == 422 and "error" in r.json()


def test_search_endpoint(client):
    r = client.get("/api/search", params={"q": "الاميركي"})
    assert r.status_code == 200
    body = r.json()
    assert {h["id"] for h in body["articles"]} == {"us-1", "us-3"}  # us-2 spells it الأمريكي
    assert body["total"] == 2 and body["stories"][0]["articles"] == 3
    hit = body["articles"][0]
    assert set(hit) >= {"id", "title", "outlet", "published", "story", "snippet", "marks", "rank"}
    assert client.get("/api/search").status_code == 422  # q is required
    assert client.get("/api/search", params={"q": "الاميركي", "limit": 1, "offset": 1}).json()["articles"][0][
        "id"] != hit["id"]


def test_openapi_schema_lists_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search",
            "/api/ingest", "/api/health"} <= set(paths)
    assert "/" not in paths


def test_pages_render_in_arabic_rtl(client):
    us = _story_of(client, "us-1")
    for path in ["/", f"/story/{us}", "/article/us-1", "/search?q=جدة"]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert '<html lang="ar" dir="rtl">' in r.text
    home = client.get("/").text
    assert f'href="/story/{us}"' in home and "٣" not in home and "3 مقالات" in home
    page = client.get(f"/story/{us}").text
    for label in ("الملخص", "المقالات", "التغطية عبر الزمن"):
        assert label in page
    assert "<svg" in page and 'href="/article/us-2"' in page
    assert client.get("/story/nope").status_code == 404
