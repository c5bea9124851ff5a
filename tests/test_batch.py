"""The batch pipeline on Dask (a LocalCluster of 2 workers): agreement with the single-machine batch mode,
the Parquet contract, `marsad load` into the store and what continues from it."""

import json
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import fsspec
import numpy as np
import pytest
from distributed import Client, LocalCluster
from rensa import RMinHashLSH

from marsad.batch import BatchOptions, LoadError, load_output, lsh, parquet, run_batch, windows
from marsad.batch.agreement import bcubed, single_machine
from marsad.cluster.online import OnlineClusterer, story_id_for
from marsad.dedup.minhash import MinHashParams, sign_many
from marsad.pipeline import ingest
from marsad.store import sqlite as store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples/saudinewsnet/sample.jsonl"
SEEDS = ROOT / "examples/seeds"
ONE_WINDOW = BatchOptions(
    window_days=10_000, chunk_pages=120
)  # the sample (2015) and the seeds (2021) together
SMALL_WINDOWS = BatchOptions(window_days=3, chunk_pages=120)

# The documented output contract (README.md, marsad/batch/parquet.py): other tools read these columns.
COLUMNS = {
    "pages": ["page_id", "origin", "status", "reason", "article_id"],
    "articles": [
        "id",
        "origin",
        "url",
        "source",
        "outlet",
        "title",
        "subtitle",
        "credited",
        "published",
        "published_time",
        "language",
        "body",
    ],
    "duplicates": ["article_id", "duplicate_of", "similarity", "shared", "kind"],
    "members": ["story_id", "article_id"],
    "stories": ["story_id", "headline", "founder", "size", "outlets", "first_seen", "last_seen"],
}


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
        Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """The sample, the seed pages (text dumps: held back for site templates), and a file with a bad line, a
    page whose id the sample already has, and a new page; that file is given twice (its pages read again)."""
    first = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[0])
    extra = tmp_path_factory.mktemp("in") / "extra.jsonl"
    lines = [
        "{not json",
        json.dumps({**first, "content": first["content"] + " تحديث"}, ensure_ascii=False),
        json.dumps(
            {
                "id": "new-1",
                "source": "okaz",
                "date": "2015-07-23 10:00:00",
                "title": "خبر جديد",
                "content": "وصل وفد رسمي إلى العاصمة مساء أمس في زيارة تستمر ثلاثة أيام يبحث خلالها التعاون.",
            },
            ensure_ascii=False,
        ),
    ]
    extra.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(SAMPLE), str(SEEDS), str(extra), str(extra)]


@pytest.fixture(scope="module")
def reference(inputs):
    return single_machine(inputs)


@pytest.fixture(scope="module")
def one_window(client, inputs, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("one"))
    return run_batch(client, inputs, out, ONE_WINDOW), out


@pytest.fixture(scope="module")
def small_windows(client, inputs, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("small"))
    return run_batch(client, inputs, out, SMALL_WINDOWS), out


def members(out: str) -> dict[str, str]:
    return {r["article_id"]: r["story_id"] for r in parquet.read_table(out, "members").to_pylist()}


def groups(assignment: dict[str, str]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for article, story in assignment.items():
        out[story].add(article)
    return {s: frozenset(m) for s, m in out.items()}


def test_one_window_gives_the_single_machine_stories_ids_copies_and_pages(one_window, reference):
    report, out = one_window
    assert report.windows == 1
    assert groups(members(out)) == groups(reference.stories)  # same stories, same ids, same members
    copies = {r["article_id"]: r["duplicate_of"] for r in parquet.read_table(out, "duplicates").to_pylist()}
    assert copies == reference.duplicate_of and copies
    pages = {(r["page_id"], r["origin"]): r["status"] for r in parquet.read_table(out, "pages").to_pylist()}
    assert pages == reference.pages


def test_accounting_matches_ingest(one_window):
    report, out = one_window
    assert report.rejected == 1 and report.already == 3  # the bad line; the second reading of extra.jsonl
    rows = parquet.read_table(out, "pages").to_pylist()
    assert report.pages == len(rows) == 480 + 5 + 3
    same = [r for r in rows if r["reason"] == "same page as a stored article"]
    assert len(same) == 1 and same[0]["article_id"] == same[0]["page_id"]
    assert report.ingested + report.duplicate + report.rejected == report.pages


def test_windows_agree_with_the_single_machine_batch_mode(small_windows, reference):
    report, out = small_windows
    assert report.windows >= 4  # the sample's eleven days in 3-day windows, and the seeds' own window
    got = members(out)
    p, r, f = bcubed(got, reference.stories)
    # measured 0.989 (3-, 2- and 1-day windows alike), where windows without the earlier document frequencies
    # gave 0.975-0.99; a merge that split stories at window starts falls well below
    assert f >= 0.97, (p, r, f)
    # copies and pages do not depend on windows at all
    copies = {r["article_id"]: r["duplicate_of"] for r in parquet.read_table(out, "duplicates").to_pylist()}
    assert copies == reference.duplicate_of
    # ids are single-machine ids: the founder's, and the founder is the story's earliest member
    stories = {r["story_id"]: r for r in parquet.read_table(out, "stories").to_pylist()}
    assert set(stories) == set(got.values())
    for sid, row in stories.items():
        assert sid == story_id_for(row["founder"]) and got[row["founder"]] == sid
        assert row["size"] == sum(1 for s in got.values() if s == sid)


def test_output_does_not_depend_on_the_number_of_workers(small_windows, inputs, tmp_path):
    _, out = small_windows
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
        Client(cluster) as one,
    ):
        run_batch(one, inputs, str(tmp_path), SMALL_WINDOWS)
    for table in COLUMNS:
        key = COLUMNS[table][:2]
        a = sorted(parquet.read_table(out, table).to_pylist(), key=lambda r: [str(r[k]) for k in key])
        b = sorted(
            parquet.read_table(str(tmp_path), table).to_pylist(), key=lambda r: [str(r[k]) for k in key]
        )
        assert a == b, table


def test_parquet_tables_have_the_documented_columns(one_window):
    _, out = one_window
    for table, names in COLUMNS.items():
        files = list(Path(out, table).glob("part-*.parquet"))
        assert files, table
        assert parquet.read_table(out, table).column_names == names
    manifest = json.loads(Path(out, "batch.json").read_text(encoding="utf-8"))
    assert manifest["report"]["pages"] == 488 and manifest["options"]["window_days"] == 10_000


def test_fsspec_paths_in_and_out(client, one_window, tmp_path):
    fs = fsspec.filesystem("memory")
    fs.pipe("/corpus/sample.jsonl", SAMPLE.read_bytes())
    run_batch(client, ["memory://corpus/"], "memory://out", ONE_WINDOW)
    pages = parquet.read_table("memory://out", "pages").to_pylist()
    assert len(pages) == 480 and all(r["origin"].startswith("memory:///corpus/sample.jsonl#L") for r in pages)
    local = members(str(one_window[1]))
    assert members("memory://out") == {a: local[a] for a in members("memory://out")}
    fs.rm("/corpus", recursive=True)
    fs.rm("/out", recursive=True)


def test_band_keys_find_exactly_rensas_lsh_candidates():
    params = MinHashParams()
    texts = [json.loads(x)["content"] for x in SAMPLE.read_text(encoding="utf-8").splitlines()[:200]]
    sigs = [s for s in sign_many(texts) if s.minhash is not None]
    _, keys = lsh.band_keys(sigs)
    index = RMinHashLSH(params.threshold, params.num_perm, params.num_bands)
    index.insert_pairs(list(enumerate(s.minhash for s in sigs)))
    theirs = {(i, j) for i, s in enumerate(sigs) for j in index.query(s.minhash) if i < j}
    mine = {(i, j) for i in range(len(sigs)) for j in range(i + 1, len(sigs)) if np.any(keys[i] == keys[j])}
    assert mine == theirs and mine


def test_components_join_chains_and_keep_the_rest_apart():
    links = np.array([[5, 9], [9, 2], [7, 8]])
    nodes, label = lsh.components(links)
    assert dict(zip(nodes.tolist(), label.tolist(), strict=True)) == {2: 2, 5: 2, 9: 2, 7: 7, 8: 7}


def test_windows_plan_from_the_first_day_and_skip_empty_spans():
    plan = windows.plan({100: 5, 101: 3, 109: 1}, window_days=3, overlap_hours=24)
    # spans [100, 103) and [109, 112) hold articles; [103, 106) and [106, 109) are left out
    assert [(w.start, w.end) for w in plan] == [(float("-inf"), 109 * 24.0), (109 * 24.0, float("inf"))]
    assert plan[1].warm == 108 * 24.0
    assert windows.home(plan, 108.5 * 24) == 0 and windows.warm_in(plan, 108.5 * 24) == [1]
    assert windows.home(plan, None) == 1  # undated: the last window, as one pass clusters them last


def test_each_window_starts_from_the_document_frequencies_of_everything_before_its_warm_up():
    from marsad.batch.dask_pipeline import Reading, add_df, split_segments
    from marsad.batch.records import Member
    from marsad.cluster.features import ArticleTerms, DocFreq

    def reading(i: int, hours: float | None, *terms: str) -> Reading:
        t = ArticleTerms(f"a{i}", hours, None, dict.fromkeys(terms, 1), {}, (), frozenset(), frozenset())
        return Reading(t, Member("", f"a{i}", ("", "", f"a{i}"), None, None, None))

    days = {100: 2, 103: 1, 106: 2, 109: 1}
    plan = windows.plan(days, window_days=3, overlap_hours=30)
    hours = [100.5, 100.9, 103.2, 105.9, 106.5, 109.1]  # days; the 105.9 one is in window 2's warm-up
    parts = [
        [reading(i, h * 24, "x", f"t{i % 3}") for i, h in enumerate(hours[:3])],
        [reading(i + 3, h * 24, "x", f"t{i % 2}") for i, h in enumerate(hours[3:])] + [reading(9, None, "x")],
    ]
    cuts = windows.df_cuts(plan)
    pieces = [split_segments(part, i, len(cuts), cuts) for i, part in enumerate(parts)]
    segments = [add_df(*(p[k] for p in pieces)) for k in range(len(cuts))]
    for w, m in zip(plan, windows.seed_segments(plan, cuts), strict=True):
        seed = add_df(*segments[:m])
        want = DocFreq()
        for r in (r for part in parts for r in part):  # one pass: every dated article before the warm-up
            if r.terms.hours is not None and r.terms.hours < w.warm:
                want.observe(r.terms.terms)
        assert (seed.n_docs, seed.counts) == (want.n_docs, want.counts), w
    assert [add_df(*segments[:m]).n_docs for m in windows.seed_segments(plan, cuts)] == [0, 2, 3, 5]


def test_a_clusterer_seeded_with_document_frequencies_weighs_as_one_that_saw_the_articles(tmp_path):
    from marsad.cluster.batch import cluster_terms, publication_order
    from marsad.cluster.features import DocFreq, read_terms
    from marsad.model import Article
    from marsad.pipeline import extract_pages

    arts = publication_order(ex.result for ex in extract_pages([str(SAMPLE)]) if isinstance(ex.result, Article))
    arts = arts[:160]
    terms = [read_terms(a) for a in arts]
    seed = DocFreq()
    for t in terms[:80]:
        seed.observe(t.terms)
    before = dict(seed.counts)
    whole, seeded, cold = OnlineClusterer(pairs=False), OnlineClusterer(pairs=False, df=seed), OnlineClusterer()
    for t in terms[:80]:
        whole.prepare_terms(t)
    differ = 0
    for t in terms[80:]:
        fw, fs, fc = whole.prepare_terms(t)[0], seeded.prepare_terms(t)[0], cold.prepare_terms(t)[0]
        assert (fs.title, fs.body, fs.ents, fs.salient) == (fw.title, fw.body, fw.ents, fw.salient)
        differ += (fc.body, fc.salient) != (fw.body, fw.salient)
    assert differ > 40  # without the seed, the idf and so the retrieval keys differ
    assert seed.counts == before  # the seed is copied, not changed
    assert cluster_terms(terms[80:], df=seed).assignments  # and cluster_terms takes it
    with pytest.raises(ValueError):
        OnlineClusterer(sqlite3.connect(":memory:"), df=seed)


def test_a_window_story_is_anchored_to_the_home_story_holding_most_of_its_warm_up():
    warm = {"a": "y", "b": "y", "c": "y", "d": "z"}
    homes = {"a": (0, "x1"), "b": (0, "x1"), "c": (0, "x2"), "d": (0, "x2")}
    assert windows.anchors(warm, homes) == {"y": (0, "x1"), "z": (0, "x2")}
    # chains end at the earliest window's story
    assert windows.renames({(2, "w"): (1, "y"), (1, "y"): (0, "x1")}) == {2: {"w": "x1"}, 1: {"y": "x1"}}


@pytest.fixture(scope="module")
def loaded(one_window, tmp_path_factory):
    _, out = one_window
    db = tmp_path_factory.mktemp("db") / "m.db"
    return load_output(out, db), db


def marsad(*args: str) -> str:
    p = subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_load_then_stories_shows_the_batch_stories(loaded, one_window):
    report, db = loaded
    _, out = one_window
    assert report.articles == 480 + 5 + 1 and report.disagreements == 0
    shown = [json.loads(x) for x in marsad("stories", "--db", str(db)).splitlines()]
    rows = {r["story_id"]: r for r in parquet.read_table(out, "stories").to_pylist()}
    assert {s["id"]: frozenset(s["members"]) for s in shown} == groups(members(out))
    for s in shown:
        row = rows[s["id"]]
        assert (s["headline"], s["outlets"], s["first_seen"], s["last_seen"]) == (
            row["headline"],
            row["outlets"],
            row["first_seen"],
            row["last_seen"],
        )
    status = json.loads(marsad("status", "--db", str(db)))
    assert (status["pages"], status["rejected"]) == (488, 1)
    big = max(shown, key=lambda s: len(s["members"]))
    view = json.loads(marsad("story", big["id"], "--db", str(db)))
    assert view["summary"] and view["wire_passages"]  # the passage index was filled by load
    assert json.loads(marsad("search", "داعش", "--db", str(db), "--format", "json").splitlines()[0])


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    tables = ["pages", "articles", "dedup_minhash", "cluster_members", "cluster_stories", "search_fts"]
    out = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    conn.close()
    return out


def test_loading_again_changes_nothing(loaded, one_window):
    _, db = loaded
    before = _counts(db)
    again = load_output(one_window[1], db)
    assert (again.articles, again.pages, again.already) == (0, 0, 486)
    assert _counts(db) == before


def test_ingest_continues_a_loaded_store(one_window, tmp_path):
    _, out = one_window
    db = tmp_path / "m.db"
    load_output(out, db)
    conn = store.open_store(db)
    # the clusterer's state is the batch's: every original counted, the active stories with their members
    clusterer = OnlineClusterer(conn)
    originals = conn.execute(
        "SELECT story_id, COUNT(*) FROM articles WHERE duplicate_of IS NULL GROUP BY story_id"
    )
    size = dict(originals.fetchall())
    assert clusterer.df.n_docs == sum(size.values()) == 395
    assert clusterer.stories and all(s.size == size[s.id] for s in clusterer.stories.values())
    latest = conn.execute(
        "SELECT id, title, body, published, story_id FROM articles WHERE published IS NOT NULL"
        " AND duplicate_of IS NULL ORDER BY published DESC, seq DESC LIMIT 1"
    ).fetchone()
    conn.close()

    assert ingest([str(SAMPLE)], db).already == 480  # pages seen by the batch are not ingested again
    body = "\n".join(json.loads(latest["body"]))
    new = tmp_path / "new.jsonl"
    new.write_text(
        json.dumps(
            {
                "id": "copy-1",
                "source": "sabq",
                "date": f"{latest['published']} 23:00:00",
                "title": "نسخة",
                "content": body,
            },
            ensure_ascii=False,
        )
        + "\n"
        # a follow-up: the same title and lead, not a copy of the body
        + json.dumps(
            {
                "id": "follow-1",
                "source": "okaz",
                "date": f"{latest['published']} 23:30:00",
                "title": latest["title"],
                "content": body[:400],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    report = ingest([str(new)], db)
    assert (report.duplicate, report.ingested) == (1, 1)
    conn = store.open_store(db)
    copy, follow = store.get_article(conn, "copy-1"), store.get_article(conn, "follow-1")
    assert copy.duplicate_of == latest["id"] and copy.story_id == latest["story_id"]
    assert follow.duplicate_of is None and follow.story_id == latest["story_id"]


def test_load_refuses_a_store_with_other_articles_and_an_unfinished_run(one_window, tmp_path):
    _, out = one_window
    db = tmp_path / "other.db"
    ingest([str(ROOT / "tests/data/cluster/mini.jsonl")], db)
    with pytest.raises(LoadError, match="not in"):
        load_output(out, db)
    with pytest.raises(LoadError, match="no finished batch run"):
        load_output(str(tmp_path / "nothing"), tmp_path / "x.db")


def test_cli_batch_then_load_with_two_worker_processes(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "sample.jsonl")
    out, db = tmp_path / "out", tmp_path / "m.db"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "marsad",
            "batch",
            str(tmp_path / "sample.jsonl"),
            "--out",
            str(out),
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert "480 pages: 389 ingested, 91 duplicate, 0 rejected, 0 read twice" in p.stderr
    marsad("load", str(out), "--db", str(db))
    shown = [json.loads(x) for x in marsad("stories", "--db", str(db)).splitlines()]
    assert {s["id"]: frozenset(s["members"]) for s in shown} == groups(members(str(out)))
