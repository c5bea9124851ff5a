"""bench/cluster_quality.run_oracle: the join decision taken from the labels, bounded by what retrieval offers."""

from __future__ import annotations

import pytest
from load_module import load_module
from test_cluster_online import load

from marsad.cluster import story_id_for


@pytest.fixture(scope="module")
def cq():
    return load_module("bench/cluster_quality.py", "bench_cluster_quality")


def test_labelled_articles_join_the_story_of_their_label(cq):
    gold = {"a1": "kirkuk", "a2": "kirkuk", "a3": "kirkuk", "b1": "other", "b2": "other"}
    pred, _ = cq.run_oracle(load(), gold)
    assert pred["a1"] == pred["a2"] == pred["a3"]
    assert pred["b1"] == pred["b2"] != pred["a1"]


def test_an_article_the_labels_set_apart_founds_its_own_story(cq):
    # the model joins a2 to a1 (test_cluster_online); labels saying otherwise keep it out
    pred, _ = cq.run_oracle(load(), {"a1": "x", "a2": "y"})
    assert pred["a2"] == story_id_for("a2") != pred["a1"]


def test_a_story_retrieval_does_not_offer_cannot_be_joined(cq):
    gold = {"a1": "kirkuk", "a2": "kirkuk", "a3": "kirkuk"}
    pred, _ = cq.run_oracle(load(), gold, max_candidates=1)
    assert pred["a2"] == pred["a1"]  # its story is the first candidate
    one = {k: v for k, v in cq.run_oracle(load(), gold, max_candidates=0)[0].items() if k in gold}
    assert one == {k: story_id_for(k) for k in gold}  # nothing retrieved: each founds a story
