"""Shared wire passages: found through edits and re-spacing, earliest copy first, boilerplate left out, on disk."""

import json
import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from marsad.dedup import passages
from marsad.dedup.common import IndexVersionError
from marsad.dedup.passages import (
    PassageIndex,
    PassageParams,
    SharedPassage,
    fingerprints,
    shared_passages,
    unit_key,
)

TEXTS = json.loads((Path(__file__).parent / "data/dedup/texts.json").read_text(encoding="utf-8"))
A, B = TEXTS["outlet_a"], TEXTS["outlet_b"]  # A[1] and B[1] are one wire paragraph, edited and re-spaced
D1, D2 = date(2021, 7, 26), date(2021, 7, 27)


@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:")
    yield c
    c.close()


def test_re_spacing_and_diacritics_do_not_change_a_units_key():
    assert unit_key("لوجود الأميركي ين في البلاد") == unit_key("لوجود الأميركيين في البلاد")
    assert unit_key("ولم تتوانَ الفصائل مؤخرًا") == unit_key("ولم تتوان الفصائل مؤخرا")
    assert unit_key("عبد الله") == unit_key("عبدالله")


def test_a_passage_with_a_changed_word_and_re_spacing_is_found(conn):
    index = PassageIndex(conn)
    assert index.add("a", A, D1) == []
    found = index.add("b", B, D2)
    assert found == [SharedPassage(A[1], ("a", "b"), "a")]
    assert index.passages(["a", "b"]) == found


def test_the_earliest_published_copy_is_first_whatever_the_insertion_order(conn):
    index = PassageIndex(conn)
    index.add("b", B, D2)
    index.add("a", A, D1)
    assert index.passages(["a", "b"]) == [SharedPassage(A[1], ("a", "b"), "a")]


def test_articles_that_share_no_passage_report_none(conn):
    index = PassageIndex(conn)
    index.add("a", A, D1)
    index.add("mers", TEXTS["mers"], D1)
    index.add("rewrite", TEXTS["mers_rewrite"], D2)
    index.add("football", TEXTS["football"], D2)
    for pair in (["a", "mers"], ["mers", "rewrite"], ["rewrite", "football"]):
        assert index.passages(pair) == []


def test_a_passage_inside_a_long_one_paragraph_article_is_found(conn):
    index = PassageIndex(conn)
    index.add("a", A, D1)
    found = index.add("c", [TEXTS["outlet_c_long"]], D2)
    assert [(sp.text, sp.articles) for sp in found] == [(A[1], ("a", "c"))]


def test_passages_lists_only_the_articles_asked_about(conn):
    index = PassageIndex(conn)
    index.add_many([("a", A, D1), ("b", B, D2), ("c", [TEXTS["outlet_c_long"]], date(2021, 7, 28))])
    assert index.passages(["b", "c"]) == [SharedPassage(B[1], ("b", "c"), "b")]
    assert index.passages(["a", "b", "c"])[0].articles == ("a", "b", "c")
    assert index.passages(["a"]) == [] and index.passages(["a", "unknown"]) == []


@pytest.mark.parametrize("cap, footer_reported", [(5, False), (50, True)])
def test_a_paragraph_in_very_many_articles_is_boilerplate_and_ignored(conn, cap, footer_reported):
    index = PassageIndex(conn, PassageParams(max_postings=cap))
    for i in range(12):  # twelve articles of one outlet, each signed off with the same footer
        index.add(f"s{i}", [TEXTS["mers_rewrite"][i % 3], TEXTS["footer"]], date(2015, 7, 1 + i))
    index.add("a", [*A, TEXTS["footer"]], D1)
    index.add("b", [*B, TEXTS["footer"]], D2)
    shared = {sp.text for sp in index.passages(["a", "b"])}
    assert shared == ({A[1], TEXTS["footer"]} if footer_reported else {A[1]})  # the wire paragraph stays


def test_a_batch_matches_units_as_adding_them_one_by_one(conn):
    items = [
        ("b", B, D2),
        ("a", A, D1),
        ("c", [TEXTS["outlet_c_long"]], D2),
        ("m", TEXTS["mers"], D1),
        ("m2", TEXTS["mers_copy"], D2),
    ]
    batch = PassageIndex(conn)
    batch.add_many(items, chunk=2)
    one = PassageIndex(sqlite3.connect(":memory:"))
    for item in items:
        one.add(*item)
    ids = [i for i, _, _ in items]
    assert batch.passages(ids) == one.passages(ids)
    assert len(batch.passages(["m", "m2"])) == 3  # a near copy shares all of its paragraphs


def test_reopening_gives_the_same_passages_without_reading_any_text(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    conn = sqlite3.connect(path)
    PassageIndex(conn).add_many([("a", A, D1), ("b", B, D2)])
    conn.commit()
    conn.close()

    def no_text(*_):
        raise AssertionError("reopening must not read text")

    monkeypatch.setattr(passages, "match_tokens", no_text)
    monkeypatch.setattr(passages, "split_sentences", no_text)
    reopened = PassageIndex(sqlite3.connect(path))
    assert reopened.passages(["a", "b"]) == [SharedPassage(A[1], ("a", "b"), "a")]
    monkeypatch.undo()
    found = reopened.add("c", [TEXTS["outlet_c_long"]], date(2021, 7, 28))
    assert found == [SharedPassage(A[1], ("a", "b", "c"), "a")]


def test_an_index_made_with_other_parameters_is_refused(conn):
    PassageIndex(conn).add("a", A, D1)
    with pytest.raises(IndexVersionError, match="gram"):
        PassageIndex(conn, PassageParams(gram=25))


def test_fingerprints_of_a_batch_equal_those_of_each_key_alone():
    keys = [unit_key(p) for p in [*A, *B, "قصير"]]
    together = fingerprints(keys, 20, 16)
    for key, fp in zip(keys, together, strict=True):
        assert np.array_equal(fp, fingerprints([key], 20, 16)[0])
    assert len(together[-1]) == 0  # shorter than one gram
    shared = np.intersect1d(together[1], together[4])
    assert len(shared) >= 0.6 * min(len(together[1]), len(together[4]))


def _story_store(path, cap=50):
    """A store holding wire copies, near copies, a long one-paragraph article and a common footer."""
    conn = sqlite3.connect(path)
    index = PassageIndex(conn, PassageParams(max_postings=cap))
    index.add_many([("a", [*A, TEXTS["footer"]], D1), ("b", [*B, TEXTS["footer"]], D2),
                    ("c", [TEXTS["outlet_c_long"]], date(2021, 7, 28)), ("m", TEXTS["mers"], D1),
                    ("m2", TEXTS["mers_copy"], D2), ("r", TEXTS["mers_rewrite"], D2)])
    for i in range(6):
        index.add(f"s{i}", [TEXTS["football"][i % 2], TEXTS["footer"]], date(2021, 7, 1 + i))
    conn.commit()
    return conn, index


SUBSETS = [["a", "b"], ["b", "c"], ["a", "b", "c"], ["m", "m2", "r"], ["a", "s1", "s2"], ["s0", "s3"],
           ["a", "b", "c", "m", "m2", "r", "s0", "s1", "s2", "s3", "s4", "s5"], ["a"], ["a", "unknown"]]


@pytest.mark.parametrize("cap", [4, 50])
def test_shared_passages_reads_what_the_index_reports_without_loading_it(tmp_path, monkeypatch, cap):
    conn, index = _story_store(tmp_path / "m.db", cap)
    expected = [index.passages(ids) for ids in SUBSETS]
    assert any(expected) and not all(expected)

    def no_load(*_):
        raise AssertionError("the index must not be loaded")

    monkeypatch.setattr(PassageIndex, "_load", no_load)
    assert [shared_passages(conn, ids) for ids in SUBSETS] == expected


@pytest.mark.parametrize("cap, reported", [(3, False), (4, True)])
def test_a_passage_whose_first_unit_became_boilerplate_is_left_out(conn, cap, reported):
    # "a" carries the footer twice and "b" once: with a cap of 3 units, the footer's fingerprints are capped
    # although only two articles carry the passage
    index = PassageIndex(conn, PassageParams(max_postings=cap))
    index.add("a", [TEXTS["footer"], TEXTS["footer"]], D1)
    index.add("b", [TEXTS["footer"]], D2)
    expected = [SharedPassage(TEXTS["footer"], ("a", "b"), "a")] if reported else []
    assert index.passages(["a", "b"]) == expected
    assert shared_passages(conn, ["a", "b"]) == expected


def test_a_store_written_without_the_capped_table_is_read_through_the_index(tmp_path):
    path = tmp_path / "m.db"
    conn, index = _story_store(path, cap=4)
    expected = [index.passages(ids) for ids in SUBSETS]
    conn.execute("DELETE FROM dedup_capped")  # as an older marsad left it
    conn.execute("DELETE FROM dedup_meta WHERE name=?", (passages.CAPPED_STATE,))
    conn.commit()
    assert [shared_passages(conn, ids) for ids in SUBSETS] == expected  # through the index, which repairs it
    assert passages._capped_is_current(conn)
    assert conn.execute("SELECT COUNT(*) FROM dedup_capped").fetchone()[0] > 0
