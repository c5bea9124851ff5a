"""Entities and facts on the seed story: merging of spelling variants, and the disagreements found.

    .venv/bin/python bench/entities_facts.py

Reads ../shared/seeds/gold.json (article bodies) and story_gold.json (entities with variants, facts, the
30 vs 36 disagreement). Prints:
- merge precision/recall over pairs of gold variants, compared by matching key (forms that differ only by
  normalization or clitics, الكاظمي/للكاظمي, count as one): two variants of one gold entity should be in
  one marsad entity, two of different gold entities should not. For marsad's NER + merging, for gold
  mentions + merging (merging alone), and for the peer, exact-key grouping (normalization and clitic
  stripping only, so it merges no pair of distinct keys: recall 0 by construction);
- whether the 30/36 dead disagreement is found, and whether 2500 US vs 3500 foreign troops or "at least 50"
  vs "about fifty" attacks are wrongly flagged, beside a peer that groups by noun only and compares values.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.enrich.canon import Entity, entity_key, merge_entities  # noqa: E402
from marsad.enrich.entities import Mention, find_entities  # noqa: E402
from marsad.enrich.facts import Fact, FactGroup, disagreements, extract_facts, group_facts  # noqa: E402

log = logging.getLogger("bench.entities_facts")
SEEDS = ROOT.parent / "shared" / "seeds"


def load() -> tuple[dict[str, str], dict]:
    gold = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))
    story = json.loads((SEEDS / "story_gold.json").read_text(encoding="utf-8"))
    texts = {d["file"]: "\n".join([d["title"] or "", d["subtitle"] or "", *d["body"]]) for d in gold}
    return texts, story


def gold_mentions(texts: dict[str, str], story: dict) -> dict[str, list[Mention]]:
    """Every occurrence of a gold variant (longest first, whole words, attached clitics allowed)."""
    forms = sorted(
        ((v, e["type"]) for e in story["entities"] for v in e["variants"]), key=lambda vt: -len(vt[0])
    )
    out: dict[str, list[Mention]] = {}
    for art, text in texts.items():
        taken = [False] * len(text)
        ms = []
        for form, typ in forms:
            for m in re.finditer(rf"(?<!\w)[وفبلك]{{0,2}}{re.escape(form)}(?!\w)", text):
                if not any(taken[m.start() : m.end()]):
                    taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                    ms.append(Mention(m.start(), m.end(), m.group(), typ))
        out[art] = sorted(ms, key=lambda m: m.start)
    return out


def exact_key_merge(mentions: dict[str, list[Mention]]) -> list[Entity]:
    """Peer: one entity per exact matching key (normalized, proclitics and article stripped)."""
    groups: dict[tuple[str, ...], list[tuple[str, Mention]]] = defaultdict(list)
    for art, ms in mentions.items():
        for m in ms:
            groups[entity_key(m.text)].append((art, m))
    return [
        Entity(
            ms[0][1].text, ms[0][1].type, tuple({m.text for _, m in ms}), len(ms), tuple({a for a, _ in ms})
        )
        for k, ms in groups.items()
        if k
    ]


def _gold_key(text: str, gold_of: dict[tuple[str, ...], int]) -> tuple[str, ...] | None:
    """The gold variant a surface form stands for: same matching key, or the same after a bare attached
    preposition (لطهران -> طهران)."""
    for form in (text, text[1:] if text[:1] in "بلك" else None):
        if form and entity_key(form) in gold_of:
            return entity_key(form)
    return None


def merge_scores(entities: list[Entity], story: dict) -> tuple[float, float, float, int]:
    """(pair precision, pair recall, share of gold variants found, gold variants). Variants are compared by
    matching key, so "للكاظمي" found stands for the gold "للكاظمي"/"الكاظمي" key it shares."""
    gold_of: dict[tuple[str, ...], int] = {}
    for gi, e in enumerate(story["entities"]):
        for v in e["variants"]:
            gold_of.setdefault(entity_key(v), gi)
    pred_of: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for pi, e in enumerate(entities):
        for v in e.variants:
            key = _gold_key(v, gold_of)
            if key is not None:
                pred_of[key].add(pi)
    found = [k for k in gold_of if k in pred_of]
    tp = fp = fn = 0
    for a, b in itertools.combinations(found, 2):
        same_gold = gold_of[a] == gold_of[b]
        same_pred = bool(pred_of[a] & pred_of[b])
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, len(found) / len(gold_of), len(gold_of)


def noun_only_groups(facts: list[Fact]) -> list[FactGroup]:
    """Peer: group by the counted noun alone; qualifiers are then ignored (see naive_disagreements)."""
    by: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by[f.noun_key].append(f)
    return [FactGroup(k, None, tuple(v)) for k, v in by.items()]


def naive_disagreements(groups: list[FactGroup]) -> list[set[float]]:
    return [
        {f.value for f in g.facts}
        for g in groups
        if len({f.value for f in g.facts}) > 1 and len({f.article_id for f in g.facts}) > 1
    ]


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    texts, story = load()
    t0 = time.perf_counter()
    found = {art: find_entities(text) for art, text in texts.items()}
    t_ner = time.perf_counter() - t0
    gold_ms = gold_mentions(texts, story)
    rows = [
        ("marsad NER + merge", merge_entities(found)),
        ("gold mentions + marsad merge", merge_entities(gold_ms)),
        ("peer: NER + exact-key grouping", exact_key_merge(found)),
        ("peer: gold mentions + exact-key", exact_key_merge(gold_ms)),
    ]
    print("\nEntity variants merged (pairs of gold variants; seeds story, 5 articles)")
    print(f"{'system':34} {'pair P':>7} {'pair R':>7} {'pair F':>7} {'variants found':>15}")
    for name, ents in rows:
        p, r, cov, nv = merge_scores(ents, story)
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{name:34} {p:7.3f} {r:7.3f} {f:7.3f} {cov:10.2f} of {nv}")
    print(f"(NER over the 5 seed texts: {t_ner:.2f}s)")

    print("\nmarsad entities (NER + merge), most mentioned first:")
    for e in rows[0][1][:25]:
        print(f"  {e.type:4} {e.canonical:28} x{e.count:<3} {len(e.articles)} art.  {' | '.join(e.variants)}")

    facts = [f for art, text in texts.items() for f in extract_facts(art, text)]
    groups = group_facts(facts)
    dis = disagreements(groups, check_stance=True)
    gold_dis = story["disagreements"][0]["values"]

    mine = [set(d.values) for d in dis]
    naive = [{str(int(v)) for v in d} for d in naive_disagreements(noun_only_groups(facts))]
    print(f"\nFacts: {len(facts)} extracted, {len(groups)} groups, {len(dis)} disagreements")
    print(f"{'check':46} {'marsad':>8} {'peer (noun only)':>17}")
    checks = [  # (what, test on a disagreement's value set, should it be flagged)
        ("30 vs 36 dead found (gold disagreement)", lambda d: set(gold_dis) <= d, True),
        ("2500 vs 3500 troops flagged (should not)", lambda d: {"2500", "3500"} <= d, False),
        ("attacks: 'at least 50'/'about fifty' flagged", lambda d: "50" in d, False),
    ]
    for name, test, want in checks:
        a, b = any(test(d) for d in mine), any(test(d) for d in naive)
        print(
            f"{name:46} {('yes' if a else 'no') + (' ok' if a == want else ' WRONG'):>10} "
            f"{('yes' if b else 'no') + (' ok' if b == want else ' WRONG'):>17}"
        )
    print(f"other marsad disagreements: {[d.values for d in dis if set(d.values) != set(gold_dis)]}")
    for d in dis:
        print(
            f"  {d.what}: {d.values}  (stance model, P(disagree) of the clashing sentences: {d.stance:.2f})"
        )


if __name__ == "__main__":
    main()
