"""Crash safety: `kill -9` during `marsad ingest`, then the same command again, gives the store one
uninterrupted run gives: no article lost, none doubled, the same story ids, the same page accounting.

Real processes are killed (SIGKILL) at random points of several seeds, some while extracting, most while
the ingest holds the store's write lock, and a few times in a row before the run is let finish.

Every run gets the same PYTHONHASHSEED: the clusterer iterates a set of number keys when it weighs an
article (marsad/cluster/features.py), so the last bits of its stored centroids follow the hash seed;
what this test protects is that a killed run leaves no trace, which needs runs that are otherwise equal.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [str(ROOT / "examples" / "saudinewsnet" / "sample.jsonl"), str(ROOT / "examples" / "seeds")]
KILLS_PER_SEED = 3
SEEDS = (1, 2, 3)
ENV = {**os.environ, "PYTHONHASHSEED": "0"}


def _command(db: Path, inputs: list[str]) -> list[str]:
    return [sys.executable, "-m", "marsad", "ingest", *inputs, "--db", str(db), "-q"]


def store_contents(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (sorted; the pages' timestamps left out), and the search index's."""
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'search_fts%'")]
    out = {}
    for t in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})") if r[1] != "seen_at"]
        out[t] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {t}"), key=repr)
    out["search_fts"] = sorted(conn.execute("SELECT rowid, title, body FROM search_fts"))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    return out


def _writing(db: Path) -> bool:
    """Whether another process holds the store's write lock (a non-blocking try to take it)."""
    if not db.exists():
        return False
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def _run_and_kill(db: Path, rng: random.Random, in_write: bool, longest: float, writes: float) -> str:
    """Start an ingest and SIGKILL it: at a random time, or at a random time within the first half of the
    `writes` seconds an uninterrupted run holds the write lock, after it took it (halves: runs vary)."""
    p = subprocess.Popen(_command(db, INPUTS), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    try:
        start = time.monotonic()
        if in_write:
            while p.poll() is None and not _writing(db) and time.monotonic() - start < longest:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.5 * writes))
        else:
            time.sleep(rng.uniform(0.1, 0.5 * longest))  # well before an uninterrupted run would end
        writing = _writing(db)
        finished = p.poll() is not None
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    return "finished first" if finished else ("killed writing" if writing else "killed reading")


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The store one uninterrupted run leaves, how long the run took, and how long it held the write lock."""
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    t = time.monotonic()
    p = subprocess.Popen(_command(db, INPUTS), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    locked: list[float] = []
    while p.poll() is None:
        if _writing(db):
            locked.append(time.monotonic())
        time.sleep(0.01)
    assert p.returncode == 0
    writes = locked[-1] - locked[0] if len(locked) > 1 else 0.5
    return store_contents(db), time.monotonic() - t, writes


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_ingests_then_a_rerun_equal_one_uninterrupted_run(tmp_path, uninterrupted, seed):
    reference, took, writes = uninterrupted
    rng = random.Random(seed)
    db = tmp_path / "m.db"
    outcomes = [_run_and_kill(db, rng, in_write=k > 0, longest=took, writes=writes) for k in range(KILLS_PER_SEED)]
    assert "killed writing" in outcomes, outcomes  # the kills must hit the store's writes
    done = subprocess.run(_command(db, INPUTS), capture_output=True, text=True, env=ENV)
    assert done.returncode == 0, done.stderr
    got = store_contents(db)
    assert set(got) == set(reference)
    for table in reference:
        assert got[table] == reference[table], f"{table} differs after kills {outcomes}"
    ids = [r[0] for r in sqlite3.connect(db).execute("SELECT id FROM articles")]
    assert len(set(ids)) == len(ids) > 400  # none doubled, none lost (the reference holds the same)


def test_rerun_after_completion_changes_nothing(tmp_path, uninterrupted):
    reference, _, _ = uninterrupted
    db = tmp_path / "m.db"
    for _ in range(2):
        subprocess.run(_command(db, INPUTS), check=True, capture_output=True, env=ENV)
    assert store_contents(db) == reference
