from marsad.enrich.conll import canonical_tag, score, spans


def test_tags_from_each_corpus_map_to_one_scheme():
    assert canonical_tag("B-PERS") == "B-PER"
    assert canonical_tag("I_MIS") == "I-MISC"
    assert canonical_tag("B_TIT") == "O"
    assert canonical_tag("O") == "O"


def test_spans_read_like_conlleval():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]
    assert list(spans(tags)) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "ORG")]


def test_score_needs_exact_span_and_type():
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    pred = [["B-PER", "O", "O", "B-LOC"]]
    sc = score(gold, pred)
    assert sc["LOC"].f1 == 1.0
    assert sc["PER"].tp == 0
    assert sc["ALL"].precision == 0.5 and sc["ALL"].recall == 0.5
