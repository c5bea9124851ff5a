"""Sentence splitting: Arabic punctuation, quotations, ellipses, abbreviations; sentences are verbatim."""

from pathlib import Path

from marsad.arabic.sentences import sentence_spans, split_sentences

SEEDS = Path("/work/shared/seeds")


def test_arabic_punctuation_and_newlines():
    text = "هل سيتغير شيء؟ لا أحد يعرف! قال الوزير ذلك؛ وبقي الوفد.\nوصل الكاظمي إلى واشنطن"
    assert split_sentences(text) == [
        "هل سيتغير شيء؟",
        "لا أحد يعرف!",
        "قال الوزير ذلك؛",
        "وبقي الوفد.",
        "وصل الكاظمي إلى واشنطن",
    ]


def test_arabic_comma_does_not_split():
    assert split_sentences("وصل الكاظمي، ليل الأحد، إلى واشنطن.") == ["وصل الكاظمي، ليل الأحد، إلى واشنطن."]


def test_short_quotation_stays_in_its_sentence():
    text = "وقال بايدن «لن نكون في مهمة قتالية. تعاوننا سيتواصل» في العراق. وأضاف «هذا جيد» ثم غادر."
    assert split_sentences(text) == [
        "وقال بايدن «لن نكون في مهمة قتالية. تعاوننا سيتواصل» في العراق.",
        "وأضاف «هذا جيد» ثم غادر.",
    ]
    assert split_sentences("قال: “انتهى الأمر؟ لا” وغادر القاعة.") == ["قال: “انتهى الأمر؟ لا” وغادر القاعة."]


def test_closing_quote_after_full_stop_belongs_to_the_sentence():
    assert split_sentences('وأضاف "ما يهم هو التدريب." وتابع') == ['وأضاف "ما يهم هو التدريب."', "وتابع"]


def test_abbreviations_decimals_initials_and_ellipses():
    text = "أفادت وكالة أ.ف.ب أن 4.3 مليار دولار خصصت. ونقلت د.ب.أ عن د. محمد العلي (أ ف ب). ص.ب 1234 الرياض."
    assert split_sentences(text) == [
        "أفادت وكالة أ.ف.ب أن 4.3 مليار دولار خصصت.",
        "ونقلت د.ب.أ عن د. محمد العلي (أ ف ب).",
        "ص.ب 1234 الرياض.",
    ]
    assert split_sentences("وقال إن الوضع مستقر... لكنه حذر (…) من التصعيد.") == [
        "وقال إن الوضع مستقر... لكنه حذر (…) من التصعيد."
    ]
    assert split_sentences("سوريا.. الصراعات لا تنتهي") == ["سوريا.. الصراعات لا تنتهي"]
    assert split_sentences("زوروا aawsat.com للمزيد.") == ["زوروا aawsat.com للمزيد."]


def test_glued_sentences_split_at_the_full_stop():
    assert split_sentences("وصل الوفد إلى بغداد.وقال المسؤول") == ["وصل الوفد إلى بغداد.", "وقال المسؤول"]


def test_sentences_are_verbatim_substrings_of_real_pages():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = sentence_spans(text)
        assert spans, path
        for a, b in spans:
            s = text[a:b]
            assert s == s.strip() and s
        # order and no overlap
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False))


def test_empty():
    assert split_sentences("") == [] and split_sentences(" \n ") == []
