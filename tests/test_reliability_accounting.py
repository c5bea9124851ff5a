"""Accounting: every input page ends ingested, duplicate or rejected with a reason, in a batch where hostile
pages (binary, empty, 50 MB, truncated, wrong and mixed encodings, gzip bombs, deep nesting, other
languages, broken JSONL) are mixed among normal ones; `marsad status` shows the same counts.

The batch comes from bench/hostile.py (which runs the full 10,000 pages): 1,500 pages here, 10 % hostile.
"""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from load_module import load_module

from marsad.pipeline import ingest

ROOT = Path(__file__).resolve().parents[1]
hostile = load_module("bench/hostile.py", "bench_hostile")

PAGES = 1500
ALWAYS_REJECTED = ("binary", "empty", "huge", "gzip_bomb", "mixed_encoding", "bad_jsonl")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    batch = hostile.make_batch(tmp / "pages", PAGES, hostile=0.10, seed=7, bomb_bytes=64 * 2**20)
    db = tmp / "m.db"
    report = ingest([str(batch.folder)], db)
    return batch, db, report


def test_batch_holds_every_hostile_kind(run):
    batch, _, _ = run
    assert batch.pages == PAGES
    assert all(batch.kinds[k] >= 10 for k in hostile.HOSTILE_KINDS), batch.kinds


def test_counts_add_up_exactly(run):
    batch, db, report = run
    assert report.already == 0
    assert report.ingested + report.duplicate + report.rejected == batch.pages
    conn = sqlite3.connect(db)
    by_status = dict(conn.execute("SELECT status, COUNT(*) FROM pages GROUP BY status").fetchall())
    assert by_status == {"ingested": report.ingested, "duplicate": report.duplicate, "rejected": report.rejected}
    assert conn.execute("SELECT COUNT(*) FROM pages WHERE status='rejected' AND TRIM(COALESCE(reason, ''))=''"
                        ).fetchone()[0] == 0
    stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert stored == report.ingested + conn.execute(
        "SELECT COUNT(*) FROM pages WHERE status='duplicate' AND reason IS NULL").fetchone()[0]


def test_each_hostile_page_ends_where_it_should(run):
    batch, db, _ = run
    by_kind = hostile.outcomes(db, batch)
    for kind in hostile.HOSTILE_KINDS:
        assert "missing" not in by_kind[kind], kind  # every page accounted for
    for kind in ALWAYS_REJECTED:
        assert set(by_kind[kind]) == {"rejected"}, (kind, by_kind[kind])
    conn = sqlite3.connect(db)
    for origin, kind in batch.hostile.items():
        row = conn.execute("SELECT a.language, a.body FROM pages p JOIN articles a ON a.id = p.article_id"
                           " WHERE p.origin=? AND p.status='ingested'", (origin,)).fetchone()
        if row is None:
            continue
        language, body = row[0], json.loads(row[1])
        if kind == "other_language":
            assert language != "ar", origin
        if kind == "wrong_encoding":  # the declared charset was wrong, the text still reads as Arabic
            assert language == "ar" and not any("\ufffd" in p for p in body), origin


def test_status_shows_the_counts_and_the_last_rejections(run):
    _, db, report = run
    out = subprocess.run([sys.executable, "-m", "marsad", "status", "--db", str(db)], capture_output=True,
                         text=True, check=True).stdout
    status = json.loads(out)
    assert status["pages"] == PAGES
    assert (status["ingested"], status["duplicate"], status["rejected"]) == (
        report.ingested, report.duplicate, report.rejected)
    assert sum(status["rejection_reasons"].values()) == report.rejected
    assert "file too large" in status["rejection_reasons"]
    assert status["last_rejections"] and all(r["reason"] and r["origin"] for r in status["last_rejections"])


def test_the_same_batch_again_changes_nothing(run):
    batch, db, _ = run
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM articles) FROM pages").fetchone()
    again = ingest([str(batch.folder)], db)
    assert again.already == batch.pages and again.ingested == again.duplicate == again.rejected == 0
    assert conn.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM articles) FROM pages").fetchone() == before


def test_a_parser_error_rejects_its_page_and_the_batch_goes_on(tmp_path, monkeypatch):
    import marsad.extract

    real = marsad.extract.extract

    def flaky(page, template=None):  # as lexbor or trafilatura might, on one hostile page
        if "boom" in page.origin:
            raise RecursionError("maximum recursion depth exceeded")
        return real(page, template)

    monkeypatch.setattr(marsad.extract, "extract", flaky)
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("a.txt", "boom.txt", "b.txt"):
        (pages / name).write_text(f"عنوان {name}\n\n" + "فقرة من نص الخبر الطويل بما يكفي ليكون مقالا. " * 20
                                  + name, encoding="utf-8")
    report = ingest([str(pages)], tmp_path / "m.db")
    assert (report.ingested + report.duplicate, report.rejected) == (2, 1)
    assert report.reasons == {"extraction failed": 1}
