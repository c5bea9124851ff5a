"""Full-text search over stored articles: SQLite FTS5 on a normalized, light-stemmed shadow text.

SQLite's `unicode61` tokenizer neither folds alef forms / ta marbuta nor strips clitics, so the index
holds, for each article, the `marsad.arabic.stem.stems` of its title and body (one key a word): "الأميركية",
"للأمريكي" and "الاميركي" meet. Queries get the same treatment, each key quoted as an FTS5 string, so no
character a user types (`"`, `*`, `-`, `:`, `NEAR(`, `AND`…) is FTS5 syntax. Display text is never altered:
snippets are cut from the original title and body around the first matching word.

The index is the table `search_fts` (rowid = `articles.seq`); `index_articles` is called by ingest inside
its transaction, and `ensure_schema` indexes whatever is missing (stores ingested before search existed).
"""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from itertools import islice

from marsad.arabic.normalize import normalize
from marsad.arabic.stem import stem, stems
from marsad.arabic.tokens import _TOKEN, is_stopword, match_tokens, strip_proclitics
from marsad.model import Article

# One statement, run with execute (executescript would commit an open ingest transaction).
SEARCH_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, xtitle, xbody,"
    " tokenize='unicode61 remove_diacritics 0')"
)

# bm25 weights of title, body (stems) and xtitle, xbody (whole words: normalized, proclitics stripped).
# A query matches through the stems; a document that also has the very words ("الرياض", not "الرياضة")
# matches the second branch of the query too and ranks higher.
_BM25 = "bm25(search_fts, 4.0, 1.0, 4.0, 1.0)"
SNIPPET_CHARS = 200
MAX_QUERY_TERMS = 32  # a pasted paragraph is cut, not turned into a huge conjunction


@dataclass(frozen=True)
class ArticleHit:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    story: str | None
    duplicate_of: str | None
    snippet: str
    marks: tuple[tuple[int, int], ...]  # [start, end) of matching words inside `snippet`
    rank: float  # FTS5 bm25: lower is better

    def to_dict(self) -> dict:
        d = asdict(self)
        d["marks"] = [list(m) for m in self.marks]
        return d


@dataclass(frozen=True)
class StoryHit:
    id: str
    headline: str | None
    outlets: tuple[str, ...]
    articles: int
    first_seen: str | None
    last_seen: str | None
    article: str  # the best matching member
    snippet: str
    marks: tuple[tuple[int, int], ...]
    rank: float

    def to_dict(self) -> dict:
        d = asdict(self)
        d["outlets"] = list(self.outlets)
        d["marks"] = [list(m) for m in self.marks]
        return d


def _key(text: str | None) -> str:
    return " ".join(stems(text)) if text else ""


def _xkey(text: str | None) -> str:
    return " ".join(match_tokens(text)) if text else ""


def _row(seq: int, title: str | None, body: str) -> tuple:
    return (seq, _key(title), _key(body), _xkey(title), _xkey(body))


def ensure_schema(conn: sqlite3.Connection) -> int:
    """Create the search index if needed and index every stored article it lacks; returns how many."""
    conn.execute(SEARCH_SCHEMA)
    missing = conn.execute(
        "SELECT seq, title, body FROM articles a WHERE NOT EXISTS (SELECT 1 FROM search_fts f WHERE f.rowid=a.seq)"
        " ORDER BY seq"
    ).fetchall()
    if not missing:
        return 0
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        conn.executemany(
            "INSERT INTO search_fts(rowid, title, body, xtitle, xbody) VALUES(?,?,?,?,?)",
            (_row(r[0], r[1], "\n".join(json.loads(r[2]))) for r in missing),
        )
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        raise
    return len(missing)


def index_articles(conn: sqlite3.Connection, articles: Iterable[Article]) -> int:
    """Index stored articles (by id; call after they are stored). Idempotent: an article already in the
    index is replaced by its current text. Returns how many were indexed."""
    if not _has_index(conn):
        conn.execute(SEARCH_SCHEMA)
    n = 0
    for a in articles:
        row = conn.execute("SELECT seq FROM articles WHERE id=?", (a.id,)).fetchone()
        if row is None:
            continue
        seq = row[0]
        conn.execute("DELETE FROM search_fts WHERE rowid=?", (seq,))
        conn.execute("INSERT INTO search_fts(rowid, title, body, xtitle, xbody) VALUES(?,?,?,?,?)",
                     _row(seq, a.title, a.text))
        n += 1
    return n


def _has_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name='search_fts'").fetchone() is not None


def _query_words(query: str) -> list[tuple[str, str]]:
    """(stem, whole-word key) of each word of a query; stopwords dropped when other words remain."""
    keys: list[tuple[str, str]] = []
    content: list[tuple[str, str]] = []
    for tok in _TOKEN.findall(normalize(query or "")):
        whole = strip_proclitics(tok)[1]
        k = (stem(tok), whole)
        if not k[0] or k in keys:
            continue
        keys.append(k)
        if not (is_stopword(tok) or is_stopword(whole)):
            content.append(k)
    return (content or keys)[:MAX_QUERY_TERMS]


def query_terms(query: str) -> list[str]:
    """The stems a query is matched by (stopwords dropped when other words remain), in order, unique."""
    return list(dict.fromkeys(s for s, _ in _query_words(query)))


def _quote(t: str) -> str:
    return '"' + t.replace('"', '""') + '"'


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression for a user's query: every word quoted (no operator survives), all required;
    documents holding the whole words (not only their stems) match a second branch and rank higher.
    None when the query has no word."""
    words = _query_words(query)
    if not words:
        return None
    by_stem = " AND ".join(_quote(s) for s in dict.fromkeys(s for s, _ in words))
    exact = " AND ".join(_quote(w) for w in dict.fromkeys(w for _, w in words))
    return f"({{title body}} : ({by_stem})) OR ({{xtitle xbody}} : ({exact}))"


def phrase_query(text: str) -> str | None:
    """An FTS5 phrase for `text` (e.g. an entity name): its words in order, any spelling of each."""
    keys = [stem(t) for t in _TOKEN.findall(normalize(text or ""))][:MAX_QUERY_TERMS]
    keys = [k for k in keys if k]
    if not keys:
        return None
    return "{title body} : " + _quote(" ".join(keys))


class _WordStems(dict):
    """word of display text -> its `stems`, filled on first use; `__getitem__` stays in C for known words, so
    that finding a text's first matching word is one C-level pass (`snippet`). Bounded: cleared when full."""

    LIMIT = 200_000

    def __missing__(self, word: str) -> frozenset[str]:
        if len(self) >= self.LIMIT:
            self.clear()
        found = self[word] = frozenset(stems(word))
        return found


_STEMS = _WordStems()


def snippet(text: str, terms: Iterable[str], width: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of the original `text` around its first word whose stem is a query term, and the spans of
    matching words inside it. Without a match: the start of the text."""
    want = set(terms)
    text = " ".join(text.split())
    try:  # the first matching word, found without a Python loop over the words before it
        skip = operator.indexOf(map(want.isdisjoint, map(_STEMS.__getitem__, _TOKEN.findall(text))), False)
    except ValueError:
        cut = text[:width]
        return (cut + "…" if len(text) > width else cut), ()
    spans: list[tuple[int, int]] = []
    first = None
    for m in islice(_TOKEN.finditer(text), skip, None):
        if first is not None and m.start() > first + width:
            break
        if not want.isdisjoint(_STEMS[m.group()]):
            spans.append((m.start(), m.end()))
            if first is None:
                first = m.start()
    assert first is not None
    start = max(0, first - width // 3)
    if start:  # begin at a word boundary
        sp = text.rfind(" ", 0, start)
        start = sp + 1 if sp >= 0 and start - sp < 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        sp = text.rfind(" ", start, end)
        end = sp if sp > start + width // 2 else end
    prefix = "…" if start else ""
    out = prefix + text[start:end] + ("…" if end < len(text) else "")
    shift = len(prefix) - start
    marks = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    return out, marks


def _hit_snippet(title: str | None, body_json: str, terms: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    body = "\n".join(json.loads(body_json))
    text, marks = snippet(body, terms)
    if not marks and title:
        t, tm = snippet(title, terms)
        if tm:
            return text, ()  # the match is in the title; show the lead of the body
    return text, marks


# Ranking reads the index alone; article rows are read for the hits kept, not for every match (a frequent
# word matches thousands of articles, whose bodies a join before the LIMIT would read and sort).
_RANKED = (
    "SELECT f.rowid AS seq, f.rank, a.story_id FROM (SELECT rowid, " + _BM25 + " AS rank FROM search_fts"
    " WHERE search_fts MATCH ? ORDER BY rank, rowid LIMIT ?) f JOIN articles a ON a.seq = f.rowid"
    " ORDER BY f.rank, f.rowid"
)
_RANKED_IN_STORIES = (
    "SELECT f.rowid AS seq, f.rank, a.story_id FROM (SELECT rowid, " + _BM25 + " AS rank FROM search_fts"
    " WHERE search_fts MATCH ?) f JOIN articles a ON a.seq = f.rowid WHERE a.story_id IS NOT NULL"
    " ORDER BY f.rank, f.rowid LIMIT ?"
)
STORY_POOL = 500  # best matching articles whose stories are ranked


@dataclass(frozen=True)
class SearchResult:
    total: int  # matching articles
    articles: list[ArticleHit]
    stories: list[StoryHit]


class _Snippets:
    """Snippets of one query, each article's cut once (an article often shows both as a hit and as its story's
    best member)."""

    def __init__(self, conn: sqlite3.Connection, terms: list[str]) -> None:
        self.conn, self.terms = conn, terms
        self._done: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}

    def of(self, article_id: str, title: str | None = None,
           body_json: str | None = None) -> tuple[str, tuple[tuple[int, int], ...]]:
        if article_id not in self._done:
            if body_json is None:
                title, body_json = self.conn.execute("SELECT title, body FROM articles WHERE id=?",
                                                     (article_id,)).fetchone()
            self._done[article_id] = _hit_snippet(title, body_json, self.terms)
        return self._done[article_id]


def search(conn: sqlite3.Connection, query: str, limit: int = 20, offset: int = 0,
           story_limit: int = 20) -> SearchResult:
    """What a search page shows: how many articles match `query`, one page of them (`search_articles`) and the
    best `story_limit` stories (`search_stories`), ranked by one pass over the index."""
    match = fts_query(query)
    if match is None:
        return SearchResult(0, [], [])
    snippets = _Snippets(conn, query_terms(query))
    want = max(0, int(offset)) + max(0, int(limit))
    ranked = conn.execute(_RANKED, (match, max(want, STORY_POOL if story_limit > 0 else 0))).fetchall()
    articles = _article_hits(conn, ranked[max(0, int(offset)) : want], snippets)
    stories: list[StoryHit] = []
    if story_limit > 0:
        stories = _story_hits(conn, _story_pool(conn, match, STORY_POOL, ranked), story_limit, snippets)
    return SearchResult(count_articles(conn, query), articles, stories)


def search_articles(conn: sqlite3.Connection, query: str, limit: int = 20, offset: int = 0) -> list[ArticleHit]:
    """Articles matching every word of `query` (any spelling, any clitics), best bm25 first."""
    match = fts_query(query)
    if match is None or limit <= 0:
        return []
    want = max(0, int(offset)) + int(limit)
    ranked = conn.execute(_RANKED, (match, want)).fetchall()
    return _article_hits(conn, ranked[max(0, int(offset)) :], _Snippets(conn, query_terms(query)))


def _article_hits(conn: sqlite3.Connection, ranked: list[sqlite3.Row], snippets: _Snippets) -> list[ArticleHit]:
    rows = {r["seq"]: r for r in conn.execute(
        "SELECT seq, id, title, COALESCE(outlet, source) AS outlet, published, story_id, duplicate_of, body"
        " FROM articles WHERE seq IN (SELECT value FROM json_each(?))", (json.dumps([r["seq"] for r in ranked]),))}
    out = []
    for hit in ranked:
        r = rows[hit["seq"]]
        text, marks = snippets.of(r["id"], r["title"], r["body"])
        out.append(ArticleHit(r["id"], r["title"], r["outlet"], r["published"], r["story_id"], r["duplicate_of"],
                              text, marks, round(hit["rank"], 4)))
    return out


def count_articles(conn: sqlite3.Connection, query: str) -> int:
    match = fts_query(query)
    if match is None:
        return 0
    return conn.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH ?", (match,)).fetchone()[0]


def _story_pool(conn: sqlite3.Connection, match: str, pool: int,
                ranked: list[sqlite3.Row] | None = None) -> list[sqlite3.Row]:
    """The `pool` best matching articles that belong to a story, from `ranked` (the best matches) when it
    holds them all."""
    if ranked is not None:
        in_stories = [r for r in ranked if r["story_id"] is not None]
        if len(in_stories) >= pool or len(ranked) < pool:  # all of the pool, or every match, is in `ranked`
            return in_stories[:pool]
    return conn.execute(_RANKED_IN_STORIES, (match, int(pool))).fetchall()


def search_stories(conn: sqlite3.Connection, query: str, limit: int = 20, pool: int = STORY_POOL) -> list[StoryHit]:
    """Stories whose members match `query`, ranked by their best member (bm25), then by how many match."""
    match = fts_query(query)
    if match is None or limit <= 0:
        return []
    return _story_hits(conn, _story_pool(conn, match, pool), limit, _Snippets(conn, query_terms(query)))


def _story_hits(conn: sqlite3.Connection, pool: list[sqlite3.Row], limit: int, snippets: _Snippets) -> list[StoryHit]:
    from marsad.synthesize.headline import choose_headline

    if limit <= 0:
        return []
    best: dict[str, tuple[float, int]] = {}
    hits: dict[str, int] = {}
    for r in pool:
        sid = r["story_id"]
        hits[sid] = hits.get(sid, 0) + 1
        if sid not in best:
            best[sid] = (r["rank"], r["seq"])
    order = sorted(best, key=lambda s: (best[s][0], -hits[s], s))[:limit]
    out = []
    for sid in order:
        members = conn.execute(
            "SELECT seq, id, title, COALESCE(outlet, source) AS outlet, published, published_time FROM articles"
            " WHERE story_id=? ORDER BY seq", (sid,)).fetchall()
        stamps = [m["published"] + (f"T{m['published_time']}" if m["published_time"] else "")
                  for m in members if m["published"]]
        outlets = tuple(dict.fromkeys(m["outlet"] for m in members if m["outlet"]))
        rank, seq = best[sid]
        aid = next(m["id"] for m in members if m["seq"] == seq)
        text, marks = snippets.of(aid)
        out.append(StoryHit(sid, choose_headline([m["title"] for m in members]), outlets, len(members),
                            min(stamps, default=None), max(stamps, default=None), aid, text, marks,
                            round(rank, 4)))
    return out
