"""Build the sample corpus in examples/ (what `make demo` runs on), reproducibly.

    python scripts/make_examples.py [--shared ../shared] [--out examples]

- examples/seeds/: the five seed pages (plain-text dumps, the project's founding documents), copied
  under their own names.
- examples/saudinewsnet/sample.jsonl: every member of a fixed list of hand-labelled development stories
  (../shared/data/saudinewsnet/labels/dev/stories.jsonl), chosen in topic families so the demo has
  near-misses (two Carter meetings in Jeddah on one day, the first and second aid planes to Aden, two
  border attacks, Mullah Omar's death and his successor), plus background: the labels' checked
  non-members, then unlabelled articles from the same days drawn with a fixed seed. Articles that belong
  to a labelled story left out of the list are never used, so no story appears in part. Lines are the
  corpus's own, byte for byte, sorted by date and id.
Each folder gets a SOURCE.md with its origin and licence.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import random
import shutil
from pathlib import Path

log = logging.getLogger("make_examples")

SEED = 20150721
TOTAL = 480  # articles in the sample: the stories' members plus background up to this count
STORIES = (
    # The stories with reference summaries (labels/dev/summaries.jsonl) ...
    "tr-suruc-suicide-bombing",
    "af-mullah-omar-death-confirmed",
    "af-taliban-name-mansour-leader",
    "ye-aden-airport-reopens-first-saudi-plane",
    "ye-darb-alkhair-saudi-aid-ship-aden",
    "sa-misyal-border-post-shelled-three-guards-killed",
    "sa-najran-projectile-pakistani-indian-injured",
    "kw-isis-network-dismantled",
    "sa-qatif-policeman-sami-alharbi-shot",
    "sa-khurais-road-omani-pilgrims-bus-crash",
    "uk-blackbushe-saudi-private-jet-crash",
    "ps-duma-arson-toddler-ali-dawabsheh",
    "sa-king-salman-receives-carter-jeddah",
    "tr-sirnak-pkk-attack-three-soldiers",
    # ... and two close siblings of theirs: same visitor, same day; the next aid plane to the same airport.
    "sa-mbs-meets-carter-jeddah",
    "ye-second-saudi-aid-plane-aden",
)

SNN_SOURCE = """\
# SaudiNewsNet sample

`sample.jsonl`: {total} Arabic news articles from SaudiNewsNet, one JSON object a line with the corpus's
own fields (`id`, `source`, `url`, `date`, `title`, `author`, `content`), built by
`scripts/make_examples.py` (seed {seed}).

- Origin: the SaudiNewsNet data set (GitHub: inparallel/SaudiNewsNet, commit
  4e39239966c2ae8a3faa591201acb9cd1f51199d), dataset/*.zip: 31,030 articles from 14 Saudi outlets,
  21 July - 11 August 2015, as converted in the project's shared data (`data/saudinewsnet/corpus.jsonl.gz`).
- Licence as stated there: **CC BY-NC-SA 4.0, research use**; the articles' copyright stays with the
  newspapers. This note stays beside any copy of the sample.

## Makeup
{n_members} articles are all the members of {n_stories} stories labelled by hand for development
(`data/saudinewsnet/labels/dev/stories.jsonl`); {n_background} are background from the same days
({n_negatives} of them checked non-members of those stories, the rest unlabelled and drawn at random).
No article of any other labelled story is included, so every labelled story here is complete.

| story | date | members | outlets |
|---|---|---|---|
{rows}
"""

SEEDS_SOURCE = """\
# Seed pages

Five real Arabic news pages, scraped from the web as plain-text dumps (a browser's visible text of each
page), all about one event: Iraqi prime minister al-Kadhimi's visit to Washington, July 2021. Two come
from news aggregators and three from outlets. They are the documents marsad was created from, copied
here unchanged under their own names from the project's shared seeds.

Copyright stays with their outlets; they are included as small samples for testing and for the demo.
Their gold answers (title, outlet, date, body) live with the shared seeds, not here.
"""


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=repo.parent / "shared")
    ap.add_argument("--out", type=Path, default=repo / "examples")
    args = ap.parse_args()
    copy_seeds(args.shared / "seeds", args.out / "seeds")
    build_sample(args.shared / "data" / "saudinewsnet", args.out / "saudinewsnet")


def copy_seeds(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    pages = sorted(src.glob("0*.txt"))
    for p in pages:
        shutil.copyfile(p, dst / p.name)
    (dst / "SOURCE.md").write_text(SEEDS_SOURCE, encoding="utf-8")
    log.info("seeds: %d pages -> %s", len(pages), dst)


def build_sample(snn: Path, dst: Path) -> None:
    labels = {}
    for line in (snn / "labels" / "dev" / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            story = json.loads(line)
            labels[story["story"]] = story
    chosen = [labels[s] for s in STORIES]
    members = {m for s in chosen for m in s["members"]}
    labelled_elsewhere = {m for s in labels.values() if s["story"] not in STORIES for m in s["members"]}
    negatives = {m for s in chosen for m in s["non_members_checked"]} - members - labelled_elsewhere

    lines: dict[str, bytes] = {}  # id -> the corpus line, verbatim
    info: dict[str, dict] = {}
    with gzip.open(snn / "corpus.jsonl.gz", "rb") as f:
        for raw in f:
            d = json.loads(raw)
            info[d["id"]] = {"date": d["date"], "source": d["source"], "empty": not d["content"].strip()}
            if d["id"] in members or d["id"] in negatives:
                lines[d["id"]] = raw
    missing = members - lines.keys()
    if missing:
        raise SystemExit(f"story members missing from the corpus: {sorted(missing)}")

    days = {info[m]["date"][:10] for m in members}
    pool = sorted(
        i
        for i, x in info.items()
        if x["date"][:10] in days and not x["empty"] and i not in members | negatives | labelled_elsewhere
    )
    picked_negatives = sorted(i for i in negatives if i in lines and not info[i]["empty"])
    room = TOTAL - len(members) - len(picked_negatives)
    background = sorted(random.Random(SEED).sample(pool, max(room, 0)))
    keep = members | set(picked_negatives) | set(background)
    with gzip.open(snn / "corpus.jsonl.gz", "rb") as f:
        for raw in f:
            i = json.loads(raw)["id"]
            if i in keep:
                lines[i] = raw

    dst.mkdir(parents=True, exist_ok=True)
    order = sorted(keep, key=lambda i: (info[i]["date"], i))
    with (dst / "sample.jsonl").open("wb") as out:
        for i in order:
            out.write(lines[i].rstrip(b"\n") + b"\n")
    rows = "\n".join(
        f"| {s['story']} | {s['date']} | {len(s['members'])} | {len({info[m]['source'] for m in s['members']})} |"
        for s in chosen
    )
    (dst / "SOURCE.md").write_text(
        SNN_SOURCE.format(
            total=len(order),
            seed=SEED,
            n_members=len(members),
            n_stories=len(chosen),
            n_background=len(order) - len(members),
            n_negatives=len(picked_negatives),
            rows=rows,
        ),
        encoding="utf-8",
    )
    size = (dst / "sample.jsonl").stat().st_size
    log.info(
        "saudinewsnet: %d articles (%d members of %d stories, %d background) over %d days, %.2f MB -> %s",
        len(order),
        len(members),
        len(chosen),
        len(order) - len(members),
        len(days),
        size / 1e6,
        dst,
    )


if __name__ == "__main__":
    main()
