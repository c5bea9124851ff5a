"""Train marsad's NER tagger (a CRF) and ship it as JSON in marsad/models/ner/.

    .venv/bin/python scripts/train_ner.py            # train on ANERcorp (CAMeL split) train, write the model
    .venv/bin/python scripts/train_ner.py --dev      # hold out the last 10% of train, report dev F1 only
    .venv/bin/python scripts/train_ner.py --cv       # 5-fold CV on train (contiguous blocks), report only
    .venv/bin/python scripts/train_ner.py --build-general  # rewrite general_freq.tsv (needs `wordfreq`)

Licences: the shipped model is trained on ANERCorp_CamelLab_train.txt only (CC BY-SA 4.0), so it carries
CC BY-SA 4.0. CLEANANERCorp (GPL-3.0) and CAraNER (no licence) are test sets only; `--train-on cleananercorp`
exists to measure what its labels would give and refuses to write inside the package.
Needs python-crfsuite at training time only (the shipped model is read by marsad.enrich.crf).
general_freq.tsv (word-frequency classes from wordfreq's Arabic data, CC BY-SA 4.0) is rebuilt only with
--build-general, which needs the `wordfreq` package; training reads the shipped file.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.arabic.normalize import normalize  # noqa: E402
from marsad.arabic.tokens import strip_proclitics  # noqa: E402
from marsad.enrich.conll import TYPES, Sentence, read_conll, score, spans  # noqa: E402
from marsad.enrich.crf import LinearChainCRF  # noqa: E402
from marsad.enrich.entities import (  # noqa: E402
    DOCUMENT_WINDOW,
    NerTagger,
    read_general,
    read_known,
    tag_document,
)
from marsad.enrich.ner_features import sentence_features, token_key  # noqa: E402

log = logging.getLogger("train_ner")
DATA = ROOT.parent / "shared" / "data" / "ner"
MODEL_DIR = ROOT / "marsad" / "models" / "ner"
TRAIN_FILES = {"camel": "ANERCorp_CamelLab_train.txt", "cleananercorp": "cleananercorp_TRAIN.txt"}
FOLDS = 5
C1, C2, O_BIAS = 0.1, 0.01, 0.0  # chosen by --cv (MODEL_CARD.md)
GENERAL_FILE = MODEL_DIR / "general_freq.tsv"


def load_known(path: Path = MODEL_DIR / "gazetteer_hand.tsv") -> dict[tuple[str, ...], str]:
    return read_known(path.read_text(encoding="utf-8"))


def load_general(path: Path = GENERAL_FILE) -> dict[str, str]:
    return read_general(path.read_text(encoding="utf-8"))


def build_general(path: Path = GENERAL_FILE, min_zipf: float = 2.0) -> None:
    """Write the general-Arabic frequency classes: for each match key (forms with and without clitics
    summed) of wordfreq's large Arabic list, a Zipf bucket (1: 2-3, 2: 3-4, 3: 4-5, 4: 5+; rarer keys are
    left out) and how often its forms carry the article (n: < 5%, l: < 30%, h: more). No NER corpus is read."""
    from wordfreq import get_frequency_dict  # only needed to rebuild the file

    total: dict[str, float] = defaultdict(float)
    article: dict[str, float] = defaultdict(float)
    for word, freq in get_frequency_dict("ar", "large").items():
        pro, key = strip_proclitics(normalize(word))
        if key:
            total[key] += freq
            if "ال" in pro:
                article[key] += freq
    lines = [
        "# General-Arabic frequency classes for marsad's NER features (key<TAB>class), built by",
        "# scripts/train_ner.py --build-general from wordfreq's large Arabic list (wordfreq by Robyn Speer;",
        "# data CC BY-SA 4.0). Class: Zipf bucket 1-4, then n/l/h: how often the word takes the article.",
    ]
    for key in sorted(total):
        zipf = math.log10(total[key] * 1e9)
        if zipf < min_zipf:
            continue
        rate = article[key] / total[key]
        lines.append(f"{key}\t{min(int(zipf) - 1, 4)}{'n' if rate < 0.05 else 'l' if rate < 0.3 else 'h'}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log.info("wrote %s (%d keys)", path, len(lines) - 3)


def build_gazetteer(sents: list[Sentence], min_rate: float = 0.5) -> dict[tuple[str, ...], str]:
    """Entity spans seen in `sents` -> their most frequent type. A one-token entry must be an entity in at
    least `min_rate` of the token's occurrences (so common words tagged once do not become names)."""
    types: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    occurrences: Counter[str] = Counter()
    for sent in sents:
        keys = [token_key(t) for t, _ in sent]
        occurrences.update(keys)
        for s, e, typ in spans([tag for _, tag in sent]):
            types[tuple(keys[s:e])][typ] += 1
    gaz = {}
    for key, c in types.items():
        typ, n = c.most_common(1)[0]
        if not all(key):
            continue
        if len(key) == 1 and sum(c.values()) < min_rate * occurrences[key[0]]:
            continue
        gaz[key] = typ
    return gaz


def build_parts(sents: list[Sentence], min_rate: float = 0.5) -> dict[str, str]:
    """Words seen inside names of two words or more -> the names' most frequent type, where the word is in
    such a name in at least `min_rate` of its occurrences (so عبد or الله of عبد الله need to earn it)."""
    types: dict[str, Counter[str]] = defaultdict(Counter)
    occurrences: Counter[str] = Counter()
    for sent in sents:
        keys = [token_key(t) for t, _ in sent]
        occurrences.update(keys)
        for s, e, typ in spans([tag for _, tag in sent]):
            if e - s >= 2:
                for k in keys[s:e]:
                    types[k][typ] += 1
    return {
        k: c.most_common(1)[0][0]
        for k, c in types.items()
        if k and len(k) >= 3 and sum(c.values()) >= min_rate * occurrences[k]
    }


def build_vocab(sents: list[Sentence]) -> dict[str, int]:
    """Token key -> count in `sents`."""
    return dict(Counter(token_key(t) for s in sents for t, _ in s))


def featurize(
    sents: list[Sentence], known: dict, jackknife: bool, general: dict[str, str] | None = None
) -> list[list[list[str]]]:
    """Features for training sentences. With `jackknife`, the gazetteer and word counts for each fold come
    from the other folds, so the CRF learns how far they can be trusted on names it has not seen."""
    if not jackknife:
        gaz, vocab, parts = build_gazetteer(sents), build_vocab(sents), build_parts(sents)
        return [sentence_features([t for t, _ in s], gaz, known, vocab, parts, general) for s in sents]
    out: list[list[list[str]]] = [[] for _ in sents]
    for k in range(FOLDS):
        rest = [s for i, s in enumerate(sents) if i % FOLDS != k]
        gaz, vocab, parts = build_gazetteer(rest), build_vocab(rest), build_parts(rest)
        vocab = {w: c * FOLDS // (FOLDS - 1) for w, c in vocab.items()}  # counts on the full-train scale
        for i, s in enumerate(sents):
            if i % FOLDS == k:
                out[i] = sentence_features([t for t, _ in s], gaz, known, vocab, parts, general)
    return out


def shift_o_bias(crf: LinearChainCRF, delta: float) -> LinearChainCRF:
    """The CRF with `delta` taken off the O label's bias weight: every token leans that much more towards a
    name (the CRF's precision is well above its recall; the shift that maximises CV F1 is kept)."""
    if not delta:
        return crf
    o = crf.labels.index("O")
    bias = dict(crf.weights.get("bias", ()))
    bias[o] = round(bias.get(o, 0.0) - delta, 4)
    return LinearChainCRF(crf.labels, crf.transitions, {**crf.weights, "bias": tuple(sorted(bias.items()))})


def cross_validate(sents: list[Sentence], known: dict, general, args) -> None:
    """Entity F1 of 5-fold CV on `sents` (contiguous blocks, so an article's names stay on one side),
    tagged as `marsad ner --conll` tags, for each O-bias shift in `args.cv_o_bias`."""
    deltas = [float(x) for x in args.cv_o_bias.split(",")]
    counts = {d: {t: [0, 0, 0] for t in (*TYPES, "ALL")} for d in deltas}
    n = len(sents)
    for k in range(FOLDS):
        held = sents[k * n // FOLDS : (k + 1) * n // FOLDS]
        train = sents[: k * n // FOLDS] + sents[(k + 1) * n // FOLDS :]
        xs = featurize(train, known, not args.no_jackknife, general)
        crf = train_crf(xs, [[t for _, t in s] for s in train], args.c1, args.c2, args.iterations, args.min_weight)
        resources = build_gazetteer(train), known, build_vocab(train), build_parts(train), general
        for d in deltas:
            sc = evaluate(NerTagger(shift_o_bias(crf, d), *resources), held)
            for t, s in sc.items():
                counts[d][t] = [a + b for a, b in zip(counts[d][t], (s.tp, s.n_pred, s.n_gold), strict=True)]
            log.info("fold %d, O bias -%.2f: all %.4f", k, d, sc["ALL"].f1)
    for d, c in counts.items():
        f1 = {t: 2 * tp / (p + g) if p + g else 0.0 for t, (tp, p, g) in c.items()}
        log.info("CV, O bias -%.2f: %s", d, "  ".join(f"{t} {v:.4f}" for t, v in f1.items()))


def train_crf(xs, ys, c1: float, c2: float, iterations: int, min_weight: float) -> LinearChainCRF:
    import pycrfsuite  # training-time dependency only

    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(xs, ys, strict=True):
        trainer.append(x, y)
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True}
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "ner.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        labels = tuple(sorted(tagger.labels(), key=lambda t: (t != "O", t[2:], t[0])))
        tagger.close()
    index = {lab: i for i, lab in enumerate(labels)}
    trans = [[0.0] * len(labels) for _ in labels]
    for (a, b), w in info.transitions.items():
        trans[index[a]][index[b]] = round(w, 4)
    weights: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for (attr, lab), w in info.state_features.items():
        if abs(w) >= min_weight:
            weights[attr].append((index[lab], round(w, 4)))
    return LinearChainCRF(labels, tuple(map(tuple, trans)), {a: tuple(v) for a, v in weights.items()})


def evaluate(tagger: NerTagger, sents: list[Sentence], window: int = DOCUMENT_WINDOW) -> dict:
    """Scores as `marsad ner --conll` tags: `window` sentences at a time as one document."""
    toks = [[t for t, _ in s] for s in sents]
    pred = [tags for i in range(0, len(toks), window) for tags in tag_document(toks[i : i + window], tagger)]
    return score([[tag for _, tag in s] for s in sents], pred)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-on", choices=sorted(TRAIN_FILES), default="camel")
    ap.add_argument("--c1", type=float, default=C1)
    ap.add_argument("--c2", type=float, default=C2)
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--o-bias", type=float, default=O_BIAS, help="taken off the O label's bias weight")
    ap.add_argument("--min-weight", type=float, default=0.01, help="drop smaller weights from the JSON")
    ap.add_argument("--no-jackknife", action="store_true")
    ap.add_argument("--no-general", action="store_true", help="leave out the general frequency classes")
    ap.add_argument("--dev", action="store_true", help="train on 90%% of train, report the held-out 10%%")
    ap.add_argument("--cv", action="store_true", help="5-fold CV on train, report only")
    ap.add_argument("--cv-o-bias", default=str(O_BIAS), help="comma-separated O-bias shifts to score in --cv")
    ap.add_argument("--build-general", action="store_true", help="rewrite general_freq.tsv (needs wordfreq)")
    ap.add_argument("--out", type=Path, default=MODEL_DIR / "crf.json")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if args.build_general:
        build_general()
        return
    if args.train_on != "camel" and args.out.resolve().is_relative_to(ROOT / "marsad"):
        sys.exit("only the CC BY-SA ANERcorp (CAMeL) model may be shipped; give --out outside marsad/")
    sents = read_conll(DATA / TRAIN_FILES[args.train_on])
    known = load_known()
    general = None if args.no_general else load_general()
    if args.cv:
        cross_validate(sents, known, general, args)
        return
    dev: list[Sentence] = []
    if args.dev:
        cut = int(len(sents) * 0.9)
        sents, dev = sents[:cut], sents[cut:]
    t0 = time.perf_counter()
    xs = featurize(sents, known, not args.no_jackknife, general)
    ys = [[tag for _, tag in s] for s in sents]
    t1 = time.perf_counter()
    crf = shift_o_bias(train_crf(xs, ys, args.c1, args.c2, args.iterations, args.min_weight), args.o_bias)
    t2 = time.perf_counter()
    gaz, vocab, parts = build_gazetteer(sents), build_vocab(sents), build_parts(sents)
    tagger = NerTagger(crf, gaz, known, vocab, parts, general)
    log.info("features %.1fs, CRF training %.1fs, %d attributes kept", t1 - t0, t2 - t1, len(crf.weights))

    tests = (
        {"dev (last 10% of train)": dev}
        if args.dev
        else {
            "ANERcorp CAMeL test": read_conll(DATA / "ANERCorp_CamelLab_test.txt"),
            "CLEANANERCorp test": read_conll(DATA / "cleananercorp_TEST.txt"),
        }
    )
    results = {}
    for name, test in tests.items():
        for window in (1, DOCUMENT_WINDOW):
            sc = evaluate(tagger, test, window)
            log.info("%s (window %d): %s", name, window, "  ".join(f"{t} {s.f1:.3f}" for t, s in sc.items()))
        results[name] = {t: round(s.f1, 4) for t, s in sc.items()}
    if args.dev:
        return
    model = crf.to_json()
    model["gazetteer"] = {" ".join(k): v for k, v in sorted(gaz.items())}
    model["vocab"] = {w: c for w, c in sorted(vocab.items()) if c > 0}
    model["name_parts"] = dict(sorted(parts.items()))
    model["meta"] = {
        "trained_on": TRAIN_FILES[args.train_on],
        "licence": "CC BY-SA 4.0" if args.train_on == "camel" else "not for distribution",
        "params": {
            "c1": args.c1,
            "c2": args.c2,
            "iterations": args.iterations,
            "min_weight": args.min_weight,
            "o_bias": args.o_bias,
            "jackknife_folds": 0 if args.no_jackknife else FOLDS,
        },
        "general_freq": general is not None,
        "train_seconds": round(t2 - t0, 1),
        "entity_f1": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    log.info("wrote %s (%.1f MB)", args.out, args.out.stat().st_size / 2**20)


if __name__ == "__main__":
    main()
