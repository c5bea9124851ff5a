"""Held-out comparison of clustering configurations on the development labels (family-split folds).

For each configuration: the pair model (or the story-level model) is trained on one fold's stories, the
join threshold is chosen by full online runs scored on the SAME training stories, and the whole 31k corpus
is clustered online; the other fold's stories are scored with ../shared/check/scoring.py. Prints a table
(held-out means over the two folds) so the figures can be reported.

    .venv/bin/python bench/cluster_pairs.py [--configs a,b] [--cache /tmp/marsad-cluster-terms.pkl]

Article readings (`read_terms`, the slow half) are cached in a pickle so repeated runs are quick.
Near-duplicate copies are NOT removed here (the pipeline's dedup removes them before clustering).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import logging
import pickle
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.cluster.decision import Decision  # noqa: E402
from marsad.cluster.features import ArticleFeatures, ArticleTerms, DocFreq, read_terms, weigh  # noqa: E402
from marsad.cluster.online import OnlineClusterer  # noqa: E402
from marsad.cluster.pairs import PAIR_FEATURES, PairModel, pair_vector  # noqa: E402

log = logging.getLogger("bench.cluster_pairs")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


cq = _load("cluster_quality", ROOT / "bench/cluster_quality.py")


def load_terms(cache: Path) -> tuple[list, list[ArticleTerms]]:
    if cache.exists():
        with open(cache, "rb") as f:
            return pickle.load(f)
    arts = cq.load_corpus()
    arts.sort(key=lambda a: (a.published or date.max, a.published_time or ""))
    terms = [read_terms(a) for a in arts]
    with open(cache, "wb") as f:
        pickle.dump((arts, terms), f)
    return arts, terms


def weigh_all(terms: list[ArticleTerms]) -> list[ArticleFeatures]:
    """Each article weighed with the document frequencies known when it arrives (as online)."""
    df = DocFreq()
    out = []
    for t in terms:
        df.observe(t.terms)
        out.append(weigh(t, df))
    return out


def gold_rows() -> list[dict]:
    return [json.loads(x) for x in open(cq.LABELS, encoding="utf-8")]


def family_folds(rows: list[dict]) -> tuple[set[str], set[str]]:
    tr = _load("train_cluster_model", ROOT / "scripts/train_cluster_model.py")
    return tr.family_folds(rows)


def pair_data(
    feats: list[ArticleFeatures], gold: dict[str, str], labelled_all: set[str], window_days: float = 5.0,
    unlabelled_per: int = 12,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair features, labels and weights for the labelled articles of `gold` (training stories only).

    Positives: two members of one story. Negatives: members of two different training stories within the
    window, and each member against its most similar unlabelled articles (the labellers searched for ALL
    members, so a close unlabelled article is a non-member; a near-copy is skipped: it is a duplicate that
    dedup would have folded into the member)."""
    by_id = {f.id: f for f in feats}
    lab = [by_id[i] for i in gold if i in by_id]
    xs, ys, ws = [], [], []
    for i, a in enumerate(lab):
        for b in lab[i + 1 :]:
            if abs((a.hours or 0) - (b.hours or 0)) > window_days * 24:
                continue
            xs.append(pair_vector(a, b))
            ys.append(1.0 if gold[a.id] == gold[b.id] else 0.0)
            ws.append(1.0)
    # unlabelled neighbours by an inverted index over salient keys
    index: dict[str, list[int]] = {}
    for j, f in enumerate(feats):
        for k in f.salient[:12]:
            index.setdefault(k, []).append(j)
    span: dict[str, tuple[float, float]] = {}
    for a in lab:
        lo, hi = span.get(gold[a.id], (a.hours or 0.0, a.hours or 0.0))
        span[gold[a.id]] = (min(lo, a.hours or 0.0), max(hi, a.hours or 0.0))
    for a in lab:
        lo, hi = span[gold[a.id]]
        lo, hi = lo - 12.0, hi + 12.0  # the labellers searched the story's span (and a little around)
        score: dict[int, int] = {}
        for k in a.salient[:12]:
            post = index.get(k, ())
            if len(post) > 400:
                continue
            for j in post:
                score[j] = score.get(j, 0) + 1
        near = []
        for j, _ in sorted(score.items(), key=lambda kv: -kv[1])[:200]:
            b = feats[j]
            if b.id in labelled_all or not lo <= (b.hours or 0.0) <= hi:
                continue
            x = pair_vector(a, b)
            if x[1] > 0.8:  # a near-copy: dedup's business
                continue
            near.append((x[0] + x[1], x))
        near.sort(key=lambda t: -t[0])
        for _, x in near[:unlabelled_per]:
            xs.append(x)
            ys.append(0.0)
            ws.append(1.0)
    return np.array(xs, dtype=float), np.array(ys, dtype=float), np.array(ws, dtype=float)


def fit_logistic(x, y, w=None, l2: float = 1.0, iters: int = 60):
    if w is None:
        w = np.ones(len(y))
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    beta = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-z @ beta))
        grad = z.T @ (w * (p - y)) + reg * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1]), mean, scale


def online_run(terms: list[ArticleTerms], make: Callable[[], OnlineClusterer]) -> tuple[dict[str, str], float]:
    oc = make()
    t0 = time.perf_counter()
    pred = {}
    for t in terms:
        feats, hours = oc.prepare_terms(t)
        scored = oc.score(feats, hours)
        best = max(scored, key=lambda c: c.p, default=None)
        if best is not None and best.p >= oc.threshold:
            pred[t.id] = oc.place(feats, hours, best.story, best.p).story_id
        else:
            pred[t.id] = oc.place(feats, hours, None, None).story_id
    return pred, time.perf_counter() - t0


def with_threshold(m: PairModel, t: float, top: int | None = None, blend: float | None = None) -> PairModel:
    return PairModel(m.weights, m.bias, m.mean, m.scale, t, m.top if top is None else top,
                     m.blend if blend is None else blend)


def fold_decision(folds: Path | None, name: str) -> Decision | None:
    """The story-level model trained on one fold (scripts/train_cluster_model.py --save-folds), if given."""
    if folds is None:
        return None
    path = folds / f"decision_{name.replace('->', '')}.json"
    return Decision.from_json(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default="/tmp/marsad-cluster-terms.pkl")
    ap.add_argument("--thresholds", default="0.3,0.4,0.5")
    ap.add_argument("--story-thresholds", default="0.1,0.2,0.3,0.45")
    ap.add_argument("--configs", default="pairs-top1,pairs-top2,blend-top2",
                    help="story (story-level model alone), pairs-topK, blend-topK (half story-level, half pairs)")
    ap.add_argument("--folds", type=Path, help="folder of fold story-level models (train_cluster_model --save-folds)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    arts, terms = load_terms(Path(args.cache))
    feats = weigh_all(terms)
    rows = gold_rows()
    labelled_all = {m for r in rows for m in r["members"]}
    fa, fb = family_folds(rows)
    thresholds = [float(x) for x in args.thresholds.split(",")]
    story_thresholds = [float(x) for x in args.story_thresholds.split(",")]
    configs = args.configs.split(",")
    chosen: dict[str, list[tuple]] = {}
    for name, tr, va in (("A->B", fa, fb), ("B->A", fb, fa)):
        gold = {m: r["story"] for r in rows if r["story"] in tr for m in r["members"]}
        x, y, w = pair_data(feats, gold, labelled_all)
        beta, b, mean, scale = fit_logistic(x, y, w)
        log.info("fold %s: %d pairs (%d positive); weights %s", name, len(y), int(y.sum()),
                 ", ".join(f"{n}={v:+.2f}" for n, v in zip(PAIR_FEATURES, beta, strict=True)))
        base = PairModel(tuple(map(float, beta)), b, tuple(map(float, mean)), tuple(map(float, scale)), 0.5)
        dec = fold_decision(args.folds, name)
        for cfg in configs:
            if cfg.startswith(("blend", "gate")) and dec is None:
                continue
            if cfg == "story" and dec is None:
                continue
            best = None
            for t in story_thresholds if cfg == "story" else thresholds:
                if cfg == "story":
                    d, m = Decision(dec.weights, dec.bias, t, dec.mean, dec.scale), None
                elif cfg.startswith("gate"):  # the fold's story model and threshold; t is the pair veto
                    g = PairModel(base.weights, base.bias, base.mean, base.scale, dec.threshold, int(cfg[-1]))
                    d, m = dec, PairModel(*dataclasses.astuple(g)[:-1], t)
                else:
                    kind, top = cfg.split("-top")
                    d, m = dec, with_threshold(base, t, int(top), 0.5 if kind == "blend" else 0.0)
                pred, secs = online_run(terms, partial(OnlineClusterer, decision=d, pairs=m if m else False))
                s_tr, s_va = cq.score(pred, only=tr), cq.score(pred, only=va)
                v = s_tr["bcubed"]["f"] + s_tr["pairwise"]["f"]
                log.info("  %s %s thr %.2f: train B3 %.3f pw %.3f fc %.3f | held-out B3 %.3f pw %.3f fc %.3f (%.0f s)",
                         name, cfg, t, s_tr["bcubed"]["f"], s_tr["pairwise"]["f"], s_tr["family_confusion"],
                         s_va["bcubed"]["f"], s_va["pairwise"]["f"], s_va["family_confusion"], secs)
                if best is None or v > best[0]:
                    best = (v, t, s_va, secs)
            chosen.setdefault(cfg, []).append(best)
    sys.stdout.write("held-out (family folds; threshold chosen on each fold's training stories), online mode\n")
    sys.stdout.write(f"{'config':16} {'B3 F':>6} {'pw F':>6} {'famconf':>8} {'secs*':>6}  thresholds\n")
    for cfg, bs in chosen.items():
        if len(bs) != 2:
            continue
        mb = sum(b[2]["bcubed"]["f"] for b in bs) / 2
        mp = sum(b[2]["pairwise"]["f"] for b in bs) / 2
        mf = sum(b[2]["family_confusion"] for b in bs) / 2
        ms = sum(b[3] for b in bs) / 2
        sys.stdout.write(f"{cfg:16} {mb:6.3f} {mp:6.3f} {mf:8.3f} {ms:6.0f}  {[b[1] for b in bs]}\n")
    sys.stdout.write("(* seconds to cluster 31k articles from cached readings; read_terms adds ~26 s)\n")


if __name__ == "__main__":
    main()
