"""Which light stemmer serves matching best on our data? A small, reproducible experiment on SaudiNewsNet.

Conflation (should merge): for 400 frequent noun/adjective bases B (words seen with the article as "الB"),
the forms of B found in the corpus with proclitics (و ب ل ف ال وال بال لل ...) and with inflection suffixes
(ة ات ون ين ان ها هم ...). Score: the share of forms whose stem equals the stem of B.
False merges (should not merge): among the 4000 most frequent content words, pairs given the same stem
although no removal of listed clitics and inflection/pronoun suffixes makes them meet (كاتب=كتب,
سلام=إسلام, السعودية=مساعد). Reported as the share of merged pairs that are such cross-word merges. The
proxy also counts broken plurals (جندي=جنود) as cross-word; light stemmers rarely merge those.
Speed: uncached tokens/s over the first 1M corpus tokens, one core.

Run:  .venv/bin/python scripts/measure_stemmers.py [--limit N]   (needs nltk for the ARLSTem/ISRI rows)
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

import Stemmer

from marsad.arabic.normalize import normalize
from marsad.arabic.stem import light_stem
from marsad.arabic.tokens import STOPWORDS, strip_proclitics, tokenize

CORPUS = Path("/work/shared/data/saudinewsnet/corpus.jsonl.gz")
PROCLITICS = ["", "و", "ف", "ب", "ل", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وبال", "وب", "ول"]
SUFFIXES = ["", "ه", "ات", "ون", "ين", "ان", "ها", "هم", "هما", "نا", "كم", "ي", "يه", "يين", "يون", "يات"]


def load_counts(limit: int | None) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    sample: list[str] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for k, line in enumerate(f):
            if limit and k >= limit:
                break
            d = json.loads(line)
            toks = tokenize(normalize(f"{d.get('title') or ''} {d.get('content') or ''}"))
            counts.update(toks)
            if len(sample) < 1_000_000:
                sample.extend(toks)
    return counts, sample[:1_000_000]


def variants_of(base: str) -> list[tuple[str, str]]:
    """(form, class) for clitic and inflection variants of a base, built by rule (checked against the corpus later)."""
    stems = [base]
    if base.endswith("ه"):  # ta marbuta: زياره -> زيارات, زيارته
        stems.append(base[:-1])
    out = []
    for p in PROCLITICS:
        for s in SUFFIXES:
            if not p and not s:
                continue
            for b in stems:
                if b is not base and s in ("", "ه"):
                    continue
                if b is not base:
                    form = p + b + ("ت" + s if s in ("ها", "هم", "هما", "نا", "كم") else s)
                elif base.endswith("ه") and s:
                    continue
                else:
                    form = p + b + s
                if p in ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وبال") and s in (
                    "ها",
                    "هم",
                    "هما",
                    "نا",
                    "كم",
                ):
                    continue  # the article and a pronoun suffix never go together
                out.append((form, "clitic" if not s else "inflection"))
    return out


_INFLECT = ["", "ه", "ا", "ات", "ون", "ين", "ان", "ي", "يه", "يا", "يين", "يون", "يات", "تين", "تان"]
_PRONOUN = ["", "ه", "ها", "هم", "هما", "هن", "نا", "كم", "ك", "ي"]


def cores(t: str) -> set[str]:
    """Every way of removing a listed proclitic, inflection and pronoun suffix (ة written ت before a suffix):
    two words count as one word when their cores meet."""
    out = set()
    for p in PROCLITICS:
        if not t.startswith(p):
            continue
        r = t[len(p) :]
        for s2 in _PRONOUN:
            if s2 and not r.endswith(s2):
                continue
            r2 = r[: len(r) - len(s2)] if s2 else r
            for s1 in _INFLECT:
                if s1 and not r2.endswith(s1):
                    continue
                c = r2[: len(r2) - len(s1)] if s1 else r2
                if len(c) >= 2:
                    out.add(c)
                    if s2 and c.endswith("ت"):
                        out.add(c[:-1])
    return out


def make_stemmers() -> dict[str, object]:
    snow = Stemmer.Stemmer("arabic")
    rows: dict[str, object] = {
        "none (match_tokens key)": lambda t: strip_proclitics(t)[1],
        "snowball (PyStemmer)": snow.stemWord,
        "snowball + marsad proclitic pass": lambda t: snow.stemWord(strip_proclitics(t)[1]),
        "marsad light_stem (proclitics + light10-style suffixes)": light_stem,
    }
    try:
        from nltk.stem.arlstem import ARLSTem
        from nltk.stem.arlstem2 import ARLSTem2
        from nltk.stem.isri import ISRIStemmer

        rows["nltk ARLSTem"] = ARLSTem().stem
        rows["nltk ARLSTem2"] = ARLSTem2().stem
        rows["nltk ISRI (roots)"] = ISRIStemmer().stem
    except ImportError:
        print("nltk not installed: ARLSTem/ISRI rows skipped")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None, help="read only the first N articles")
    args = ap.parse_args()
    counts, sample = load_counts(args.limit)
    print(f"corpus: {sum(counts.values()):,} tokens, {len(counts):,} types")

    bases = [
        t[2:]
        for t, c in counts.most_common()
        if t.startswith("ال") and c >= 20 and len(t) >= 5 and t[2:] not in STOPWORDS and counts[t[2:]] >= 3
    ][:400]
    groups = {b: [(f, cls) for f, cls in variants_of(b) if counts[f] >= 3] for b in bases}
    n_forms = sum(len(v) for v in groups.values())
    content = [
        t for t, _ in counts.most_common(6000) if t not in STOPWORDS and len(t) >= 3 and not t.isdigit()
    ][:4000]
    core = {t: cores(t) for t in content}

    print(
        f"conflation set: {len(bases)} bases, {n_forms} attested variant forms; false-merge set: {len(content)} words\n"
    )
    header = (
        f"{'stemmer':58} {'clitic':>7} {'inflect':>8} {'merged pairs':>13} {'cross-word':>11} {'tok/s':>10}"
    )
    print(header)
    print("-" * len(header))
    for name, fn in make_stemmers().items():
        hit = Counter()
        tot = Counter()
        for b, forms in groups.items():
            sb = fn(b)
            for f, cls in forms:
                tot[cls] += 1
                hit[cls] += fn(f) == sb
        by_stem = defaultdict(list)
        for t in content:
            by_stem[fn(t)].append(t)
        pairs = cross = 0
        examples = []
        for members in by_stem.values():
            for a, b in itertools.combinations(members, 2):
                pairs += 1
                if not (core[a] & core[b]):
                    cross += 1
                    if len(examples) < 6:
                        examples.append(f"{a}={b}")
        t0 = time.perf_counter()
        for t in sample:
            fn(t)
        speed = len(sample) / (time.perf_counter() - t0)
        print(
            f"{name:58} {hit['clitic'] / tot['clitic']:7.1%} {hit['inflection'] / tot['inflection']:8.1%} "
            f"{pairs:13,} {cross / max(pairs, 1):11.1%} {speed:10,.0f}"
        )
        print(f"{'':4}cross-word e.g.: {' '.join(examples)}")


if __name__ == "__main__":
    main()
