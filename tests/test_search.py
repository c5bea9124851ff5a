"""Full-text search: normalized, light-stemmed FTS5 with snippets of the original text."""

import sqlite3
from pathlib import Path

import pytest

from marsad.model import Article
from marsad.pipeline import ingest
from marsad.store import search
from marsad.store import sqlite as store

CORPUS = Path(__file__).parent / "data" / "api" / "corpus.jsonl"


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "m.db"
    ingest([str(CORPUS)], path)
    c = store.open_store(path)
    yield c
    c.close()


def ids(hits):
    return {h.id for h in hits}


@pytest.mark.parametrize("query", ["الاميركي", "الأميركية", "أميركيه", "والأميركيين", "للاميركي", "بالأميركية"])
def test_alef_ta_marbuta_and_clitics_do_not_matter(conn, query):
    assert ids(search.search_articles(conn, query)) == {"us-1", "us-3"}  # both write الأميركي/الأميركية


@pytest.mark.parametrize("query", ["الأمريكي", "امريكية", "والأمريكيين"])
def test_the_other_spelling_too(conn, query):
    assert ids(search.search_articles(conn, query)) == {"us-2"}  # الأمريكي, الأمريكية


def test_every_word_is_required(conn):
    assert ids(search.search_articles(conn, "الهلال النصر")) == {"sp-1"}
    assert ids(search.search_articles(conn, "الهلال الأميركي")) == set()


def test_whole_words_rank_above_stem_matches(conn):
    hits = search.search_articles(conn, "الرياض")
    assert hits and hits[0].id == "sp-1"  # "في الرياض" in its title


def test_snippet_is_original_text_with_marks(conn):
    hit = next(h for h in search.search_articles(conn, "الامريكي") if h.id == "us-2")
    assert hit.marks
    for start, end in hit.marks:
        assert hit.snippet[start:end] in ("الأمريكي", "أمريكية", "الأمريكية")
    assert "الأمريكي" in hit.snippet  # display spelling kept
    assert hit.rank < 0 and hit.story and hit.outlet == "alriyadh"


def test_search_stories_groups_members(conn):
    found = search.search_stories(conn, "وزير الدفاع")
    assert found[0].articles == 3 and found[0].outlets == ("okaz", "alriyadh", "sabq")
    assert found[0].headline and found[0].article in {"us-1", "us-2", "us-3"}


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", "-", ":", "AND OR NOT", "{title}:", "a\"b", "", "   "])
def test_queries_never_reach_fts_syntax(conn, q):
    expr = search.fts_query(q)
    if expr is not None:
        conn.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH ?", (expr,)).fetchone()
    search.search_articles(conn, q)
    search.search_stories(conn, q)


def test_index_is_idempotent(conn):
    a = store.get_article(conn, "sp-1").article
    before = conn.execute("SELECT COUNT(*) FROM search_fts").fetchone()[0]
    conn.execute("BEGIN")
    search.index_articles(conn, [a, a])
    conn.execute("COMMIT")
    assert conn.execute("SELECT COUNT(*) FROM search_fts").fetchone()[0] == before
    assert ids(search.search_articles(conn, "الهلال")) == {"sp-1"}
    assert search.index_articles(conn, [Article("not-stored", "x", "t", ("b",))]) == 0


def test_old_store_is_backfilled(tmp_path):
    path = tmp_path / "old.db"
    ingest([str(CORPUS)], path)
    c = sqlite3.connect(path)
    c.execute("DROP TABLE search_fts")  # as a store ingested before search existed
    c.commit()
    c.close()
    conn = store.open_store(path)
    assert search.ensure_schema(conn) == 6
    assert search.ensure_schema(conn) == 0
    assert ids(search.search_articles(conn, "الاقتصاد")) == {"ec-1"}
    conn.close()


def test_snippet_window():
    text = "كلمة " * 100 + "الأميركية" + " كلمة" * 100
    snip, marks = search.snippet(text, ["اميرك"], width=80)
    assert snip.startswith("…") and snip.endswith("…") and len(snip) <= 82
    assert [snip[s:e] for s, e in marks] == ["الأميركية"]
    assert search.snippet("لا شيء هنا", ["اميرك"]) == ("لا شيء هنا", ())


@pytest.mark.parametrize("q", ["الاميركي", "وزير الدفاع", "الرياض", "الهلال", "كلمة-لا-توجد"])
def test_one_search_pass_gives_what_the_separate_calls_give(conn, q):
    for limit, offset in ((2, 0), (2, 1), (20, 0)):
        found = search.search(conn, q, limit, offset, story_limit=3)
        assert found.articles == search.search_articles(conn, q, limit, offset)
        assert found.stories == search.search_stories(conn, q, 3)
        assert found.total == search.count_articles(conn, q)
    assert search.search(conn, q, 5, story_limit=0).stories == []


def test_story_ranking_skips_articles_outside_stories(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    ingest([str(CORPUS)], path)
    c = store.open_store(path)
    best = search.search_articles(c, "الاميركي", 1)[0].id
    c.execute("UPDATE articles SET story_id=NULL WHERE id=?", (best,))
    monkeypatch.setattr(search, "STORY_POOL", 1)  # the best match is outside any story: the pool looks further
    found = search.search(c, "الاميركي", 1).stories
    assert found == search.search_stories(c, "الاميركي", pool=1) and found[0].article != best
    c.close()
