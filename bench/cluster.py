"""Assignment latency and memory of the online clusterer as the store grows: 10k, 100k and 1M articles.

Growing: every store ends with the same 10,000 real SaudiNewsNet articles, fed one by one through `add()`
(tokenizing included; WAL SQLite file, `flush()` + commit every 500) and timed; the last `--probe` of them
are reported. Before them, a store of N articles holds N - 10,000 synthetic older articles, written straight
into the clusterer's tables as a long stream would have left them: members, closed stories (two articles
each), members' vectors of the last window, and document frequencies (the vocabulary a stream keeps under
the lossy-counting cap). Older stories are out of the window, which is the point: assignment cost must not
grow with them. Streaming a million articles for real would take the better part of an hour on 2 cores.

Beside it, a brute-force baseline: the same decision against every active story (no index), at 10k.

    .venv/bin/python bench/cluster.py [--sizes 10000,100000,1000000] [--probe 1000]
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import logging
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import marsad.cluster.online as online  # noqa: E402
from marsad.cluster.features import article_hours  # noqa: E402
from marsad.cluster.online import OnlineClusterer, ensure_schema, pair_features  # noqa: E402
from marsad.model import Article  # noqa: E402

log = logging.getLogger("bench.cluster")


def _quality():
    spec = importlib.util.spec_from_file_location("cluster_quality", ROOT / "bench/cluster_quality.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def rss_mb() -> float:
    """Current resident memory (Linux /proc), MB."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


LIVE = 10_000


def synthesize_history(conn: sqlite3.Connection, n: int, before_hours: float, vocab: int) -> None:
    """n older articles in the clusterer's tables, ending a month before `before_hours`."""
    ensure_schema(conn)
    end = before_hours - 24 * 30
    step = 0.05  # hours between articles: 20 an hour, about the corpus' rate
    conn.executemany(
        "INSERT INTO cluster_members(article_id, story_id, hours, p) VALUES(?,?,?,?)",
        ((f"h{i}", f"st-h{i // 2}", end - (n - i) * step, None) for i in range(n)),
    )
    conn.executemany(
        "INSERT INTO cluster_stories(id, founder, size, first_hours, last_hours, state) VALUES(?,?,?,?,?,?)",
        ((f"st-h{j}", f"h{2 * j}", 2, end - (n - 2 * j) * step, end - (n - 2 * j - 1) * step, None)
         for j in range((n + 1) // 2)),
    )
    blob = zlib.compress(b'[{"x":1.0},{"y":1.0},{"z":1.0}]')
    recent = min(n, int(2 * 96 / step))  # members' vectors are kept for the last two windows only
    conn.executemany(
        "INSERT INTO cluster_vectors(article_id, hours, data) VALUES(?,?,?)",
        ((f"h{i}", end - (n - i) * step, blob) for i in range(n - recent, n)),
    )
    conn.executemany("INSERT INTO cluster_df(term, df) VALUES(?,?)", ((f"t{i}", 2 + i % 50) for i in range(vocab)))
    conn.execute("INSERT INTO cluster_meta(key, value) VALUES('n_docs', ?)", (str(n),))
    conn.execute("INSERT INTO cluster_meta(key, value) VALUES('clock', ?)", (repr(end),))
    conn.commit()


def measure(articles: list[Article], n: int, probe: int, folder: Path) -> dict:
    path = folder / f"store-{n}.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    history = max(0, n - LIVE)
    live = articles[: n - history]
    t0 = time.perf_counter()
    if history:
        synthesize_history(conn, history, article_hours(live[0]) or 0.0, vocab=min(online.DF_CAP, 5 * history))
    synth_s = time.perf_counter() - t0
    gc.collect()
    rss0 = rss_mb()
    t0 = time.perf_counter()
    oc = OnlineClusterer(conn)
    restore_s = time.perf_counter() - t0
    lat = []
    for i, a in enumerate(live):
        t = time.perf_counter()
        oc.add(a)
        lat.append((time.perf_counter() - t) * 1000)
        if (i + 1) % 500 == 0:
            oc.flush()
            conn.commit()
    oc.flush()
    conn.commit()
    gc.collect()
    rss = rss_mb() - rss0
    conn.close()
    disk = sum(f.stat().st_size for f in folder.glob(f"store-{n}.db*"))
    tail = lat[-probe:]
    return dict(
        n=n,
        median=statistics.median(tail),
        p99=pct(tail, 0.99),
        cands=oc.stats.comparisons / max(1, oc.stats.articles),
        active=len(oc.stories),
        vocab=len(oc.df.counts),
        rss_mb=rss,
        disk_per=disk / n,
        restore_s=restore_s,
        synth_s=synth_s,
    )


def brute_force_probe(oc: OnlineClusterer, articles: list[Article]) -> list[float]:
    """The same decision against every active story, no index: the baseline the index replaces."""
    out = []
    prob = oc.decision.probability
    for a in articles:
        t0 = time.perf_counter()
        feats, hours = oc.prepare(a)
        best, best_p = None, -1.0
        for s in oc.stories.values():
            if hours - s.last > oc.window:
                continue
            p = prob(pair_features(feats, s, hours))
            if p > best_p:
                best, best_p = s, p
        ok = best is not None and best_p >= oc.decision.threshold
        oc.place(feats, hours, best if ok else None, best_p if ok else None)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--probe", type=int, default=1000, help="timed assignments reported at each size")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process (JSON out)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    articles = _quality().load_corpus()
    articles.sort(key=lambda a: (a.published or date.max, a.published_time or ""))
    if args.one:
        sys.stdout.write(json.dumps(measure(articles, args.one, args.probe, Path(args.folder))) + "\n")
        return
    folder = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        # each size in a fresh process, so its resident memory is its own
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--probe", str(args.probe), "--folder", str(folder)],
            capture_output=True, text=True, check=True,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        log.info("%s", rows[-1])
    bf = OnlineClusterer()
    n_brute = min(args.probe, 200)  # a scan costs ~0.2 s an article: fewer suffice
    for a in articles[: LIVE - n_brute]:
        bf.add(a)
    brute = brute_force_probe(bf, articles[LIVE - n_brute : LIVE])
    lines = [
        f"{'stored':>9} {'median ms':>10} {'p99 ms':>8} {'cands/art':>9} {'active st':>9} {'vocab':>9} "
        f"{'RAM MB':>7} {'RAM B/art':>9} {'disk B/art':>10} {'restore s':>9}"
    ]
    for r in rows:
        lines.append(
            f"{r['n']:>9,} {r['median']:>10.2f} {r['p99']:>8.2f} {r['cands']:>9.1f} {r['active']:>9,} "
            f"{r['vocab']:>9,} {r['rss_mb']:>7.0f} {r['rss_mb'] * 2**20 / r['n']:>9,.0f} {r['disk_per']:>10,.0f} "
            f"{r['restore_s']:>9.1f}"
        )
    lines.append(
        f"brute-force scan at 10,000 (no index, in memory): median {statistics.median(brute):.2f} ms, "
        f"p99 {pct(brute, 0.99):.2f} ms, over {len(bf.stories):,} active stories"
    )
    lines.append(f"(stores in {folder}; RAM = the clusterer's resident memory: the process' growth from opening")
    lines.append(" the store to the end of the stream, corpus excluded; it is bounded by the window, not by N)")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
