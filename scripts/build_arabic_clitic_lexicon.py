"""Build marsad/arabic/clitic_lexicon.txt: where a word's first letters are, or are not, a proclitic.

A token t that starts with و/ف ("and", "so") or ال ("the") is kept whole by `split_clitics` when the corpus
shows it behaves like a word of its own: it appears after other proclitics ("الوزير", "للوزير", "ووزير")
more often than its would-be remainder appears alone ("زير"). So وزير, واشنطن, فرنسا, إلغاء (الغاء after
folding), آلاف (الاف), إلكترونية stay whole, while وقال, فالعراق, الاقتصاد are split.
Bare ب/ل are the other way round (never stripped by default): lines "word<TAB>1" list the corpus words whose
first letter is a preposition on the evidence (بشكل, لدعم), and لل-words whose second ل is the word's (لليبيا).

Source: wordfreq's large Arabic word list (Robyn Speer, wordfreq 3.x: code Apache-2.0, data CC BY-SA 4.0,
compiled from Wikipedia, subtitles, web text and more), so the lexicon is CC BY-SA 4.0 data (noted in its
header and in marsad/arabic/README.md). Word frequencies are scaled to counts in a 100M-token text; only word
forms and the decision are kept. It was first built from SaudiNewsNet's counts, whose licence (CC BY-NC-SA)
does not suit a file shipped in an Apache-2.0 package. Run (needs `pip install -e '.[train]'`):
    .venv/bin/python scripts/build_arabic_clitic_lexicon.py
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from marsad.arabic.normalize import normalize

TOKENS = 1e8  # wordfreq gives frequencies: counts as in a text of this many tokens
BARE_MIN = 50  # a bare ب/ل is stripped from a word only when the word is this common (5 in 10M tokens)
OUT = Path(__file__).resolve().parent.parent / "marsad" / "arabic" / "clitic_lexicon.txt"
MIN_COUNT = 3
AFTER_ANY = ("و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وبال")
WORD = re.compile(r"\w+")  # tokens.tokenize without the lexicon this script builds
AFTER_ARTICLE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وبال", "فبال")


def word_counts() -> tuple[Counter[str], Counter[str]]:
    """Normalized word forms with their counts in a TOKENS-long text, from wordfreq's frequencies; and the
    counts of those written with a hamza or madda on their first alif (آلاف, إلغاء): that alif is the
    word's own, never the article's, though normalizing makes them look alike (الاف)."""
    import wordfreq

    freq: Counter[str] = Counter()
    hamza: Counter[str] = Counter()
    for word, f in wordfreq.get_frequency_dict("ar", wordlist="large").items():
        for t in WORD.findall(normalize(word)):
            freq[t] += f
        if word.startswith(("آل", "أل", "إل")):
            hamza[normalize(word)] += f
    counts = Counter({t: n for t, f in freq.items() if (n := round(f * TOKENS)) > 0})
    return counts, Counter({t: round(f * TOKENS) for t, f in hamza.items()})


def main() -> None:
    counts, hamza = word_counts()
    keep = []
    for t, k in counts.items():
        if k < MIN_COUNT or len(t) < 4:
            continue
        if t.startswith("لل") and counts[t[1:]] > max(10 * counts[t[2:]], counts["ال" + t[2:]]):
            keep.append(t + "\t1")  # لليبيا = ل + ليبيا: the second ل is the word's own
            continue
        if t[0] in "بل" and not t.startswith(("بال", "لل")):
            # a bare preposition is stripped only on evidence: the rest is a frequent word and the whole
            # is rarely seen after another proclitic (بشكل -> شكل, لدعم -> دعم; بغداد, لبنان stay whole)
            rest = t[1:]
            # ... on enough evidence (a word seen BARE_MIN times), and the rest takes other proclitics
            # itself, as a word does (والشكل; not ايدن from بايدن): a general-language list knows enough
            # rare words to make any remainder look frequent
            if (
                k >= BARE_MIN
                and counts[rest] >= 5
                and counts[rest] > 3 * sum(counts[p + t] for p in AFTER_ANY)
                and sum(counts[p + rest] for p in AFTER_ANY if p + rest != t) >= 0.2 * k
            ):
                keep.append(t + "\t1")
            continue
        if t[0] in "وف":
            evidence, rest = sum(counts[p + t] for p in AFTER_ANY), t[1:]
        elif t.startswith("ال"):
            if hamza[t] >= 0.5 * k:  # mostly written آل/أل/إل: the alif is the word's, not the article
                keep.append(t)
                continue
            evidence, rest = sum(counts[p + t] for p in AFTER_ARTICLE), t[2:]
        else:
            continue
        if evidence > counts[rest]:
            keep.append(t)
    header = (
        "# Words that start like a proclitic (و ف ال) but keep it: built by scripts/build_arabic_clitic_lexicon.py\n"
        "# from wordfreq's Arabic word frequencies (word forms only). Licence: CC BY-SA 4.0, as wordfreq's data\n"
        "# (Robyn Speer, wordfreq, https://github.com/rspeer/wordfreq). One normalized word a line;\n"
        '# "word<TAB>1": only the first letter is a clitic.\n'
    )
    OUT.write_text(header + "\n".join(sorted(keep)) + "\n", encoding="utf-8")
    print(f"{len(keep)} words -> {OUT}")


if __name__ == "__main__":
    main()
