"""Train the clusterer's join / new-story model on the development labels, with an honest held-out estimate.

1. Pairs: the whole corpus goes through the online clusterer in publication order. For each labelled
   article of the training stories, every retrieved candidate story gives one example (its pair features;
   label 1 when the candidate is the story holding the article's gold story, else 0). Labelled articles are
   then placed where the gold says (an oracle), the others where the current model says, so candidates look
   as they will at run time (Miranda et al. 2018 train the same way).
2. A logistic regression (L2, Newton steps; numpy only here, none at run time) on standardized features.
3. The threshold: the one that maximizes B-cubed F1 plus pairwise F1 of full online runs, on training stories.
4. Rounds on the model's own stories (DAgger, Ross et al. 2011): the oracle in step 1 never shows the model the
   split and mixed stories its own mistakes make. Each round streams the corpus again with the current model
   deciding every article, and every labelled article's candidates give examples (label 1 for the story holding
   most of its gold story's earlier articles, when most of that story's labelled articles are of its gold story);
   the examples of all rounds are pooled, and steps 2-3 run again.
5. Held-out: the dev stories are split by topic family into two folds (a family's hard negatives stay on one
   side); each fold's model is scored on the other fold's stories: online and batch over every article, and
   online as ingest runs (exact and near copies not clustered, each in its original's story), which is what
   the outside check measures, with a 95% interval from resampling the topic families of the pooled held-out
   predictions (`bench/cluster_quality.family_bootstrap`). Then the shipped model is fitted on all.

    .venv/bin/python scripts/train_cluster_model.py [--folds-only] [--no-write] [--rounds N]
                                                    [--dense [--dense-cache F.npz]]

`--dense` trains `decision_dense.json`, the model that also reads the body embeddings' cosine (`nn_dense`,
`marsad ingest --dense`); embedding the corpus takes about 10 minutes on one core, `--dense-cache` keeps them.

The article-article pair model (`marsad/cluster/pairs.json`, used by the clusterer when present) is trained
with `--pairs [--threshold T --top K]`: labelled pairs of all dev stories (see bench/cluster_pairs.py, which
also gives the held-out estimate and picks T and K on training folds).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.cluster.batch import cluster_terms  # noqa: E402
from marsad.cluster.decision import DENSE_FEATURES, DENSE_MODEL_PATH, FEATURES, MODEL_PATH, Decision  # noqa: E402
from marsad.cluster.dense import embed_articles  # noqa: E402
from marsad.cluster.features import ArticleTerms, read_terms  # noqa: E402
from marsad.cluster.online import OnlineClusterer  # noqa: E402

log = logging.getLogger("train_cluster_model")

THRESHOLDS = (0.1, 0.2, 0.3, 0.45)
ROUNDS = 1  # on-policy rounds after the oracle's (step 4 above); none for --dense, where they gained nothing held out
# Places the unlabelled articles while pairs are collected: set by hand, so no label reaches a fold's
# training through it (the shipped model has seen every dev label).
_HAND = {"cos_title": 2.0, "cos_body": 3.0, "cos_ents": 2.0, "nn_body": 2.0, "days_since_last": -1.0}


def hand(names: tuple[str, ...] = FEATURES) -> Decision:
    return Decision(
        tuple(_HAND.get(f, 0.0) for f in names), -4.0, 0.5, (0.0,) * len(names), (1.0,) * len(names), names
    )


HAND = hand()


def read_corpus(articles, dense: bool, cache: Path | None) -> list[ArticleTerms]:
    """Every article read once (and embedded, for the dense model; cached in `cache` when given)."""
    terms = [read_terms(a) for a in articles]
    if not dense:
        return terms
    ids = [a.id for a in articles]
    if cache is not None and cache.exists():
        z = np.load(cache)
        if list(z["ids"]) != ids:
            raise SystemExit(f"{cache} holds other articles: delete it")
        vectors = list(z["vectors"])
    else:
        vectors = []
        for i in range(0, len(articles), 256):
            vectors.extend(embed_articles(articles[i : i + 256]))
            log.info("embedded %d / %d", len(vectors), len(articles))
        if cache is not None:
            np.savez(cache, ids=np.array(ids), vectors=np.array(vectors, dtype=np.float32))
    return [replace(t, dense=v) for t, v in zip(terms, vectors, strict=True)]


def _bench():
    spec = importlib.util.spec_from_file_location("cluster_quality", ROOT / "bench/cluster_quality.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def gold_rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in open(path, encoding="utf-8")]


def family_folds(rows: list[dict]) -> tuple[set[str], set[str]]:
    """Two folds of stories, split by family and balanced by labelled articles (greedy, deterministic)."""
    fam_size: dict[str, int] = {}
    for r in rows:
        fam_size[r["family"]] = fam_size.get(r["family"], 0) + min(50, len(r["members"]))
    a: set[str] = set()
    b: set[str] = set()
    na = nb = 0
    for fam in sorted(fam_size, key=lambda f: (-fam_size[f], f)):
        if na <= nb:
            a.add(fam)
            na += fam_size[fam]
        else:
            b.add(fam)
            nb += fam_size[fam]
    return ({r["story"] for r in rows if r["family"] in a}, {r["story"] for r in rows if r["family"] in b})


def collect_pairs(articles, gold: dict[str, str], decision: Decision) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pair features and labels for the labelled articles in `gold` (see the module's doc)."""
    oc = OnlineClusterer(decision=decision, pairs=False)
    home: dict[str, str] = {}  # gold story -> the story id the oracle built for it
    xs, ys = [], []
    for a in articles:
        feats, hours = oc.prepare_terms(a)
        cands = oc.score(feats, hours)
        g = gold.get(a.id)
        if g is None:
            oc.decide(feats, hours, cands)
            continue
        target = home.get(g)
        for c in cands:
            xs.append(c.x)
            ys.append(1.0 if c.story.id == target else 0.0)
        story = oc.stories.get(target) if target else None
        placed = oc.place(feats, hours, story, None)
        home.setdefault(g, placed.story_id)
    return np.array(xs, dtype=float), np.array(ys, dtype=float)


def collect_own(articles, gold: dict[str, str], decision: Decision) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs met while `decision` places every article itself. A labelled article's positive is the
    story holding most of its gold story's earlier articles, if that story is mostly its gold story (of the
    labelled articles it holds); else none: a story another happening has taken over is no place to join."""
    oc = OnlineClusterer(decision=decision, pairs=False)
    homes: dict[str, Counter] = {}  # gold story -> how many of its articles each predicted story holds
    held_gold: dict[str, Counter] = {}  # predicted story -> how many articles of each gold story it holds
    xs, ys = [], []
    for a in articles:
        feats, hours = oc.prepare_terms(a)
        cands = oc.score(feats, hours)
        g = gold.get(a.id)
        if g is not None:
            held = homes.setdefault(g, Counter())
            home = held.most_common(1)[0][0] if held else None
            if home is not None and 2 * held_gold[home][g] <= held_gold[home].total():
                home = None
            for c in cands:
                xs.append(c.x)
                ys.append(1.0 if c.story.id == home else 0.0)
        placed = oc.decide(feats, hours, cands)
        if g is not None:
            homes[g][placed.story_id] += 1
            held_gold.setdefault(placed.story_id, Counter())[g] += 1
    return np.array(xs, dtype=float), np.array(ys, dtype=float)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """L2-regularized logistic regression by Newton steps on standardized features."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    z1 = np.hstack([z, np.ones((len(z), 1))])
    w = np.zeros(z1.shape[1])
    reg = np.full(z1.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-z1 @ w))
        grad = z1.T @ (p - y) + reg * w
        hess = (z1 * (p * (1 - p))[:, None]).T @ z1 + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1]), mean, scale


def decision_of(w, b, mean, scale, threshold: float, names: tuple[str, ...] = FEATURES) -> Decision:
    return Decision(
        tuple(map(float, w)), b, threshold, tuple(map(float, mean)), tuple(map(float, scale)), names
    )


def online_pred(terms: list[ArticleTerms], decision: Decision) -> dict[str, str]:
    """Each article's story from one online pass over articles already read."""
    oc = OnlineClusterer(decision=decision, pairs=False)
    out = {}
    for t in terms:
        feats, hours = oc.prepare_terms(t)
        out[t.id] = oc.decide(feats, hours, oc.score(feats, hours)).story_id
    return out


def copies_of(articles) -> dict[str, str]:
    """Each exact or near copy's original, as `marsad ingest` deduplicates articles in publication order. Ingest
    clusters only the originals and puts each copy in its original's story (`with_copies`), so its stories are
    smaller than those of a pass that clusters every article."""
    import sqlite3

    from marsad.dedup.common import published_at
    from marsad.dedup.minhash import DuplicateIndex

    index = DuplicateIndex(sqlite3.connect(":memory:"))
    out = {}
    for i in range(0, len(articles), 500):
        batch = articles[i : i + 500]
        verdicts = index.add_many((a.id, a.text, published_at(a)) for a in batch)
        out.update({a.id: v.duplicate_of for a, v in zip(batch, verdicts, strict=True) if v is not None})
    return out


def with_copies(pred: dict[str, str], copies: dict[str, str]) -> dict[str, str]:
    """A prediction over the originals, with each copy in its original's story (as ingest stores them)."""
    return {**pred, **{c: pred[o] for c, o in copies.items() if o in pred}}


def pool_held_out(parts: list[tuple[str, dict[str, str], set[str]]], rows: list[dict]) -> dict[str, str]:
    """One prediction over every labelled article, each taken from the fold model that did not see its story:
    (fold name, predicted story) keys, so that two folds' stories never count as one."""
    out: dict[str, str] = {}
    for name, pred, stories in parts:
        members = {m for r in rows if r["story"] in stories for m in r["members"]}
        out.update({a: f"{name}:{s}" for a, s in pred.items() if a in members})
    return out


def pick_threshold(bench, articles, base: Decision, stories: set[str]) -> tuple[float, dict]:
    best_t, best_s, best_v = base.threshold, None, -1.0
    for t in THRESHOLDS:
        d = replace(base, threshold=t)
        s = bench.score(online_pred(articles, d), only=stories)
        v = s["bcubed"]["f"] + s["pairwise"]["f"]
        log.info(
            "  threshold %.2f: B3 F %.3f pairwise F %.3f famconf %.3f",
            t,
            s["bcubed"]["f"],
            s["pairwise"]["f"],
            s["family_confusion"],
        )
        if v > best_v:
            best_t, best_s, best_v = t, s, v
    return best_t, best_s


def train(
    bench,
    articles,
    rows: list[dict],
    stories: set[str],
    start: Decision,
    threshold: float | None = None,
    rounds: int = ROUNDS,
) -> Decision:
    gold = {m: r["story"] for r in rows if r["story"] in stories for m in r["members"]}
    x, y = collect_pairs(articles, gold, start)
    log.info("pairs: %d (%d positive) from %d labelled articles", len(y), int(y.sum()), len(gold))
    d = None
    for r in range(rounds + 1):
        if d is not None:  # pool the pairs the current model meets on its own stories
            x2, y2 = collect_own(articles, gold, d)
            x, y = np.vstack([x, x2]), np.concatenate([y, y2])
            log.info("round %d: %d pairs in all (%d positive)", r, len(y), int(y.sum()))
        w, b, mean, scale = fit_logistic(x, y)
        log.info("weights: %s", ", ".join(f"{n}={v:+.2f}" for n, v in zip(start.features, w, strict=True)))
        d = decision_of(w, b, mean, scale, 0.5, start.features)
        if threshold is not None:  # a fixed threshold: every round decides with it
            d = replace(d, threshold=threshold)
            continue
        t, s = pick_threshold(bench, articles, d, stories)
        log.info("threshold %.2f on training stories: %s", t, s)
        d = replace(d, threshold=t)
    return d


def train_pairs(threshold: float, top: int, write: bool) -> None:
    """Fit the pair model on all dev stories and write pairs.json (a few seconds with the bench's cache)."""
    from marsad.cluster.pairs import PAIR_MODEL_PATH, PairModel

    spec = importlib.util.spec_from_file_location("cluster_pairs", ROOT / "bench/cluster_pairs.py")
    cp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cp)
    _, terms = cp.load_terms(Path("/tmp/marsad-cluster-terms.pkl"))
    feats = cp.weigh_all(terms)
    rows = cp.gold_rows()
    gold = {m: r["story"] for r in rows for m in r["members"]}
    x, y, w = cp.pair_data(feats, gold, set(gold))
    beta, b, mean, scale = cp.fit_logistic(x, y, w)
    log.info("pairs: %d (%d positive)", len(y), int(y.sum()))
    m = PairModel(
        tuple(map(float, beta)), b, tuple(map(float, mean)), tuple(map(float, scale)), threshold, top
    )
    if write:
        PAIR_MODEL_PATH.write_text(json.dumps(m.to_json(), indent=1) + "\n", encoding="utf-8")
        log.info("wrote %s", PAIR_MODEL_PATH)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--folds-only", action="store_true", help="held-out estimate only, do not fit the final model"
    )
    ap.add_argument("--no-write", action="store_true", help="do not overwrite decision.json")
    ap.add_argument(
        "--skip-folds", action="store_true", help="no held-out estimate: fit the shipped model only"
    )
    ap.add_argument(
        "--threshold", type=float, help="the shipped model's threshold (default: chosen by sweep)"
    )
    ap.add_argument(
        "--rounds", type=int, help=f"on-policy rounds after the oracle's [{ROUNDS}; 0 with --dense]"
    )
    ap.add_argument(
        "--save-folds", help="write each fold's story-level model to this folder (decision_A->B.json ...)"
    )
    ap.add_argument("--pairs", action="store_true", help="train the article-article pair model (pairs.json)")
    ap.add_argument(
        "--top", type=int, default=2, help="pair model: a story's score is its best TOP members' mean"
    )
    ap.add_argument("--dense", action="store_true", help="train decision_dense.json (with body embeddings)")
    ap.add_argument("--dense-cache", type=Path, help="keep the corpus's body embeddings in this .npz")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.pairs:
        train_pairs(args.threshold if args.threshold is not None else 0.4, args.top, not args.no_write)
        return
    bench = _bench()
    articles = bench.load_corpus()
    articles.sort(key=lambda a: (a.published or date.max, a.published_time or ""))
    copies = copies_of(articles)
    log.info("copies: %d of %d articles", len(copies), len(articles))
    articles = read_corpus(articles, args.dense, args.dense_cache)  # read once, then every pass reuses it
    originals = [t for t in articles if t.id not in copies]
    rows = gold_rows(bench.LABELS)
    fold_a, fold_b = family_folds(rows)
    start = hand(DENSE_FEATURES) if args.dense else HAND
    model_path = DENSE_MODEL_PATH if args.dense else MODEL_PATH
    if args.rounds is None:
        args.rounds = 0 if args.dense else ROUNDS
    t0 = time.perf_counter()
    held = []
    pooled = []
    folds = () if args.skip_folds else (("A->B", fold_a, fold_b), ("B->A", fold_b, fold_a))
    for name, tr, va in folds:
        log.info("fold %s: train on %d stories, validate on %d", name, len(tr), len(va))
        d = train(bench, articles, rows, tr, start, rounds=args.rounds)
        log.info("fold %s threshold %.2f", name, d.threshold)
        if args.save_folds:
            Path(args.save_folds).mkdir(parents=True, exist_ok=True)
            out = Path(args.save_folds) / f"decision_{name.replace('->', '')}.json"
            out.write_text(json.dumps(d.to_json(), indent=1) + "\n", encoding="utf-8")
        s = bench.score(online_pred(articles, d), only=va)
        log.info("HELD-OUT %s online: %s", name, json.dumps(s))
        sb = bench.score(dict(cluster_terms(articles, d, pairs=False).assignments), only=va)
        log.info("HELD-OUT %s batch: %s", name, json.dumps(sb))
        # what `marsad ingest` (and the outside check) measures: copies are not clustered
        as_ingest = with_copies(online_pred(originals, d), copies)
        si = bench.score(as_ingest, only=va)
        log.info("HELD-OUT %s online as ingest: %s", name, json.dumps(si))
        held.append((s, sb, si))
        pooled.append((name, as_ingest, va))
    for i, mode in enumerate(("online", "batch", "online as ingest") if held else ()):
        mean = {k: round(sum(h[i][k]["f"] for h in held) / len(held), 3) for k in ("bcubed", "pairwise")}
        mean["family_confusion"] = round(sum(h[i]["family_confusion"] for h in held) / len(held), 3)
        log.info("HELD-OUT %s, mean over the two folds: %s", mode, mean)
    if pooled:
        ci = bench.family_bootstrap({"as ingest": pool_held_out(pooled, rows)}, rounds=1000)["as ingest"]
        log.info(
            "HELD-OUT online as ingest, folds pooled: 95%% intervals over resampled families %s",
            json.dumps(ci),
        )
    if args.folds_only:
        return
    final = train(bench, articles, rows, {r["story"] for r in rows}, start, args.threshold, args.rounds)
    if not args.no_write:
        model_path.write_text(json.dumps(final.to_json(), indent=1) + "\n", encoding="utf-8")
        log.info("wrote %s", model_path)
    log.info("done in %.0f s", time.perf_counter() - t0)


if __name__ == "__main__":
    main()
