"""API security properties the other API tests do not reach: no text from a request or a scraped page ever
becomes part of an SQL statement (SQL only with parameters), every write route needs the token, and search
queries made of FTS5 syntax never fail. (Token, size limits, file-system paths and escaping: see
test_api_security.py; a script in a scraped page never runs in Chromium: test_browser.py.)"""

import json
import sqlite3
import warnings

import pytest
from fuzz_strategies import SETTINGS, WORDS
from hypothesis import given
from hypothesis import strategies as st

warnings.filterwarnings("ignore", message=".*httpx2.*")  # starlette 1.x prefers httpx2 for TestClient

from fastapi.testclient import TestClient  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.pipeline import ingest  # noqa: E402

TOKEN = "reliability-token"
MARK = "zqxj"  # a string no marsad SQL holds: finding it in a statement means data was pasted into SQL
HOSTILE = f"{MARK}'; DROP TABLE articles; -- \" ) OR 1=1 /* {MARK}"
RECORDS = [
    {"id": f"{MARK}-1'--", "source": f"{MARK}'src", "url": f"http://x/{MARK}'", "date": "2015-08-01 10:00:00",
     "title": f"افتتاح معرض الكتاب في جدة {HOSTILE}",
     "content": "افتتح أمير منطقة مكة المكرمة معرض جدة الدولي للكتاب بمشاركة أكثر من 400 دار نشر من عدة دول "
                f"عربية وأجنبية، ويستمر المعرض عشرة أيام وسط إقبال كبير من الزوار. {HOSTILE}"},
    {"id": "plain-2", "source": "okaz", "date": "2015-08-01 12:00:00", "title": "أمطار غزيرة على جازان",
     "content": "هطلت أمطار غزيرة على منطقة جازان مساء أمس وأدت إلى جريان الأودية وانقطاع الكهرباء عن عدد من "
                "القرى، وباشرت فرق الدفاع المدني أعمالها في جميع المحافظات منذ الصباح الباكر."},
]


class RecordingConnection(sqlite3.Connection):
    """A connection that keeps the text of every statement it is given (before parameters are bound)."""

    statements: list[str] = []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return super().execute(sql, *args)

    def executemany(self, sql, *args):
        self.statements.append(sql)
        return super().executemany(sql, *args)

    def executescript(self, sql):
        self.statements.append(sql)
        return super().executescript(sql)

    def cursor(self, *args, **kwargs):
        raise AssertionError("marsad runs SQL through Connection.execute; a cursor would escape this check")


@pytest.fixture
def recorded(monkeypatch):
    real = sqlite3.connect
    RecordingConnection.statements = []
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **kw: real(*a, factory=RecordingConnection, **kw))
    return RecordingConnection.statements


def _jsonl(records) -> bytes:
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n").encode()


def test_no_request_or_page_text_reaches_sql_text(tmp_path, recorded):
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl(RECORDS[:1]))
    db = tmp_path / "m.db"
    ingest([str(src)], db)
    c = TestClient(create_app(db, token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"}
    assert c.post("/api/ingest", content=_jsonl(RECORDS[1:]), headers=auth).status_code == 200
    story = c.get(f"/api/articles/{RECORDS[0]['id']}").json()["story"]
    for path, params in [("/api/search", {"q": HOSTILE}), ("/search", {"q": HOSTILE}),
                         ("/api/stories", {"entity": HOSTILE[:200], "outlet": HOSTILE[:200]}),
                         ("/", {"outlet": HOSTILE[:200]}), (f"/api/stories/{story}", {}), (f"/story/{story}", {}),
                         (f"/api/articles/{RECORDS[0]['id']}", {}), (f"/article/{RECORDS[0]['id']}", {}),
                         (f"/api/articles/{HOSTILE}", {}), (f"/api/stories/{HOSTILE}", {})]:
        assert c.get(path, params=params).status_code in (200, 404), path
    assert len(recorded) > 50
    leaked = [s for s in recorded if MARK in s]
    assert not leaked, leaked[:3]
    health = c.get("/api/health").json()
    assert health["articles"] == 2  # and the tables are all still there


def test_every_write_route_needs_the_token(tmp_path):
    app = create_app(tmp_path / "m.db", token=TOKEN)
    c = TestClient(app)
    writes = [(m, r.path) for r in app.routes for m in getattr(r, "methods", ()) if m not in ("GET", "HEAD")]
    assert ("POST", "/api/ingest") in writes
    for method, path in writes:
        r = c.request(method, path, content=_jsonl(RECORDS), headers={"Content-Type": "application/x-ndjson"})
        assert r.status_code in (401, 403), (method, path, r.status_code)
        r = c.request(method, path, content=_jsonl(RECORDS), headers={"Authorization": "Bearer not-it"})
        assert r.status_code in (401, 403), (method, path, r.status_code)
    assert c.get("/api/health").json()["articles"] == 0


def test_oversized_queries_are_refused_cleanly(tmp_path):
    c = TestClient(create_app(tmp_path / "m.db"))
    r = c.get("/api/search", params={"q": "جدة " * 1000})
    assert r.status_code == 422 and "error" in r.json()
    assert c.get("/api/articles/" + "x" * 8000).status_code == 404


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("fts") / "m.db"
    src = db.parent / "in.jsonl"
    src.write_bytes(_jsonl(RECORDS))
    ingest([str(src)], db)
    return TestClient(create_app(db))


FTS_SYNTAX = ['"', "'", "*", "^", ":", "(", ")", "-", "+", "{", "}", "[", "]", ",", ".", ";", "\\", "/", "NEAR",
              "NEAR(", "AND", "OR", "NOT", "title:", "xbody:", "{title body}:", "\x00", "%", "_", "رويترز*"]
fts_queries = st.lists(st.one_of(st.sampled_from(FTS_SYNTAX), st.sampled_from(WORDS), st.text(max_size=4)),
                       max_size=12).map(lambda parts: " ".join(parts) if len(parts) % 2 else "".join(parts))


@SETTINGS
@given(fts_queries)
def test_search_with_fts5_syntax_never_fails(client, q):
    for path, params in [("/api/search", {"q": q[:500]}), ("/search", {"q": q[:500]}),
                         ("/api/stories", {"entity": q[:200]})]:
        r = client.get(path, params=params)
        assert r.status_code == 200, (path, q, r.text[:200])
    body = client.get("/api/search", params={"q": q[:500]}).json()
    assert body["total"] >= len(body["articles"]) >= 0
