"""What the dedup indexes share: the "earliest copy" order and the stable string hashes they store."""

from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np

from marsad.dedup import hashing
from marsad.dedup.common import order_key, published_at, published_iso
from marsad.model import Article


def test_earliest_is_by_publication_then_id_and_undated_comes_last():
    keys = {
        "undated": order_key(None, "a"),
        "day": order_key(published_iso(date(2015, 7, 21)), "z"),
        "morning": order_key(published_iso(datetime(2015, 7, 21, 8, 0)), "b"),
        "tie": order_key(published_iso(datetime(2015, 7, 21, 8, 0)), "a"),
        "before": order_key(published_iso(date(2015, 7, 20)), "y"),
    }
    assert sorted(keys, key=keys.get) == ["before", "day", "tie", "morning", "undated"]


def test_aware_times_are_compared_in_utc():
    riyadh = timezone(timedelta(hours=3))
    assert published_iso(datetime(2015, 7, 21, 10, 0, tzinfo=riyadh)) == "2015-07-21T07:00:00"
    assert published_iso(datetime(2015, 7, 21, 7, 0, tzinfo=UTC)) == "2015-07-21T07:00:00"


def test_published_at_adds_the_pages_time_to_its_date():
    a = Article(id="a", origin="t", title=None, body=(), published=date(2015, 7, 21), published_time="14:05")
    assert published_at(a) == datetime(2015, 7, 21, 14, 5)
    assert published_at(Article(id="b", origin="t", title=None, body=(), published_time="14:05")) is None
    bad = Article(id="c", origin="t", title=None, body=(), published=date(2015, 7, 21), published_time="??")
    assert published_at(bad) == date(2015, 7, 21)


def test_string_hashes_are_stable_across_runs():
    # Stored fingerprints and shingle sets depend on these values: a change needs a new ALGORITHM_VERSION.
    assert hashing.hash_strings(["واس", "a b"]).tolist() == [146891501936143906, 13612636935265760171]


def test_word_shingle_hashes_equal_the_hash_of_each_shingles_text(monkeypatch):
    monkeypatch.setattr(hashing, "CHUNK_CHARS", 16)  # several chunks, and one text longer than a chunk
    texts = ["قال الوزير اليوم", "واحد", "a b c d e f g h i j k l m n o p"]
    flat, owner = hashing.word_shingle_hashes(texts, 2)
    expected = [
        ["قال الوزير", "الوزير اليوم"],
        ["واحد"],
        [f"{a} {b}" for a, b in zip("abcdefghijklmno", "bcdefghijklmnop", strict=True)],
    ]
    for i, strings in enumerate(expected):
        assert np.array_equal(flat[owner == i], hashing.hash_strings(strings))
