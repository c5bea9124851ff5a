"""`marsad serve` under bounded loopback load, idle and while an ingest writes into the same store.

    .venv/bin/python bench/load.py [--base 4000] [--extra 3000] [--threads 4] [--idle-seconds 30]

Builds a store from the first --base SaudiNewsNet articles (out/load/base.db, kept between runs), copies it,
serves the copy with `marsad serve` on 127.0.0.1, and sends a mix of requests from --threads client threads
(http.client, keep-alive; bench/serve.py's client): a story's JSON, a story's page and a search, in turn.
Phase 1 (idle) runs the mix for --idle-seconds; phase 2 runs it while `marsad ingest` adds the next --extra
articles to the served store, until the ingest ends. Story views are computed once before measuring (warm),
as a long-running server has them, and the server's view warmer (a child process that computes every story's
view at start) is let finish first; a story that gains members during the ingest is computed again, which
the under-ingest figures include. Prints requests, errors, p50 and p99 per endpoint and phase.
Goal (issue 10): error rate 0 and p99 under ingest within 2x the idle p99.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import CORPUS, ROOT, fetch, free_port  # noqa: E402

WORK = ROOT / "out" / "load"


def _corpus_slice(start: int, count: int, dest: Path) -> Path:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        dest.write_text("".join(itertools.islice(f, start, start + count)), encoding="utf-8")
    return dest


def _ingest(inputs: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "marsad", "ingest", str(inputs), "--db", str(db), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _requests(db: Path, n_stories: int, rng: random.Random) -> list[tuple[str, str]]:
    """(endpoint, path) in turn: story JSON, story page, search; stories drawn from those with >= 3 members."""
    conn = sqlite3.connect(db)
    big = [r[0] for r in conn.execute("SELECT story_id FROM articles WHERE story_id IS NOT NULL GROUP BY story_id"
                                      " HAVING COUNT(*) >= 3 ORDER BY story_id")]
    titles = [r[0] for r in conn.execute("SELECT title FROM articles WHERE title IS NOT NULL ORDER BY seq LIMIT 2000")]
    conn.close()
    stories = rng.sample(big, min(n_stories, len(big)))
    words = [w for t in titles for w in t.split() if len(w) >= 4 and w.isalpha()]
    out = []
    for i in range(len(stories) * 10):
        s = quote(stories[i % len(stories)])
        q = quote(" ".join(rng.sample(words, rng.choice((1, 2)))))
        out += [("story JSON", f"/api/stories/{s}"), ("story page", f"/story/{s}"), ("search", f"/api/search?q={q}")]
    return out


class Load:
    """Client threads sending the request mix round and round until stopped; latencies per endpoint."""

    def __init__(self, port: int, mix: list[tuple[str, str]], threads: int) -> None:
        self.port = port
        self.mix = itertools.cycle(mix)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.threads = [threading.Thread(target=self._loop) for _ in range(threads)]

    def _loop(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                endpoint, path = next(self.mix)
            status, dt = fetch(self.port, path)
            with self.lock:
                self.latency[endpoint].append(dt * 1000)
                if status != 200:
                    self.errors[endpoint] += 1

    def run_while(self, busy) -> float:
        """Send load while `busy()` holds; returns the wall time."""
        t = time.perf_counter()
        for th in self.threads:
            th.start()
        while busy():
            time.sleep(0.1)
        self.stop.set()
        for th in self.threads:
            th.join()
        return time.perf_counter() - t


def _stats(lat: list[float]) -> tuple[float, float]:
    lat = sorted(lat)
    return statistics.median(lat), lat[min(len(lat) - 1, int(0.99 * len(lat)))]


def _serve(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(port)],
                            env={**os.environ, "MARSAD_TOKEN": ""}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    while fetch(port, "/api/health")[0] != 200:
        if proc.poll() is not None:
            raise SystemExit(f"marsad serve exited: {proc.stderr.read()}")
        time.sleep(0.2)
    return proc


def _views_warm(port: int, limit_s: float) -> bool:
    """Wait (at most `limit_s`) until the server's view warmer has done a pass and rests, so that the idle
    phase is idle; False when it did not within the limit (or the server has no warmer)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=30) as r:
            views = json.load(r).get("views") or {}
        if not views.get("enabled"):
            return False
        if views.get("passes") and not views.get("warming"):
            return True
        time.sleep(1.0)
    return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", type=int, default=4000, help="corpus lines in the served store")
    ap.add_argument("--extra", type=int, default=3000, help="corpus lines ingested under load")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--stories", type=int, default=40)
    ap.add_argument("--idle-seconds", type=float, default=30.0)
    ap.add_argument("--max-seconds", type=float, default=300.0, help="bound on the under-ingest phase")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    base = WORK / f"base{args.base}.db"
    if not base.exists():
        print(f"building {base.name} ...", file=sys.stderr)
        _ingest(_corpus_slice(0, args.base, WORK / "base.jsonl"), base).wait()
    extra = _corpus_slice(args.base, args.extra, WORK / "extra.jsonl")
    db = WORK / "served.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, db)
    conn = sqlite3.connect(db)
    n_articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    conn.close()
    mix = _requests(db, args.stories, random.Random(10))

    port = free_port()
    server = _serve(db, port)
    rows = []
    try:
        for _, path in mix[: 3 * args.stories]:  # warm: every story's view computed once
            fetch(port, path)
        warm = _views_warm(port, args.max_seconds)
        idle = Load(port, mix, args.threads)
        until = time.monotonic() + args.idle_seconds
        idle_wall = idle.run_while(lambda: time.monotonic() < until)
        ingest = _ingest(extra, db)
        busy = Load(port, mix, args.threads)
        stop_at = time.monotonic() + args.max_seconds
        busy_wall = busy.run_while(lambda: ingest.poll() is None and time.monotonic() < stop_at)
        _, ingest_err = ingest.communicate()
        for name, load, wall in (("idle", idle, idle_wall), ("under ingest", busy, busy_wall)):
            for endpoint in ("story JSON", "story page", "search"):
                lat = load.latency[endpoint]
                p50, p99 = _stats(lat)
                rows.append((name, endpoint, len(lat), load.errors[endpoint], len(lat) / wall, p50, p99))
    finally:
        server.terminate()
        server.wait(timeout=30)
    conn = sqlite3.connect(db)
    n_after = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    conn.close()

    print(f"store: {n_articles} articles served, ingest of {args.extra} more pages under load "
          f"({n_after - n_articles} articles stored, exit {ingest.returncode}, {busy_wall:.0f} s); "
          f"{args.threads} client threads, loopback, {len(set(p for _, p in mix[::3]))} stories; server's view"
          f" warmer {'at rest' if warm else 'still busy or off'} before the idle phase")
    print(f"{'phase':13} {'endpoint':11} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for phase, endpoint, n, err, rps, p50, p99 in rows:
        print(f"{phase:13} {endpoint:11} {n:8d} {err:6d} {rps:7.1f} {p50:7.1f} {p99:7.1f}")
    idle_p99 = {e: p99 for ph, e, *_, p99 in rows if ph == "idle"}
    ratios = {e: p99 / idle_p99[e] for ph, e, *_, p99 in rows if ph == "under ingest"}
    print("p99 under ingest / idle: " + ", ".join(f"{e} {r:.2f}x" for e, r in ratios.items()))
    errors = sum(r[3] for r in rows)
    print(f"errors: {errors}; 'database is locked' in the ingest's output: {'locked' in ingest_err}")
    if ingest.returncode != 0:
        print(ingest_err[-2000:], file=sys.stderr)


if __name__ == "__main__":
    main()
