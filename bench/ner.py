"""Entity-level NER scores (conlleval style: exact span and type) of marsad beside a gazetteer peer.

    .venv/bin/python bench/ner.py

Test sets (../shared/data/ner): ANERcorp CAMeL test (the labels the shipped model learnt), CLEANANERCorp
test (relabelled ANERcorp: many more MISC/ORG spans; scores are not comparable with published ANERcorp
ones) and CAraNER (COVID news; its TIT type is dropped, its MIS read as MISC). marsad runs exactly as
`marsad ner --conll` does (tag_conll). The peer is a dictionary tagger: longest match of the names seen in
ANERcorp train plus marsad's hand-made list, the classic NER baseline.
"""

from __future__ import annotations

import csv
import logging
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.enrich.conll import TYPES, Sentence, canonical_tag, read_conll, score  # noqa: E402
from marsad.enrich.entities import load_tagger, tag_conll  # noqa: E402
from marsad.enrich.ner_features import gazetteer_marks, token_key  # noqa: E402

log = logging.getLogger("bench.ner")
DATA = ROOT.parent / "shared" / "data" / "ner"


def read_caraner(path: Path) -> list[Sentence]:
    sents: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            sents[r["Sentence_ID"]].append((int(r["Word_ID"]), r["Word"], canonical_tag(r["Revised_Label"])))
    return [[(w, t) for _, w, t in sorted(v)] for _, v in sorted(sents.items(), key=lambda kv: int(kv[0]))]


def marsad_tags(sents: list[Sentence]) -> list[list[str]]:
    lines = []
    for s in sents:
        lines.extend(t for t, _ in s)
        lines.append("")
    out: list[list[str]] = [[]]
    for line in tag_conll(lines):
        if line:
            out[-1].append(line.split("\t")[1])
        elif out[-1]:
            out.append([])
    out = [o for o in out if o]
    assert len(out) == len(sents)
    return out


def gazetteer_tags(sents: list[Sentence]) -> list[list[str]]:
    tagger = load_tagger()
    gaz = {**tagger.known, **tagger.gazetteer}
    out = []
    for s in sents:
        marks = gazetteer_marks([token_key(t) for t, _ in s], gaz, "")
        out.append(
            [next((m[0] + "-" + m[2:] for m in mk if m[0] in "BI" and m[1] == "="), "O") for mk in marks]
        )
    return out


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    sets = {
        "ANERcorp CAMeL test": read_conll(DATA / "ANERCorp_CamelLab_test.txt"),
        "CLEANANERCorp test": read_conll(DATA / "cleananercorp_TEST.txt"),
    }
    if (DATA / "CAraNER.csv").exists():
        sets["CAraNER (all)"] = read_caraner(DATA / "CAraNER.csv")
    load_tagger()  # load time is not tagging time
    print(f"\n{'test set':22} {'system':10} {'type':5} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'tok/s':>8}")
    for name, sents in sets.items():
        gold = [[t for _, t in s] for s in sents]
        n_tok = sum(len(s) for s in sents)
        for system, fn in (("marsad", marsad_tags), ("gazetteer", gazetteer_tags)):
            t0 = time.perf_counter()
            pred = fn(sents)
            speed = n_tok / (time.perf_counter() - t0)
            sc = score(gold, pred)
            for typ in (*TYPES, "ALL"):
                s = sc[typ]
                print(
                    f"{name:22} {system:10} {typ:5} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                    f"{s.n_gold:6d} {f'{speed:8.0f}' if typ == 'ALL' else '':>8}"
                )
            if "CAraNER" in name or "CLEAN" in name:
                sub = score(gold, pred, types=("PER", "LOC", "ORG"))["ALL"]
                print(
                    f"{name:22} {system:10} {'P/L/O':5} {sub.precision:6.3f} {sub.recall:6.3f} {sub.f1:6.3f} "
                    f"{sub.n_gold:6d}"
                )
        print()


if __name__ == "__main__":
    main()
