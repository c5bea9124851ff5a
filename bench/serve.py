"""`marsad serve` under bounded loopback traffic: requests/s and p50/p99 latency per endpoint.

    .venv/bin/python bench/serve.py [--db out/snn.db] [--requests 300] [--seconds 20] [--threads 8]

Builds the store from the whole SaudiNewsNet corpus (`marsad ingest ../shared/data/saudinewsnet/corpus.jsonl.gz
--db out/snn.db`) unless it is there, serves it with `marsad serve` on 127.0.0.1 (a free port), and sends, per
endpoint, at most --requests requests within at most --seconds, from --threads client threads (http.client,
keep-alive), to: a story's JSON (/api/stories/{id}), the story page (/story/{id}), search (/api/search?q=, /search)
and the story list. Stories are drawn from the larger ones (>= 3 articles), words from the corpus's headlines.

Two servers, one after the other:
1. warming on (the default): the server computes every stale story view in the background at start (see
   marsad.api.views); the bench waits for that first pass (its duration is printed: the whole corpus on a fresh
   store, only what changed otherwise), then times each story's first request, repeats, pages, search, lists.
2. warming off (MARSAD_WARM_VIEWS=0), the sampled stories' views and their members' entity mentions deleted:
   each first request computes its view on the request path (NER, facts, summary, passages), alone (one client)
   and under --threads clients, for JSON and for the page: the fallback's cost.
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


def start_server(db: Path, warm: bool) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "MARSAD_TOKEN": "", "MARSAD_WARM_VIEWS": "1" if warm else "0"}
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL)
    while fetch(port, "/api/health")[0] != 200:
        if proc.poll() is not None:
            raise SystemExit("marsad serve exited")
        time.sleep(0.2)
    return proc, port


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def wait_for_warming(port: int, timeout: float) -> float | None:
    """Seconds until the server's first warming pass ended (None: still running after `timeout`)."""
    t = time.perf_counter()
    while time.perf_counter() - t < timeout:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/api/health")
        views = json.loads(conn.getresponse().read())["views"]
        conn.close()
        if views["passes"] >= 1:
            return time.perf_counter() - t
        time.sleep(1.0)
    return None


def forget_views(db: Path, stories: list[str]) -> None:
    """Delete these stories' stored views and their members' stored entity mentions."""
    conn = sqlite3.connect(db)
    with conn:
        for s in stories:
            conn.execute("DELETE FROM story_view_cache WHERE story_id=?", (s,))
            conn.execute("DELETE FROM story_view_mentions WHERE article_id IN (SELECT id FROM articles"
                         " WHERE story_id=?)", (s,))
    conn.close()


JSON, PAGE = "/api/stories/", "/story/"


def paths(prefix: str, stories: list[str]) -> list[str]:
    return [prefix + quote(s) for s in stories]


def shuffled(paths: list[str], n: int, rng: random.Random) -> list[str]:
    out = paths * max(1, -(-n // max(1, len(paths))))
    rng.shuffle(out)
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=str(ROOT / "out" / "snn.db"))
    ap.add_argument("--requests", type=int, default=300, help="at most this many requests per endpoint")
    ap.add_argument("--seconds", type=float, default=20.0, help="at most this long per endpoint")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--stories", type=int, default=60, help="distinct stories requested (and as many cold)")
    ap.add_argument("--warm-timeout", type=float, default=1800.0, help="longest wait for the first warming pass")
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
    picked = [s for s, _ in rng.sample(sizes, min(2 * args.stories, len(sizes)))]
    stories, cold = picked[: args.stories], picked[args.stories :]  # cold: three groups, see below
    words = [w for t in titles for w in t.split() if len(w) >= 4 and w.isalpha()]
    queries = [" ".join(rng.sample(words, rng.choice((1, 1, 2)))) for _ in range(args.requests)]
    size = dict(sizes)
    rows = []

    t = time.perf_counter()
    proc, port = start_server(db, warm=True)
    start_s = time.perf_counter() - t
    try:
        warm_s = wait_for_warming(port, args.warm_timeout)
        rows.append(("story JSON, first request", run(port, paths(JSON, stories), args.seconds * 3, args.threads)))
        rows.append(("story JSON, again", run(port, shuffled(paths(JSON, stories), args.requests, rng), args.seconds,
                                              args.threads)))
        rows.append(("story page", run(port, shuffled(paths(PAGE, stories), args.requests, rng), args.seconds,
                                       args.threads)))
        rows.append(("search", run(port, [f"/api/search?q={quote(q)}" for q in queries], args.seconds,
                                   args.threads)))
        rows.append(("search page", run(port, [f"/search?q={quote(q)}" for q in queries], args.seconds,
                                        args.threads)))
        rows.append(("story list", run(port, [f"/api/stories?offset={20 * i}" for i in range(args.requests)],
                                       args.seconds, args.threads)))
    finally:
        stop_server(proc)

    # the fallback: no warming, nothing stored for these stories; each request below is a story's first
    forget_views(db, cold)
    third = len(cold) // 3
    alone, crowd, pages = cold[:third], cold[third : 2 * third], cold[2 * third :]
    proc, port = start_server(db, warm=False)
    try:
        rows.append(("cold JSON, 1 client", run(port, paths(JSON, alone), args.seconds * 3, 1)))
        rows.append((f"cold JSON, {args.threads} clients", run(port, paths(JSON, crowd), args.seconds * 3,
                                                               args.threads)))
        rows.append((f"cold page, {args.threads} clients", run(port, paths(PAGE, pages), args.seconds * 3,
                                                               args.threads)))
    finally:
        stop_server(proc)

    def members(ss: list[str]) -> str:
        n = sorted(size[s] for s in ss)
        return f"median {statistics.median(n) if n else 0}, max {max(n, default=0)}"

    warmed = f"{warm_s:.0f} s" if warm_s is not None else f"unfinished after {args.warm_timeout:.0f} s"
    print(f"store: {db.name}, {n_articles} articles, {n_stories} stories; {len(stories)} stories requested "
          f"(members: {members(stories)}), {len(cold)} cold ({members(cold)}); server start {start_s:.1f} s, "
          f"first warming pass {warmed}; {args.threads} client threads, loopback")
    print(f"{'endpoint':30} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, r in rows:
        print(f"{name:30} {r['n']:8d} {r['errors']:6d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} {r['max']:8.1f}")
    print("goal: p99 < 100 ms story JSON, < 300 ms story page")
    print(json.dumps({name: r for name, r in rows}), file=sys.stderr)


if __name__ == "__main__":
    main()
