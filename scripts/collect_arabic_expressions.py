"""Pull candidate date and number expressions out of real texts, for hand-checked test files.

Sources (all under /work/shared): SaudiNewsNet article contents (ref = the article's date), ANERCorp
sentences (Moroccan/Levantine month names are rare elsewhere; no ref), the seed pages and the extraction
dumps. Candidates are found with simple patterns written here, independent of marsad's parsers, and
printed with context; expected values in tests/data/arabic/*.tsv were then written by hand, by reading.

Run:  .venv/bin/python scripts/collect_arabic_expressions.py dates|numbers [--per-kind 25] [--seed 1]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from collections import defaultdict
from pathlib import Path

SHARED = Path("/work/shared")
MONTH = (
    r"(?:يناير|فبراير|مارس|أبريل|ابريل|إبريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر"
    r"|ديسمبر|كانون الثاني|كانون الأول|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني"
    r"|جانفي|فيفري|أفريل|جوان|جويلية|أوت|يوليوز|غشت|شتنبر|نونبر|دجنبر)"
)
HMONTH = r"(?:محرم|صفر|ربيع الأول|ربيع الآخر|ربيع الثاني|جمادى الأولى|جمادى الآخرة|رجب|شعبان|رمضان|شوال|ذو القعدة|ذي القعدة|ذو الحجة|ذي الحجة)"
WEEKDAY = r"(?:الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت)"
DATE_KINDS = {
    "named": rf"\d{{1,2}}\s+(?:من\s+)?{MONTH}(?:\s*[(/]\s*{MONTH}\s*\)?)?(?:\s+(?:عام\s+)?\d{{4}})?",
    "month_year": rf"{MONTH}(?:\s*[(/]\s*{MONTH}\s*\)?)?\s+\d{{4}}",
    "levantine_maghrebi": r"\d{1,2}\s+(?:كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين|جانفي|فيفري|أفريل|جوان"
    r"|جويلية|يوليوز|غشت|شتنبر|نونبر|دجنبر)[^\n،.]{0,20}",
    "numeric": r"\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*\d{4}(?:\s*هـ)?",
    "hijri": rf"(?:\d{{1,2}}\s+{HMONTH}(?:\s+\d{{4}}\s*هـ?)?|\d{{4}}\s*هـ)",
    "weekday": rf"(?:اليوم|أمس|غدا|يوم)\s+{WEEKDAY}|{WEEKDAY}\s+(?:الماضي|المقبل|القادم)",
    "relative": r"(?:الأسبوع|الشهر|العام)\s+(?:الماضي|المقبل|القادم|الجاري)|(?:مطلع|نهاية|منتصف)\s+(?:العام|الشهر)"
    r"|(?:أمس|غدا)(?=[\s،.])",
    "year": r"(?:عام|العام)\s+\d{4}",
}
NUMBER_KINDS = {
    "digits_noun": r"\d{1,3}(?:[,٬]\d{3})+\s+\w+|\d+\s+\w+",
    "decimal_scale": r"\d+[.,٫]\d+\s+(?:مليون|مليار|ألف)\s+\w+",
    "scale": r"\d+\s+(?:ألف|ألفا|آلاف|مليون|ملايين|مليار|مليارات)\s+\w+",
    "words": r"(?:ثلاثة|أربعة|خمسة|ستة|سبعة|ثمانية|تسعة|عشرة|ثلاث|أربع|خمس|عشرين|ثلاثين|أربعين|خمسين|ستين|مئة|مائة"
    r"|ألف|مليون)\s+\w+",
    "qualified": r"(?:نحو|حوالي|حوالى|قرابة|زهاء|أكثر من|أزيد من|أقل من|ما لا يقل عن|ما يزيد على|ما يقارب)\s+[\d\w]+\s+\w+",
    "percent": r"\d+(?:[.,٫]\d+)?\s*(?:%|٪|في المائة|في المئة|بالمئة)",
    "compound": r"\d+\s+(?:ألفا|ألف|مليونا)\s+و\s*\d+\s+\w+",
}


def texts():
    """(source id, reference date or "", text) from the shared data."""
    with gzip.open(SHARED / "data/saudinewsnet/corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield d["id"], d["date"][:10], d.get("content") or ""
    for name in ("ANERCorp_CamelLab_train.txt", "ANERCorp_CamelLab_test.txt"):
        words, k = [], 0
        for line in (SHARED / "data/ner" / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                if words:
                    yield f"anercorp-{name.split('_')[-1][:-4]}#{k}", "", " ".join(words)
                    k += 1
                words = []
                continue
            words.append(line.split(" ")[0])
    for p in sorted((SHARED / "seeds").glob("*.txt")):
        yield f"seed-{p.name[:3]}", "", p.read_text(encoding="utf-8")
    for p in sorted((SHARED / "data/extraction/dumps").glob("*.txt")):
        yield f"dump-{p.stem}", "", p.read_text(encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["dates", "numbers"])
    ap.add_argument("--per-kind", type=int, default=25)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    kinds = {k: re.compile(v) for k, v in (DATE_KINDS if args.what == "dates" else NUMBER_KINDS).items()}
    found = defaultdict(list)
    for sid, ref, text in texts():
        for kind, rx in kinds.items():
            for m in rx.finditer(text):
                ctx = text[max(0, m.start() - 40) : m.end() + 25].replace("\n", " ").replace("\t", " ")
                found[kind].append((sid, ref, m.group().strip(), ctx))
    rnd = random.Random(args.seed)
    for kind, rows in found.items():
        print(f"## {kind}: {len(rows)} candidates")
        for sid, ref, expr, ctx in rnd.sample(rows, min(args.per_kind, len(rows))):
            print(f"{sid}\t{ref}\t{expr}\t{ctx}")


if __name__ == "__main__":
    main()
