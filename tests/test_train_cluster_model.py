"""The clustering model's training script: the pairs it learns from on its own stories (on-policy rounds)."""

from __future__ import annotations

import pytest
from load_module import load_module
from test_cluster_online import load

from marsad.cluster.decision import FEATURES, Decision
from marsad.cluster.features import read_terms


@pytest.fixture(scope="module")
def tcm():
    return load_module("scripts/train_cluster_model.py", "train_cluster_model")


# joins every article to its best retrieved candidate: the story it builds is whatever retrieval finds
JOIN_ALL = Decision((0.0,) * len(FEATURES), 10.0, 0.5, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES))


@pytest.fixture(scope="module")
def kirkuk():
    by_id = {a.id: a for a in load()}
    return [read_terms(by_id[i]) for i in ("a1", "a2", "a3")]  # one bombing, in publication order


def labels(tcm, terms, gold):
    x, y = tcm.collect_own(terms, gold, JOIN_ALL)
    return list(y)


def test_an_article_learns_to_join_the_story_holding_its_happening(tcm, kirkuk):
    # a2 meets a1's story (one candidate: positive); a3 meets the same story, now holding a1 and a2
    assert labels(tcm, kirkuk, {"a1": "X", "a2": "X", "a3": "X"}) == [1.0, 1.0]


def test_the_first_article_of_a_happening_has_no_positive(tcm, kirkuk):
    assert labels(tcm, kirkuk, {"a1": "X", "a2": "X", "a3": "Y"}) == [1.0, 0.0]


def test_a_story_another_happening_took_over_is_no_place_to_join(tcm, kirkuk):
    # the model put Y's a2 into X's story: half of it is now another happening, so a3 should not follow
    assert labels(tcm, kirkuk, {"a1": "X", "a2": "Y", "a3": "X"}) == [0.0, 0.0]
    # unlabelled articles do not count against a story
    assert labels(tcm, kirkuk, {"a1": "X", "a3": "X"}) == [1.0]


def test_held_out_as_ingest_leaves_copies_out_and_puts_them_in_their_originals_story(tcm):
    from dataclasses import replace

    arts = load()
    a1 = next(a for a in arts if a.id == "a1")
    copy = replace(a1, id="a1-copy", origin="a1-copy", outlet="other", source="other")
    copies = tcm.copies_of([*arts, copy])
    assert copies == {"a1-copy": "a1"}  # the reports of one happening in other words are not copies
    pred = tcm.with_copies({"a1": "st-1", "b1": "st-2"}, copies)
    assert pred == {"a1": "st-1", "b1": "st-2", "a1-copy": "st-1"}


def test_pooled_held_out_takes_each_story_from_the_fold_that_held_it_out(tcm):
    rows = [{"story": "s1", "members": ["a", "b"]}, {"story": "s2", "members": ["c"]}]
    fold1 = {"a": "st-1", "b": "st-1", "c": "st-1", "x": "st-9"}  # saw s2: its say on c is not held out
    fold2 = {"a": "st-5", "b": "st-6", "c": "st-1"}  # the same story id in another run is another story
    pooled = tcm.pool_held_out([("F1", fold1, {"s1"}), ("F2", fold2, {"s2"})], rows)
    assert pooled == {"a": "F1:st-1", "b": "F1:st-1", "c": "F2:st-1"}
    assert pooled["a"] != pooled["c"]  # not merged across folds
