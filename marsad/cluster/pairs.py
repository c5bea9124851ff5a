"""Article-article "same happening" model: pair features and a small logistic regression over them.

A story is judged by its members one by one, not by a centroid: a follow-up often resembles one earlier
report closely while the story's average has drifted, and a big story written in several registers
(wire copy, local rewrites) is several tight groups rather than one ball. The clusterer scores a candidate
story by the pair probabilities of the article against the story's kept members.

The coefficients live in `pairs.json` beside this file, written by `scripts/train_cluster_model.py` from
labelled pairs of the development stories (hard negatives: different stories of one topic family).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marsad.cluster.features import ArticleFeatures, dot

PAIR_MODEL_PATH = Path(__file__).with_name("pairs.json")

PAIR_FEATURES = (
    "cos_title",
    "cos_body",
    "cos_ents",
    "cos_cross",  # title of one against the lead of the other (the larger way round)
    "title_x_body",
    "shared_counts",  # log1p of counts-with-noun both state ("3 soldiers")
    "count_clash",  # nouns both count with no value in common ("3 soldiers" vs "2 soldiers")
    "same_day",
    "other_day",
    "gap_days",
    "same_outlet",
    "novel_title_max",  # title weight of one that the other never mentions (title or lead), larger side
    "novel_title_min",
    "shared_rare",  # log1p of the idf mass of the entity proxies (rare stems, pairs, counts) both use
    "shared_rare_max",  # the rarest one both use (idf)
    "rare_overlap",  # shared entity proxies over the smaller article's
    "title_rare",  # idf mass of one title's entity proxies that the other article names (larger side)
)


def _nouns(numbers: frozenset[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for n in numbers:
        v, sep, noun = n.partition(":")
        if sep:
            out.setdefault(noun, set()).add(v)
    return out


def _novel(t: dict[str, float], other_title: dict[str, float], other_body: dict[str, float]) -> float:
    return sum(x * x for k, x in t.items() if k not in other_title and k not in other_body)


def _title_rare(a: ArticleFeatures, m: ArticleFeatures) -> float:
    rm = m.rare
    return sum(x for k, x in a.rare.items() if k in a.title and (k in rm or k in m.title))


def pair_vector(a: ArticleFeatures, m: ArticleFeatures) -> tuple[float, ...]:
    """The features of one article pair (order: PAIR_FEATURES); symmetric in a and m."""
    ct = dot(a.title, m.title)
    cb = dot(a.body, m.body)
    ce = dot(a.ents, m.ents)
    cx = max(dot(a.title, m.body), dot(m.title, a.body))
    shared = clash = 0
    if a.numbers and m.numbers:
        na, nm = _nouns(a.numbers), _nouns(m.numbers)
        for noun, vs in na.items():
            ws = nm.get(noun)
            if ws is not None:
                if vs & ws:
                    shared += len(vs & ws)
                else:
                    clash += 1
    same_day = 1.0 if a.days & m.days else 0.0
    other_day = 1.0 if a.days and m.days and not a.days & m.days else 0.0
    gap = abs((a.hours or 0.0) - (m.hours or 0.0)) / 24.0 if a.hours is not None and m.hours is not None else 1.0
    na_t = _novel(a.title, m.title, m.body)
    nm_t = _novel(m.title, a.title, a.body)
    ra, rm = a.rare, m.rare
    if len(rm) < len(ra):
        ra, rm = rm, ra
    mass = top = 0.0
    n = 0
    for k, x in ra.items():
        y = rm.get(k)
        if y is not None and k[0] != "#":
            v = min(x, y)
            mass += v
            top = max(top, v)
            n += 1
    tr = max(_title_rare(a, m), _title_rare(m, a))
    return (
        ct,
        cb,
        ce,
        cx,
        ct * cb,
        math.log1p(shared),
        float(min(clash, 3)),
        same_day,
        other_day,
        min(gap, 7.0),
        1.0 if a.outlet and a.outlet == m.outlet else 0.0,
        max(na_t, nm_t),
        min(na_t, nm_t),
        math.log1p(mass),
        top,
        n / len(ra) if ra else 0.0,
        math.log1p(tr),
    )


@dataclass(frozen=True)
class PairModel:
    """Logistic model over PAIR_FEATURES (standardized); `threshold` is the join threshold on the story score."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    top: int = 2  # a story's score: the mean of its best `top` member probabilities (fewer when smaller)
    blend: float = 0.0  # weight of the story-level model (decision.json) in the join probability
    gate: float = 0.0  # > 0: the story-level model decides, but a story whose pair score is below this is vetoed

    def logit(self, x: tuple[float, ...]) -> float:
        z = self.bias
        for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True):
            z += w * (v - m) / s
        return z

    def probability(self, x: tuple[float, ...]) -> float:
        z = self.logit(x)
        return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0

    def to_json(self) -> dict:
        return {
            "features": list(PAIR_FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "mean": list(self.mean),
            "scale": list(self.scale),
            "threshold": self.threshold,
            "top": self.top,
            "blend": self.blend,
            "gate": self.gate,
        }

    @staticmethod
    def from_json(d: dict) -> PairModel:
        if tuple(d["features"]) != PAIR_FEATURES:
            raise ValueError(f"pair model features {d['features']} != {PAIR_FEATURES}: retrain it")
        return PairModel(
            weights=tuple(d["weights"]),
            bias=float(d["bias"]),
            mean=tuple(d["mean"]),
            scale=tuple(d["scale"]),
            threshold=float(d["threshold"]),
            top=int(d.get("top", 2)),
            blend=float(d.get("blend", 0.0)),
            gate=float(d.get("gate", 0.0)),
        )


@cache
def default_pair_model() -> PairModel | None:
    if not PAIR_MODEL_PATH.exists():
        return None
    return PairModel.from_json(json.loads(PAIR_MODEL_PATH.read_text(encoding="utf-8")))
