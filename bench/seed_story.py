"""The seeds' story as a reader would see it: the five seed pages extracted by marsad and synthesized as
one story (the gold grouping), printed with what the story gold asks for.

    .venv/bin/python bench/seed_story.py

Shows the summary with its sources, whether the 30/36 disagreement and the AFP wire passages shared by
pages 001 and 003 appear, and the key points of ../shared/seeds/story_gold.json for a person to judge the
summary's coverage against (the judgement is written in bench/README.md, not computed here).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(ROOT))

from marsad.dedup.passages import PassageIndex  # noqa: E402
from marsad.model import Article  # noqa: E402
from marsad.pipeline import extract_pages  # noqa: E402
from marsad.store.sqlite import open_store  # noqa: E402
from marsad.synthesize.view import build_view  # noqa: E402


def main() -> None:
    gold = json.loads((SEEDS / "story_gold.json").read_text(encoding="utf-8"))
    files = sorted(str(p) for p in SEEDS.glob("0*.txt"))
    arts = [ex.result for ex in extract_pages(files, learn_template=False) if isinstance(ex.result, Article)]
    name = {a.id: Path(a.origin).name[:3] for a in arts}
    conn = open_store(":memory:")
    PassageIndex(conn).add_many((a.id, a.body, a.published) for a in arts)
    view = build_view("seeds", arts, {}, conn)

    print(f"headline: {view.headline}\n\nsummary ({sum(len(s.text.split()) for s in view.summary)} words):")
    for s in view.summary:
        print(f"  - [{', '.join(name[i] for i in s.sources)}] {s.text}")
    print("\ndisagreements:")
    for d in view.disagreements:
        print(f"  - {d['what']}: " + "; ".join(f"{v} <- {[name[i] for i in ids]}" for v, ids in d["values"].items()))
    want = {(frozenset(p["files"]), p["start"]) for p in gold["shared_wire_passages"]}
    print("\nwire passages:")
    for p in view.wire_passages:
        print(f"  - first {name[p['first']]}, in {[name[i] for i in p['articles']]}: {p['text'][:70]}")
    found = sum(any(p["text"].startswith(start) for p in view.wire_passages) for _, start in want)
    print(f"gold AFP passages found: {found}/{len(want)}")
    dead = any({"30", "36"} <= set(d["values"]) for d in view.disagreements)
    print(f"30 vs 36 dead flagged: {dead}")
    print("\nkey points to judge the summary against:")
    for k in gold["key_points"]:
        print(f"  - {k}")


if __name__ == "__main__":
    main()
