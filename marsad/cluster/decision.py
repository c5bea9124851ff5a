"""The join-or-open decision: pairwise article-story similarity features and a small logistic model.

The model's coefficients live in `decision.json` beside this file, written by
`scripts/train_cluster_model.py` from the development labels (see that script for how it was validated).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("decision.json")

# The order of `pair_features`' output; the model file names them so a stale file is caught.
FEATURES = (
    "cos_title",
    "cos_body",
    "cos_ents",
    "cos_title_body",
    "shared_numbers",
    "days_since_last",
    "days_since_first",
    "log_size",
    "max_cos",
    "title_x_body",
    "nn_title",
    "nn_body",
    "nn_ents",
    "novel_title",
    "novel_ents",
    "same_day",
    "other_day",
)


@dataclass(frozen=True)
class Decision:
    """A logistic model over `FEATURES`; an article joins its best candidate when p >= threshold."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def probability(self, x: tuple[float, ...]) -> float:
        z = self.bias
        for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True):
            z += w * (v - m) / s
        return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0

    def to_json(self) -> dict:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
            "mean": list(self.mean),
            "scale": list(self.scale),
        }

    @staticmethod
    def from_json(d: dict) -> Decision:
        if tuple(d["features"]) != FEATURES:
            raise ValueError(f"decision model features {d['features']} != {FEATURES}: retrain it")
        return Decision(
            weights=tuple(d["weights"]),
            bias=float(d["bias"]),
            threshold=float(d["threshold"]),
            mean=tuple(d["mean"]),
            scale=tuple(d["scale"]),
        )


@cache
def default_decision() -> Decision:
    return Decision.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
