"""Build marsad/arabic/clitic_lexicon.txt: where a word's first letters are, or are not, a proclitic.

A token t that starts with و/ف ("and", "so") or ال ("the") is kept whole by `split_clitics` when the corpus
shows it behaves like a word of its own: it appears after other proclitics ("الوزير", "للوزير", "ووزير")
more often than its would-be remainder appears alone ("زير"). So وزير, واشنطن, فرنسا, إلغاء (الغاء after
folding), آلاف (الاف), إلكترونية stay whole, while وقال, فالعراق, الاقتصاد are split.
Bare ب/ل are the other way round (never stripped by default): lines "word<TAB>1" list the corpus words whose
first letter is a preposition on the evidence (بشكل, لدعم), and لل-words whose second ل is the word's (لليبيا).

Source: SaudiNewsNet (see /work/shared/data/saudinewsnet/SOURCE.md); only word forms and the decision are
kept, no text. Run:  .venv/bin/python scripts/build_arabic_clitic_lexicon.py [corpus.jsonl.gz]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

from marsad.arabic.normalize import normalize

CORPUS = Path("/work/shared/data/saudinewsnet/corpus.jsonl.gz")
OUT = Path(__file__).resolve().parent.parent / "marsad" / "arabic" / "clitic_lexicon.txt"
MIN_COUNT = 3
AFTER_ANY = ("و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وبال")
WORD = re.compile(r"\w+")  # tokens.tokenize without the lexicon this script builds
AFTER_ARTICLE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وبال", "فبال")


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    counts: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            counts.update(WORD.findall(normalize(f"{d.get('title') or ''} {d.get('content') or ''}")))
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
            if counts[t[1:]] >= 5 and counts[t[1:]] > 3 * sum(counts[p + t] for p in AFTER_ANY):
                keep.append(t + "\t1")
            continue
        if t[0] in "وف":
            evidence, rest = sum(counts[p + t] for p in AFTER_ANY), t[1:]
        elif t.startswith("ال"):
            evidence, rest = sum(counts[p + t] for p in AFTER_ARTICLE), t[2:]
        else:
            continue
        if evidence > counts[rest]:
            keep.append(t)
    header = (
        "# Words that start like a proclitic (و ف ال) but keep it: built by scripts/build_arabic_clitic_lexicon.py\n"
        '# from SaudiNewsNet word counts (word forms only). One normalized word a line; "word<TAB>1": only\n'
        "# the first letter is a clitic.\n"
    )
    OUT.write_text(header + "\n".join(sorted(keep)) + "\n", encoding="utf-8")
    print(f"{len(keep)} words -> {OUT}")


if __name__ == "__main__":
    main()
