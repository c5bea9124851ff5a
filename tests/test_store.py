"""The SQLite store: schema versioning, idempotent writes, story rows from members."""

from datetime import date

import pytest

from marsad.model import Article
from marsad.store import sqlite as store


def _article(i: str, day: int, outlet: str = "عكاظ") -> Article:
    return Article(id=i, origin=f"test#{i}", title=f"عنوان {i}", body=("فقرة أولى.", "فقرة ثانية."),
                   outlet=outlet, published=date(2015, 7, day), credited=("واس",))


def test_open_store_sets_wal_and_schema_version(tmp_path):
    conn = store.open_store(tmp_path / "m.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    v = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    assert int(v) == store.SCHEMA_VERSION


def test_refuses_a_store_from_a_newer_marsad(tmp_path):
    conn = store.open_store(tmp_path / "m.db")
    conn.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        store.open_store(tmp_path / "m.db")


def test_article_round_trip_keeps_display_text(tmp_path):
    conn = store.open_store(tmp_path / "m.db")
    a = _article("a1", 21)
    store.put_article(conn, a, None, None, "st-1")
    got = store.get_article(conn, "a1")
    assert got.article == a
    assert got.story_id == "st-1"


def test_writing_the_same_article_twice_changes_nothing(tmp_path):
    conn = store.open_store(tmp_path / "m.db")
    store.put_article(conn, _article("a1", 21), None, None, "st-1")
    store.put_article(conn, _article("a1", 21), None, None, "st-2")
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    assert store.get_article(conn, "a1").story_id == "st-1"


def test_stories_group_members_with_first_and_last_seen(tmp_path):
    conn = store.open_store(tmp_path / "m.db")
    store.put_article(conn, _article("a2", 23, "الرياض"), None, None, "st-1")
    store.put_article(conn, _article("a1", 21), None, None, "st-1")
    store.put_article(conn, _article("b1", 22), None, None, "st-2")
    rows = {s.id: s for s in store.iter_stories(conn)}
    assert rows["st-1"].members == ("a1", "a2")
    assert rows["st-1"].first_seen == "2015-07-21" and rows["st-1"].last_seen == "2015-07-23"
    assert set(rows["st-1"].outlets) == {"عكاظ", "الرياض"}
    assert rows["st-2"].members == ("b1",)


def test_page_accounting_counts_each_status(tmp_path):
    conn = store.open_store(tmp_path / "m.db")
    store.record_page(conn, "p1", "a.txt", "ingested", None, "p1")
    store.record_page(conn, "p2", "b.txt", "rejected", "empty page")
    store.record_page(conn, "p2", "b.txt", "rejected", "empty page")  # the same page again: no change
    store.record_page(conn, "p1", "copy/a.txt", "duplicate", "same page", "p1")
    assert store.page_counts(conn) == {"ingested": 1, "duplicate": 1, "rejected": 1}
    assert [r["reason"] for r in store.last_rejections(conn)] == ["empty page"]
