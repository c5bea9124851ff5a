"""Build marsad/arabic/clitic_lexicon.txt: where a word's first letters are, or are not, a proclitic.

A token t that starts with و/ف ("and", "so") or ال ("the") is kept whole by `split_clitics` when the corpus
shows it behaves like a word of its own: it appears after other proclitics ("الوزير", "للوزير", "ووزير")
more often than its would-be remainder appears alone ("زير"). So وزير, واشنطن, فرنسا, إلغاء (الغاء after
folding), آلاف (الاف), إلكترونية stay whole, while وقال, فالعراق, الاقتصاد are split.
Bare ب/ل are the other way round (never stripped by default): lines "word<TAB>1" list the corpus words whose
first letter is a preposition on the evidence (بمكة, لدعم), and لل-words whose second ل is the word's (لليبيا).
A word far more common than its letter + remainder would be is a word of its own, whatever the remainder does
elsewhere: ف is written before about 1 word in 120, so فيصل (half as common as يصل), فرانس, فكرة stay whole,
and so do بايدن, بارق, بوينج, ليلا; فقال, بمكة, بعسير are split.

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
OUT = Path(__file__).resolve().parent.parent / "marsad" / "arabic" / "clitic_lexicon.txt"
MIN_COUNT = 3
AFTER_ANY = ("و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وبال")
WORD = re.compile(r"\w+")  # tokens.tokenize without the lexicon this script builds
AFTER_ARTICLE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وبال", "فبال")
# A word is its own (not letter + remainder) when it is this many times as common as the letter's usual rate
# before words would make letter + remainder (ف ~0.8 %, ب ~4.4 %, ل ~3.4 % of a word's count): names written
# with such a first letter are about as common as their would-be remainder (بايدن / ايدن 0.78, بارق 0.52,
# فيصل / يصل 0.51), prepositional forms less (بمكه / مكه 0.21, بعسير 0.04). See marsad/arabic/README.md.
OWN_WORD_ODDS = 10.0


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


def proclitic_rates(counts: Counter[str]) -> dict[str, float]:
    """How often each one-letter proclitic is written before a word: over common words that do not start
    with a proclitic themselves, count(letter + word) / count(word)."""
    common = [w for w, n in counts.items() if n >= 2000 and len(w) >= 3 and w[0] not in "وفبل" and w[:2] != "ال"]
    total = sum(counts[w] for w in common)
    return {p: sum(counts[p + w] for w in common) / total for p in "فبل"}


def main() -> None:
    counts, hamza = word_counts()
    rates = proclitic_rates(counts)
    keep = []
    for t, k in counts.items():
        if k < MIN_COUNT or len(t) < 4:
            continue
        if t.startswith("لل") and counts[t[1:]] > max(10 * counts[t[2:]], counts["ال" + t[2:]]):
            keep.append(t + "\t1")  # لليبيا = ل + ليبيا: the second ل is the word's own
            continue
        if t[0] in "بل" and not t.startswith(("بال", "لل")):
            # a bare preposition is stripped only on evidence: the rest is a word, the whole rarely follows
            # another proclitic, and it is no more common than preposition + rest would be (بمكه -> مكه,
            # لدعم -> دعم; بغداد, لبنان, بايدن, بوينج, ليلا stay whole)
            rest = t[1:]
            if (
                counts[rest] >= 5
                and counts[rest] > 3 * sum(counts[p + t] for p in AFTER_ANY)
                and k < OWN_WORD_ODDS * rates[t[0]] * counts[rest]
            ):
                keep.append(t + "\t1")
            continue
        if t[0] == "ف" and k >= OWN_WORD_ODDS * rates["ف"] * counts[t[1:]]:
            keep.append(t)  # فيصل, فرانس, فكرة: far more common than ف + the rest would be
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
        if evidence > counts[rest] or (t[0] in "وف" and not counts[rest]):  # the rest is no word at all
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
