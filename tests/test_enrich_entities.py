from pathlib import Path

from marsad.enrich.entities import find_entities, tag_conll, tag_tokens

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
