"""bench/cluster_quality.family_bootstrap: intervals from resampled topic families, paired differences."""

from __future__ import annotations

import json

import pytest
from load_module import load_module


@pytest.fixture(scope="module")
def cq():
    mod = load_module("bench/cluster_quality.py", "bench_cluster_quality")
    if not (mod.SHARED / "check" / "scoring.py").exists():
        pytest.fail("../shared/check/scoring.py is needed: the bench scores with the check's own functions")
    return mod


@pytest.fixture()
def labels(tmp_path):
    """Six families of two stories of three articles each."""
    rows = [
        {"story": f"f{f}-s{s}", "family": f"f{f}", "members": [f"a{f}{s}{i}" for i in range(3)]}
        for f in range(6)
        for s in range(2)
    ]
    path = tmp_path / "stories.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path, rows


def test_a_perfect_prediction_has_no_spread_and_beats_one_that_merges_families(cq, labels):
    path, rows = labels
    gold = {m: r["story"] for r in rows for m in r["members"]}
    merged = {m: r["family"] for r in rows for m in r["members"]}  # each family's two happenings as one story
    out = cq.family_bootstrap({"gold": gold, "merged": merged}, labels=path, rounds=200)
    assert out["gold"]["bcubed_f"] == (1.0, 1.0)
    assert out["gold"]["pairwise_f"] == (1.0, 1.0)
    assert out["merged"]["bcubed_f"][1] < 1.0
    assert out["merged"]["bcubed_f_diff"][1] < 0  # behind on every resample
    assert out["merged"]["pairwise_f_ahead"] == 0.0


def test_a_mistake_in_one_family_spreads_the_interval_and_is_paired(cq, labels):
    path, rows = labels
    gold = {m: r["story"] for r in rows for m in r["members"]}
    one_wrong = dict(gold)
    for m in ("a000", "a001", "a002"):
        one_wrong[m] = "f0-s1"  # family f0's two happenings merged, the others right
    out = cq.family_bootstrap({"one wrong": one_wrong, "gold": gold}, labels=path, rounds=300, seed=1)
    lo, hi = out["one wrong"]["bcubed_f"]
    assert lo < hi == 1.0  # resamples without family f0 score 1.0, those with it less
    assert out["gold"]["bcubed_f_diff"][0] == 0.0  # never behind
    assert 0.5 < out["gold"]["bcubed_f_ahead"] < 1.0  # ahead only where family f0 was drawn
    # restricted to other families, the two predictions are the same
    others = {r["story"] for r in rows if r["family"] != "f0"}
    same = cq.family_bootstrap({"one wrong": one_wrong, "gold": gold}, labels=path, only=others, rounds=50)
    assert same["gold"]["bcubed_f_diff"] == (0.0, 0.0)
