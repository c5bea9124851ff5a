"""Tokens, clitic splitting and the matching key."""

from marsad.arabic.normalize import normalize
from marsad.arabic.tokens import (
    STOPWORDS,
    is_stopword,
    match_tokens,
    split_clitics,
    strip_proclitics,
    tokenize,
)


def test_tokenize_drops_punctuation_keeps_words_and_numbers():
    s = "بايدن: «سننهي المهمة القتالية» بحلول نهاية 2021، ونحو 4.3 مليار دولار (أ ف ب)."
    assert tokenize(s) == [
        "بايدن", "سننهي", "المهمة", "القتالية", "بحلول", "نهاية", "2021", "ونحو", "4.3", "مليار", "دولار",
        "أ", "ف", "ب",
    ]  # fmt: skip


def test_tokenize_keeps_diacritics_inside_the_word():
    assert tokenize("وَلَمْ تَتَوانَ الفصائلُ") == ["وَلَمْ", "تَتَوانَ", "الفصائلُ"]
    assert tokenize("2,500 جندي و٢٥٠٠ B-2") == ["2,500", "جندي", "و٢٥٠٠", "B", "2"]


def test_article_and_prepositions_share_the_key():
    assert {match_tokens(w)[0] for w in ["العراق", "والعراق", "بالعراق", "للعراق", "فالعراق", "وللعراق"]} == {
        "عراق"
    }


def test_words_that_begin_like_a_clitic_keep_their_letters():
    for w in ["وزير", "واشنطن", "فرنسا", "وكالة", "فريق", "إلغاء", "آلاف", "ليبيا", "بغداد", "كان", "لبنان"]:
        assert match_tokens(w) == [normalize(w)], w
    assert match_tokens("الوزير ووزير للوزير") == ["وزير"] * 3
    assert match_tokens("لليبيا") == ["ليبيا"]
    assert match_tokens("الإلغاء بالتزام والتزام") == ["الغاء", "التزام", "التزام"]


def test_names_as_common_as_their_would_be_remainder_keep_their_first_letter():
    # فيصل is half as common as يصل: far more than ف + يصل would be; the same for these ب/ل names and ليلا
    for w in ["فيصل", "فرانس", "فكرة", "بايدن", "بوينج", "بارق", "ليلا"]:
        assert match_tokens(w) == [normalize(w)], w
    # ... while a preposition or conjunction in front of a common word is still taken off
    assert match_tokens("بمكة بعسير لدعم بمقذوف فقال") == ["مكه", "عسير", "دعم", "مقذوف", "قال"]


def test_conjunction_stripped_when_a_word_remains():
    assert match_tokens("وقال فقال") == ["قال", "قال"]
    assert match_tokens("وأكد") == ["اكد"]
    assert match_tokens("ومن وفي") == ["ومن", "وفي"]  # too short to split: kept (both are stopwords)


def test_split_clitics_parts_concatenate_to_the_token():
    for w in ["والعراق", "وبالتالي", "قواتهم", "بلادنا", "ووزير", "الكاظمي", "وللعراق", "سيارتها"]:
        n = normalize(w)
        parts = split_clitics(n)
        assert "".join(parts) == n
    assert split_clitics("قواتهم") == ("", "قوات", "هم")
    assert split_clitics("بلادنا") == ("", "بلاد", "نا")
    assert split_clitics(normalize("وسيارتها")) == ("و", "سيارت", "ها")
    assert split_clitics("والعراق") == ("وال", "عراق", "")


def test_split_clitics_is_conservative_on_lookalike_endings():
    for w in ["كورونا", "تفاهم", "محاكم", "مهم", "منها", "هنا", "ملك", "العراقي"]:
        assert split_clitics(normalize(w))[2] == "", w


def test_strip_proclitics_short_tokens_untouched():
    assert strip_proclitics("لله") == ("", "لله")
    assert strip_proclitics("الله") == ("", "الله")
    assert strip_proclitics("وما") == ("", "وما")


def test_stopwords_are_normalized_and_cover_function_words():
    assert 200 <= len(STOPWORDS) <= 400
    assert all(w == normalize(w) for w in STOPWORDS)
    for w in ["في", "من", "إلى", "على", "التي", "هذه", "أن", "كان", "قد", "وقال"]:
        assert is_stopword(normalize(w)), w
    for w in ["الكاظمي", "واشنطن", "العراق", "قوات"]:
        assert not is_stopword(normalize(w)), w


def test_match_tokens_on_real_sentence():
    s = "وأعلن الرئيس الأميركي جو بايدن الاثنين أن الولايات المتحدة ستنهي بحلول نهاية العام مهمتها القتالية"
    got = match_tokens(s)
    assert got[:3] == ["اعلن", "رييس", "اميركي"]
    assert "ولايات" in got and "عام" in got and "قتاليه" in got
