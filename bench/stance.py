"""Stance (agree / disagree / other) on ANS dev: marsad beside a majority-class and a word-overlap peer.

    .venv/bin/python bench/stance.py

The word-overlap peer labels a pair by its stem Jaccard: below t1 "other", above t2 "agree", else
"disagree", with t1 < t2 chosen on train for macro-F1. Dev is never used for fitting. marsad is timed twice:
classifying all pairs as a batch (`classify_many`, what `marsad stance PAIRS.csv` does: the sentences are
embedded together) and one pair a call (`classify`, each call embeds its own pair). The model and the sentence
encoder are loaded before timing.
"""

from __future__ import annotations

import csv
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.arabic.tokens import STOPWORDS, match_tokens  # noqa: E402
from marsad.enrich.stance import LABELS, classify, classify_many, embed, load_model  # noqa: E402

log = logging.getLogger("bench.stance")
DATA = ROOT.parent / "shared" / "data" / "headline-stance"


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def f1s(gold: list[str], pred: list[str]) -> dict[str, float]:
    out = {}
    for c in LABELS:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        npred, ngold = pred.count(c), gold.count(c)
        prec = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        out[c] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    out["macro"] = sum(out[c] for c in LABELS) / len(LABELS)
    return out


def jaccard(s1: str, s2: str) -> float:
    a = {t for t in match_tokens(s1) if t not in STOPWORDS}
    b = {t for t in match_tokens(s2) if t not in STOPWORDS}
    return len(a & b) / len(a | b) if a | b else 0.0


def overlap_peer(train: list[dict[str, str]]) -> Callable[[str, str], str]:
    js = [jaccard(r["s1"], r["s2"]) for r in train]
    gold = [r["stance"] for r in train]
    grid = [i / 40 for i in range(41)]
    best = max(
        ((t1, t2) for t1 in grid for t2 in grid if t1 <= t2),
        key=lambda t: f1s(gold, [_overlap_label(j, *t) for j in js])["macro"],
    )
    log.info("overlap peer thresholds (fit on train): other < %.3f <= disagree < %.3f <= agree", *best)
    return lambda s1, s2: _overlap_label(jaccard(s1, s2), *best)


def _overlap_label(j: float, t1: float, t2: float) -> str:
    return "other" if j < t1 else "agree" if j >= t2 else "disagree"


def _each(fn: Callable[[str, str], str]) -> Callable[[list[tuple[str, str]]], list[str]]:
    return lambda pairs: [fn(s1, s2) for s1, s2 in pairs]


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    train, dev = rows("train.csv"), rows("dev.csv")
    gold = [r["stance"] for r in dev]
    majority = max(LABELS, key=[r["stance"] for r in train].count)
    load_model()
    embed(["تحميل"])  # load the sentence encoder outside the timings
    one_by_one = [_each(fn) for fn in (classify, lambda s1, s2: majority, overlap_peer(train))]
    systems: dict[str, Callable[[list[tuple[str, str]]], list[str]]] = {
        "marsad (logistic regression), batch": lambda pairs: list(classify_many(pairs)),
        "marsad, one pair a call": one_by_one[0],
        f"majority class ({majority})": one_by_one[1],
        "word overlap (Jaccard thresholds)": one_by_one[2],
    }
    pairs = [(r["s1"], r["s2"]) for r in dev]
    print(f"\nANS stance dev ({len(dev)} pairs)")
    print(f"{'system':36} {'macro-F1':>8} {'agree':>7} {'disagree':>9} {'other':>7} {'pairs/s':>8}")
    for name, fn in systems.items():
        t0 = time.perf_counter()
        pred = fn(pairs)
        speed = len(dev) / (time.perf_counter() - t0)
        f = f1s(gold, pred)
        print(
            f"{name:36} {f['macro']:8.3f} {f['agree']:7.3f} {f['disagree']:9.3f} {f['other']:7.3f} {speed:8.0f}"
        )


if __name__ == "__main__":
    main()
