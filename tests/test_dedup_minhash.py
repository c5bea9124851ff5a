"""Exact and near-duplicate articles: what counts as a copy, which copy is first, and the index on disk."""

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from marsad.dedup import minhash
from marsad.dedup.common import IndexVersionError
from marsad.dedup.minhash import DuplicateIndex, MinHashParams, shingles
from marsad.model import Article

TEXTS = json.loads((Path(__file__).parent / "data/dedup/texts.json").read_text(encoding="utf-8"))
MERS = "\n".join(TEXTS["mers"])
COPY = "\n".join(TEXTS["mers_copy"])  # dateline, three words changed, diacritics, split letters
REWRITE = "\n".join(TEXTS["mers_rewrite"])  # the same event, other words
FOOTBALL = "\n".join(TEXTS["football"])


@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:")
    yield c
    c.close()


def test_an_exact_copy_differing_only_in_spacing_and_diacritics_is_exact(conn):
    index = DuplicateIndex(conn)
    assert index.add("a", MERS, date(2015, 7, 21)) is None
    respaced = MERS.replace("،", " ، ").replace("الصحة", "الصحّة").replace("\n", "\n\n")
    dup = index.add("b", respaced, date(2015, 7, 22))
    assert dup == minhash.Duplicate("a", 1.0, "exact", 1.0)


def test_a_near_copy_with_a_few_words_changed_is_near(conn):
    index = DuplicateIndex(conn)
    index.add("a", MERS, date(2015, 7, 21))
    dup = index.add("b", COPY, date(2015, 7, 21))
    assert dup is not None and dup.duplicate_of == "a" and dup.kind == "near"
    assert 0.75 <= dup.shared < 1.0 and 0.0 < dup.similarity < 1.0


def test_a_rewrite_of_the_same_event_and_an_unrelated_article_stay_apart(conn):
    index = DuplicateIndex(conn)
    index.add("a", MERS, date(2015, 7, 21))
    assert index.add("b", REWRITE, date(2015, 7, 21)) is None
    assert index.add("c", FOOTBALL, date(2015, 7, 21)) is None
    assert index.copies(REWRITE) == [minhash.Duplicate("b", 1.0, "exact", 1.0)]


def test_too_short_bodies_are_never_copies(conn):
    index = DuplicateIndex(conn)
    index.add("a", "// انتهى //", None)
    assert index.add("b", "// انتهى //", None) is None
    assert index.add("c", "", None) is None


@pytest.mark.parametrize("order", [("old", "mid", "new"), ("new", "mid", "old"), ("mid", "new", "old")])
def test_the_earliest_copy_wins_whatever_the_insertion_order(conn, order):
    when = {
        "old": date(2015, 7, 20),
        "mid": datetime(2015, 7, 21, 9, 30),
        "new": datetime(2015, 7, 21, 18, 0),
    }
    text = {"old": MERS, "mid": COPY, "new": MERS + "\nرابط الخبر"}
    index = DuplicateIndex(conn)
    for name in order:
        index.add(name, text[name], when[name])
    assert index.get("old") is None
    assert index.get("mid").duplicate_of == "old"
    assert index.get("new").duplicate_of == "old"
    # the rows say the same as memory (re-pointed rows were updated)
    rows = dict(conn.execute("SELECT article_id, duplicate_of FROM dedup_minhash"))
    assert rows == {"old": None, "mid": "old", "new": "old"}


def test_an_older_copy_added_late_re_points_the_later_ones(conn):
    index = DuplicateIndex(conn)
    index.add("later", MERS, date(2015, 7, 22))
    assert index.add("earlier", COPY, date(2015, 7, 21)) is None
    assert index.repointed == ["later"]
    assert index.get("later").duplicate_of == "earlier"


def test_ties_in_publication_go_to_the_smaller_id_and_undated_articles_come_last(conn):
    index = DuplicateIndex(conn)
    index.add("z", MERS, None)
    index.add("b", MERS, date(2015, 7, 21))
    index.add("a", MERS, date(2015, 7, 21))
    assert index.get("a") is None
    assert index.get("b").duplicate_of == "a"
    assert index.get("z").duplicate_of == "a"


def test_a_batch_gives_the_verdicts_of_adding_one_by_one(conn):
    items = [
        ("n", COPY, date(2015, 7, 23)),
        ("o", MERS, date(2015, 7, 21)),
        ("r", REWRITE, date(2015, 7, 22)),
        ("f", FOOTBALL, date(2015, 7, 22)),
        ("o", FOOTBALL, date(2015, 7, 24)),
    ]  # a repeated id: first counts
    batch = DuplicateIndex(conn).add_many(items)
    one = DuplicateIndex(sqlite3.connect(":memory:"))
    for item in items:
        one.add(*item)
    assert batch == [one.get(i) for i, _, _ in items]
    assert batch[0].duplicate_of == "o" and batch[1] is None and batch[4] is None


def test_add_article_uses_the_body_and_the_time_of_publication(conn):
    index = DuplicateIndex(conn)
    noon = Article(
        id="noon",
        origin="t",
        title=None,
        body=tuple(TEXTS["mers"]),
        published=date(2015, 7, 21),
        published_time="12:00",
    )
    morning = Article(
        id="morning",
        origin="t",
        title=None,
        body=tuple(TEXTS["mers_copy"]),
        published=date(2015, 7, 21),
        published_time="08:15",
    )
    index.add_article(noon)
    index.add_article(morning)
    assert index.get("noon").duplicate_of == "morning"


def test_rows_are_written_but_not_committed(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.db")
    DuplicateIndex(conn).add("a", MERS, None)
    assert conn.in_transaction
    other = sqlite3.connect(tmp_path / "m.db")
    assert other.execute("SELECT COUNT(*) FROM sqlite_master WHERE name='dedup_minhash'").fetchone()[0] == 1
    assert other.execute("SELECT COUNT(*) FROM dedup_minhash").fetchone()[0] == 0


def test_reopening_gives_the_same_answers_without_reading_any_text(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    conn = sqlite3.connect(path)
    index = DuplicateIndex(conn)
    index.add_many([("b", MERS, date(2015, 7, 22)), ("a", COPY, date(2015, 7, 21)), ("f", FOOTBALL, None)])
    before = {i: index.get(i) for i in "abf"}
    conn.commit()
    conn.close()

    def no_text(*_):
        raise AssertionError("reopening must not tokenize any text")

    monkeypatch.setattr(minhash, "tokenize", no_text)
    reopened = DuplicateIndex(sqlite3.connect(path))
    assert {i: reopened.get(i) for i in "abf"} == before
    monkeypatch.undo()
    # the rebuilt LSH still finds the stored copies of a new article
    assert reopened.add("c", MERS + "\nانتهى", date(2015, 7, 23)).duplicate_of == "a"


def test_an_index_made_with_other_parameters_is_refused(tmp_path):
    path = tmp_path / "m.db"
    conn = sqlite3.connect(path)
    DuplicateIndex(conn).add("a", MERS, None)
    conn.commit()
    with pytest.raises(IndexVersionError, match="threshold"):
        DuplicateIndex(conn, MinHashParams(threshold=0.9))
    stored = json.loads(conn.execute("SELECT value FROM dedup_meta WHERE name='minhash'").fetchone()[0])
    assert stored["rensa_algorithm"] == minhash.RMinHash.ALGORITHM_VERSION and stored["rensa"]


def test_shingles_are_word_k_grams_or_the_whole_short_text():
    assert shingles(["a", "b", "c"], 2) == ["a b", "b c"]
    assert shingles(["a"], 2) == ["a"]
    assert shingles([], 2) == []


def test_power_tables_stay_consistent_while_threads_grow_them():
    # Dask runs workers as threads: a reader must never see a grown power table beside an old inverse one
    from concurrent.futures import ThreadPoolExecutor

    from marsad.dedup import hashing

    def lengths(n: int) -> tuple[int, int]:
        pw, ipw = hashing.powers(n)
        return len(pw), len(ipw)

    sizes = [1000 + 37 * i for i in range(400)]
    for _ in range(5):  # the old race showed in most rounds, not all
        hashing._TABLES = (hashing._TABLES[0][:1], hashing._TABLES[1][:1])  # small again: calls grow it
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(lengths, sizes))
        assert got == [(n, n) for n in sizes]
