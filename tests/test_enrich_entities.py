from pathlib import Path

from marsad.enrich.entities import find_entities, load_tagger, read_general, tag_conll, tag_tokens
from marsad.enrich.ner_features import sentence_features

DATA = Path(__file__).parent / "data" / "enrich"


def test_tagger_finds_a_person_and_a_place():
    tokens = "وقال الرئيس الفرنسي إيمانويل ماكرون في باريس إن المحادثات كانت مثمرة .".split()
    tags = tag_tokens(tokens)
    assert len(tags) == len(tokens)
    assert tags[3:5] == ["B-PER", "I-PER"]
    assert tags[6] == "B-LOC"
    assert tags[0] == "O" and tags[-1] == "O"


def test_find_entities_spans_are_verbatim_with_clitics():
    text = "التقى وزير الخارجية الأردني أيمن الصفدي في عمّان، ثم سافر الصفدي إلى القاهرة."
    found = find_entities(text)
    for m in found:
        assert text[m.start : m.end] == m.text
    kinds = {(m.text, m.type) for m in found}
    assert ("أيمن الصفدي", "PER") in kinds
    assert ("القاهرة", "LOC") in kinds
    # the surname alone, later in the text, is the same person
    assert ("الصفدي", "PER") in kinds


def test_tag_conll_writes_token_tab_tag_and_keeps_blank_lines():
    lines = (DATA / "sample.conll").read_text(encoding="utf-8").splitlines()
    out = list(tag_conll(lines))
    assert out[4:6] == ["", ""]
    rows = [o.split("\t") for o in out if o]
    assert [r[0] for r in rows] == ["الرئيس", "الأمريكي", "جو", "بايدن", "زار", "بغداد"]
    assert all(len(r) == 2 and (r[1] == "O" or r[1][:2] in ("B-", "I-")) for r in rows)
    assert rows[5][1] == "B-LOC"


def test_empty_input():
    assert tag_tokens([]) == []
    assert find_entities("") == []
    assert list(tag_conll([])) == []


def test_features_carry_neighbour_clitic_cues_and_general_frequency_class():
    tokens = ["وصل", "وزير", "الخارجية", "إلى", "بغداد"]
    general = {"بغداد": "3n", "خارجيه": "3h"}
    feats = sentence_features(tokens, {}, {}, {}, {}, general)
    assert len(feats) == len(tokens)
    # الخارجية carries the article: its neighbours see it as a proclitic cue
    assert "pro1=ال" in feats[1] and "pro-1=ال" in feats[3]
    assert "wf=3n" in feats[4] and "wf=3h" in feats[2]
    assert "wf=x" in feats[0]  # a key the table lacks has a class of its own
    without = sentence_features(tokens, {}, {}, {}, {})
    assert not any(f.startswith("wf=") for fs in without for f in fs)


def test_read_general_skips_comments():
    assert read_general("# header\nبغداد\t3n\nجو\t2n\n") == {"بغداد": "3n", "جو": "2n"}


def test_shipped_tagger_has_the_frequency_classes_it_was_trained_with():
    tagger = load_tagger()
    assert tagger.general  # the model was trained with them: they must be loaded
    assert all(len(c) == 2 and c[0] in "1234" and c[1] in "nlh" for c in list(tagger.general.values())[:1000])
