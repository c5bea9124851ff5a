"""CoNLL-style reading and conlleval-style entity scoring, shared by training, bench and the CLI.

Tags are BIO with the types PER, LOC, ORG, MISC. Corpora spell them differently (ANERcorp `B-PERS`,
CAraNER `B_PER`, `B_MIS`); `canonical_tag` maps them onto one scheme so scores compare like with like.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "TYPES",
    "Sentence",
    "canonical_tag",
    "read_conll",
    "spans",
    "Score",
    "score",
]

TYPES = ("PER", "LOC", "ORG", "MISC")
_TYPE_ALIASES = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC", "MIS": "MISC"}

Sentence = list[tuple[str, str]]  # (token, tag)


def canonical_tag(tag: str) -> str:
    """`B-PERS`, `B_PER` -> `B-PER`; `B_MIS` -> `B-MISC`; types outside PER/LOC/ORG/MISC (CAraNER's TIT) -> O."""
    if not tag or tag == "O" or len(tag) < 3 or tag[1] not in "-_" or tag[0] not in "BI":
        return "O"
    typ = _TYPE_ALIASES.get(tag[2:].upper())
    return f"{tag[0]}-{typ}" if typ else "O"


def read_conll(path: str | Path) -> list[Sentence]:
    """Sentences of a `token<space>tag` file (first column token, last column tag, blank line between)."""
    sents: list[Sentence] = []
    cur: Sentence = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((parts[0], canonical_tag(parts[-1]) if len(parts) > 1 else "O"))
    if cur:
        sents.append(cur)
    return sents


def spans(tags: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end_exclusive, type) chunks as conlleval reads them: an I- that does not continue a chunk of
    its own type starts a new one."""
    start, typ = -1, ""
    i = -1
    for i, tag in enumerate(tags):
        b, t = (tag[0], tag[2:]) if tag != "O" else ("O", "")
        if typ and (b != "I" or t != typ):
            yield start, i, typ
            typ = ""
        if b == "B" or (b == "I" and not typ):
            start, typ = i, t
    if typ:
        yield start, i + 1, typ


@dataclass(frozen=True)
class Score:
    """Entity-level counts for one type (or all): exact span and type must match."""

    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(
    gold: Iterable[list[str]], pred: Iterable[list[str]], types: Iterable[str] = TYPES
) -> dict[str, Score]:
    """Per-type and overall ("ALL", micro) entity scores over parallel tag sequences."""
    keep = set(types)
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs = {s for s in spans(g) if s[2] in keep}
        ps = {s for s in spans(p) if s[2] in keep}
        for s in gs:
            ngold[s[2]] += 1
        for s in ps:
            npred[s[2]] += 1
        for s in gs & ps:
            tp[s[2]] += 1
    out = {t: Score(tp[t], npred[t], ngold[t]) for t in sorted(keep)}
    out["ALL"] = Score(sum(tp.values()), sum(npred.values()), sum(ngold.values()))
    return out
