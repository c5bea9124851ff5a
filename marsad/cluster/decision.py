"""The join-or-open decision: pairwise article-story similarity features and a small logistic model.

The model's coefficients live in `decision.json` beside this file, written by
`scripts/train_cluster_model.py` from the development labels (see that script for how it was validated).
`decision_dense.json` is the same model with two more inputs, `nn_dense` (the body's sentence embedding against
the story's kept members, `marsad.cluster.dense`) and `nn_dense_x_days`, used when ingesting with `--dense`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("decision.json")
DENSE_MODEL_PATH = Path(__file__).with_name("decision_dense.json")

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
# ... and with the dense body embedding's best cosine against the story's kept members, and that times the days
# since the story's latest article (a close body the same day is a retelling; days later, often the next
# happening of the same kind)
DENSE_FEATURES = (*FEATURES, "nn_dense", "nn_dense_x_days")


@dataclass(frozen=True)
class Decision:
    """A logistic model over `features`; an article joins its best candidate when p >= threshold."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    features: tuple[str, ...] = FEATURES

    @property
    def dense(self) -> bool:
        """Whether the model reads the dense embedding features (`DENSE_FEATURES`)."""
        return self.features == DENSE_FEATURES

    def probability(self, x: tuple[float, ...]) -> float:
        z = self.bias
        for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True):
            z += w * (v - m) / s
        return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0

    def to_json(self) -> dict:
        return {
            "features": list(self.features),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
            "mean": list(self.mean),
            "scale": list(self.scale),
        }

    @staticmethod
    def from_json(d: dict) -> Decision:
        names = tuple(d["features"])
        if names not in (FEATURES, DENSE_FEATURES):
            raise ValueError(f"decision model features {d['features']} != {FEATURES} (+ the dense ones): retrain it")
        return Decision(
            weights=tuple(d["weights"]),
            bias=float(d["bias"]),
            threshold=float(d["threshold"]),
            mean=tuple(d["mean"]),
            scale=tuple(d["scale"]),
            features=names,
        )


@cache
def default_decision(dense: bool = False) -> Decision:
    """The shipped model: `decision.json`, or `decision_dense.json` for clustering with dense embeddings."""
    path = DENSE_MODEL_PATH if dense else MODEL_PATH
    return Decision.from_json(json.loads(path.read_text(encoding="utf-8")))
