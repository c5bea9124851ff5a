"""Summaries on the development references: marsad beside a lead baseline and LexRank, on the same members.

    .venv/bin/python bench/summary.py

For each story in ../shared/data/saudinewsnet/labels/dev/summaries.jsonl, the gold members are summarized
(so clustering errors do not enter), and ROUGE-1/2 against the people's reference is computed with the
check's own scorer (normalized, prefix-stripped tokens). Peers, each cut to marsad's length:
- lead: the first sentences of the earliest member (what the outside check compares with);
- LexRank (Erkan & Radev 2004): TF-IDF cosine graph over all members' sentences, threshold 0.1, PageRank
  with damping 0.85, top sentences with the same redundancy cut; written here on numpy.
Attribution: the share of summary sentences that name >= 2 articles stating them (stories with >= 2
outlets), and the share of named sources that state their sentence, with the check's `states` rule.

Noisy clusters (what the pipeline's own stories look like when same-family happenings merge): every labelled
story with a sibling in its topic family (another day's report, a neighbouring incident) gets, per sibling, half
its size in that sibling's members added (a fixed sample). Intrusion: the share of summary sentences drawn from
the added members (marsad: sentences naming none of the story's members); ROUGE on the 14 referenced stories'
mixes. The lead here is the mix's earliest member, which may be an added one.
"""

from __future__ import annotations

import collections
import gzip
import importlib.util
import json
import math
import random
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[2] / "shared"
sys.path.insert(0, str(SHARED / "check"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring import SENT, norm_tokens, rouge_n  # noqa: E402

from marsad.arabic.sentences import split_sentences  # noqa: E402
from marsad.arabic.tokens import STOPWORDS, match_tokens  # noqa: E402
from marsad.model import Article  # noqa: E402
from marsad.synthesize.summary import summarize  # noqa: E402

LABELS = SHARED / "data/saudinewsnet/labels/dev"


def load():
    refs = [json.loads(x) for x in open(LABELS / "summaries.jsonl", encoding="utf-8")]
    gold = {json.loads(x)["story"]: json.loads(x) for x in open(LABELS / "stories.jsonl", encoding="utf-8")}
    need = {m for st in gold.values() for m in st["members"]}  # all labelled stories: siblings for the mixes
    raw = {}
    with gzip.open(SHARED / "data/saudinewsnet/corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if a["id"] in need:
                raw[a["id"]] = a
    return refs, gold, raw


def _corpus_article():
    """The corpus-record -> Article conversion the clustering bench already uses (one definition)."""
    spec = importlib.util.spec_from_file_location("cluster_quality", Path(__file__).with_name("cluster_quality.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.to_article


to_article = _corpus_article()


def n_tokens(text: str) -> int:
    return len(norm_tokens(text))


def lead_baseline(earliest: dict, length: int) -> str:
    out, n = [], 0
    for s in SENT.split(earliest["content"]):
        if n >= max(1, length) and out:
            break
        out.append(s)
        n += n_tokens(s)
    return " ".join(out)


def lexrank(articles: list[Article], length: int, threshold: float = 0.1, damping: float = 0.85) -> str:
    return " ".join(s for _, s in lexrank_sentences(articles, length, threshold, damping))


def lexrank_sentences(articles: list[Article], length: int, threshold: float = 0.1,
                      damping: float = 0.85) -> list[tuple[str, str]]:
    """LexRank's chosen sentences, each with the id of the article it came from."""
    found = [(a.id, s.strip()) for a in articles for p in a.body for s in split_sentences(p) if len(s.split()) >= 5]
    if not found:
        return []
    sents = [s for _, s in found]
    keys = [[t for t in match_tokens(s) if t not in STOPWORDS] for s in sents]
    df = collections.Counter(t for k in keys for t in set(k))
    vocab = {t: i for i, t in enumerate(df)}
    m = np.zeros((len(sents), len(vocab)))
    for i, k in enumerate(keys):
        for t, c in collections.Counter(k).items():
            m[i, vocab[t]] = c * math.log(len(sents) / df[t])
    m /= np.linalg.norm(m, axis=1, keepdims=True) + 1e-12
    sim = m @ m.T
    adj = (sim > threshold).astype(float)
    adj /= adj.sum(axis=1, keepdims=True)
    p = np.full(len(sents), 1 / len(sents))
    for _ in range(100):
        p = (1 - damping) / len(sents) + damping * adj.T @ p
    chosen: list[int] = []
    n = 0
    for i in np.argsort(-p):
        if n >= length and chosen:
            break
        if any(sim[i, j] > 0.5 for j in chosen):
            continue
        chosen.append(int(i))
        n += n_tokens(sents[i])
    return [found[i] for i in chosen]


def noisy_mixes(gold: dict, raw: dict) -> list[tuple[str, list[str], list[str]]]:
    """(story, its members, the members added from one same-family sibling) for every labelled story and each of
    its siblings: half the story's size, sampled with a fixed seed."""
    family: dict[str, list[dict]] = collections.defaultdict(list)
    for st in gold.values():
        if st.get("family"):
            family[st["family"]].append(st)
    out = []
    for st in gold.values():
        own = [m for m in st["members"] if m in raw]
        for sib in family.get(st.get("family"), []):
            if sib["story"] == st["story"]:
                continue
            rng = random.Random(st["story"] + sib["story"])
            others = [m for m in sib["members"] if m in raw and m not in set(own)]
            out.append((st["story"], own, rng.sample(others, min(max(1, len(own) // 2), len(others)))))
    return out


def main() -> None:
    refs, gold, raw = load()
    sents_cache: dict[str, list[collections.Counter]] = {}

    def states(aid: str, text: str) -> bool:
        want = collections.Counter(norm_tokens(text))
        if aid not in raw or not want:
            return False
        if aid not in sents_cache:
            sents_cache[aid] = [collections.Counter(norm_tokens(x)) for x in SENT.split(raw[aid]["content"])
                                if x.strip()]
        return any(sum((want & c).values()) >= 0.5 * sum(want.values()) for c in sents_cache[aid])

    rows = []
    multi = attributed = named = named_ok = 0
    t_marsad = 0.0
    for r in refs:
        members = [raw[m] for m in gold[r["story"]]["members"] if m in raw]
        arts = [to_article(a) for a in members]
        t0 = time.perf_counter()
        summ = summarize(arts)
        t_marsad += time.perf_counter() - t0
        text = " ".join(s.text for s in summ)
        length = n_tokens(text)
        earliest = min(members, key=lambda a: a["date"])
        lead = lead_baseline(earliest, length)
        lex = lexrank(arts, length)
        ref = r["reference_ar"]
        rows.append([rouge_n(x, ref, n) for x in (text, lead, lex) for n in (1, 2)] + [len(summ), len(text.split())])
        if len({a["source"] for a in members}) >= 2:
            for s in summ:
                ok = [i for i in set(s.sources) if states(i, s.text)]
                multi += 1
                attributed += len(ok) >= 2
                named += len(set(s.sources))
                named_ok += len(ok)
    mean = [sum(x[i] for x in rows) / len(rows) for i in range(len(rows[0]))]
    print(f"{len(rows)} stories with reference summaries; gold members; {date.today()}")
    print(f"{'system':22} {'ROUGE-1':>8} {'ROUGE-2':>8}")
    print("-" * 40)
    for name, i in (("marsad", 0), ("lead baseline", 2), ("LexRank", 4)):
        print(f"{name:22} {mean[i]:8.3f} {mean[i + 1]:8.3f}")
    print("-" * 40)
    print(f"marsad: {mean[6]:.1f} sentences, {mean[7]:.0f} words a summary; {t_marsad / len(rows) * 1000:.0f} ms")
    print(f"attributed_share (>= 2 stating sources, stories with >= 2 outlets): {attributed / max(1, multi):.3f}"
          f" of {multi} sentences")
    print(f"sources_stating (named sources that state their sentence): {named_ok / max(1, named):.3f}")

    refs_by = {r["story"]: r["reference_ar"] for r in refs}
    intrusion = {"marsad": [], "lead baseline": [], "LexRank": []}
    noisy_rouge: dict[str, dict[str, list[tuple[float, float]]]] = {k: collections.defaultdict(list) for k in intrusion}
    for story, own, added in noisy_mixes(gold, raw):
        mix = [to_article(raw[m]) for m in own + added]
        random.Random(story).shuffle(mix)
        summ = summarize(mix)
        text = " ".join(s.text for s in summ)
        intrusion["marsad"].append(sum(not set(s.sources) & set(own) for s in summ) / max(1, len(summ)))
        earliest = min((raw[m] for m in own + added), key=lambda a: (a["date"], a["id"]))
        lead = lead_baseline(earliest, n_tokens(text))
        intrusion["lead baseline"].append(float(earliest["id"] not in set(own)))
        lex = lexrank_sentences(mix, n_tokens(text))
        intrusion["LexRank"].append(sum(i not in set(own) for i, _ in lex) / max(1, len(lex)))
        if story in refs_by:
            for name, out in (("marsad", text), ("lead baseline", lead), ("LexRank", " ".join(x for _, x in lex))):
                noisy_rouge[name][story].append((rouge_n(out, refs_by[story], 1), rouge_n(out, refs_by[story], 2)))
    n_mix = len(intrusion["marsad"])
    print(f"\nnoisy clusters: {n_mix} mixes (story + half its size from a same-family sibling); ROUGE over the "
          f"{sum(map(len, noisy_rouge['marsad'].values()))} mixes of {len(noisy_rouge['marsad'])} referenced stories "
          f"(a story's mean over its mixes), intrusion over all mixes")
    print(f"{'system':22} {'ROUGE-1':>8} {'ROUGE-2':>8} {'intrusion':>10}")
    print("-" * 51)
    for name, by_story in noisy_rouge.items():
        r1, r2 = (sum(sum(x[i] for x in rs) / len(rs) for rs in by_story.values()) / len(by_story) for i in (0, 1))
        print(f"{name:22} {r1:8.3f} {r2:8.3f} {sum(intrusion[name]) / n_mix:10.3f}")


if __name__ == "__main__":
    main()
