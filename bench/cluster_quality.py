"""Story clustering quality on the development labels, online and batch, scored by the check's own functions.

Builds Articles straight from the SaudiNewsNet corpus (no CLI, no dedup: exact copies are clustered like any
article), clusters the WHOLE corpus (the unlabelled articles are distractors), and scores the labelled ones
with ../shared/check/scoring.py (B-cubed, pairwise, family confusion; gold stories capped at 50 members).

    .venv/bin/python bench/cluster_quality.py [--mode online|batch|both] [--stories a,b] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import logging
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "data/saudinewsnet/corpus.jsonl.gz"
LABELS = SHARED / "data/saudinewsnet/labels/dev/stories.jsonl"

sys.path.insert(0, str(ROOT))
from marsad.model import Article  # noqa: E402

log = logging.getLogger("bench.cluster_quality")


def load_scoring():
    spec = importlib.util.spec_from_file_location("scoring", SHARED / "check/scoring.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def to_article(r: dict) -> Article:
    """A corpus record as the pipeline's extractor would give it: paragraphs on newlines, date and time."""
    day, _, clock = (r.get("date") or "").partition(" ")
    return Article(
        id=r["id"],
        origin=r.get("url") or r["id"],
        title=r.get("title") or None,
        body=tuple(p.strip() for p in (r.get("content") or "").split("\n") if p.strip()),
        outlet=r.get("source"),
        source=r.get("source"),
        published=date.fromisoformat(day) if day else None,
        published_time=clock[:5] if clock else None,
        url=r.get("url"),
    )


def load_corpus(path: Path = CORPUS) -> list[Article]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [to_article(json.loads(line)) for line in f]


def score(pred: dict[str, str], labels: Path = LABELS, only: set[str] | None = None) -> dict:
    """The check's composition (score_stories) over a prediction dict; `only` restricts to some gold stories."""
    sc = load_scoring()
    path = labels
    if only is not None:
        import tempfile

        rows = [json.loads(x) for x in open(labels, encoding="utf-8")]
        tmp = Path(tempfile.mkdtemp()) / "stories.jsonl"
        tmp.write_text("".join(json.dumps(r) + "\n" for r in rows if r["story"] in only), encoding="utf-8")
        path = tmp
    gold, merged = sc.story_gold(path, pred)
    bp, br, bf = sc.bcubed(pred, gold)
    pp, pr, pf = sc.pairwise(pred, gold)
    conf, pairs = sc.family_confusion(pred, gold, path)
    return dict(
        bcubed=dict(p=round(bp, 3), r=round(br, 3), f=round(bf, 3)),
        pairwise=dict(p=round(pp, 3), r=round(pr, 3), f=round(pf, 3)),
        family_confusion=round(conf, 3),
        family_pairs=pairs,
        labelled=len(gold),
    )


def run_online(articles: list[Article]) -> tuple[dict[str, str], float]:
    from marsad.cluster.online import OnlineClusterer

    t0 = time.perf_counter()
    oc = OnlineClusterer()
    pred = {a.id: oc.add(a) for a in articles}
    return pred, time.perf_counter() - t0


def run_batch(articles: list[Article]) -> tuple[dict[str, str], float]:
    from marsad.cluster.batch import cluster_batch

    t0 = time.perf_counter()
    res = cluster_batch(articles)
    return dict(res.assignments), time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("online", "batch", "both"), default="both")
    ap.add_argument("--json", action="store_true", help="one JSON line per mode")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.perf_counter()
    articles = load_corpus()
    # publication order, as the pipeline ingests a dated stream (the file is nearly in that order already)
    articles.sort(key=lambda a: (a.published or date.max, a.published_time or ""))
    log.info("loaded %d articles in %.1f s", len(articles), time.perf_counter() - t0)
    modes = ("online", "batch") if args.mode == "both" else (args.mode,)
    rows = []
    for mode in modes:
        pred, secs = (run_online if mode == "online" else run_batch)(articles)
        s = score(pred)
        s.update(mode=mode, stories=len(set(pred.values())), seconds=round(secs, 1), articles=len(articles))
        rows.append(s)
    if args.json:
        for s in rows:
            sys.stdout.write(json.dumps(s) + "\n")
        return
    head = f"{'mode':7} {'B3 P':>6} {'B3 R':>6} {'B3 F':>6} {'pw P':>6} {'pw R':>6} {'pw F':>6} {'famconf':>8} {'stories':>8} {'secs':>6}"
    lines = [head]
    for s in rows:
        b, p = s["bcubed"], s["pairwise"]
        lines.append(
            f"{s['mode']:7} {b['p']:6.3f} {b['r']:6.3f} {b['f']:6.3f} {p['p']:6.3f} {p['r']:6.3f} {p['f']:6.3f} "
            f"{s['family_confusion']:8.3f} {s['stories']:8d} {s['seconds']:6.1f}"
        )
    sys.stdout.write("\n".join(lines) + f"\n({rows[0]['labelled']} labelled articles of {len(articles)})\n")


if __name__ == "__main__":
    main()
