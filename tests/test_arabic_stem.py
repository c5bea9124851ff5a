"""Light stems conflate the clitic and inflected forms of a word, and keep different words apart."""

from marsad.arabic.normalize import normalize
from marsad.arabic.stem import light_stem, stem, stems


def _s(word: str) -> str:
    return stem(normalize(word))


def test_clitic_and_inflected_forms_share_a_stem():
    groups = [
        ["العراق", "والعراق", "بالعراق", "للعراق", "العراقية", "العراقيين", "عراقي"],
        ["الأمريكية", "الأمريكي", "أمريكيين", "والأمريكيين"],
        ["الوزير", "وزير", "ووزير", "للوزير"],
        ["زيارة", "الزيارة", "زيارته", "زيارتها", "بزيارة"],
        ["المحادثات", "محادثات", "والمحادثات"],
        ["قوات", "القوات", "قواتهم", "والقوات"],
        ["الفصائل", "فصائل", "والفصائل"],
    ]
    for g in groups:
        assert len({_s(w) for w in g}) == 1, [(w, _s(w)) for w in g]


def test_different_words_stay_apart():
    pairs = [("كاتب", "كتب"), ("سلام", "إسلام"), ("تعاون", "تعا"), ("قانون", "قان"), ("واشنطن", "اشنطن")]
    for a, b in pairs:
        assert _s(a) != _s(b), (a, b)
    assert _s("بغداد") == "بغداد" and _s("لبنان") == "لبنان"


def test_stems_of_text_and_cache():
    assert stems("وصل الكاظمي إلى واشنطن") == [_s("وصل"), _s("الكاظمي"), _s("إلى"), _s("واشنطن")]
    assert stem.cache_info().maxsize and light_stem("قواتهم") == stem("قواتهم")
