from pathlib import Path

from marsad.enrich.stance import classify, classify_csv, contradicts, pair_features

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
