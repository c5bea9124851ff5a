"""A linear-chain CRF read from JSON and decoded with Viterbi, in pure Python.

The weights are trained with CRFsuite (scripts/train_ner.py) and exported to JSON so the package ships a
readable, pickle-free model and needs no compiled CRF library at run time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LinearChainCRF"]


@dataclass(frozen=True)
class LinearChainCRF:
    labels: tuple[str, ...]
    transitions: tuple[tuple[float, ...], ...]  # [from][to]
    weights: dict[str, tuple[tuple[int, float], ...]]  # attribute -> ((label index, weight), ...)

    @classmethod
    def from_json(cls, data: dict) -> LinearChainCRF:
        weights = {}
        for attr, flat in data["weights"].items():
            weights[attr] = tuple((int(flat[k]), float(flat[k + 1])) for k in range(0, len(flat), 2))
        return cls(
            labels=tuple(data["labels"]),
            transitions=tuple(tuple(row) for row in data["transitions"]),
            weights=weights,
        )

    @classmethod
    def load(cls, path: str | Path) -> LinearChainCRF:
        with open(path, encoding="utf-8") as f:
            return cls.from_json(json.load(f))

    def to_json(self) -> dict:
        return {
            "labels": list(self.labels),
            "transitions": [list(r) for r in self.transitions],
            "weights": {a: [x for lw in ws for x in lw] for a, ws in self.weights.items()},
        }

    def tag(self, features: Sequence[Sequence[str]]) -> list[str]:
        """The best label sequence for per-token attribute lists (unknown attributes weigh nothing)."""
        if not features:
            return []
        n_labels = len(self.labels)
        get = self.weights.get
        emissions: list[list[float]] = []
        for attrs in features:
            row = [0.0] * n_labels
            for a in attrs:
                ws = get(a)
                if ws:
                    for li, w in ws:
                        row[li] += w
            emissions.append(row)
        trans = self.transitions
        score = emissions[0]
        back: list[list[int]] = []
        for row in emissions[1:]:
            new = [0.0] * n_labels
            ptr = [0] * n_labels
            for j in range(n_labels):
                best_i, best = 0, score[0] + trans[0][j]
                for i in range(1, n_labels):
                    s = score[i] + trans[i][j]
                    if s > best:
                        best_i, best = i, s
                new[j] = best + row[j]
                ptr[j] = best_i
            score = new
            back.append(ptr)
        j = max(range(n_labels), key=score.__getitem__)
        path = [j]
        for ptr in reversed(back):
            j = ptr[j]
            path.append(j)
        path.reverse()
        return [self.labels[k] for k in path]
