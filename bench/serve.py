"""`marsad serve` under bounded loopback traffic: requests/s and p50/p99 latency per endpoint.

    .venv/bin/python bench/serve.py [--db out/snn.db] [--requests 300] [--seconds 20] [--threads 8]

Builds the store from the whole SaudiNewsNet corpus (`marsad ingest ../shared/data/saudinewsnet/corpus.jsonl.gz
--db out/snn.db`) unless it is there, serves it with `marsad serve` on 127.0.0.1 (a free port), and sends, per
endpoint, at most --requests requests within at most --seconds, from --threads client threads (http.client,
keep-alive), to: the story page (/story/{id}), a story's JSON (/api/stories/{id}) and search (/api/search?q=).
Stories are drawn from the larger ones (>= 3 articles), words from the corpus's headlines.

Story views are computed on request (NER, facts, summary) and cached by story id + member signature; the
table shows cold requests (each story's first, computed) apart from warm ones (served from the cache).
Goal (issue 8): p99 under 100 ms for a story's JSON and under 300 ms for the story page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "corpus.jsonl.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_local = threading.local()


def fetch(port: int, path: str) -> tuple[int, float]:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    t = time.perf_counter()
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        r.read()
        status = r.status
    except (OSError, http.client.HTTPException):
        conn.close()
        _local.conn = None
        status = 0
    return status, time.perf_counter() - t


def run(port: int, paths: list[str], seconds: float, threads: int) -> dict:
    """Send every path (bounded by `seconds`), `threads` at a time; latencies in ms."""
    lat: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    t0 = time.perf_counter()

    def one(p: str):
        if time.monotonic() > deadline:
            return None
        return fetch(port, p)

    with ThreadPoolExecutor(threads) as pool:
        for res in pool.map(one, paths):
            if res is None:
                continue
            status, dt = res
            if status != 200:
                errors += 1
            lat.append(dt * 1000)
    wall = time.perf_counter() - t0
    lat.sort()

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")

    return {"n": len(lat), "errors": errors, "rps": len(lat) / wall if wall else 0.0,
            "p50": statistics.median(lat) if lat else float("nan"), "p99": pct(0.99), "max": lat[-1] if lat else 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=str(ROOT / "out" / "snn.db"))
    ap.add_argument("--requests", type=int, default=300, help="at most this many requests per endpoint")
    ap.add_argument("--seconds", type=float, default=20.0, help="at most this long per endpoint")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--stories", type=int, default=60, help="distinct stories requested")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        print(f"building {db} from {CORPUS} (a few minutes) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "marsad", "ingest", str(CORPUS), "--db", str(db), "-q"], check=True)

    conn = sqlite3.connect(db)
    n_articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    sizes = conn.execute("SELECT story_id, COUNT(*) n FROM articles WHERE story_id IS NOT NULL GROUP BY story_id"
                         " HAVING n >= 3 ORDER BY n DESC, story_id").fetchall()
    n_stories = conn.execute("SELECT COUNT(DISTINCT story_id) FROM articles").fetchone()[0]
    titles = [r[0] for r in conn.execute("SELECT title FROM articles WHERE title IS NOT NULL ORDER BY seq LIMIT 3000")]
    conn.close()
    rng = random.Random(8)
    stories = [s for s, _ in rng.sample(sizes, min(args.stories, len(sizes)))]
    words = [w for t in titles for w in t.split() if len(w) >= 4 and w.isalpha()]
    queries = [" ".join(rng.sample(words, rng.choice((1, 1, 2)))) for _ in range(args.requests)]
    member_sizes = sorted(n for s, n in sizes if s in set(stories))

    port = free_port()
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(port)],
                            env={**os.environ, "MARSAD_TOKEN": ""}, stdout=subprocess.DEVNULL)
    try:
        while True:
            if proc.poll() is not None:
                raise SystemExit("marsad serve exited")
            if fetch(port, "/api/health")[0] == 200:
                break
            time.sleep(0.2)
        start_s = time.perf_counter() - t
        reps = max(1, args.requests // max(1, len(stories)))
        rows = []
        # cold: each story's first request computes its view (the cache is emptied first)
        sqlite3.connect(db).execute("DELETE FROM story_view_cache").connection.commit()
        rows.append(("story JSON, cold (computed)", run(port, [f"/api/stories/{quote(s)}" for s in stories],
                                                        args.seconds * 3, args.threads)))
        warm_json = [f"/api/stories/{quote(s)}" for s in stories] * reps
        rng.shuffle(warm_json)
        rows.append(("story JSON, warm", run(port, warm_json[: args.requests], args.seconds, args.threads)))
        pages = [f"/story/{quote(s)}" for s in stories] * reps
        rng.shuffle(pages)
        rows.append(("story page", run(port, pages[: args.requests], args.seconds, args.threads)))
        rows.append(("search", run(port, [f"/api/search?q={quote(q)}" for q in queries], args.seconds,
                                   args.threads)))
        rows.append(("search page", run(port, [f"/search?q={quote(q)}" for q in queries], args.seconds,
                                        args.threads)))
        rows.append(("story list", run(port, [f"/api/stories?offset={20 * i}" for i in range(args.requests)],
                                       args.seconds, args.threads)))
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    print(f"store: {db.name}, {n_articles} articles, {n_stories} stories; {len(stories)} stories requested "
          f"(members: median {statistics.median(member_sizes) if member_sizes else 0}, max "
          f"{max(member_sizes, default=0)}); server start {start_s:.1f} s; {args.threads} client threads, loopback")
    print(f"{'endpoint':30} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, r in rows:
        print(f"{name:30} {r['n']:8d} {r['errors']:6d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} {r['max']:8.1f}")
    print("goal: p99 < 100 ms story JSON (warm), < 300 ms story page")
    print(json.dumps({name: r for name, r in rows}), file=sys.stderr)


if __name__ == "__main__":
    main()
