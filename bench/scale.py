"""Scale-out: the Dask batch pipeline on the whole SaudiNewsNet corpus with 1, then 2 local workers (processes,
one thread each), beside the same stages in one plain process, and agreement with the single-machine batch mode.

    .venv/bin/python bench/scale.py [--workers 1,2] [--window-days 11] [--no-agreement] [--json]

- Throughput: pages/s of `run_batch` (reading the gzipped JSONL to writing Parquet), the cluster started and
  warm beforehand (starting it is not throughput), per worker count; speedup against 1 worker; each stage's
  wall time. Other jobs share the machine's cores, so beside each run: the load average, and the speedup the
  machine itself gave two processes of a pure-Python loop just before (the ceiling for any 2-worker run then).
- Model: from the 1-worker run's task stream, the wall time k workers would take on free cores: the time the
  worker sat idle (client and scheduler work, which stays serial) plus, for each kind of task, the larger of
  its total over k and its longest task (one window's clustering cannot be split).
- Peer: the same work in one process without Dask (extract_pages, the dedup index over all articles in
  publication order, cluster_batch over those that are not copies): what the workers' time is compared with.
- Agreement (one run, the 2-worker output): stories against the single-machine batch mode
  (marsad.batch.agreement: `marsad ingest` into a scratch store, then cluster_batch), as B³ P/R/F over every
  stored article, the share of reference stories reproduced exactly; copy verdicts and page accounting
  compared for equality; and whether every worker count wrote the same stories.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "data/saudinewsnet/corpus.jsonl.gz"

sys.path.insert(0, str(ROOT))

from distributed import get_task_stream  # noqa: E402

from marsad.batch import BatchOptions, dask_client, parquet, run_batch  # noqa: E402
from marsad.batch.agreement import bcubed, single_machine  # noqa: E402

log = logging.getLogger("bench.scale")


def load_avg() -> float:
    return round(os.getloadavg()[0], 1)


def one_process(inputs: list[str]) -> tuple[int, float]:
    """The pipeline's work in one plain process: (pages, seconds)."""
    from marsad.cluster.batch import cluster_batch, publication_order
    from marsad.dedup.common import published_at
    from marsad.dedup.minhash import DuplicateIndex
    from marsad.model import Article
    from marsad.pipeline import extract_pages

    t0 = time.perf_counter()
    extracted = list(extract_pages(inputs))
    articles = publication_order(
        {ex.result.id: ex.result for ex in extracted if isinstance(ex.result, Article)}.values()
    )
    verdicts = DuplicateIndex(sqlite3.connect(":memory:")).add_many(
        (a.id, a.text, published_at(a)) for a in articles
    )
    cluster_batch(a for a, v in zip(articles, verdicts, strict=True) if v is None)
    return len(extracted), time.perf_counter() - t0


def _loop(n: int) -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - t0


def machine_speedup(n: int = 15_000_000) -> float:
    """How much faster two processes finish two pure-Python loops than one process runs them in turn."""
    from multiprocessing import get_context

    one = _loop(n)
    with get_context("spawn").Pool(2) as pool:
        pool.map(_loop, [1000, 1000])  # started before timing
        t0 = time.perf_counter()
        pool.map(_loop, [n, n])
        two = time.perf_counter() - t0
    return round(2 * one / two, 2)


def task_times(stream: list[dict]) -> dict[str, list[float]]:
    """Compute seconds of each task, by the function it ran."""
    out: dict[str, list[float]] = defaultdict(list)
    for task in stream:
        key = task["key"] if isinstance(task["key"], str) else task["key"][0]
        for part in task["startstops"]:
            if part["action"] == "compute":
                out[key.rsplit("-", 1)[0]].append(part["stop"] - part["start"])
    return out


def modelled_wall(wall: float, times: dict[str, list[float]], k: int) -> float:
    """Wall time on k free workers, from one worker's run (see the module's docstring)."""
    busy = sum(sum(v) for v in times.values())
    return (wall - busy) + sum(max(sum(v) / k, max(v)) for v in times.values())


def warm_up() -> str:
    """Import the stages in a worker before timing (the first task of a fresh process pays for it)."""
    import marsad.batch.dask_pipeline  # noqa: F401
    import marsad.cluster.batch  # noqa: F401

    return "ok"


def members(out: str) -> dict[str, str]:
    return {r["article_id"]: r["story_id"] for r in parquet.read_table(out, "members").to_pylist()}


def dask_run(k: int, inputs: list[str], out: str, options: BatchOptions) -> dict:
    """One timed run on a fresh local cluster of k workers, with the machine's own speedup just before."""
    with dask_client(workers=k) as client:
        client.run(warm_up)
        machine = machine_speedup()
        load0 = load_avg()
        with get_task_stream(client) as stream:
            t0 = time.perf_counter()
            report = run_batch(client, inputs, out, options)
            secs = time.perf_counter() - t0
    times = task_times(stream.data)
    return dict(
        run=f"Dask, {k} worker{'s' if k > 1 else ''}",
        workers=k,
        pages=report.pages,
        seconds=secs,
        load=f"{load0}-{load_avg()}",
        machine=machine,
        stages=report.seconds,
        windows=report.windows,
        stories=report.stories,
        times=times,
        out=out,
    )


def agreement_of(out: str, inputs: list[str], outs: list[str]) -> dict:
    """The output at `out` against the single-machine batch mode, and against the other runs' outputs."""
    ref = single_machine(inputs)
    got = members(out)
    p, r, f = bcubed(got, ref.stories)
    gold: dict[str, set[str]] = defaultdict(set)
    mine: dict[str, set[str]] = defaultdict(set)
    for a, s in ref.stories.items():
        gold[s].add(a)
    for a, s in got.items():
        mine[s].add(a)
    copies = {r["article_id"]: r["duplicate_of"] for r in parquet.read_table(out, "duplicates").to_pylist()}
    pages = {(r["page_id"], r["origin"]): r["status"] for r in parquet.read_table(out, "pages").to_pylist()}
    return dict(
        bcubed=dict(p=round(p, 4), r=round(r, 4), f=round(f, 4)),
        stories=len(mine),
        reference_stories=len(gold),
        identical=sum(1 for s, m in gold.items() if mine.get(s) == m),
        copies_equal=copies == ref.duplicate_of,
        pages_equal=pages == ref.pages,
        same_for_every_worker_count=all(members(o) == got for o in outs),
    )


def cpu() -> str:
    """The machine the runs shared: cores and processor model (a speedup means little without them)."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    return f"{os.cpu_count()} cores" + (f", {model}" if model else "")


def table(rows: list[dict], agreement: dict, window_days: float) -> str:
    out = [
        f"cpu: {cpu()}",
        f"{'run':22} {'pages':>6} {'secs':>6} {'pages/s':>8} {'speedup':>8} {'machine':>8} {'load':>10}  stages (s)"
    ]
    for r in rows:
        stages = " ".join(f"{k} {v}" for k, v in r.get("stages", {}).items())
        speed = f"{r['speedup']:.2f}x" if "speedup" in r else "-"
        machine = f"{r['machine']:.2f}x" if "machine" in r else "-"
        out.append(
            f"{r['run']:22} {r['pages']:6d} {r['seconds']:6.1f} {r['pages_s']:8d} {speed:>8} {machine:>8}"
            f" {r['load']:>10}  {stages}"
        )
    for r in rows:
        if r.get("kinds"):
            top = sorted(r["kinds"].items(), key=lambda kv: -kv[1])[:8]
            out.append(f"{r['run']}, task seconds by kind: " + ", ".join(f"{k} {v}" for k, v in top))
    for r in rows:
        if "modelled" in r:
            m = r["modelled"]
            out.append(
                f"modelled on {r['workers']} free cores from the 1-worker task stream: {m['seconds']:.1f} s,"
                f" {m['speedup']:.2f}x"
            )
    if agreement:
        b = agreement["bcubed"]
        out.append(
            f"agreement with the single-machine batch mode ({window_days:g}-day windows): B3 P {b['p']:.4f}"
            f" R {b['r']:.4f} F {b['f']:.4f}; {agreement['identical']} of {agreement['reference_stories']} stories"
            f" identical ({agreement['stories']} written); copies equal: {agreement['copies_equal']}; pages equal:"
            f" {agreement['pages_equal']}; same output for every worker count:"
            f" {agreement['same_for_every_worker_count']}"
        )
    return "\n".join(out) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="marsad-scale-") as tmp:
        run(Path(tmp))


def run(tmp: Path) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    ap.add_argument(
        "--window-days",
        type=float,
        default=11.0,
        help="days a clustering task owns (11: the corpus's 22 days in two windows)",
    )
    ap.add_argument("--no-agreement", action="store_true", help="skip the single-machine reference (~4 min)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("marsad.batch").setLevel(logging.INFO)
    inputs = [args.corpus]

    load0 = load_avg()
    pages, secs = one_process(inputs)
    rows = [
        dict(run="one process, no Dask", workers=1, pages=pages, seconds=secs, load=f"{load0}-{load_avg()}")
    ]
    for k in [int(x) for x in args.workers.split(",")]:
        rows.append(dask_run(k, inputs, str(tmp / f"out{k}"), BatchOptions(window_days=args.window_days)))
    one = next((r for r in rows if r.get("times") is not None and r["workers"] == 1), None)
    for r in rows:
        r["pages_s"] = round(r["pages"] / r["seconds"])
        if one is not None and "times" in r:
            r["speedup"] = round(one["seconds"] / r["seconds"], 2)
            if r["workers"] > 1:
                wall = modelled_wall(one["seconds"], one["times"], r["workers"])
                r["modelled"] = dict(seconds=round(wall, 1), speedup=round(one["seconds"] / wall, 2))
    dask_rows = [r for r in rows if "out" in r]
    agreement = {}
    if not args.no_agreement and dask_rows:
        agreement = agreement_of(dask_rows[-1]["out"], inputs, [r["out"] for r in dask_rows])
        agreement["workers"] = dask_rows[-1]["workers"]
    for r in rows:
        r["seconds"] = round(r["seconds"], 1)
        if "times" in r:
            times = r.pop("times")
            r["busy"] = round(sum(sum(v) for v in times.values()), 1)
            r["kinds"] = {k: round(sum(v), 1) for k, v in times.items()}
    if args.json:
        sys.stdout.write(
            json.dumps({"runs": rows, "agreement": agreement, "window_days": args.window_days, "cpu": cpu()}) + "\n"
        )
    else:
        sys.stdout.write(table(rows, agreement, args.window_days))


if __name__ == "__main__":
    main()
