"""Story clustering quality on the development labels, online and batch, scored by the check's own functions.

Builds Articles straight from the SaudiNewsNet corpus (no CLI, no dedup: exact copies are clustered like any
article), clusters the WHOLE corpus (the unlabelled articles are distractors), and scores the labelled ones
with ../shared/check/scoring.py (B-cubed, pairwise, family confusion; gold stories capped at 50 members).

    .venv/bin/python bench/cluster_quality.py [--mode online|batch|both|oracle] [--json] [--bootstrap N]
        [--candidates K]

`--bootstrap N` resamples the labelled topic families (`family_bootstrap`): how wide a score's interval is on
52 labelled stories, and whether a difference between two predictions is more than which happenings were
labelled.

`--mode oracle` is a ceiling, not a clusterer: the online pass where each labelled article's join decision is
taken from the labels (`run_oracle`). It shows how much of the loss is the decision and how much the retrieval
(the `--candidates K` stories each article is compared with) leaves no decision able to recover.
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


def restricted_labels(labels: Path = LABELS, only: set[str] | None = None) -> Path:
    """The labels file, or a temporary copy holding only the gold stories in `only`."""
    if only is None:
        return labels
    import tempfile

    rows = [json.loads(x) for x in open(labels, encoding="utf-8")]
    tmp = Path(tempfile.mkdtemp()) / "stories.jsonl"
    tmp.write_text("".join(json.dumps(r) + "\n" for r in rows if r["story"] in only), encoding="utf-8")
    return tmp


def score(pred: dict[str, str], labels: Path = LABELS, only: set[str] | None = None) -> dict:
    """The check's composition (score_stories) over a prediction dict; `only` restricts to some gold stories."""
    sc = load_scoring()
    path = restricted_labels(labels, only)
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


def family_bootstrap(
    preds: dict[str, dict[str, str]],
    labels: Path = LABELS,
    only: set[str] | None = None,
    rounds: int = 1000,
    seed: int = 0,
) -> dict[str, dict]:
    """How much of a score, and of a difference between predictions, is the luck of which happenings were labelled.

    Resamples the labelled stories' topic families with replacement (`rounds` times) and scores every prediction
    on each resample with the check's B-cubed and pairwise F. A family drawn twice enters the second time under
    renamed ids, in predicted stories renamed the same way, so its own merges and splits count twice while a merge
    with another family counts once. Returns, per prediction name: the 2.5 / 97.5 percentiles of B3 F and pairwise
    F; and for every prediction after the first, of its difference from the first, with the share of resamples in
    which it is ahead (paired: both predictions are scored on the same resamples)."""
    import random

    sc = load_scoring()
    path = restricted_labels(labels, only)
    rows = [json.loads(x) for x in open(path, encoding="utf-8")]
    family = {r["story"]: r.get("family") or r["story"] for r in rows}
    families = sorted(set(family.values()))
    names = list(preds)
    golds = {}
    for name, pred in preds.items():  # story_gold reads `may_merge_with` against each prediction
        gold = sc.story_gold(path, pred)[0]
        by_family: dict[str, list[str]] = {}
        for m, st in gold.items():
            by_family.setdefault(family.get(st, st), []).append(m)
        golds[name] = (gold, by_family)
    rng = random.Random(seed)
    draws: dict[str, list[tuple[float, float]]] = {n: [] for n in names}
    for _ in range(rounds):
        picked = [rng.choice(families) for _ in families]
        seen: dict[str, int] = {}
        copies = []
        for f in picked:
            copies.append((f, seen.get(f, 0)))
            seen[f] = seen.get(f, 0) + 1
        for name in names:
            gold, by_family = golds[name]
            pred = preds[name]
            g_b: dict = {}
            p_b: dict = {}
            for f, k in copies:
                for m in by_family.get(f, ()):
                    item = m if k == 0 else (m, k)
                    g_b[item] = gold[m] if k == 0 else (gold[m], k)
                    if m in pred:
                        p_b[item] = pred[m] if k == 0 else (pred[m], k)
            draws[name].append((sc.bcubed(p_b, g_b)[2], sc.pairwise(p_b, g_b)[2]))

    def interval(xs: list[float]) -> tuple[float, float]:
        xs = sorted(xs)
        return round(xs[int(0.025 * (len(xs) - 1))], 3), round(xs[int(0.975 * (len(xs) - 1))], 3)

    out: dict[str, dict] = {}
    base = draws[names[0]]
    for name in names:
        d = draws[name]
        row = {"bcubed_f": interval([x[0] for x in d]), "pairwise_f": interval([x[1] for x in d])}
        if name != names[0]:
            for i, key in enumerate(("bcubed_f", "pairwise_f")):
                diff = [a[i] - b[i] for a, b in zip(d, base, strict=True)]
                row[key + "_diff"] = interval(diff)
                row[key + "_ahead"] = round(sum(x > 0 for x in diff) / len(diff), 3)
        out[name] = row
    return out


def run_online(articles: list[Article]) -> tuple[dict[str, str], float]:
    from marsad.cluster.online import OnlineClusterer

    t0 = time.perf_counter()
    oc = OnlineClusterer()
    pred = {a.id: oc.add(a) for a in articles}
    return pred, time.perf_counter() - t0


def run_oracle(
    articles: list[Article], gold: dict[str, str], max_candidates: int | None = None
) -> tuple[dict[str, str], float]:
    """The online pass with a perfect join decision for the labelled articles: each joins, among the candidates
    retrieved for it, the story holding most of its gold story's earlier articles, and founds a story when that
    story is not retrieved (or is its gold story's first). Unlabelled articles are placed by the model, as they
    are in `run_online`. Scores of this prediction bound what any join model can reach with this retrieval."""
    from collections import Counter

    from marsad.cluster.online import MAX_CANDIDATES, OnlineClusterer

    t0 = time.perf_counter()
    oc = OnlineClusterer(max_candidates=MAX_CANDIDATES if max_candidates is None else max_candidates)
    homes: dict[str, Counter] = {}
    pred = {}
    for a in articles:
        feats, hours = oc.prepare(a)
        scored = oc.score(feats, hours)
        g = gold.get(a.id)
        if g is None:
            asg = oc.decide(feats, hours, scored)
        else:
            votes = homes.setdefault(g, Counter())
            home = votes.most_common(1)[0][0] if votes else None
            story = next((c.story for c in scored if c.story.id == home), None)
            asg = oc.place(feats, hours, story, None)
            votes[asg.story_id] += 1
        pred[a.id] = asg.story_id
    return pred, time.perf_counter() - t0


def run_batch(articles: list[Article]) -> tuple[dict[str, str], float]:
    from marsad.cluster.batch import cluster_batch

    t0 = time.perf_counter()
    res = cluster_batch(articles)
    return dict(res.assignments), time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("online", "batch", "both", "oracle"), default="both")
    ap.add_argument("--json", action="store_true", help="one JSON line per mode")
    ap.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="also N family-bootstrap resamples: 95%% intervals of B3 F and pairwise F (and batch minus online)",
    )
    ap.add_argument(
        "--candidates",
        type=int,
        default=None,
        metavar="K",
        help="with --mode oracle: retrieved stories compared per article (default: the clusterer's own)",
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.perf_counter()
    articles = load_corpus()
    # publication order, as the pipeline ingests a dated stream (the file is nearly in that order already)
    articles.sort(key=lambda a: (a.published or date.max, a.published_time or ""))
    log.info("loaded %d articles in %.1f s", len(articles), time.perf_counter() - t0)
    modes = ("online", "batch") if args.mode == "both" else (args.mode,)
    rows = []
    preds = {}
    for mode in modes:
        if mode == "oracle":
            gold = {
                m: r["story"] for r in map(json.loads, LABELS.open(encoding="utf-8")) for m in r["members"]
            }
            pred, secs = run_oracle(articles, gold, args.candidates)
        else:
            pred, secs = (run_online if mode == "online" else run_batch)(articles)
        preds[mode] = pred
        s = score(pred)
        s.update(mode=mode, stories=len(set(pred.values())), seconds=round(secs, 1), articles=len(articles))
        rows.append(s)
    if args.bootstrap:
        for s, ci in zip(rows, family_bootstrap(preds, rounds=args.bootstrap).values(), strict=True):
            s["bootstrap"] = ci
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
    for s in rows:
        if "bootstrap" in s:
            sys.stdout.write(f"{s['mode']}: family bootstrap 95% intervals {json.dumps(s['bootstrap'])}\n")


if __name__ == "__main__":
    main()
