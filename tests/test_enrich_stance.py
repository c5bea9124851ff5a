import csv
from pathlib import Path

import numpy as np

from marsad.enrich import stance
from marsad.enrich.stance import (
    classify,
    classify_csv,
    classify_many,
    contradicts,
    embed,
    embed_texts,
    load_model,
    pair_features,
)

DATA = Path(__file__).parent / "data" / "enrich"


def test_opposite_movement_is_a_disagreement():
    assert classify(
        "ارتفاع أسعار النفط بعد قرار أوبك خفض الإنتاج", "انخفاض أسعار النفط بعد قرار أوبك خفض الإنتاج"
    ) == ("disagree")


def test_a_paraphrase_agrees():
    assert (
        classify(
            "الرئيس التونسي يزور الجزائر لبحث التعاون الاقتصادي",
            "زيارة للرئيس التونسي إلى الجزائر لبحث التعاون في الاقتصاد",
        )
        == "agree"
    )


def test_unrelated_headlines_are_other_or_at_least_not_agree():
    label = classify(
        "منتخب البرازيل يفوز بكأس العالم لكرة القدم", "البنك المركزي الياباني يبقي على سعر الفائدة"
    )
    assert label in ("other", "disagree")
    assert label != "agree"


def test_pair_features_see_polarity_and_negation():
    f = pair_features("الحكومة توافق على القانون", "الحكومة ترفض القانون")
    assert f.get("pole_flip:yesno") == 1.0
    assert f.get("neg_one_side") == 1.0


def test_contradicts_helper_and_csv_contract():
    assert contradicts("الذهب يرتفع مع تراجع الدولار", "الذهب يتراجع مع تراجع الدولار")
    labels = list(classify_csv(DATA / "pairs.csv"))
    assert len(labels) == 2
    assert all(lab in ("agree", "disagree", "other") for lab in labels)


def test_pair_features_see_country_swaps_and_number_qualifiers():
    f = pair_features("مصر تعلن حجم استثمارات الأجانب", "إعلان سعودي عن حجم استثمارات أجنبية")
    assert f.get("ctry_swap") == 1.0
    f = pair_features("أكثر من ٨٠ دولار للنفط", "النفط يقل عن ٨٠ دولار")
    assert f.get("nq_flip") == 1.0
    assert "ctry_swap" not in pair_features("السعودية تعلن الميزانية", "الرياض تعلن ميزانية السعودية")


PARAPHRASE = (
    "الرئيس التونسي يزور الجزائر لبحث التعاون الاقتصادي",
    "زيارة للرئيس التونسي إلى الجزائر لبحث التعاون في الاقتصاد",
)
UNRELATED = ("منتخب البرازيل يفوز بكأس العالم لكرة القدم", "البنك المركزي الياباني يبقي على سعر الفائدة")
SWAP = ("ارتفاع أسعار النفط بعد قرار أوبك خفض الإنتاج", "انخفاض أسعار النفط بعد قرار أوبك خفض الإنتاج")


def test_sentence_embeddings_are_unit_vectors_one_per_distinct_text():
    vecs = embed(["النفط يرتفع", "النفط يرتفع", "", "الذهب يتراجع"])
    assert set(vecs) == {"النفط يرتفع", "الذهب يتراجع"}  # duplicates once, empty text left out
    for v in vecs.values():
        assert v.shape == (512,)
        assert abs(float(np.linalg.norm(v)) - 1.0) < 1e-3
    assert embed([]) == {}


def test_embedding_features_tell_a_paraphrase_from_an_unrelated_pair():
    para, unrel, swap = (pair_features(*p) for p in (PARAPHRASE, UNRELATED, SWAP))
    scale = stance._USE_SCALE
    assert para["use_cos"] / scale > 0.7
    assert unrel["use_cos"] / scale < 0.4
    assert para["use_cos"] - unrel["use_cos"] > 0.4 * scale
    # the words each side has alone: a rewording (يزور / زيارة) stays close, an opposite (ارتفاع / انخفاض) less so
    assert embed_texts(*SWAP)[2:] == ("ارتفاع", "انخفاض")
    assert para["use_cos_only"] > swap["use_cos_only"]
    # identical sides: nothing is unshared
    same = pair_features(PARAPHRASE[0], PARAPHRASE[0])
    assert same["use_only_empty"] == 1.0 and abs(same["use_cos"] / scale - 1.0) < 1e-3
    # the shipped model uses them
    assert any(k.startswith("use_") for k in load_model().weights)


def test_given_vectors_match_vectors_computed_per_pair():
    vectors = embed(t for p in (PARAPHRASE, SWAP) for t in embed_texts(*p))
    for p in (PARAPHRASE, SWAP):
        alone, given = pair_features(*p), pair_features(*p, vectors)
        assert alone.keys() == given.keys()
        assert all(abs(alone[k] - given[k]) < 1e-4 for k in alone)


def test_batch_classification_matches_one_pair_a_call(tmp_path, monkeypatch):
    pairs = [PARAPHRASE, UNRELATED, SWAP, ("", "الذهب يتراجع"), (SWAP[1], SWAP[0])]
    monkeypatch.setattr(stance, "_BATCH", 2)  # several batches, the last one short
    labels = list(classify_many(pairs))
    assert labels == [classify(*p) for p in pairs]
    assert all(lab in ("agree", "disagree", "other") for lab in labels)
    path = tmp_path / "pairs.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["s1", "s2"])
        w.writerows(pairs)
    assert list(classify_csv(path)) == labels
