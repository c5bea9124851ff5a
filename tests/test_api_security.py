"""API security: the ingest token, size limits, no request path reaches the file system, escaping, FTS syntax."""

import json
import os
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")  # starlette 1.x prefers httpx2 for TestClient

from fastapi.testclient import TestClient  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.pipeline import ingest  # noqa: E402

CORPUS = Path(__file__).parent / "data" / "api" / "corpus.jsonl"
TOKEN = "s3cret-token"
RECORD = {"id": "new-1", "source": "okaz", "date": "2015-08-01 10:00:00", "title": "افتتاح معرض الكتاب في جدة",
          "content": "افتتح أمير منطقة مكة المكرمة معرض جدة الدولي للكتاب بمشاركة أكثر من 400 دار نشر من عدة دول "
                     "عربية وأجنبية، ويستمر المعرض عشرة أيام وسط إقبال كبير من الزوار."}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "m.db"
    ingest([str(CORPUS)], path)
    return path


def _client(db, token):
    return TestClient(create_app(db, token=token))


def _jsonl(*recs):
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n").encode()


def test_ingest_disabled_without_a_configured_token(db, monkeypatch):
    monkeypatch.delenv("MARSAD_TOKEN", raising=False)
    c = TestClient(create_app(db))
    r = c.post("/api/ingest", content=_jsonl(RECORD), headers={"Authorization": "Bearer anything",
                                                                "Content-Type": "application/x-ndjson"})
    assert r.status_code == 403 and "MARSAD_TOKEN" in r.json()["error"]


def test_ingest_token_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("MARSAD_TOKEN", TOKEN)
    c = TestClient(create_app(db))
    headers = {"Content-Type": "application/x-ndjson"}
    assert c.post("/api/ingest", content=_jsonl(RECORD), headers=headers).status_code == 401
    r = c.post("/api/ingest", content=_jsonl(RECORD), headers={**headers, "Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = c.post("/api/ingest", content=_jsonl(RECORD), headers={**headers, "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert r.json()["ingested"] == 1
    assert c.get("/api/articles/new-1").json()["title"] == RECORD["title"]
    hits = c.get("/api/search", params={"q": "بمعرض للكتاب"}).json()["articles"]  # indexed by the ingest
    assert [h["id"] for h in hits] == ["new-1"]
    again = c.post("/api/ingest", content=_jsonl(RECORD), headers={**headers, "Authorization": f"Bearer {TOKEN}"})
    assert again.json()["ingested"] == 0 and again.json()["pages"] == 1  # nothing doubled


def test_ingest_html_page_body(db):
    c = _client(db, TOKEN)
    html = ("<html><head><meta charset='utf-8'><title>أمطار غزيرة على جازان</title></head><body><article>"
            "<h1>أمطار غزيرة على جازان</h1><p>" + RECORD["content"].replace("معرض", "موسم") + "</p>"
            "<p>وقال الدفاع المدني إن الفرق الميدانية باشرت أعمالها في جميع المحافظات منذ الصباح الباكر.</p>"
            "</article></body></html>").encode()
    r = c.post("/api/ingest", content=html, headers={"Authorization": f"Bearer {TOKEN}",
                                                      "Content-Type": "text/html; charset=utf-8"})
    assert r.status_code == 200, r.text
    assert r.json()["pages"] == 1 and r.json()["ingested"] + r.json()["rejected"] == 1


def test_ingest_size_limit_413(db):
    c = TestClient(create_app(db, token=TOKEN, max_body=1000))
    big = _jsonl({**RECORD, "content": RECORD["content"] * 20})
    r = c.post("/api/ingest", content=big, headers={"Authorization": f"Bearer {TOKEN}",
                                                     "Content-Type": "application/x-ndjson"})
    assert r.status_code == 413 and "error" in r.json()

    def chunks():  # no Content-Length: the limit holds on the stream too
        for i in range(0, len(big), 100):
            yield big[i : i + 100]

    r = c.post("/api/ingest", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}",
                                                          "Content-Type": "application/x-ndjson"})
    assert r.status_code == 413


def test_ingest_rejects_unknown_types_and_empty_bodies(db):
    c = _client(db, TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert c.post("/api/ingest", content=b"\x00\x01", headers={**auth, "Content-Type": "image/png"}).status_code == 415
    assert c.post("/api/ingest", content=b"  ", headers={**auth, "Content-Type": "text/plain"}).status_code == 400


def test_no_request_text_names_a_file(db, tmp_path):
    """A JSONL record or query naming a local file reads nothing from it."""
    secret = tmp_path / "secret.txt"
    secret.write_text("كلمة سرية جدا لا يجب أن تظهر", encoding="utf-8")
    c = _client(db, TOKEN)
    rec = {"id": "p-1", "path": str(secret), "url": f"file://{secret}", "title": "عنوان", "html": None,
           "content": RECORD["content"]}
    r = c.post("/api/ingest", content=_jsonl(rec), headers={"Authorization": f"Bearer {TOKEN}",
                                                             "Content-Type": "application/x-ndjson"})
    assert r.status_code == 200
    assert c.get("/api/search", params={"q": "سرية"}).json()["total"] == 0
    assert c.get(f"/api/articles/..%2F..%2F{secret.name}").status_code == 404
    assert c.get("/article/" + str(secret)).status_code == 404
    leftovers = list(Path(os.environ.get("TMPDIR", "/tmp")).glob("marsad-api-ingest/*"))
    assert not leftovers


@pytest.mark.parametrize("q", ['"', '""', "*", "الأميركي*", "NEAR(الأميركي جدة)", "-جدة", "وزير:الدفاع",
                               "title:جدة", "{title}: جدة", "جدة OR", "AND", "^جدة", "(((", "'; DROP TABLE articles; --",
                               "جدة\x00", "🙂", "a" * 400])
def test_fts_syntax_in_queries_is_harmless(db, q):
    c = _client(db, "")
    r = c.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert isinstance(r.json()["articles"], list)
    assert c.get("/search", params={"q": q}).status_code == 200
    assert c.get("/api/stories", params={"entity": q[:200]}).status_code == 200
    assert c.get("/api/health").json()["articles"] == 6  # nothing dropped


def test_operators_match_as_words(db):
    c = _client(db, "")
    ids = {h["id"] for h in c.get("/api/search", params={"q": "NEAR(الأميركي جدة)"}).json()["articles"]}
    assert ids == set()  # "near" is a word here, and no article has it
    ids = {h["id"] for h in c.get("/api/search", params={"q": '"الأميركي" -جدة'}).json()["articles"]}
    assert ids == {"us-1", "us-3"}  # both words required: "-" is no NOT


def test_scraped_strings_are_escaped_in_pages(db):
    c = _client(db, "")
    story = c.get("/api/articles/xss-1").json()["story"]
    pages = [c.get(p).text for p in ("/", f"/story/{story}", "/article/xss-1", "/search?q=التطعيم",
                                      "/?outlet=%3Cb%3Eevil%3C%2Fb%3E")]
    for html in pages:
        assert "<script>" not in html and "<b>evil</b>" not in html and "<img src=x" not in html
        assert "<svg onload" not in html
    article = pages[2]
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in article
    assert "javascript:" not in article  # a javascript: URL never becomes a link
    search = c.get("/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in search and "&lt;script&gt;alert(1)" in search
