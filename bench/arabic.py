"""Throughput of marsad's Arabic layer beside its peers, over the whole SaudiNewsNet corpus, on one core.

Rows: a plain `re` \\w+ tokenizer (the floor any tokenizer is compared with), marsad normalize + tokenize
(the matching key; goal >= 1M tokens/s), match_tokens (+ clitic stripping), PyStemmer's Snowball Arabic on
the tokens (peer) and marsad's stem (cached, as used) and light_stem (uncached); then sentences, dates and
numbers per article. Run:  .venv/bin/python bench/arabic.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import time
from pathlib import Path

import Stemmer

from marsad.arabic.dates import find_dates
from marsad.arabic.normalize import normalize
from marsad.arabic.numbers import find_numbers
from marsad.arabic.sentences import split_sentences
from marsad.arabic.stem import light_stem, stem
from marsad.arabic.tokens import match_tokens, tokenize

CORPUS = Path("/work/shared/data/saudinewsnet/corpus.jsonl.gz")


def load(limit: int | None) -> list[str]:
    texts = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for k, line in enumerate(f):
            if limit and k >= limit:
                break
            d = json.loads(line)
            texts.append(f"{d.get('title') or ''}\n{d.get('content') or ''}")
    return texts


def timed(fn, *args) -> tuple[object, float]:
    # CPU time of this process: a shared or busy machine does not distort the figures the way wall time does
    t0 = time.process_time()
    out = fn(*args)
    return out, time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    texts = load(args.limit)
    word = re.compile(r"\w+")
    rows: list[tuple[str, int, float, str]] = []

    n_re, dt = timed(lambda: sum(len(word.findall(t)) for t in texts))
    rows.append(("peer: re \\w+ findall (raw text)", n_re, dt, "tokens"))

    def norm_tok():
        return [tokenize(normalize(t)) for t in texts]

    toks, dt = timed(norm_tok)
    n_tok = sum(len(x) for x in toks)
    rows.append(("marsad normalize + tokenize", n_tok, dt, "tokens"))

    _, dt = timed(lambda: [match_tokens(t) for t in texts])
    rows.append(("marsad match_tokens (+ proclitics)", n_tok, dt, "tokens"))

    flat = [t for x in toks for t in x]
    snow = Stemmer.Stemmer("arabic")
    snow.maxCacheSize = 0  # uncached, as issue 3 measured it
    _, dt = timed(snow.stemWords, flat)
    rows.append(("peer: PyStemmer Snowball arabic (uncached)", len(flat), dt, "tokens"))
    stem.cache_clear()
    _, dt = timed(lambda: [stem(t) for t in flat])
    rows.append(("marsad stem (lru_cache, cold start)", len(flat), dt, "tokens"))
    sample = flat[:1_000_000]
    _, dt = timed(lambda: [light_stem(t) for t in sample])
    rows.append(("marsad light_stem (uncached, 1M tokens)", len(sample), dt, "tokens"))

    docs = texts[:3000]
    _, dt = timed(lambda: [split_sentences(t) for t in docs])
    rows.append(("marsad split_sentences", len(docs), dt, "articles"))
    _, dt = timed(lambda: [find_dates(t) for t in docs])
    rows.append(("marsad find_dates", len(docs), dt, "articles"))
    _, dt = timed(lambda: [find_numbers(t) for t in docs])
    rows.append(("marsad find_numbers", len(docs), dt, "articles"))

    print(f"SaudiNewsNet: {len(texts):,} articles, {n_tok:,} marsad tokens; one core, CPU time\n")
    print(f"{'what':46} {'items':>12} {'seconds':>8} {'items/s':>12}")
    print("-" * 82)
    for name, n, dt, unit in rows:
        print(f"{name:46} {n:>12,} {dt:8.2f} {n / dt:>12,.0f}  {unit}")


if __name__ == "__main__":
    main()
