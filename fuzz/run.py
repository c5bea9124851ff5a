"""Run every fuzz target for a bounded time (atheris, coverage-guided) and report what it found.

    .venv/bin/pip install -e ".[fuzz]"      # atheris
    .venv/bin/python fuzz/run.py [--seconds 120] [--targets html,text] [--keep]

Each target of fuzz/targets.py runs in its own process (fuzz/harness.py) for --seconds, from seeds built
out of the repository's sample pages and expression lists, with a per-input time limit (--timeout: an
input slower than that counts as a hang) and a memory limit. A crash or hang stops libFuzzer; the target
is started again for the rest of its time, so one run can find several. Inputs that fail are written
under out/fuzz/artifacts/TARGET/; --keep copies them to tests/data/fuzz/TARGET/, where
tests/test_fuzz_regressions.py replays them on every test run (fix the bug first). The growing corpus
stays in out/fuzz/corpus/ and is reused by the next run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
OUT = ROOT / "out" / "fuzz"
KEPT = ROOT / "tests" / "data" / "fuzz"
sys.path.insert(0, str(HERE))

from targets import READER_NAMES, TARGETS  # noqa: E402

MAX_LEN = 65536  # bytes per input: enough for whole pages, and for slow paths to show as hangs
_STAT = re.compile(r"stat::(\w+):\s+(\d+)")

_MINI_WARC = (
    b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/a\r\n"
    b"WARC-Date: 2021-07-26T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http;"
    b" msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n"
)


def _pages() -> list[bytes]:
    html = (ROOT / "tests" / "data" / "extract" / "article.html").read_bytes()
    dumps = [p.read_bytes() for p in sorted((ROOT / "examples" / "seeds").glob("*.txt"))]
    return [html, *dumps]


def _expressions(name: str) -> list[bytes]:
    lines = (ROOT / "tests" / "data" / "arabic" / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[1].encode() for line in lines if line and not line.startswith("#") and "\t" in line]


def seeds(target: str) -> list[bytes]:
    """Starting inputs for a target, from the repository's own data."""
    pages = _pages()
    if target == "readers":
        jsonl = b"\n".join((ROOT / "examples" / "saudinewsnet" / "sample.jsonl").read_bytes().splitlines()[:3])
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + pages[0][:3000]
        feeds = [p.read_bytes() for p in sorted((ROOT / "tests" / "data" / "sources").glob("feed.*"))]
        by_name = {"page.html": pages[0], "dump.txt": pages[1], "lines.jsonl": jsonl,
                   "crawl.warc": _MINI_WARC % (len(http), http), "feed.xml": feeds[0], "noext": feeds[-1]}
        return [bytes([READER_NAMES.index(n)]) + data for n, data in by_name.items()]
    if target == "decode":
        text = pages[1].decode("utf-8")
        return [pages[0], pages[1], text.encode("cp1256", errors="replace"), text[:2000].encode("utf-16")]
    if target in ("html", "text", "page"):
        return pages
    if target == "dates":
        return _expressions("date_expressions.tsv")[:200]
    if target == "numbers":
        return _expressions("number_expressions.tsv")[:200]
    raise ValueError(target)


def _write_seeds(target: str, corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for data in seeds(target):
        (corpus / ("seed-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)


def fuzz(target: str, seconds: float, timeout: int, rss_mb: int, max_crashes: int) -> dict:
    """Fuzz one target for `seconds`, restarting after each failure; totals and the failing inputs."""
    corpus = OUT / "corpus" / target
    artifacts = OUT / "artifacts" / target
    _write_seeds(target, corpus)
    artifacts.mkdir(parents=True, exist_ok=True)
    totals = {"target": target, "seconds": 0.0, "executions": 0, "failures": []}
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 1 and len(totals["failures"]) < max_crashes:
        before = set(artifacts.iterdir())
        t = time.monotonic()
        p = subprocess.run(
            [sys.executable, str(HERE / "harness.py"), target, f"-max_total_time={int(left)}",
             f"-timeout={timeout}", f"-rss_limit_mb={rss_mb}", f"-max_len={MAX_LEN}", "-print_final_stats=1",
             f"-artifact_prefix={artifacts}/", str(corpus)],
            capture_output=True, text=True,
        )
        totals["seconds"] += time.monotonic() - t
        stats = {k: int(v) for k, v in _STAT.findall(p.stderr)}
        totals["executions"] += stats.get("number_of_executed_units", 0)
        new = sorted(set(artifacts.iterdir()) - before)
        totals["failures"] += [str(a.relative_to(ROOT)) for a in new]
        if p.returncode != 0 and not new:
            raise SystemExit(f"{target}: the fuzzer failed without an artifact:\n{p.stderr[-3000:]}")
    totals["corpus"] = len(list(corpus.iterdir()))
    return totals


def keep(failures: list[str], target: str) -> None:
    """Copy failing inputs to tests/data/fuzz/TARGET/ for the regression test."""
    dest = KEPT / target
    dest.mkdir(parents=True, exist_ok=True)
    for f in failures:
        src = ROOT / f
        shutil.copyfile(src, dest / (src.name.split("-", 1)[0] + "-" + hashlib.sha1(src.read_bytes()).hexdigest()[:16]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=120.0, help="fuzzing time per target")
    ap.add_argument("--targets", default=",".join(TARGETS), help="comma-separated, from: " + ", ".join(TARGETS))
    ap.add_argument("--timeout", type=int, default=10, help="seconds one input may take before it is a hang")
    ap.add_argument("--rss-mb", type=int, default=3072, help="memory limit of a fuzzing process")
    ap.add_argument("--max-crashes", type=int, default=5, help="stop a target after this many failing inputs")
    ap.add_argument("--keep", action="store_true", help="copy failing inputs to tests/data/fuzz/")
    args = ap.parse_args()
    rows = [fuzz(t, args.seconds, args.timeout, args.rss_mb, args.max_crashes) for t in args.targets.split(",")]
    print(f"{'target':10} {'seconds':>8} {'inputs run':>11} {'inputs/s':>9} {'corpus':>7} {'failures':>8}")
    for r in rows:
        print(f"{r['target']:10} {r['seconds']:8.0f} {r['executions']:11d} {r['executions'] / max(r['seconds'], 1):9.0f}"
              f" {r['corpus']:7d} {len(r['failures']):8d}")
        for f in r["failures"]:
            print(f"    {f}")
        if args.keep and r["failures"]:
            keep(r["failures"], r["target"])
    print(f"total: {sum(r['seconds'] for r in rows):.0f} s, {sum(r['executions'] for r in rows)} inputs, "
          f"{sum(len(r['failures']) for r in rows)} failing")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "summary.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
